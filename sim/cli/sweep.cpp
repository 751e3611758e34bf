// pocsim sweep, merge and analyse: parameter sweeps, their shards and their sensitivity analysis.
#include "cli/commands.hpp"
#include "cli/shared.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cmath>
#include <cstdio>
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

namespace {

ensemble::Shard parse_shard(const std::string& text) {
  ensemble::Shard shard;
  const auto slash = text.find('/');
  try {
    if (slash == std::string::npos) throw std::invalid_argument(text);
    std::size_t used = 0;
    shard.index = std::stoi(text.substr(0, slash), &used);
    if (used != slash) throw std::invalid_argument(text);
    shard.count = std::stoi(text.substr(slash + 1), &used);
    if (used != text.size() - slash - 1) throw std::invalid_argument(text);
  } catch (const std::exception&) {
    throw UsageError("--shard " + text + " is not I/N", "write --shard 0/4 for the first of four shards");
  }
  if (shard.count < 1 || shard.index < 0 || shard.index >= shard.count)
    throw UsageError("--shard " + text + ": the shard must be from 0 to N-1", "write --shard 0/4 ... --shard 3/4 for four shards");
  return shard;
}

}  // namespace

int command_sweep(const std::vector<std::string>& args, const std::string& command_line) {
  std::string output, shard_text = "0/1";
  std::vector<std::string> sets;
  int threads = 0;
  bool quiet = false, force = false;
  po::options_description opts(
      "Usage: pocsim sweep SWEEP.yaml [-o STORE] [options]\n"
      "       mpirun -n N pocsim sweep SWEEP.yaml -o STORE\n\n"
      "Runs a parameter sweep (docs/sweeps.md): the design's points x replicates, each run's outcomes\n"
      "recorded in STORE.journal as it finishes, then gathered into the HDF5 STORE. Killed or interrupted,\n"
      "the same command continues where it stopped. Under mpirun, rank 0 hands runs to the other ranks as\n"
      "they become free; the store is identical to a single-process sweep.\n\nOptions");
  opts.add_options()
      ("help,h", "show this help")
      ("output,o", po::value(&output), "the store (default: results/<sweep name>.h5)")
      ("shard", po::value(&shard_text), "run only shard I of N (I/N, from 0): for job arrays; combine with 'pocsim merge'")
      ("threads", po::value(&threads)->default_value(0), "worker threads, 0 = all cores; results do not depend on it")
      ("set", po::value(&sets)->composing(), "override a scenario key for every run")
      ("force", po::bool_switch(&force), "overwrite the store if it exists")
      ("quiet,q", po::bool_switch(&quiet), "print nothing but errors");
  const po::variables_map vm = parse(args, opts, "sweep", po::value<std::string>(), 1, "sweep");
  if (vm.count("help")) {
    std::cout << opts << "\nExample:\n  pocsim sweep scenarios/sweeps/mali_lhs.yaml -o mali_lhs.h5\n";
    return exit_ok;
  }
  if (!vm.count("sweep")) throw UsageError("no sweep file given", "write 'pocsim sweep SWEEP.yaml'");
  if (threads < 0) throw UsageError("--threads must be 0 (all cores) or more", "for example --threads 2");
  const ensemble::Shard shard = parse_shard(shard_text);
  const std::string sweep_path = vm["sweep"].as<std::string>();
  if (ensemble::MpiSession::launched_by_mpirun() && !ensemble::MpiSession::available())
    throw UsageError("this pocsim was built without MPI, so its copies under mpirun cannot share a sweep",
                     "run the sweep without mpirun (it uses every core of this machine), or split it among jobs with "
                     "--shard I/N and combine the shards with 'pocsim merge', or rebuild pocsim with MPI (Debian: "
                     "apt-get install libopenmpi-dev, then build again)");
  ensemble::MpiSession mpi;
  const ensemble::SweepPlan plan = ensemble::load_sweep(sweep_path, sets);
  const std::string suffix = shard.count > 1 ? "-shard" + std::to_string(shard.index) + "of" + std::to_string(shard.count) : "";
  output = checked_output(output, "results/" + stem_of(sweep_path) + suffix + ".h5", {}, force, true);
  const bool lead = mpi.rank() == 0;
  core::ThreadLimit limit(threads);
  StopOnSignal stop_on_signal;
  const ensemble::Design design = ensemble::make_design(plan.design, plan.factors);
  const auto total = static_cast<std::int64_t>(design.points()) * plan.replicates;
  Progress progress(total / shard.count + (total % shard.count > shard.index ? 1 : 0), Progress::style_for_stderr(quiet || !lead), "run");
  ensemble::SweepObserver observer;
  observer.progress = [&](std::int64_t done, std::int64_t) { progress.update(done); };
  observer.stop_requested = [] { return stop_requested != 0; };
  ensemble::SweepOutcome result;
  try {
    limit.run([&] { result = ensemble::run_sweep(plan, shard, output, command_line, observer, mpi.size() > 1); });
  } catch (const std::exception& e) {
    if (mpi.size() <= 1) throw;
    // The other ranks would wait for this one forever: say why here, then end them all.
    if (const auto* bad = dynamic_cast<const scenario::ScenarioError*>(&e)) report_errors(*bad);
    else std::cerr << "pocsim: error (rank " << mpi.rank() << "): " << e.what() << "\n";
    mpi.abort_all();
  }
  if (!lead) return exit_ok;
  if (!result.complete) {
    std::fprintf(stderr, "\npocsim: stopped with %lld of %lld runs done; they are kept in %s. Run the same command again to "
                         "continue.\n", static_cast<long long>(result.done + result.skipped), static_cast<long long>(result.runs),
                 result.journal.c_str());
    return exit_interrupted;
  }
  progress.finish();
  if (!quiet) {
    std::printf("\npocsim sweep  %s  (%s design, %zu points x %d replicates%s)\n", sweep_path.c_str(),
                std::string(ensemble::to_string(plan.design.kind)).c_str(), design.points(), plan.replicates,
                shard.count > 1 ? (", shard " + shard.text()).c_str() : "");
    std::printf("  %-10s %lld runs: %lld run now, %lld from an earlier attempt, %lld failed\n", "runs",
                static_cast<long long>(result.runs), static_cast<long long>(result.done), static_cast<long long>(result.skipped),
                static_cast<long long>(result.failed));
    std::printf("  %-10s %s\n  %-10s %s\n", "time", format_duration(result.wall_seconds).c_str(), "store",
                std::filesystem::absolute(output).string().c_str());
    if (result.failed > 0) std::printf("  the failed runs' errors are in the store's /runs attribute 'errors'\n");
  }
  return exit_ok;
}

