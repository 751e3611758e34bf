#include "cli/commands.hpp"

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

namespace po = boost::program_options;

namespace {

// Set by SIGINT or SIGTERM; the run loop checks it between steps.
volatile std::sig_atomic_t stop_requested = 0;
extern "C" void request_stop(int) { stop_requested = 1; }

// Installs the stop handlers for the lifetime of a run and restores the previous ones after it.
class StopOnSignal {
 public:
  StopOnSignal() {
    stop_requested = 0;
    struct sigaction sa {};
    sa.sa_handler = request_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~StopOnSignal() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

// Bad command-line usage: reported like a scenario error, exit code 2.
struct UsageError : std::runtime_error {
  std::string hint;
  UsageError(const std::string& message, std::string fix) : std::runtime_error(message), hint(std::move(fix)) {}
};

const char* const main_help = R"(pocsim — agent-based simulation of criminal economies around a UN peace operation

Usage: pocsim <command> [options]

Commands:
  run SCENARIO        run a scenario and write its results to an HDF5 file
  resume CHECKPOINT   continue an interrupted run from its checkpoint, to the result it would have had
  serve SCENARIO      run a scenario live in the browser: a map and charts, levers switched mid-run,
                      side-by-side comparison, saved and replayed runs (for training)
  compare SCENARIO    compare mandate options against the baseline over replicates: means, intervals,
                      paired differences and cost-effectiveness
  sweep SWEEP         run a parameter sweep (designs, replicates; resumable; shards; mpirun)
  merge SHARD...      combine the stores of a sweep's shards
  analyse STORE       sensitivity of outcomes to parameters (Morris, Sobol, rank correlation)
  report FILE         a self-contained HTML report of a comparison, run or sweep
  validate FILE...    check scenario files without running them
  schema              print every scenario key with its type, unit, range, default and source

Run 'pocsim <command> --help' for a command's options. 'pocsim --version' prints the build.

Exit codes: 0 success; 1 the run failed (e.g. the output could not be written);
            2 bad input (scenario or options) — nothing was run and no output was left behind;
            130 interrupted (Ctrl-C or SIGTERM): the current step finished, the steps done were written
            to <output stem>.incomplete.h5, marked complete = 0, and the run's state to
            <output stem>.checkpoint.h5 ('pocsim resume' continues it).

Example:
  pocsim run scenarios/epstein/run2.yaml -o run2.h5 --seed 7 --threads 2
)";

std::string version_text() {
  std::ostringstream o;
  o << "pocsim " << build_info::version << " (commit " << build_info::git_commit
    << (build_info::git_dirty ? ", modified" : "") << ", " << build_info::build_type << ", " << build_info::compiler
    << ")";
  return o.str();
}

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& visible,
                        const po::positional_options_description& positional, const std::string& command) {
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(visible).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(e.what(), "run 'pocsim " + command + " --help' for the options");
  }
  return vm;
}

// The same, for a command whose positional arguments all go to one hidden option `name` (at most `max`
// of them; -1: any number), read with `semantic`.
po::variables_map parse(const std::vector<std::string>& args, const po::options_description& visible, const char* name,
                        const po::value_semantic* semantic, int max, const std::string& command) {
  po::options_description all;
  all.add(visible).add_options()(name, semantic);
  po::positional_options_description pos;
  pos.add(name, max);
  return parse(args, all, pos, command);
}

int report(const scenario::ScenarioError& e) {
  std::cerr << e.what();
  const std::size_t n = e.diagnostics().size();
  std::cerr << n << (n == 1 ? " error" : " errors") << "; nothing was run.\n";
  return exit_bad_input;
}

std::string stem_of(const std::string& path) { return std::filesystem::path(path).stem().string(); }

// The output file to write: `given`, or `fallback` under results/ (created); refused when it, or one of
// the companion files written beside it (same stem, other suffixes), exists without --force, or when its
// directory does not.
std::string checked_output(std::string given, const std::string& fallback, const std::vector<std::string>& companions,
                           bool force) {
  if (given.empty()) {
    given = fallback;
    std::filesystem::create_directories(std::filesystem::path(fallback).parent_path());
  }
  const std::filesystem::path out(given);
  if (!out.parent_path().empty() && !std::filesystem::is_directory(out.parent_path()))
    throw UsageError("the output directory " + out.parent_path().string() + " does not exist", "create it, or choose another -o FILE");
  if (std::filesystem::is_directory(out))
    throw UsageError("the output " + given + " is a directory", "name a file inside it, e.g. -o " + (out / "result.h5").string());
  std::vector<std::string> files{given};
  for (const std::string& suffix : companions) files.push_back(std::filesystem::path(given).replace_extension(suffix).string());
  for (const std::string& f : files)
    if (std::filesystem::exists(f) && !force)
      throw UsageError("output file " + f + " exists", "choose another -o FILE, or add --force to overwrite it");
  return given;
}

void write_text_file(const std::string& path, const std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  const bool ok = f && std::fwrite(text.data(), 1, text.size(), f) == text.size();
  if (f && std::fclose(f) != 0) throw io::Hdf5Error("cannot write " + path);
  if (!ok) {
    std::remove(path.c_str());
    throw io::Hdf5Error("cannot write " + path);
  }
}

