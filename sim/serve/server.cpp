#include "serve/server.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <deque>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <stdexcept>
#include <string_view>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "pocsim/serve_page.hpp"

namespace pocsim::serve {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

// A tab that falls this far behind (a slow machine, a hidden tab) skips frames rather than queue them all.
constexpr std::size_t max_queued_messages = 64;
// What a tab may have waiting to be sent, frames included (they are shared, but a queue keeps them alive):
// 16 MiB, or three of the largest messages the run has sent (a national-scale map), whichever is more.
// A tab over it that has no frame left to skip is not reading what it asks for (a flood of commands whose
// answers it never takes): it is dropped, so one client cannot grow the server without bound.
constexpr std::size_t min_queue_cap = 16 * 1024 * 1024;
// Commands are small; anything larger is not from the page.
constexpr std::size_t max_message_bytes = 64 * 1024;
// Tabs at once; one more is answered 503.
constexpr std::size_t max_clients = 256;
// A dropped tab gets this long to take its close frame before its connection is cut.
constexpr auto close_grace = std::chrono::seconds(5);

class Hub;

// One open tab: a WebSocket with a queue of messages to send (Beast allows one write at a time).
class Client : public std::enable_shared_from_this<Client> {
 public:
  Client(tcp::socket socket, Hub& hub) : ws_(std::move(socket)), hub_(hub), grace_(ws_.get_executor()) {}
  void start(http::request<http::string_body> request, const std::string& cookie);
  void send(std::shared_ptr<const std::string> message);

 private:
  void read();
  void write_next();
  void drop();   // with close code 1008 (policy violation), then cut if the close is not taken in time
  void closed(); // the connection is over: leave the hub once
  websocket::stream<beast::tcp_stream> ws_;
  Hub& hub_;
  asio::steady_timer grace_;
  beast::flat_buffer buffer_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  std::size_t queued_bytes_ = 0;
  bool open_ = false, dropping_ = false, left_ = false;
};

// The session, the tabs watching it and the clock that steps it while playing.
class Hub {
 public:
  Hub(asio::io_context& io, Session& session, const ServerOptions& options)
      : io_(io), session_(session), options_(options), clock_(io) {
    session_.defer_saves();
  }
  ~Hub() {
    if (saver_.joinable()) saver_.join();  // a save being written is finished, not cut off
  }
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  [[nodiscard]] bool full() const { return clients_.size() >= max_clients; }
  // What one tab may have waiting (min_queue_cap); every message sent is counted by its size.
  std::size_t queue_cap(std::size_t message_size) {
    largest_message_ = std::max(largest_message_, message_size);
    return std::max(min_queue_cap, 3 * largest_message_);
  }
  [[nodiscard]] const ServerOptions& options() const { return options_; }

  void join(const std::shared_ptr<Client>& c) {
    clients_.insert(c);
    c->send(std::make_shared<const std::string>(session_.hello()));
    c->send(std::make_shared<const std::string>(session_.frame()));
  }
  void leave(const std::shared_ptr<Client>& c) { clients_.erase(c); }

  void command(const std::shared_ptr<Client>& from, const std::string& text) {
    Session::Reply reply = session_.handle(text, options_.results_directory, options_.command_line);
    for (std::string& m : reply.broadcast) broadcast(std::make_shared<const std::string>(std::move(m)));
    if (!reply.to_sender.empty()) from->send(std::make_shared<const std::string>(std::move(reply.to_sender)));
    if (reply.save) write_save(from, reply.save);
    schedule();
  }

  // A save re-runs the model from step 0: on a thread of its own, so the run and every tab go on meanwhile
  // (the session allows one at a time). Its reply goes back through the network thread.
  void write_save(const std::shared_ptr<Client>& from, std::shared_ptr<const Session::SaveJob> job) {
    if (saver_.joinable()) saver_.join();  // the previous save has replied already: its thread is ending
    saver_ = std::thread([this, asker = std::weak_ptr<Client>(from), job = std::move(job)] {
      std::vector<std::string> paths;
      std::string error;
      try {
        core::ThreadLimit one_thread(1);
        paths = job->write(one_thread);
      } catch (const std::exception& e) {
        error = e.what();
      }
      asio::post(io_, [this, asker, paths = std::move(paths), error = std::move(error)] {
        std::string reply = session_.save_written(paths, error);
        if (const auto c = asker.lock()) c->send(std::make_shared<const std::string>(std::move(reply)));
      });
    });
  }

