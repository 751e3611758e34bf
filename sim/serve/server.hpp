#pragma once
// The web server of 'pocsim serve': HTTP for the page, one WebSocket per open tab for the live run. One
// thread runs the network and the model's clock (the model steps inside it, with its own worker threads),
// so the session needs no lock and every tab sees the same steps in the same order.
#include <stdexcept>
#include <string>

#include "serve/session.hpp"

namespace pocsim::serve {

struct ServerOptions {
  std::string bind = "127.0.0.1";
  unsigned short port = 8080;     // 0: any free port
  std::string port_file;          // written with the port once listening (for scripts and tests)
  std::string results_directory = "results";
  std::string command_line;
  bool quiet = false;
};

// The address or port cannot be listened on (taken, not this machine's, not allowed).
class ListenError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Serves until SIGINT or SIGTERM; returns the exit code. Throws ListenError when it cannot listen.
int serve(Session& session, const ServerOptions& options);

}  // namespace pocsim::serve