namespace {
// A store given as input must open as HDF5: an unreadable one is bad input (exit 2), not a failed write.
void readable_store(const std::string& path, const std::string& what) {
  try {
    io::open_file_read(path);
  } catch (const io::Hdf5Error& e) {
    throw UsageError("the " + what + " " + path + " cannot be read as HDF5 (" + e.what() + ")",
                     "give stores written by 'pocsim sweep' (a shard's with --shard I/N), complete and unchanged");
  }
}
}  // namespace

int command_merge(const std::vector<std::string>& args, const std::string& command_line) {
  std::string output;
  bool force = false;
  po::options_description opts(
      "Usage: pocsim merge SHARD.h5... -o STORE\n\n"
      "Combines the stores of every shard of one sweep (pocsim sweep --shard I/N) into the store an unsharded\n"
      "sweep would have written.\n\nOptions");
  opts.add_options()("help,h", "show this help")("output,o", po::value(&output), "the merged store (required)")
      ("force", po::bool_switch(&force), "overwrite the store if it exists");
  const po::variables_map vm = parse(args, opts, "shards", po::value<std::vector<std::string>>(), -1, "merge");
  if (vm.count("help")) {
    std::cout << opts;
    return exit_ok;
  }
  if (!vm.count("shards")) throw UsageError("no shard stores given", "write 'pocsim merge A.h5 B.h5 -o STORE.h5'");
  if (output.empty()) throw UsageError("no output given", "write -o STORE.h5");
  output = checked_output(output, output, {}, force);
  for (const std::string& shard : vm["shards"].as<std::vector<std::string>>()) readable_store(shard, "shard");
  try {
    ensemble::merge_stores(vm["shards"].as<std::vector<std::string>>(), output, command_line);
  } catch (const io::Hdf5Error&) {
    throw;
  } catch (const scenario::ScenarioError&) {
    throw;
  } catch (const std::runtime_error& e) {
    throw UsageError(e.what(), "merge the complete stores of every shard of one sweep");
  }
  std::cout << "merged " << vm["shards"].as<std::vector<std::string>>().size() << " shards into " << output << "\n";
  return exit_ok;
}