  // Steps once per 1/speed seconds while playing.
  void schedule() {
    if (!session_.playing() || ticking_) return;
    ticking_ = true;
    clock_.expires_after(std::chrono::microseconds(static_cast<long long>(1e6 / session_.speed())));
    clock_.async_wait([this](beast::error_code ec) {
      ticking_ = false;
      if (ec) return;
      if (session_.playing()) {
        std::string frame = session_.advance();
        if (!frame.empty()) broadcast(std::make_shared<const std::string>(std::move(frame)));
      }
      schedule();
    });
  }

  void stop() { clock_.cancel(); }

 private:
  void broadcast(const std::shared_ptr<const std::string>& m) {
    for (const auto& c : clients_) c->send(m);
  }
  asio::io_context& io_;
  Session& session_;
  const ServerOptions& options_;
  asio::steady_timer clock_;
  std::thread saver_;
  bool ticking_ = false;
  std::size_t largest_message_ = 0;
  std::set<std::shared_ptr<Client>> clients_;
};

void Client::start(http::request<http::string_body> request, const std::string& cookie) {
  ws_.read_message_max(max_message_bytes);
  // Idle: a tab that sends nothing for 30 s is pinged, and dropped if it does not answer within 30 s more;
  // a frame sent in part and never finished counts as nothing.
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = std::chrono::seconds(30);
  timeouts.idle_timeout = std::chrono::seconds(60);
  timeouts.keep_alive_pings = true;
  ws_.set_option(timeouts);
  // Frames compress tenfold (mostly empty grids, repeated keys) for a tab that asks, as browsers do
  // (permessage-deflate, RFC 7692); the fastest level keeps the network thread's share small.
  websocket::permessage_deflate deflate;
  deflate.server_enable = true;
  deflate.compLevel = 1;
  ws_.set_option(deflate);
  if (!cookie.empty())
    ws_.set_option(websocket::stream_base::decorator([cookie](websocket::response_type& r) { r.set(http::field::set_cookie, cookie); }));
  ws_.async_accept(request, [self = shared_from_this()](beast::error_code ec) {
    if (ec) return;
    self->open_ = true;
    self->hub_.join(self);
    self->read();
  });
}

void Client::read() {
  ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) {  // the tab closed, timed out, or sent something a WebSocket may not carry: it leaves, the run goes on
      self->closed();
      return;
    }
    const std::string text = beast::buffers_to_string(self->buffer_.data());
    self->buffer_.consume(self->buffer_.size());
    if (!self->dropping_) self->hub_.command(self, text);
    self->read();
  });
}

void Client::send(std::shared_ptr<const std::string> message) {
  if (!open_ || dropping_) return;
  const std::size_t cap = hub_.queue_cap(message->size());
  auto is_frame = [](const std::string& m) { return m.rfind("{\"type\":\"frame\"", 0) == 0; };
  // Skip the oldest frames waiting (never the one being written) while the queue is too long or too large.
  for (auto it = queue_.size() > 1 ? queue_.begin() + 1 : queue_.end();
       it != queue_.end() && (queue_.size() >= max_queued_messages || queued_bytes_ + message->size() > cap);) {
    if (is_frame(**it)) {
      queued_bytes_ -= (*it)->size();
      it = queue_.erase(it);
    } else {
      ++it;
    }
  }
  if (!queue_.empty() && queued_bytes_ + message->size() > cap) return drop();
  queued_bytes_ += message->size();
  queue_.push_back(std::move(message));
  if (queue_.size() == 1) write_next();
}

void Client::write_next() {
  ws_.text(true);
  ws_.async_write(asio::buffer(*queue_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) {
      self->queue_.clear();
      self->queued_bytes_ = 0;
      self->closed();
      return;
    }
    self->queued_bytes_ -= self->queue_.front()->size();
    self->queue_.pop_front();
    if (self->dropping_) {
      self->queue_.clear();
      self->queued_bytes_ = 0;
      self->ws_.async_close(websocket::close_reason(websocket::close_code::policy_error, "not reading: dropped"),
                            [self](beast::error_code) { self->closed(); });
      return;
    }
    if (!self->queue_.empty()) self->write_next();
  });
}

