// pocsim run and pocsim resume: one scenario to its HDF5 file, with checkpoints, progress and a summary.
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
#include <sys/resource.h>
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
#include "model/memory.hpp"
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

struct Summary {
  std::int64_t max_active = 0;
  std::int64_t max_active_step = 0;
  double mean_active = 0;
  std::int64_t outburst_level = 50;
  model::Cents sales = 0;
  std::int64_t encounters = 0, bribes = 0, seizures = 0, worker_arrests = 0, convictions = 0;
  int outbursts = 0;  // rises above outburst_level
  std::int64_t violent_events = 0, clashes = 0, conflict_deaths = 0, leaders_removed = 0, splits = 0;
  std::int64_t deaths_by_type[model::violence_type_count] = {};
  std::int64_t household_contacts = 0, household_bribes = 0;
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
  std::int64_t people = 0, people_alive = 0;  // the map stands for, at the start and the end
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
    people = m.people_represented();
    // An outburst is > 50 actives among Epstein's 1,120 citizens (docs/odd.md, pattern 1); scale it with the population.
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
        summary.household_contacts += now.household_contacts;
        summary.household_bribes += now.extortions;
      }
      if (m.conflict().active) {
        const model::ConflictStep& now = m.conflict().now;
        summary.violent_events += static_cast<std::int64_t>(now.events.size());
        for (const model::ViolenceEvent& e : now.events) {
          summary.clashes += e.type == model::EventType::clash;
          summary.conflict_deaths += e.fatalities();
          summary.deaths_by_type[static_cast<std::size_t>(model::violence_type(e.type))] += e.fatalities();
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
    people_alive = m.population().people_alive();
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
    if (p.geography.people > 0)
      std::printf("  %-22s the map stands for %lld people (geography.people), %lld alive at the end\n", "people",
                  static_cast<long long>(people), static_cast<long long>(people_alive));
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
    if (summary.household_contacts > 0)
      std::printf("  %-22s %lld households met the police, %lld paid a bribe (%.0f %%, Afrobarometer's measure)\n", "",
                  static_cast<long long>(summary.household_contacts), static_cast<long long>(summary.household_bribes),
                  100.0 * static_cast<double>(summary.household_bribes) / static_cast<double>(summary.household_contacts));
    if (p.conflict.armed_groups.groups.size() > 0) {
      std::printf("  %-22s %lld fighters at the end; %lld violent events (%lld clashes), %lld deaths\n", "armed groups",
                  static_cast<long long>(last.fighters), static_cast<long long>(summary.violent_events),
                  static_cast<long long>(summary.clashes), static_cast<long long>(summary.conflict_deaths));
      // As UCDP and ACLED tabulate it: deaths by type of violence, and per 100,000 people a year.
      const auto& by = summary.deaths_by_type;
      const double rate = static_cast<double>(summary.conflict_deaths) * model::per_100k_people_a_year(p.run, people) /
                          static_cast<double>(std::max<std::int64_t>(1, p.run.steps));
      const int decimals = rate >= 100 ? 0 : rate >= 10 ? 1 : rate >= 1 ? 2 : 3;  // three figures, as the datasets' rates read
      std::printf("  %-22s deaths: state-based %lld, non-state %lld, one-sided %lld; %.*f per 100,000 people a year\n",
                  "by type of violence", static_cast<long long>(by[0]), static_cast<long long>(by[1]),
                  static_cast<long long>(by[2]), decimals, rate);
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
    // The estimate is what validation refuses a scenario by; set beside what the run took, it can be checked.
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("  %-22s peak %.0f MiB (estimated %.0f MiB before the run)\n", "memory",
                static_cast<double>(usage.ru_maxrss) / 1024.0,  // Linux reports KiB
                static_cast<double>(model::estimate_memory_bytes(p)) / (1 << 20));
    std::printf("  %-22s %s\n", "output", std::filesystem::absolute(job.output).string().c_str());
  }
  return exit_ok;
}

}  // namespace

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

}  // namespace pocsim::cli