// The first line where two texts differ, as "was 'A', now 'B'", for messages.
std::string first_difference(const std::string& before, const std::string& after) {
  std::istringstream a(before), b(after);
  std::string la, lb;
  while (true) {
    const bool more_a = static_cast<bool>(std::getline(a, la));
    const bool more_b = static_cast<bool>(std::getline(b, lb));
    if (!more_a && !more_b) return "no line differs";
    if (!more_a) la = "(nothing)";
    if (!more_b) lb = "(nothing)";
    if (la != lb || !more_a || !more_b) return "was '" + la + "', now '" + lb + "'";
  }
}

// A run's scenario read again from its files (to resume or replay it), refused when the files no longer give
// the parameters recorded with the run.
scenario::Scenario reload_scenario(const std::string& path, const std::string& option, const std::vector<std::string>& overrides,
                                   const std::string& recorded, const std::string& consequence, const std::string& fix) {
  scenario::Scenario sc = option.empty() ? scenario::load_scenario(path, overrides) : scenario::load_option(path, option, overrides);
  if (sc.resolved_yaml != recorded)
    throw UsageError("the scenario " + path + (option.empty() ? "" : " with option " + option) +
                         " no longer gives the parameters the run had (" + first_difference(recorded, sc.resolved_yaml) + "), so " +
                         consequence,
                     fix);
  return sc;
}

struct Summary {
  std::int64_t max_active = 0;
  std::int64_t max_active_step = 0;
  double mean_active = 0;
  std::int64_t outburst_level = 50;
  model::Cents sales = 0;
  std::int64_t encounters = 0, bribes = 0, seizures = 0, worker_arrests = 0, convictions = 0;
  int outbursts = 0;  // rises above outburst_level
  std::int64_t violent_events = 0, clashes = 0, conflict_deaths = 0, leaders_removed = 0, splits = 0;
  std::int64_t mission_incidents = 0;
  model::Cents mission_spending = 0, contract_leakage = 0;
};

// What the run loop accumulates besides the model and the file: kept in a checkpoint as its bytes (the
// same program reads them back), so a resumed run prints the summary an uninterrupted one would.
struct RunTotals {
  Summary summary;
  std::int64_t previous_active = 0;
  double step_seconds = 0;
};
static_assert(std::is_trivially_copyable_v<RunTotals>);

std::vector<std::uint8_t> bytes_of(const RunTotals& t) {
  std::vector<std::uint8_t> bytes(sizeof t);
  std::memcpy(bytes.data(), &t, sizeof t);
  return bytes;
}

// A run as 'pocsim run' sets it up, or as 'pocsim resume' reads it back from a checkpoint.
struct RunJob {
  std::string scenario_path;
  std::string option_path;             // "" without a mandate option
  std::vector<std::string> overrides;
  scenario::Scenario scenario;
  std::string output;
  std::int64_t checkpoint_every = 0;   // steps; 0: a checkpoint only when interrupted
  int threads = 0;
  bool quiet = false;
  std::string command_line;
  std::string resume_from;             // a checkpoint file, or "" for a new run
  std::vector<std::uint8_t> model_state;
  RunTotals totals;
};

std::string absolute(const std::string& path) { return path.empty() ? path : std::filesystem::absolute(path).lexically_normal().string(); }

