#include "serve/server.hpp"

#include <chrono>
#include <cstdio>
#include <deque>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <stdexcept>

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
// Commands are small; anything larger is not from the page.
constexpr std::size_t max_message_bytes = 64 * 1024;

class Hub;

// One open tab: a WebSocket with a queue of messages to send (Beast allows one write at a time).
class Client : public std::enable_shared_from_this<Client> {
 public:
  Client(tcp::socket socket, Hub& hub) : ws_(std::move(socket)), hub_(hub) {}
  void start(http::request<http::string_body> request);
  void send(std::shared_ptr<const std::string> message);

 private:
  void read();
  void write_next();
  websocket::stream<beast::tcp_stream> ws_;
  Hub& hub_;
  beast::flat_buffer buffer_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  bool open_ = false;
};

// The session, the tabs watching it and the clock that steps it while playing.
class Hub {
 public:
  Hub(asio::io_context& io, Session& session, const ServerOptions& options)
      : session_(session), options_(options), clock_(io) {}

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
    schedule();
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
  Session& session_;
  const ServerOptions& options_;
  asio::steady_timer clock_;
  bool ticking_ = false;
  std::set<std::shared_ptr<Client>> clients_;
};

void Client::start(http::request<http::string_body> request) {
  ws_.read_message_max(max_message_bytes);
  ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws_.async_accept(request, [self = shared_from_this()](beast::error_code ec) {
    if (ec) return;
    self->open_ = true;
    self->hub_.join(self);
    self->read();
  });
}

void Client::read() {
  ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) {  // the tab closed, or sent something a WebSocket may not carry: it leaves, the run goes on
      self->open_ = false;
      self->hub_.leave(self);
      return;
    }
    const std::string text = beast::buffers_to_string(self->buffer_.data());
    self->buffer_.consume(self->buffer_.size());
    self->hub_.command(self, text);
    self->read();
  });
}

void Client::send(std::shared_ptr<const std::string> message) {
  if (!open_) return;
  if (queue_.size() >= max_queued_messages) {
    // Drop the oldest frame waiting (not the one being written), keep everything else.
    for (auto it = queue_.begin() + 1; it != queue_.end(); ++it)
      if ((*it)->rfind("{\"type\":\"frame\"", 0) == 0) {
        queue_.erase(it);
        break;
      }
  }
  queue_.push_back(std::move(message));
  if (queue_.size() == 1) write_next();
}

void Client::write_next() {
  ws_.text(true);
  ws_.async_write(asio::buffer(*queue_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) {
      self->open_ = false;
      self->queue_.clear();
      self->hub_.leave(self);
      return;
    }
    self->queue_.pop_front();
    if (!self->queue_.empty()) self->write_next();
  });
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
    if (websocket::is_upgrade(request_)) {
      if (target != "/ws") return respond(http::status::not_found, "text/plain", "WebSocket endpoint is /ws\n");
      stream_.expires_never();
      std::make_shared<Client>(stream_.release_socket(), hub_)->start(std::move(request_));
      return;
    }
    if (request_.method() != http::verb::get && request_.method() != http::verb::head)
      return respond(http::status::method_not_allowed, "text/plain", "only GET\n");
    if (target == "/" || target == "/index.html") return respond(http::status::ok, "text/html; charset=utf-8", std::string(serve_page));
    respond(http::status::not_found, "text/plain", "not found: the page is at /\n");
  }

  void respond(http::status status, const std::string& type, std::string body) {
    auto response = std::make_shared<http::response<http::string_body>>(status, request_.version());
    response->set(http::field::server, "pocsim");
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
  if (!options.quiet)
    std::printf("pocsim serve: open http://%s:%u/ in a browser (Ctrl-C stops the server)\n",
                options.bind == "0.0.0.0" ? "127.0.0.1" : options.bind.c_str(), port);
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
