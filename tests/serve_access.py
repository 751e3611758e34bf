"""pocsim serve under hostile and careless clients, on loopback, bounded in time and count.

Usage: /usr/bin/python3 tests/serve_access.py POCSIM SCENARIO [memory-bound|no-memory-bound]

1. Host and Origin: a Host name the trainer did not allow (DNS rebinding) and an upgrade from another
   web page's origin are refused with 403; the page's own origin is accepted.
2. Slow readers: a client that floods commands and never reads their answers is dropped (close code
   1008 or a cut connection) while the server's memory stays bounded, and a well-behaved client connected
   meanwhile keeps receiving frames.
3. Tokens: with --token, nothing is served without it; the address with it sets a cookie that later
   requests and the WebSocket may carry instead. On a non-loopback bind a token is made and printed.
4. Limits: an oversized message closes only its own connection.
5. Saves: written on a thread of their own, so frames keep coming; one at a time.
6. Many clients: 200 tabs watching one run, then one flooding tab beside a watching one; the watching
   tab's frame rate within 20 % of its rate alone, every tab served, the server's memory within its bound.
"""
import base64
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time

POCSIM, SCENARIO = sys.argv[1], sys.argv[2]
MEMORY_BOUND = len(sys.argv) < 4 or sys.argv[3] != "no-memory-bound"  # sanitizers hold freed memory back
work = tempfile.mkdtemp()
servers = []


def start(*extra):
    port_file = os.path.join(work, f"port{len(servers)}")
    log = open(os.path.join(work, f"server{len(servers)}.log"), "w+")
    p = subprocess.Popen([POCSIM, "serve", SCENARIO, "--port", "0", "--port-file", port_file, "--threads", "1", *extra],
                         cwd=work, stdout=log, stderr=subprocess.STDOUT)
    servers.append(p)
    for _ in range(600):
        if os.path.exists(port_file) and open(port_file).read().endswith("\n"):
            return p, int(open(port_file).read()), log
        assert p.poll() is None, open(log.name).read()
        time.sleep(0.05)
    raise AssertionError("the server did not start")


def rss_kib(p):
    for line in open(f"/proc/{p.pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def request(port, path="/", headers=None, upgrade=False):
    """Sends one request; returns (status, header text, socket)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    h = {"Host": f"127.0.0.1:{port}"}
    if upgrade:
        h.update({"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
                  "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode()})
    h.update(headers or {})
    s.sendall((f"GET {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in h.items() if v is not None) + "\r\n").encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    status = int(head.split()[1])
    if not upgrade or status != 101:
        length = re.search(rb"(?i)content-length: (\d+)", head)
        while length and len(rest) < int(length.group(1)):
            rest += s.recv(65536)
        s.close()
        return status, head.decode(), rest.decode()
    return status, head.decode(), Conn(s, rest)


class Conn:
    """A WebSocket connection: its socket and the bytes read past the handshake."""
    def __init__(self, sock, pending):
        self.sock, self.pending = sock, pending

    def sendall(self, data):
        self.sock.sendall(data)

    def recv(self, n):
        return self.sock.recv(n)

    def settimeout(self, t):
        self.sock.settimeout(t)

    def close(self):
        self.sock.close()


def send_text(s, text):
    payload = text.encode()
    mask = os.urandom(4)
    n = len(payload)
    header = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack("!H", n) if n < 65536
                              else bytes([0x80 | 127]) + struct.pack("!Q", n))
    s.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))


def take_frame(buf):
    """The first whole frame in `buf` as (opcode, payload, the bytes after it), or None when it is not all there."""
    if len(buf) < 2:
        return None
    n, at = buf[1] & 0x7f, 2
    if n == 126:
        n, at = (struct.unpack("!H", buf[2:4])[0], 4) if len(buf) >= 4 else (None, 4)
    elif n == 127:
        n, at = (struct.unpack("!Q", buf[2:10])[0], 10) if len(buf) >= 10 else (None, 10)
    if n is None or len(buf) < at + n:
        return None
    return buf[0] & 0x0f, buf[at:at + n], buf[at + n:]


def read_frame(s):
    while (frame := take_frame(s.pending)) is None:
        chunk = s.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        s.pending += chunk
    op, body, s.pending = frame
    return op, body


def raw_upgrade(port):
    """A WebSocket upgrade on a socket with a tiny receive buffer, whose replies it never reads: a flooding tab."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    sock.sendall((f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\n\r\n").encode())
    return sock