// Runs (or continues) a job: writes the output as it goes, a checkpoint every job.checkpoint_every steps
// and when interrupted, and prints the summary.
int execute_run(const RunJob& job) {
  const model::Params& p = job.scenario.params();
  const std::string& output = job.output;
  const std::string checkpoint_file = io::checkpoint_path_for(output);
  core::ThreadLimit limit(job.threads);
  const io::RunProvenance prov = scenario::provenance_of(job.scenario, job.command_line, limit.threads());

  RunTotals totals = job.totals;
  Summary& summary = totals.summary;
  StopOnSignal stop_on_signal;
  std::int64_t first_step = 0;
  std::int64_t steps_done = 0;
  std::string incomplete_output;
  std::size_t citizens = 0;
  model::StepRecord last;
  double capture_index = 0, political_will = 1;
  const auto wall_start = std::chrono::steady_clock::now();
  limit.run([&] {
    model::Model m(p);
    if (!job.resume_from.empty()) {
      try {
        model::restore_state(m, job.model_state);
      } catch (const model::CheckpointError& e) {
        throw UsageError(job.resume_from + ": " + e.what(), "the checkpoint is damaged: start the run again with 'pocsim run'");
      }
    }
    std::unique_ptr<io::RunWriter> writer =
        job.resume_from.empty() ? std::make_unique<io::RunWriter>(output, prov, p.grid.height, p.grid.width)
                                : std::make_unique<io::RunWriter>(output, job.resume_from, p.grid.height, p.grid.width);
    if (!job.resume_from.empty()) writer->note_resumed(job.command_line, m.current_step());
    citizens = m.citizens().size();
    // MODEL_BRIEF's outburst is > 50 actives among Epstein's 1,120 citizens; scale it with the population.
    summary.outburst_level = std::max<std::int64_t>(50, std::llround(50.0 * static_cast<double>(citizens) / 1120.0));
    Progress progress(p.run.steps, Progress::style_for_stderr(job.quiet));
    auto write_checkpoint = [&] {
      io::RunCheckpoint c;
      c.output_path = absolute(output);
      c.scenario_path = absolute(job.scenario_path);
      c.option_path = absolute(job.option_path);
      c.overrides = job.overrides;
      c.parameters_resolved = job.scenario.resolved_yaml;
      c.step = m.current_step();
      c.steps = p.run.steps;
      c.checkpoint_every = job.checkpoint_every;
      c.model_state = model::save_state(m);
      c.run_totals = bytes_of(totals);
      writer->checkpoint(checkpoint_file, c);
    };
    auto observe = [&] {
      last = model::measure(m);
      writer->record(model::report(m, last));
      writer->append_rows(model::tables(m));
      if (p.run.snapshot_every > 0 && m.current_step() % p.run.snapshot_every == 0) {
        writer->snapshot(m.current_step(), model::snapshot_layers(m));
        m.clear_accumulated_maps();
      }
      if (m.economy().active) {
        for (model::Cents c : m.economy().now.sales) summary.sales += c;
        const model::PoliceStep& now = m.police().now;
        summary.encounters += now.encounters;
        summary.bribes += now.bribes;
        summary.seizures += now.seizures;
        summary.worker_arrests += now.worker_arrests;
        summary.convictions += now.convictions;
      }
      if (m.conflict().active) {
        const model::ConflictStep& now = m.conflict().now;
        summary.violent_events += static_cast<std::int64_t>(now.events.size());
        for (const model::ViolenceEvent& e : now.events) {
          summary.clashes += e.type == model::EventType::clash;
          summary.conflict_deaths += e.fatalities();
        }
        summary.leaders_removed += now.leaders_removed;
        summary.splits += now.splits;
      }
      if (m.mission().active) {
        const model::MissionStep& now = m.mission().now;
        summary.mission_incidents += now.incidents;
        for (model::Cents c : now.spending) summary.mission_spending += c;
        summary.mission_spending += now.contracts;
        summary.contract_leakage += now.contract_leakage;
      }
      if (last.active > summary.max_active) {
        summary.max_active = last.active;
        summary.max_active_step = last.step;
      }
      summary.mean_active += static_cast<double>(last.active);
    };
    first_step = m.current_step();
    steps_done = first_step;
    if (job.resume_from.empty()) {
      observe();
      totals.previous_active = last.active;
    } else {
      last = model::measure(m);  // already recorded before the checkpoint
      progress.resumed_at(first_step);
    }
    for (std::int64_t s = first_step + 1; s <= p.run.steps && !stop_requested; ++s) {
      const auto t0 = std::chrono::steady_clock::now();
      m.step();
      totals.step_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      observe();
      if (last.active > summary.outburst_level && totals.previous_active <= summary.outburst_level) ++summary.outbursts;
      totals.previous_active = last.active;
      steps_done = s;
      progress.update(s);
      if (job.checkpoint_every > 0 && s % job.checkpoint_every == 0 && s < p.run.steps && !stop_requested) write_checkpoint();
    }
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    if (steps_done < p.run.steps) {  // stopped by a signal
      write_checkpoint();
      incomplete_output = writer->finish_incomplete(wall);
      return;
    }
    progress.finish();
    capture_index = m.capture().index;
    political_will = m.capture().political_will;
    summary.mean_active /= static_cast<double>(p.run.steps + 1);
    writer->finish(wall);
    // The run is whole: its checkpoint, and the partial file an earlier interruption left, are spent.
    std::remove(checkpoint_file.c_str());
    io::remove_abandoned_temporaries(checkpoint_file);
    std::remove(io::incomplete_path_for(output).c_str());
  });
  if (!incomplete_output.empty()) {
    std::fprintf(stderr,
                 "\npocsim: interrupted after step %lld of %lld; the steps done are in %s (marked complete = 0)\n"
                 "        continue with: pocsim resume %s\n",
                 static_cast<long long>(steps_done), static_cast<long long>(p.run.steps), incomplete_output.c_str(),
                 checkpoint_file.c_str());
    return exit_interrupted;
  }
  const double step_seconds = totals.step_seconds;

  if (!job.quiet) {
    const double updates = static_cast<double>(citizens + last.cops_on_duty) * static_cast<double>(p.run.steps);
    std::printf("\npocsim %s  %s\n", job.resume_from.empty() ? "run" : "resume", job.scenario_path.c_str());
    std::printf("  %-22s %lld steps, seed %llu, %d thread%s, %s activation\n", "run",
                static_cast<long long>(p.run.steps), static_cast<unsigned long long>(p.run.seed), limit.threads(),
                limit.threads() == 1 ? "" : "s", std::string(model::to_string(p.population.rules.activation)).c_str());
    std::printf("  %-22s %d x %d %s, %zu citizens, %lld cops at the end\n", "grid", p.grid.width, p.grid.height,
                std::string(core::to_string(p.grid.topology)).c_str(), citizens, static_cast<long long>(last.cops_on_duty));
    std::printf("  %-22s mean %.1f, peak %lld at step %lld, %d outburst%s above %lld\n", "active citizens",
                summary.mean_active, static_cast<long long>(summary.max_active),
                static_cast<long long>(summary.max_active_step), summary.outbursts, summary.outbursts == 1 ? "" : "s",
                static_cast<long long>(summary.outburst_level));
    std::printf("  %-22s quiet %lld, active %lld, jailed %lld\n", "final state", static_cast<long long>(last.quiet),
                static_cast<long long>(last.active), static_cast<long long>(last.jailed));
    if (last.fighters + last.dead > 0)
      std::printf("  %-22s fighting %lld, dead %lld\n", "", static_cast<long long>(last.fighters), static_cast<long long>(last.dead));
    if (summary.encounters + summary.sales > 0) {
      std::printf("  %-22s $%.0f sold; %lld police stops: %lld bribes (%.0f %%), %lld seizures\n", "criminal economy",
                  static_cast<double>(summary.sales) / 100.0, static_cast<long long>(summary.encounters),
                  static_cast<long long>(summary.bribes),
                  summary.encounters ? 100.0 * static_cast<double>(summary.bribes) / static_cast<double>(summary.encounters) : 0.0,
                  static_cast<long long>(summary.seizures));
      std::printf("  %-22s %lld workers arrested, %lld convictions\n", "justice", static_cast<long long>(summary.worker_arrests),
                  static_cast<long long>(summary.convictions));
    }
    if (p.conflict.armed_groups.groups.size() > 0) {
      std::printf("  %-22s %lld fighters at the end; %lld violent events (%lld clashes), %lld deaths\n", "armed groups",
                  static_cast<long long>(last.fighters), static_cast<long long>(summary.violent_events),
                  static_cast<long long>(summary.clashes), static_cast<long long>(summary.conflict_deaths));
      std::printf("  %-22s %lld leaders removed, %lld splits\n", "leadership", static_cast<long long>(summary.leaders_removed),
                  static_cast<long long>(summary.splits));
    }
    if (!p.mission.bases.empty() || !p.mission.levers.empty() || p.mission.contracts > 0)
      std::printf("  %-22s $%.0f spent (levers and contracts; $%.0f leaked), %lld incidents against its personnel\n", "mission",
                  static_cast<double>(summary.mission_spending) / 100.0, static_cast<double>(summary.contract_leakage) / 100.0,
                  static_cast<long long>(summary.mission_incidents));
    if (summary.encounters + summary.sales > 0 || !p.conflict.armed_groups.groups.empty())
      std::printf("  %-22s capture index %.3f, political will %.3f, legitimacy %.3f at the end\n", "state", capture_index,
                  political_will, last.legitimacy);
    std::printf("  %-22s %.3f s stepping (%.3g agent updates/s)\n", "time", step_seconds,
                step_seconds > 0 ? updates / step_seconds : 0.0);
    std::printf("  %-22s %s\n", "output", std::filesystem::absolute(job.output).string().c_str());
  }
  return exit_ok;
}

