// pocsim serve: a scenario live in the browser, or a saved steered run replayed.
#include "cli/commands.hpp"
#include "cli/shared.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cmath>
#include <cstdio>
#include <cctype>
#include <cstring>
#include <memory>
#include <type_traits>
#include <filesystem>
#include <iostream>
#include <sstream>

#include <boost/program_options.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/progress.hpp"
#include "core/parallel.hpp"
#include "ensemble/compare.hpp"
#include "ensemble/sweep.hpp"
#include "io/checkpoint.hpp"
#include "io/hdf5.hpp"
#include "io/run_writer.hpp"
#include "model/checkpoint.hpp"
#include "model/model.hpp"
#include "model/observables.hpp"
#include "model/report.hpp"
#include "pocsim/build_info.hpp"
#include "scenario/loader.hpp"
#include "scenario/schema.hpp"
#include "serve/server.hpp"
#include "serve/session.hpp"

namespace pocsim::cli {

int command_serve(const std::vector<std::string>& args, const std::string& command_line) {
  std::string option;
  std::vector<std::string> sets;
  std::string seed;
  int port = 8080;
  std::string bind = "127.0.0.1";
  std::string token;
  std::vector<std::string> allowed_hosts;
  std::string port_file;
  std::string results = "results";
  int threads = 0;
  int replicates = 0;
  bool quiet = false;
  po::options_description opts(
      "Usage: pocsim serve SCENARIO [options]\n"
      "       pocsim serve SAVED.h5 [options]\n\n"
      "Runs SCENARIO live for a browser: open the address it prints. The page shows the map (control by armed\n"
      "group, violence, illicit flows, people, police, mission bases, regions, roads, towns) and charts of the\n"
      "outcomes; play, pause, step, speed and reset it; switch levers (CVR, sanctions, police salaries,\n"
      "mediation, a troop surge, ...) on and off for a region, move a parameter's slider, or compare a lever side\n"
      "by side (a handful of replicates with and without it, paired by seed: the charts show their mean, range and\n"
      "paired differences). Changes take effect at the next step and are recorded; 'save'\n"
      "writes the steered run to results/ with that record, and 'pocsim serve SAVED.h5' replays it exactly.\n"
      "Several tabs can watch one run. docs/serve.md describes the page and its protocol.\n\n"
      "Options");
  opts.add_options()
      ("help,h", "show this help")
      ("port", po::value(&port)->default_value(8080), "TCP port; 0 = any free port")
      ("bind", po::value(&bind)->default_value("127.0.0.1"), "address to listen on (127.0.0.1: this machine only; 0.0.0.0: the room)")
      ("token", po::value(&token), "require this token (8 or more letters, digits, - or _) in the address; default: a random one "
                                   "when --bind is not a loopback address, none on loopback")
      ("allow-host", po::value(&allowed_hosts)->composing(), "also answer to this host name (besides IP addresses and localhost)")
      ("port-file", po::value(&port_file), "write the port to this file once listening (for scripts)")
      ("results", po::value(&results)->default_value("results"), "folder that saved runs go to")
      ("option", po::value(&option), "start with a mandate option's levers")
      ("seed", po::value(&seed), "random seed; same as --set run.seed=N")
      ("set", po::value(&sets)->composing(), "override a scenario key (repeatable)")
      ("replicates", po::value(&replicates), "replicates per side when comparing side by side, 1 to 32; default 5, or 1 on grids "
                                              "of more than 250,000 cells (each replicate is a whole model in memory)")
      ("threads", po::value(&threads)->default_value(0), "worker threads, 0 = all cores")
      ("quiet,q", po::bool_switch(&quiet), "print nothing but errors");
  const po::variables_map vm = parse(args, opts, "scenario", po::value<std::string>(), 1, "serve");
  if (vm.count("help")) {
    std::cout << opts << "\nExamples:\n  pocsim serve scenarios/library/mali/base.yaml   # then open http://127.0.0.1:8080/\n"
              << "  pocsim serve results/mali-live-20261130T061200.h5   # replay a saved run\n";
    return exit_ok;
  }
  if (!vm.count("scenario")) throw UsageError("no scenario given", "write 'pocsim serve SCENARIO.yaml'");
  if (port < 0 || port > 65535) throw UsageError("--port " + std::to_string(port) + " is not a TCP port", "use 1 to 65535, or 0 for any free port");
  if (threads < 0) throw UsageError("--threads must be 0 (all cores) or more", "for example --threads 2");
  if (vm.count("replicates") && (replicates < 1 || replicates > serve::max_side_by_side_replicates))
    throw UsageError("--replicates " + std::to_string(replicates) + " is out of range",
                     "give 1 to " + std::to_string(serve::max_side_by_side_replicates) + ", for example --replicates 5");
  if (vm.count("token") && (token.size() < 8 || token.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != std::string::npos))
    throw UsageError("--token must be 8 or more letters, digits, - or _", "leave --token out for a random one");
  for (std::string& h : allowed_hosts) {
    for (char& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (h.empty() || h.find_first_of(":/ ") != std::string::npos)
      throw UsageError("--allow-host '" + h + "' is not a host name", "give a name without port or scheme, e.g. --allow-host trainer-laptop.local");
  }
  // Another machine in the room could otherwise steer the run with no more than its address.
  if (token.empty() && !serve::is_loopback(bind)) token = serve::new_token();
  // Absolute, so a run saved from the page replays from any working directory.
  const std::string path = std::filesystem::absolute(vm["scenario"].as<std::string>()).lexically_normal().string();
  if (!option.empty()) option = std::filesystem::absolute(option).lexically_normal().string();
  std::unique_ptr<serve::Session> session;
  if (std::filesystem::path(path).extension() == ".h5") {
    // A saved steered run: its scenario, read again, and its record of changes.
    std::string scenario_path, option_path, steering, resolved, overrides_text;
    std::int64_t steps = 0;
    try {
      const std::lock_guard<std::mutex> lock(io::library_lock());
      io::Handle f = io::open_file_read(path);
      if (!io::has_attribute(f.id(), "steering"))
        throw UsageError(path + " is not a run saved from 'pocsim serve' (it has no 'steering' attribute)",
                         "open a scenario, or a file written by the page's Save button");
      scenario_path = io::get_string_attribute(f.id(), "scenario_path");
      if (io::has_attribute(f.id(), "option_path")) option_path = io::get_string_attribute(f.id(), "option_path");
      steering = io::get_string_attribute(f.id(), "steering");
      resolved = io::get_string_attribute(f.id(), "parameters_resolved");
      overrides_text = io::get_string_attribute(f.id(), "overrides");
      steps = io::get_int_attribute(f.id(), "steered_steps");
    } catch (const io::Hdf5Error& e) {
      throw UsageError(path + " cannot be read as a saved run: " + e.what(), "open a file written by the page's Save button");
    }
    std::vector<std::string> overrides;
    std::istringstream lines(overrides_text);
    for (std::string line; std::getline(lines, line);)
      if (!line.empty()) overrides.push_back(line);
    scenario::Scenario sc = reload_scenario(scenario_path, option_path, overrides, resolved, "the saved run cannot be replayed exactly",
                                            "restore the scenario files as they were when the run was saved");
    std::vector<serve::SteeringEntry> record;
    try {
      record = serve::steering_from_json(steering);
    } catch (const std::invalid_argument& e) {
      throw UsageError(path + ": " + e.what(), "the file is damaged: save the run again");
    }
    try {
      session = std::make_unique<serve::Session>(std::move(sc), threads, std::move(record), true, steps);
    } catch (const std::invalid_argument& e) {
      throw UsageError(path + ": " + e.what(), "the file does not fit its scenario: save the run again");
    }
  } else {
    std::vector<std::string> overrides = sets;
    if (!seed.empty()) overrides.push_back("run.seed=" + seed);
    scenario::Scenario sc = option.empty() ? scenario::load_scenario(path, overrides) : scenario::load_option(path, option, overrides);
    session = std::make_unique<serve::Session>(std::move(sc), threads);
  }
  if (vm.count("replicates")) session->set_replicates(replicates);
  serve::ServerOptions server;
  server.bind = bind;
  server.token = token;
  server.allowed_hosts = allowed_hosts;
  server.port = static_cast<unsigned short>(port);
  server.port_file = port_file;
  server.results_directory = results;
  server.command_line = command_line;
  server.quiet = quiet;
  try {
    return serve::serve(*session, server);
  } catch (const serve::ListenError& e) {
    throw UsageError(e.what(), "choose another --port (or --port 0 for any free one), or another --bind address");
  }
}

}  // namespace pocsim::cli