int command_analyse(const std::vector<std::string>& args, const std::string&) {
  std::string csv, salib;
  int bootstrap = 1000;
  po::options_description opts(
      "Usage: pocsim analyse STORE [-o SENSITIVITY.csv] [--bootstrap N]\n\n"
      "Sensitivity of every recorded outcome to every swept parameter (docs/sweeps.md): Morris mu*, mu and\n"
      "sigma for a morris design, Sobol first-order and total indices for a sobol design, and Spearman's\n"
      "rank correlation for any design, each with a bootstrap 95% interval. Replicates are averaged per\n"
      "point first.\n\nOptions");
  opts.add_options()("help,h", "show this help")("output,o", po::value(&csv), "also write the table as CSV")
      ("bootstrap", po::value(&bootstrap)->default_value(1000), "bootstrap resamples for the intervals (0: none)")
      ("salib", po::value(&salib), "also write the samples and per-point outcomes in SALib's order into this new folder\n"
                                   "(problem.txt, X.txt, values.txt, Y_<outcome>.txt), to set SALib's indices beside these");
  const po::variables_map vm = parse(args, opts, "store", po::value<std::string>(), 1, "analyse");
  if (vm.count("help")) {
    std::cout << opts;
    return exit_ok;
  }
  if (!vm.count("store")) throw UsageError("no store given", "write 'pocsim analyse STORE.h5'");
  if (bootstrap < 0) throw UsageError("--bootstrap must be 0 or more", "for example --bootstrap 1000");
  const std::string store = vm["store"].as<std::string>();
  if (!std::filesystem::is_regular_file(store)) throw UsageError(store + " is not a file", "name a store written by 'pocsim sweep'");
  std::vector<ensemble::SensitivityRow> rows;
  try {
    rows = ensemble::analyse_store(store, bootstrap);
  } catch (const io::Hdf5Error& e) {
    throw UsageError(std::string(e.what()), "name a complete store written by 'pocsim sweep' or 'pocsim merge'");
  } catch (const std::runtime_error& e) {
    throw UsageError(e.what(), "name a store written by 'pocsim sweep' or 'pocsim merge'");
  }
  if (!salib.empty() && std::filesystem::exists(salib))
    throw UsageError("the folder " + salib + " exists", "name a new folder for the SALib files, or remove it");
  std::fputs(ensemble::format_sensitivity(rows).c_str(), stdout);
  if (!csv.empty()) write_text_file(csv, ensemble::sensitivity_csv(rows));
  if (!salib.empty()) {
    std::filesystem::create_directories(salib);
    for (const auto& [name, text] : ensemble::salib_files(ensemble::read_store(store)))
      write_text_file((std::filesystem::path(salib) / name).string(), text);
  }
  return exit_ok;
}

}  // namespace pocsim::cli