int command_run(const std::vector<std::string>& args, const std::string& command_line) {
  std::string output;
  std::string option;
  std::vector<std::string> sets;
  std::string seed;
  std::string steps;
  std::int64_t checkpoint_every = 0;
  int threads = 0;
  bool quiet = false;
  bool force = false;
  po::options_description opts(
      "Usage: pocsim run SCENARIO [options]\n\n"
      "Runs SCENARIO (a YAML file; see 'pocsim schema') and writes the time series, grid snapshots and\n"
      "provenance to an HDF5 file (layout: docs/outputs.md). The file appears only when the run is complete.\n"
      "Interrupted (Ctrl-C, SIGTERM), a run keeps the steps done in <output stem>.incomplete.h5 and its state\n"
      "in <output stem>.checkpoint.h5; 'pocsim resume' continues it to the same result as an uninterrupted run.\n\n"
      "Options");
  opts.add_options()
      ("help,h", "show this help")
      ("output,o", po::value(&output), "output file (default: results/<scenario name>.h5)")
      ("option", po::value(&option), "add a mandate option's levers (an option file, as for 'pocsim compare')")
      ("seed", po::value(&seed), "random seed; same as --set run.seed=N")
      ("steps", po::value(&steps), "number of steps; same as --set run.steps=N")
      ("threads", po::value(&threads)->default_value(0), "worker threads, 0 = all cores; results do not depend on it")
      ("set", po::value(&sets)->composing(), "override a scenario key: --set citizens.legitimacy=0.7 (repeatable)")
      ("checkpoint-every", po::value(&checkpoint_every)->default_value(0),
       "write <output stem>.checkpoint.h5 every N steps (replaced each time, removed when the run completes), so a\n"
       "run killed even by SIGKILL or a power cut resumes from there; 0: only when interrupted")
      ("force", po::bool_switch(&force), "overwrite the output file (and its checkpoint) if it exists")
      ("quiet,q", po::bool_switch(&quiet), "print nothing but errors");
  const po::variables_map vm = parse(args, opts, "scenario", po::value<std::string>(), 1, "run");
  if (vm.count("help")) {
    std::cout << opts << "\nExamples:\n  pocsim run scenarios/epstein/run2.yaml -o run2.h5 --seed 3 --set police.vision=5\n"
              << "  pocsim run scenarios/library/mali/base.yaml --checkpoint-every 52   # then, if stopped: pocsim resume results/mali.checkpoint.h5\n";
    return exit_ok;
  }
  if (!vm.count("scenario")) throw UsageError("no scenario given", "write 'pocsim run SCENARIO.yaml'");
  if (threads < 0) throw UsageError("--threads must be 0 (all cores) or more", "for example --threads 2");
  if (checkpoint_every < 0) throw UsageError("--checkpoint-every must be 0 (only when interrupted) or a number of steps", "for example --checkpoint-every 52");

  RunJob job;
  job.scenario_path = vm["scenario"].as<std::string>();
  job.option_path = option;
  job.overrides = sets;
  if (!seed.empty()) job.overrides.push_back("run.seed=" + seed);
  if (!steps.empty()) job.overrides.push_back("run.steps=" + steps);
  job.scenario = option.empty() ? scenario::load_scenario(job.scenario_path, job.overrides)
                                : scenario::load_option(job.scenario_path, option, job.overrides);
  job.output = checked_output(output, "results/" + scenario::scenario_name(job.scenario_path) + (option.empty() ? "" : "-" + stem_of(option)) + ".h5",
                              {".checkpoint.h5"}, force);
  job.checkpoint_every = checkpoint_every;
  job.threads = threads;
  job.quiet = quiet;
  job.command_line = command_line;
  return execute_run(job);
}

