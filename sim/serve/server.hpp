#pragma once
// The web server of 'pocsim serve': HTTP for the page, one WebSocket per open tab for the live run. One
// thread runs the network and the model's clock (the model steps inside it, with its own worker threads),
// so the session needs no lock and every tab sees the same steps in the same order.
#include <stdexcept>
#include <string>
#include <vector>

#include "serve/session.hpp"

namespace pocsim::serve {

struct ServerOptions {
  std::string bind = "127.0.0.1";
  // Who may use the server (docs/serve.md, "Who can reach it"). A request whose Host is neither an IP
  // address, localhost nor one of allowed_hosts is refused (DNS rebinding); one with an Origin other
  // than this server's own is refused (another web page in the browser); with a token, a request without
  // it (in the address or the cookie the page sets) is refused.
  std::string token;                        // "" none; required when bind is not a loopback address
  std::vector<std::string> allowed_hosts;   // host names besides IP addresses and localhost
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

// Whether an address is this machine's loopback (127.0.0.0/8, ::1) or a name for it.
bool is_loopback(const std::string& address);
// A token for the address pocsim serve prints: 128 bits from the system's random source, in hex.
std::string new_token();

// Serves until SIGINT or SIGTERM; returns the exit code. Throws ListenError when it cannot listen.
int serve(Session& session, const ServerOptions& options);

}  // namespace pocsim::serve