void Client::drop() {
  dropping_ = true;
  // Everything but the message being written goes; once it is written, the close frame follows
  // (write_next). A client that takes neither within the grace period is cut off.
  while (queue_.size() > 1) {
    queued_bytes_ -= queue_.back()->size();
    queue_.pop_back();
  }
  grace_.expires_after(close_grace);
  grace_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec) return;
    beast::error_code ignored;
    beast::get_lowest_layer(self->ws_).socket().close(ignored);
    self->closed();
  });
  if (queue_.empty()) {
    ws_.async_close(websocket::close_reason(websocket::close_code::policy_error, "not reading: dropped"),
                    [self = shared_from_this()](beast::error_code) { self->closed(); });
  }
}

void Client::closed() {
  open_ = false;
  if (left_) return;
  left_ = true;
  grace_.cancel();
  hub_.leave(shared_from_this());
}

// ---- Who may use the server ----

// A header's value as it may appear in a message: short and printable.
std::string shown(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 100)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return text.size() > 100 ? out + "..." : out;
}

// The host part of a Host header ("127.0.0.1:8080", "[::1]:8080", "name"), lower case.
std::string host_name(std::string_view host) {
  std::string h(host);
  if (!h.empty() && h.front() == '[') {
    const auto close = h.find(']');
    h = close == std::string::npos ? h : h.substr(1, close - 1);
  } else if (const auto colon = h.find(':'); colon != std::string::npos && h.find(':', colon + 1) == std::string::npos) {
    h = h.substr(0, colon);
  }
  for (char& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return h;
}

bool is_ip_address(const std::string& name) {
  beast::error_code ec;
  asio::ip::make_address(name, ec);
  return !ec;
}

// The value of `name` in a query string or a cookie header ("a=1&b=2", "a=1; b=2").
std::string value_in(std::string_view text, std::string_view name, char separator) {
  while (!text.empty()) {
    const auto end = text.find(separator);
    std::string_view part = text.substr(0, end);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name && part[name.size()] == '=')
      return std::string(part.substr(name.size() + 1));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return "";
}

// Compares every character whatever it holds, so the time taken does not tell how much of a guess was right
// (the length is no secret: tokens pocsim makes all have 32 characters).
bool same_secret(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char differ = 0;
  for (std::size_t i = 0; i < a.size(); ++i) differ |= static_cast<unsigned char>(a[i] ^ b[i]);
  return differ == 0;
}

struct Access {
  std::string refusal;     // "" when allowed: why not, and what to do
  std::string set_cookie;  // the token cookie, when the request carried the token in its address
};

Access check_access(const http::request<http::string_body>& request, const ServerOptions& options) {
  Access a;
  const std::string host(request[http::field::host]);
  const std::string name = host_name(host);
  // DNS rebinding: a page from a name the attacker controls, re-pointed at this machine, would reach the
  // server as "same origin"; only names the trainer chose are answered. IP addresses cannot be re-pointed.
  const bool host_ok = !name.empty() && (is_ip_address(name) || name == "localhost" ||
                                         std::find(options.allowed_hosts.begin(), options.allowed_hosts.end(), name) != options.allowed_hosts.end());
  if (!host_ok) {
    a.refusal = "refused: this server does not answer to the host name '" + shown(name) + "' (a guard against DNS rebinding). "
                "Open it by its IP address or as localhost, or start pocsim serve with --allow-host " + shown(name) + "\n";
    return a;
  }
  // Another web page open in the browser may not drive the run: a browser names the page's origin.
  const std::string origin(request[http::field::origin]);
  if (!origin.empty() && origin != "http://" + host && origin != "https://" + host) {
    a.refusal = "refused: a request from the web page at " + shown(origin) + "; only the page this server serves (http://" + shown(host) +
                "/) may use it\n";
    return a;
  }
  if (options.token.empty()) return a;
  const std::string target(request.target());
  const auto query = target.find('?');
  const std::string given = query == std::string::npos ? "" : value_in(std::string_view(target).substr(query + 1), "token", '&');
  const std::string cookie = value_in(std::string(request[http::field::cookie]), "pocsim_token", ';');
  if (same_secret(given, options.token)) {
    a.set_cookie = "pocsim_token=" + options.token + "; HttpOnly; SameSite=Strict; Path=/";
  } else if (!same_secret(cookie, options.token)) {
    a.refusal = "refused: this server needs its token. Open the address pocsim serve printed when it started (it ends in ?token=...)\n";
  }
  return a;
}

// One HTTP connection: serves the page, or hands a WebSocket upgrade on /ws to a Client.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, Hub& hub) : stream_(std::move(socket)), hub_(hub) {}
  void start() { read(); }

 private:
  void read() {
    request_ = {};
    stream_.expires_after(std::chrono::seconds(30));
    http::async_read(stream_, buffer_, request_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return;
      self->answer();
    });
  }

  void answer() {
    const std::string target(request_.target());
    const std::string path = target.substr(0, target.find('?'));
    const Access access = check_access(request_, hub_.options());
    if (!access.refusal.empty()) return respond(http::status::forbidden, "text/plain", access.refusal);
    if (websocket::is_upgrade(request_)) {
      if (path != "/ws") return respond(http::status::not_found, "text/plain", "WebSocket endpoint is /ws\n");
      if (hub_.full()) return respond(http::status::service_unavailable, "text/plain", "too many tabs are open on this run\n");
      stream_.expires_never();
      std::make_shared<Client>(stream_.release_socket(), hub_)->start(std::move(request_), access.set_cookie);
      return;
    }
    if (request_.method() != http::verb::get && request_.method() != http::verb::head)
      return respond(http::status::method_not_allowed, "text/plain", "only GET\n");
    if (path == "/" || path == "/index.html")
      return respond(http::status::ok, "text/html; charset=utf-8", std::string(serve_page), access.set_cookie);
    respond(http::status::not_found, "text/plain", "not found: the page is at /\n");
  }

  void respond(http::status status, const std::string& type, std::string body, const std::string& cookie = "") {
    auto response = std::make_shared<http::response<http::string_body>>(status, request_.version());
    response->set(http::field::server, "pocsim");
    if (!cookie.empty()) response->set(http::field::set_cookie, cookie);
    response->set(http::field::content_type, type);
    response->set(http::field::cache_control, "no-store");
    response->keep_alive(request_.keep_alive());
    response->body() = std::move(body);
    response->prepare_payload();
    http::async_write(stream_, *response, [self = shared_from_this(), response](beast::error_code ec, std::size_t) {
      if (ec) return;
      if (response->keep_alive()) self->read();
      else self->stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    });
  }

  beast::tcp_stream stream_;
  Hub& hub_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
};

