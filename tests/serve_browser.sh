#!/usr/bin/env bash
# `pocsim serve` in a real browser: starts the server on the Mali scenario, then runs
# tests/browser/serve.test.mjs in headless Chromium (through playwright-core, installed from npm into a
# cache on first use). Leaves the page's screenshots in the working directory (serve-screenshot*.png, or
# serve_national-screenshot.png).
# Usage: tests/serve_browser.sh POCSIM_BINARY [SCENARIO TEST]  (default: the Mali base and
#        tests/browser/serve.test.mjs; the national scenario's test is tests/browser/serve_national.test.mjs)
# Environment: POCSIM_NODE_CACHE (where playwright-core goes; default ~/.cache/pocsim-node), CHROMIUM
# (default /usr/bin/chromium), SCREENSHOT (where the test writes its screenshot).
set -euo pipefail
pocsim=${1:?usage: tests/serve_browser.sh POCSIM_BINARY [SCENARIO TEST]}
source_dir=$(cd "$(dirname "$0")/.." && pwd)
scenario=${2:-$source_dir/scenarios/library/mali/base.yaml}
test_file=${3:-$source_dir/tests/browser/serve.test.mjs}
test_name=serve_browser
source "$source_dir/tests/browser/playwright.sh"

work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2> /dev/null || true
    wait "$server_pid" 2> /dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# The server runs in the scratch directory so that a save from the page lands there, not in the tree.
(cd "$work" && exec "$pocsim" serve "$scenario" --port 0 --port-file "$work/port") \
  > "$work/server.log" 2>&1 &
server_pid=$!

# The port file is written once the server listens; a whole line means the number is all there.
port=
for _ in $(seq 300); do
  if [ -s "$work/port" ] && [ "$(wc -l < "$work/port")" -ge 1 ]; then
    port=$(head -n 1 "$work/port")
    break
  fi
  if ! kill -0 "$server_pid" 2> /dev/null; then
    echo "serve_browser: pocsim serve exited before listening:" >&2
    cat "$work/server.log" >&2
    exit 1
  fi
  sleep 0.1
done
if ! [[ $port =~ ^[0-9]+$ ]]; then
  echo "serve_browser: pocsim serve wrote no port within 30 s:" >&2
  cat "$work/server.log" >&2
  exit 1
fi

name=$(basename "$test_file" .test.mjs)  # serve, serve_national
screenshot=${SCREENSHOT:-$work/$name.png}
status=0
PLAYWRIGHT_CORE=$entry NODE_PATH=$cache/node_modules CHROMIUM=$chromium SCREENSHOT=$screenshot \
  node "$test_file" "http://127.0.0.1:$port/" || status=$?

# Kept even on failure: the picture is often the quickest diagnosis.
keep() {
  if [ -f "$1" ] && ! [ "$1" -ef "$2" ]; then cp "$1" "$2"; fi
}
keep "$screenshot" "$PWD/$name-screenshot.png"
keep "${screenshot%.png}-side-by-side.png" "$PWD/$name-screenshot-side-by-side.png"

if ! kill -0 "$server_pid" 2> /dev/null; then
  echo "serve_browser: pocsim serve died during the test" >&2
  status=1
fi
if [ "$status" -ne 0 ]; then
  echo "serve_browser: server log:" >&2
  tail -n 40 "$work/server.log" >&2
fi
exit "$status"