def messages_until(s, kind, limit=2000):
    for _ in range(limit):
        op, body = read_frame(s)
        if op == 1 and body.startswith(b'{"type":"' + kind.encode()):
            return body
    raise AssertionError(f"no {kind} message")


try:
    server, port, log = start()
    own = f"http://127.0.0.1:{port}"

    # 1. Host and Origin.
    status, _, body = request(port, headers={"Host": f"evil.example:{port}"})
    assert status == 403 and "DNS rebinding" in body and "--allow-host evil.example" in body, (status, body)
    status, _, body = request(port, "/ws", {"Origin": "http://evil.example"}, upgrade=True)
    assert status == 403 and "http://evil.example" in body, (status, body)
    status, _, body = request(port, "/ws", {"Origin": "http://localhost:1"}, upgrade=True)
    assert status == 403, (status, body)
    status, _, body = request(port, "/", {"Origin": "http://evil.example"})
    assert status == 403, (status, body)
    status, _, page = request(port, "/")
    assert status == 200 and "<html" in page.lower(), status
    status, _, good = request(port, "/ws", {"Origin": own}, upgrade=True)
    assert status == 101, status
    messages_until(good, "hello")
    messages_until(good, "frame")
    status, _, local = request(port, "/ws", {"Host": f"localhost:{port}", "Origin": f"http://localhost:{port}"}, upgrade=True)
    assert status == 101, status
    local.close()
    print("serve_access: foreign Host names and origins refused (403), the page's own accepted")

    # 2. A client that floods commands and never reads. Its socket's receive buffer is small, so the
    # server's sends back up at once.
    base = rss_kib(server)
    flood = raw_upgrade(port)
    time.sleep(0.3)
    send_text(good, '{"cmd": "play"}')
    bad = '{"cmd": "' + "x" * 60000 + '"}'  # answered with an error that names the command: 60 KB each
    sent = 0
    peak = base
    flood.settimeout(0.5)
    dropped = False
    for i in range(3000):
        try:
            send_text(flood, bad)
            sent += 1
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            dropped = True
            break
        if i % 100 == 0:
            peak = max(peak, rss_kib(server))
    peak = max(peak, rss_kib(server))
    # The well-behaved tab still gets frames while and after the flood.
    frames = 0
    t0 = time.time()
    while frames < 5 and time.time() - t0 < 20:
        op, body = read_frame(good)
        frames += op == 1 and body.startswith(b'{"type":"frame"')
    assert frames >= 5, "the well-behaved client stopped receiving frames"
    if not dropped:
        # Not dropped while sending: it must be closed now (a close frame it never reads, then a cut).
        flood.settimeout(15)
        try:
            while flood.recv(65536):
                pass
            dropped = True
        except ConnectionResetError:
            dropped = True
        except socket.timeout:
            pass
    assert dropped, "the flooding client was never dropped"
    grew = (peak - base) / 1024
    assert grew < 48 or not MEMORY_BOUND, f"the server grew by {grew:.0f} MiB under one flooding client (its queue is capped at 16 MiB)"
    print(f"serve_access: a client flooding {sent} commands of 60 KB without reading was dropped; the server grew "
          f"{grew:.1f} MiB (bound: 48), and another tab kept receiving frames")

    # 4. An oversized message closes its own connection only.
    status, _, big = request(port, "/ws", upgrade=True)
    assert status == 101
    send_text(big, "x" * 70000)
    big.settimeout(10)
    closed = False
    try:
        for _ in range(1000):
            op, _ = read_frame(big)
            if op == 8:
                closed = True
                break
    except (ConnectionError, ConnectionResetError):
        closed = True
    assert closed, "a 70 KB message did not close its connection"
    send_text(good, '{"cmd": "pause"}')
    messages_until(good, "frame")
    print("serve_access: a message over 64 KiB closed its own connection; the others go on")

    # 5. A save re-runs the model from step 0 on a thread of its own: frames keep coming while it is
    # written, and a second save meanwhile is refused.
    send_text(good, '{"cmd": "speed", "value": 50}')
    send_text(good, '{"cmd": "play"}')
    step = 0
    while step < 150:
        body = messages_until(good, "frame")
        step = int(re.search(rb'"step":(\d+)', body).group(1))
    send_text(good, '{"cmd": "save"}')
    send_text(good, '{"cmd": "save"}')
    asked = last = time.time()
    gap, refused, saved = 0.0, False, None
    while saved is None and time.time() - asked < 120:
        op, body = read_frame(good)
        now = time.time()
        if body.startswith(b'{"type":"frame"'):
            gap, last = max(gap, now - last), now
        elif body.startswith(b'{"type":"error"'):
            refused |= b"a save is being written" in body
        elif body.startswith(b'{"type":"saved"'):
            saved = now - asked
    assert saved is not None, "no reply to the save"
    assert refused, "a second save while the first was written was not refused"
    assert gap < max(0.25, saved / 2), f"frames stopped for {gap:.2f} s during a save of {saved:.2f} s"
    send_text(good, '{"cmd": "pause"}')
    print(f"serve_access: a save of step {step} took {saved:.2f} s; frames kept coming (longest gap {gap:.2f} s), a second save was refused")
    server.terminate()
    server.wait(10)

    # 3. Tokens.
    server, port, log = start("--token", "s3cret-token")
    status, _, body = request(port, "/")
    assert status == 403 and "needs its token" in body, (status, body)
    status, _, body = request(port, "/?token=wrong-token!")
    assert status == 403, status
    status, head, _ = request(port, "/ws", upgrade=True)
    assert status == 403, status
    status, head, _ = request(port, "/?token=s3cret-token")
    assert status == 200 and "pocsim_token=s3cret-token; HttpOnly; SameSite=Strict" in head, head
    status, _, _ = request(port, "/", {"Cookie": "theme=dark; pocsim_token=s3cret-token"})
    assert status == 200, status
    status, _, ws = request(port, "/ws", {"Cookie": "pocsim_token=s3cret-token", "Origin": f"http://127.0.0.1:{port}"}, upgrade=True)
    assert status == 101, status
    ws.close()
    status, _, ws = request(port, "/ws?token=s3cret-token", upgrade=True)
    assert status == 101, status
    ws.close()
    server.terminate()
    server.wait(10)
    server, port, log = start("--bind", "0.0.0.0")
    time.sleep(0.2)
    printed = open(log.name).read()
    token = re.search(r"\?token=([0-9a-f]{32})", printed)
    assert token, printed
    status, _, _ = request(port, "/")
    assert status == 403, status
    status, _, _ = request(port, "/?token=" + token.group(1))
    assert status == 200, status
    print("serve_access: with a token nothing is served without it, the cookie stands in for it; --bind 0.0.0.0 makes and prints one")

    # 6. Many clients: 200 tabs watching one run. A well-behaved tab's frame rate with the other 199
    # connected (and reading) stays within 20 % of its rate alone, every tab receives frames, and the
    # server's memory stays within its bound.
    server.terminate()
    server.wait(10)
    server, port, log = start()
    watcher = request(port, "/ws", upgrade=True)[2]
    messages_until(watcher, "hello")
    send_text(watcher, '{"cmd": "speed", "value": 10}')
    send_text(watcher, '{"cmd": "play"}')
    messages_until(watcher, "frame")

    def frame_rate(seconds, others=()):
        """Frames a second the watcher receives over `seconds`, while `others` are drained as they arrive."""
        import select
        for o in others:
            o.sock.setblocking(False)
        watcher.sock.setblocking(False)
        frames, got = 0, {id(o): 0 for o in others}
        start_time = time.time()
        while time.time() - start_time < seconds:
            ready, _, _ = select.select([watcher.sock, *[o.sock for o in others]], [], [], 0.5)
            for sock in ready:
                try:
                    chunk = sock.recv(1 << 20)
                except BlockingIOError:
                    continue
                if sock is watcher.sock:
                    watcher.pending += chunk
                    while (frame := take_frame(watcher.pending)) is not None:
                        _, body, watcher.pending = frame
                        frames += body.startswith(b'{"type":"frame"')
                else:
                    for o in others:
                        if o.sock is sock:
                            got[id(o)] += len(chunk)
        watcher.sock.setblocking(True)
        return frames / seconds, got

    alone, _ = frame_rate(4)
    base = rss_kib(server)
    others = []
    for _ in range(199):
        status, _, c = request(port, "/ws", upgrade=True)
        assert status == 101, status
        others.append(c)
    crowded, got = frame_rate(6, others)
    peak = rss_kib(server)
    starved = sum(1 for n in got.values() if n == 0)
    for c in others:
        c.close()
    assert starved == 0, f"{starved} of 199 tabs received nothing"
    # Speed, like memory, is measured in unsanitized builds only: the sanitizers slow the server several-fold.
    assert crowded >= 0.8 * alone or not MEMORY_BOUND, f"a tab's frame rate fell from {alone:.1f} to {crowded:.1f} a second with 199 others watching"
    grew = (peak - base) / 1024
    assert grew < 64 or not MEMORY_BOUND, f"the server grew by {grew:.0f} MiB with 200 tabs"
    print(f"serve_access: 200 tabs watching: a tab's frame rate {crowded:.1f} a second against {alone:.1f} alone; every tab "
          f"received frames; the server grew {grew:.1f} MiB (bound: 64)")

    # One abusive tab (flooding 60 KB commands, never reading) while the watcher watches: the watcher's
    # frame rate stays within 20 % of its rate alone, and the abuser is dropped.
    import threading
    abuser = raw_upgrade(port)
    abuser.settimeout(0.5)
    flood_result = {"sent": 0, "dropped": False}

    def flood_for(seconds):
        bad = '{"cmd": "' + "x" * 60000 + '"}'
        end = time.time() + seconds
        while time.time() < end:
            try:
                send_text(abuser, bad)
                flood_result["sent"] += 1
            except (BrokenPipeError, ConnectionResetError, socket.timeout):
                flood_result["dropped"] = True
                return
    base = rss_kib(server)
    flooder = threading.Thread(target=flood_for, args=(6,))
    flooder.start()
    abused, _ = frame_rate(6)
    flooder.join()
    grew = (rss_kib(server) - base) / 1024
    abuser.close()
    assert abused >= 0.8 * alone or not MEMORY_BOUND, f"a tab's frame rate fell from {alone:.1f} to {abused:.1f} a second beside a flooding tab"
    assert grew < 48 or not MEMORY_BOUND, f"the server grew by {grew:.0f} MiB beside a flooding tab"
    print(f"serve_access: beside a tab flooding {flood_result['sent']} commands of 60 KB"
          f"{' (dropped)' if flood_result['dropped'] else ''}, a tab's frame rate {abused:.1f} a second against {alone:.1f} "
          f"alone; the server grew {grew:.1f} MiB (bound: 48)")
finally:
    for p in servers:
        if p.poll() is None:
            p.kill()
            p.wait()
    shutil.rmtree(work, ignore_errors=True)