int command_resume(const std::vector<std::string>& args, const std::string& command_line) {
  int threads = 0;
  bool quiet = false;
  bool force = false;
  std::int64_t checkpoint_every = -1;
  po::options_description opts(
      "Usage: pocsim resume CHECKPOINT [options]\n\n"
      "Continues the run a checkpoint (<output stem>.checkpoint.h5, written by 'pocsim run' when interrupted or\n"
      "every --checkpoint-every steps) was taken from, and writes the output that run would have written: the\n"
      "same file, bit for bit in every dataset, as if it had never stopped (its root attribute 'resumed' says it\n"
      "was). The scenario files are read again and must give the parameters the run started with.\n\n"
      "Options");
  opts.add_options()
      ("help,h", "show this help")
      ("threads", po::value(&threads)->default_value(0), "worker threads, 0 = all cores; results do not depend on it")
      ("checkpoint-every", po::value(&checkpoint_every), "steps between checkpoints (default: as the run was started)")
      ("force", po::bool_switch(&force), "overwrite the output file if it exists")
      ("quiet,q", po::bool_switch(&quiet), "print nothing but errors");
  const po::variables_map vm = parse(args, opts, "checkpoint", po::value<std::string>(), 1, "resume");
  if (vm.count("help")) {
    std::cout << opts << "\nExample:\n  pocsim resume results/mali.checkpoint.h5 --threads 2\n";
    return exit_ok;
  }
  if (!vm.count("checkpoint")) throw UsageError("no checkpoint given", "write 'pocsim resume RESULTS.checkpoint.h5'");
  if (threads < 0) throw UsageError("--threads must be 0 (all cores) or more", "for example --threads 2");
  const std::string path = vm["checkpoint"].as<std::string>();
  io::RunCheckpoint c;
  try {
    c = io::read_checkpoint(path);
  } catch (const io::CheckpointFileError& e) {
    throw UsageError(e.what(), "name the <output stem>.checkpoint.h5 file an interrupted 'pocsim run' wrote");
  }
  RunJob job;
  job.scenario_path = c.scenario_path;
  job.option_path = c.option_path;
  job.overrides = c.overrides;
  job.scenario = reload_scenario(c.scenario_path, c.option_path, c.overrides, c.parameters_resolved,
                                 "resuming would not continue the same run",
                                 "restore the files as they were (the checkpoint's /checkpoint attribute parameters_resolved lists every "
                                 "parameter in force), or start the run again with 'pocsim run'");
  if (c.run_totals.size() != sizeof(RunTotals))
    throw UsageError(path + " was written by another build of pocsim (its run totals are " + std::to_string(c.run_totals.size()) +
                         " bytes, this build's " + std::to_string(sizeof(RunTotals)) + ")",
                     "resume it with the pocsim that wrote it, or start the run again");
  std::memcpy(&job.totals, c.run_totals.data(), sizeof(RunTotals));
  job.output = checked_output(c.output_path, "", {}, force);
  job.checkpoint_every = checkpoint_every >= 0 ? checkpoint_every : c.checkpoint_every;
  job.threads = threads;
  job.quiet = quiet;
  job.command_line = command_line;
  job.resume_from = path;
  job.model_state = std::move(c.model_state);
  return execute_run(job);
}