void accept(tcp::acceptor& acceptor, Hub& hub) {
  acceptor.async_accept([&acceptor, &hub](beast::error_code ec, tcp::socket socket) {
    if (!acceptor.is_open()) return;
    if (!ec) std::make_shared<Connection>(std::move(socket), hub)->start();
    accept(acceptor, hub);
  });
}

}  // namespace

bool is_loopback(const std::string& address) {
  if (address == "localhost") return true;
  beast::error_code ec;
  const asio::ip::address a = asio::ip::make_address(address, ec);
  return !ec && a.is_loopback();
}

std::string new_token() {
  std::ifstream random("/dev/urandom", std::ios::binary);
  unsigned char bytes[16] = {};
  if (!random.read(reinterpret_cast<char*>(bytes), sizeof bytes)) throw std::runtime_error("cannot read /dev/urandom for the server's token");
  std::string hex;
  for (unsigned char b : bytes) {
    constexpr const char* digits = "0123456789abcdef";
    hex += digits[b >> 4];
    hex += digits[b & 15];
  }
  return hex;
}

int serve(Session& session, const ServerOptions& options) {
  asio::io_context io(1);
  Hub hub(io, session, options);
  tcp::acceptor acceptor(io);
  try {
    const tcp::endpoint endpoint(asio::ip::make_address(options.bind), options.port);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen();
  } catch (const boost::system::system_error& e) {
    throw ListenError("cannot listen on " + options.bind + ":" + std::to_string(options.port) + ": " + e.code().message());
  }
  const unsigned short port = acceptor.local_endpoint().port();
  if (!options.port_file.empty()) {
    std::ofstream(options.port_file) << port << "\n";
  }
  if (!options.quiet) {
    const bool any = options.bind == "0.0.0.0" || options.bind == "::";
    const std::string host = any ? "127.0.0.1" : options.bind.find(':') != std::string::npos ? "[" + options.bind + "]" : options.bind;
    const std::string query = options.token.empty() ? "" : "?token=" + options.token;
    std::printf("pocsim serve: open http://%s:%u/%s in a browser (Ctrl-C stops the server)\n", host.c_str(), port, query.c_str());
    if (any) std::printf("  from other machines: http://<this machine's address>:%u/%s\n", port, query.c_str());
  }
  std::fflush(stdout);
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](beast::error_code, int) {
    acceptor.close();
    hub.stop();
    io.stop();
  });
  accept(acceptor, hub);
  io.run();
  if (!options.quiet) std::printf("\npocsim serve: stopped\n");
  return 0;
}

}  // namespace pocsim::serve