int command_serve(const std::vector<std::string>& args, const std::string& command_line) {
  std::string option;
  std::vector<std::string> sets;
  std::string seed;
  int port = 8080;
  std::string bind = "127.0.0.1";
  std::string port_file;
  std::string results = "results";
  int threads = 0;
  bool quiet = false;
  po::options_description opts(
      "Usage: pocsim serve SCENARIO [options]\n"
      "       pocsim serve SAVED.h5 [options]\n\n"
      "Runs SCENARIO live for a browser: open the address it prints. The page shows the map (control by armed\n"
      "group, violence, illicit flows, people, police, mission bases, regions, roads, towns) and charts of the\n"
      "outcomes; play, pause, step, speed and reset it; switch levers (CVR, sanctions, police salaries,\n"
      "mediation, a troop surge, ...) on and off for a region, move a parameter's slider, or compare a lever side\n"
      "by side (the same run with and without it). Changes take effect at the next step and are recorded; 'save'\n"
      "writes the steered run to results/ with that record, and 'pocsim serve SAVED.h5' replays it exactly.\n"
      "Several tabs can watch one run. docs/serve.md describes the page and its protocol.\n\n"
      "Options");
  opts.add_options()
      ("help,h", "show this help")
      ("port", po::value(&port)->default_value(8080), "TCP port; 0 = any free port")
      ("bind", po::value(&bind)->default_value("127.0.0.1"), "address to listen on (127.0.0.1: this machine only)")
      ("port-file", po::value(&port_file), "write the port to this file once listening (for scripts)")
      ("results", po::value(&results)->default_value("results"), "folder that saved runs go to")
      ("option", po::value(&option), "start with a mandate option's levers")
      ("seed", po::value(&seed), "random seed; same as --set run.seed=N")
      ("set", po::value(&sets)->composing(), "override a scenario key (repeatable)")
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
  serve::ServerOptions server;
  server.bind = bind;
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

int command_compare(const std::vector<std::string>& args, const std::string& command_line) {
  std::string output;
  std::vector<std::string> option_files;
  std::vector<std::string> sets;
  std::string seed;
  std::string steps;
  int replicates = 20;
  int threads = 0;
  bool quiet = false;
  bool force = false;
  po::options_description opts(
      "Usage: pocsim compare SCENARIO --options A.yaml [B.yaml ...] [options]\n\n"
      "Compares mandate options against the baseline SCENARIO. Each replicate runs the baseline with its own\n"
      "seed to the options' decision date; every option branches from that state (so the warm-up is shared),\n"
      "and replicate i of every option meets the same random numbers (common random numbers). Replicates run\n"
      "in parallel; each run's outcomes are written to the HDF5 file as it finishes.\n\n"
      "Prints, and writes beside the file as .csv and .md, a table: for each outcome the mean and 95% interval\n"
      "per option, the paired difference from the baseline with its interval, and the difference per $1M of\n"
      "extra mission cost. Option files and the file layout: docs/comparing.md.\n\n"
      "Options");
  opts.add_options()
      ("help,h", "show this help")
      ("options", po::value(&option_files)->multitoken(), "option files (YAML: name, description, decision, levers)")
      ("replicates,n", po::value(&replicates)->default_value(20), "replicates per option")
      ("output,o", po::value(&output), "output file (default: results/<scenario name>-comparison.h5)")
      ("seed", po::value(&seed), "seed the replicates' seeds are derived from; same as --set run.seed=N")
      ("steps", po::value(&steps), "number of steps; same as --set run.steps=N")
      ("threads", po::value(&threads)->default_value(0), "worker threads, 0 = all cores; results do not depend on it")
      ("set", po::value(&sets)->composing(), "override a key of the scenario, for the baseline and every option")
      ("force", po::bool_switch(&force), "overwrite the output files if they exist")
      ("quiet,q", po::bool_switch(&quiet), "print nothing but errors");
  const po::variables_map vm = parse(args, opts, "scenario", po::value<std::string>(), 1, "compare");
  if (vm.count("help")) {
    std::cout << opts << "\nExample:\n  pocsim compare scenarios/library/mali/base.yaml --options scenarios/library/mali/options/*.yaml"
                         " --replicates 20 -o mali.h5\n";
    return exit_ok;
  }
  if (!vm.count("scenario")) throw UsageError("no scenario given", "write 'pocsim compare SCENARIO.yaml --options A.yaml'");
  if (option_files.empty()) throw UsageError("no option given", "name the option files: --options A.yaml B.yaml");
  if (threads < 0) throw UsageError("--threads must be 0 (all cores) or more", "for example --threads 2");
  if (replicates < 1) throw UsageError("--replicates must be at least 1", "ask for 20 or more for intervals worth reading");
  const std::string scenario_path = vm["scenario"].as<std::string>();
  std::vector<std::string> overrides = sets;
  if (!seed.empty()) overrides.push_back("run.seed=" + seed);
  if (!steps.empty()) overrides.push_back("run.steps=" + steps);

  ensemble::ComparisonPlan plan;
  plan.baseline = scenario::load_scenario(scenario_path, overrides);
  std::vector<scenario::Diagnostic> problems;
  for (const std::string& f : option_files) {
    try {
      plan.options.push_back(scenario::load_option(scenario_path, f, overrides));
    } catch (const scenario::ScenarioError& e) {
      problems.insert(problems.end(), e.diagnostics().begin(), e.diagnostics().end());
    }
  }
  if (!problems.empty()) throw scenario::ScenarioError(problems);
  plan.replicates = replicates;
  plan.command_line = command_line;
  ensemble::check_plan(plan);
  plan.output = checked_output(output, "results/" + scenario::scenario_name(scenario_path) + "-comparison.h5", {".csv", ".md"}, force);

  core::ThreadLimit limit(threads);
  StopOnSignal stop_on_signal;
  const std::int64_t runs = static_cast<std::int64_t>(replicates) * static_cast<std::int64_t>(plan.options.size() + 1);
  Progress progress(runs, Progress::style_for_stderr(quiet), "run");
  ensemble::Observer observer;
  observer.progress = [&](std::int64_t done, std::int64_t) { progress.update(done); };
  observer.stop_requested = [] { return stop_requested != 0; };
  ensemble::Outcome result;
  limit.run([&] { result = ensemble::run_comparison(plan, limit.threads(), observer); });
  if (!result.complete) {
    std::fprintf(stderr, "\npocsim: interrupted; %lld of %d replicates finished for every option are in %s (marked complete = 0)\n",
                 static_cast<long long>(result.replicates_done), replicates, result.path.c_str());
    return exit_interrupted;
  }
  progress.finish();
  const ensemble::Table table = ensemble::read_table(result.path);
  const std::filesystem::path out(result.path);
  const std::string csv = std::filesystem::path(out).replace_extension(".csv").string();
  const std::string md = std::filesystem::path(out).replace_extension(".md").string();
  write_text_file(csv, ensemble::format_csv(table));
  write_text_file(md, ensemble::format_markdown(table));
  if (!quiet) {
    std::printf("\npocsim compare  %s  (%d threads, %s)\n\n", scenario_path.c_str(), limit.threads(),
                format_duration(result.wall_seconds).c_str());
    std::fputs(ensemble::format_text(table).c_str(), stdout);
    std::printf("\n  %-10s %s\n  %-10s %s\n  %-10s %s\n", "results", std::filesystem::absolute(result.path).string().c_str(),
                "table", std::filesystem::absolute(csv).string().c_str(), "", std::filesystem::absolute(md).string().c_str());
  }
  return exit_ok;
}

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
  ensemble::MpiSession mpi;
  const ensemble::SweepPlan plan = ensemble::load_sweep(sweep_path, sets);
  const std::string suffix = shard.count > 1 ? "-shard" + std::to_string(shard.index) + "of" + std::to_string(shard.count) : "";
  output = checked_output(output, "results/" + stem_of(sweep_path) + suffix + ".h5", {}, force);
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
    if (const auto* bad = dynamic_cast<const scenario::ScenarioError*>(&e)) report(*bad);
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

int command_analyse(const std::vector<std::string>& args) {
  std::string csv;
  int bootstrap = 1000;
  po::options_description opts(
      "Usage: pocsim analyse STORE [-o SENSITIVITY.csv] [--bootstrap N]\n\n"
      "Sensitivity of every recorded outcome to every swept parameter (docs/sweeps.md): Morris mu*, mu and\n"
      "sigma for a morris design, Sobol first-order and total indices for a sobol design, and Spearman's\n"
      "rank correlation for any design, each with a bootstrap 95% interval. Replicates are averaged per\n"
      "point first.\n\nOptions");
  opts.add_options()("help,h", "show this help")("output,o", po::value(&csv), "also write the table as CSV")
      ("bootstrap", po::value(&bootstrap)->default_value(1000), "bootstrap resamples for the intervals (0: none)");
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
  std::fputs(ensemble::format_sensitivity(rows).c_str(), stdout);
  if (!csv.empty()) write_text_file(csv, ensemble::sensitivity_csv(rows));
  return exit_ok;
}

int command_report(const std::vector<std::string>& args) {
  std::string output, sensitivity;
  po::options_description opts(
      "Usage: pocsim report FILE [-o REPORT.html] [--sensitivity CSV]\n\n"
      "Writes a self-contained HTML report of a comparison, a run or a sweep store: what was run, the headline\n"
      "table with intervals and costs, the figures and the provenance, for readers who do not read code.\n"
      "Runs python3 -m analysis.report (Debian's /usr/bin/python3 with python3-h5py, -matplotlib, -pandas,\n"
      "-yaml: ./build.sh deps installs them).\n\nOptions");
  opts.add_options()("help,h", "show this help")("output,o", po::value(&output), "the report (default: FILE with .html)")
      ("sensitivity", po::value(&sensitivity), "a sweep's sensitivity table (pocsim analyse -o); computed when not given");
  const po::variables_map vm = parse(args, opts, "file", po::value<std::string>(), 1, "report");
  if (vm.count("help")) {
    std::cout << opts;
    return exit_ok;
  }
  if (!vm.count("file")) throw UsageError("no file given", "write 'pocsim report FILE.h5 -o report.html'");
  const std::string file = vm["file"].as<std::string>();
  if (!std::filesystem::is_regular_file(file)) throw UsageError(file + " is not a file", "name an HDF5 file written by pocsim");
  const char* const python = "/usr/bin/python3";
  if (access(python, X_OK) != 0) throw UsageError("/usr/bin/python3 is missing", "install it with ./build.sh deps");
  char self[4096] = {};
  const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  std::vector<std::string> argv{python, "-m", "analysis.report", file, "--pocsim", n > 0 ? std::string(self, static_cast<std::size_t>(n)) : "pocsim"};
  if (!output.empty()) argv.insert(argv.end(), {"-o", output});
  if (!sensitivity.empty()) argv.insert(argv.end(), {"--sensitivity", sensitivity});
  std::fflush(stdout);
  const pid_t child = fork();
  if (child == 0) {
    setenv("PYTHONPATH", POCSIM_ANALYSIS_ROOT, 1);
    std::vector<char*> c_argv;
    for (std::string& a : argv) c_argv.push_back(a.data());
    c_argv.push_back(nullptr);
    execv(python, c_argv.data());
    _exit(127);
  }
  int status = 0;
  if (child < 0 || waitpid(child, &status, 0) < 0) throw std::runtime_error("cannot start " + std::string(python));
  return WIFEXITED(status) ? WEXITSTATUS(status) : exit_failure;
}

int command_validate(const std::vector<std::string>& args) {
  std::string against;
  po::options_description opts(
      "Usage: pocsim validate FILE... [--scenario BASE]\n\n"
      "Checks each scenario file as 'pocsim run' would (every key, type, range and combination) without\n"
      "running it. A mandate option file (one with a 'decision' key) is checked against the scenario it\n"
      "changes: --scenario BASE, or else base.yaml in the folder above its options/ folder. A sweep file\n"
      "(one with 'design' and 'parameters') is checked as 'pocsim sweep' would.\n"
      "Exit code 0 when all are valid, 2 when any is not.\n\nOptions");
  opts.add_options()("help,h", "show this help")("scenario", po::value(&against), "the scenario option files are checked against");
  const po::variables_map vm = parse(args, opts, "files", po::value<std::vector<std::string>>(), -1, "validate");
  if (vm.count("help")) {
    std::cout << opts;
    return exit_ok;
  }
  if (!vm.count("files")) throw UsageError("no scenario file given", "write 'pocsim validate FILE.yaml'");
  int rc = exit_ok;
  for (const std::string& f : vm["files"].as<std::vector<std::string>>()) {
    try {
      if (ensemble::is_sweep_file(f)) {
        ensemble::load_sweep(f);
        std::cout << f << ": ok (a sweep)\n";
      } else if (scenario::is_option_file(f)) {
        const std::filesystem::path beside = std::filesystem::path(f).parent_path().parent_path() / "base.yaml";
        const std::string base = !against.empty() ? against : std::filesystem::exists(beside) ? beside.string() : "";
        if (base.empty())
          throw scenario::ScenarioError({{f, "decision", "is a mandate option, checked against the scenario it changes",
                                          "name that scenario: pocsim validate " + f + " --scenario BASE.yaml"}});
        scenario::load_option(base, f);
        std::cout << f << ": ok (an option of " << base << ")\n";
      } else {
        scenario::load_scenario(f);
        std::cout << f << ": ok\n";
      }
    } catch (const scenario::ScenarioError& e) {
      report(e);
      rc = exit_bad_input;
    }
  }
  return rc;
}

int command_schema(const std::vector<std::string>& args) {
  bool markdown = false;
  po::options_description opts(
      "Usage: pocsim schema [--markdown]\n\n"
      "Prints every scenario key with its type, unit, allowed range, default, meaning and source.\n\nOptions");
  opts.add_options()("help,h", "show this help")("markdown", po::bool_switch(&markdown),
                                                   "print as Markdown (this is docs/parameters.md)");
  const po::variables_map vm = parse(args, opts, {}, "schema");
  if (vm.count("help")) {
    std::cout << opts;
    return exit_ok;
  }
  std::cout << (markdown ? scenario::schema_markdown() : scenario::schema_text());
  return exit_ok;
}

}  // namespace

int run_main(const std::vector<std::string>& args) {
  std::string command_line = "pocsim";
  for (const std::string& a : args) command_line += " " + a;
  try {
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
      std::cout << main_help;
      return args.empty() ? exit_bad_input : exit_ok;
    }
    if (args[0] == "--version") {
      std::cout << version_text() << "\n";
      return exit_ok;
    }
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (args[0] == "run") return command_run(rest, command_line);
    if (args[0] == "resume") return command_resume(rest, command_line);
    if (args[0] == "serve") return command_serve(rest, command_line);
    if (args[0] == "compare") return command_compare(rest, command_line);
    if (args[0] == "sweep") return command_sweep(rest, command_line);
    if (args[0] == "merge") return command_merge(rest, command_line);
    if (args[0] == "analyse" || args[0] == "analyze") return command_analyse(rest);
    if (args[0] == "report") return command_report(rest);
    if (args[0] == "validate") return command_validate(rest);
    if (args[0] == "schema") return command_schema(rest);
    const std::string close = scenario::nearest(args[0], {"run", "resume", "serve", "compare", "sweep", "merge", "analyse", "report", "validate", "schema"});
    throw UsageError("unknown command '" + args[0] + "'",
                     (close.empty() ? std::string() : "did you mean '" + close + "'? ") + "run 'pocsim --help'");
  } catch (const scenario::ScenarioError& e) {
    return report(e);
  } catch (const UsageError& e) {
    std::cerr << "pocsim: error: " << e.what() << "\n  hint: " << e.hint << "\n";
    return exit_bad_input;
  } catch (const io::Hdf5Error& e) {
    std::cerr << "pocsim: error: " << e.what() << "\n  hint: check that the output directory is writable and has space\n";
    return exit_failure;
  } catch (const std::exception& e) {
    std::cerr << "pocsim: internal error: " << e.what() << "\n";
    return exit_failure;
  }
}

}  // namespace pocsim::cli
