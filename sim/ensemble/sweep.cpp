// Running a sweep: each run from the sweep's overrides, in parallel in this process or handed out in
// batches by MPI rank 0, every result journalled as it finishes, then the store written from the journal.
#include "ensemble/sweep.hpp"

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <sstream>

#include <tbb/task_arena.h>

#include "core/parallel.hpp"
#include "core/rng.hpp"
#include "core/text.hpp"
#include "ensemble/sweep_run.hpp"
#include "io/hdf5.hpp"
#include "model/model.hpp"
#include "model/outcomes.hpp"

namespace pocsim::ensemble {

namespace fs = std::filesystem;
using namespace detail;

namespace detail {

std::string override_of(const Factor& f, double v) {
  return scenario::override_text(f.key, v, f.integer);
}

scenario::Scenario load_run(const SweepPlan& plan, const std::vector<std::string>& overrides) {
  return plan.option_path.empty() ? scenario::load_scenario(plan.scenario_path, overrides)
                                  : scenario::load_option(plan.scenario_path, plan.option_path, overrides);
}


std::uint64_t run_seed(const SweepPlan& plan, std::size_t run) {
  return core::derived_seed(plan.design.seed, plan.seed_per_replicate ? run % static_cast<std::size_t>(plan.replicates) : run);
}

// nullopt when stopped: an interrupted run is not a result.
std::optional<RunResult> run_one(const SweepPlan& plan, const Design& design, std::size_t run, const std::function<bool()>& stopped) {
  RunResult r;
  r.index = run;
  const std::size_t point = run / static_cast<std::size_t>(plan.replicates);
  std::vector<std::string> overrides = plan.overrides;
  for (std::size_t i = 0; i < plan.factors.size(); ++i) overrides.push_back(override_of(plan.factors[i], design.values[point][i]));
  overrides.push_back("run.seed=" + std::to_string(run_seed(plan, run)));
  try {
    const scenario::Scenario s = load_run(plan, overrides);
    model::Model m(s.params());
    model::OutcomeMeter window, values;
    const std::int64_t steps = s.params().run.steps;
    const auto n_steps = static_cast<std::size_t>(steps + 1);
    if (plan.series) r.series.assign(plan.outcomes.size() * n_steps, std::nan(""));
    auto record = [&](std::int64_t step, const std::vector<double>& v) {
      if (!plan.series) return;
      for (std::size_t o = 0; o < plan.outcomes.size(); ++o) r.series[o * n_steps + static_cast<std::size_t>(step)] = v[plan.outcomes[o]];
    };
    record(0, values.observe(m));
    for (std::int64_t step = 1; step <= steps; ++step) {
      if (stopped && stopped()) return std::nullopt;
      m.step();
      record(step, step >= plan.from ? window.observe(m) : values.observe(m));
    }
    const std::vector<double> summary = window.summary();
    for (std::size_t o : plan.outcomes) r.outcomes.push_back(summary[o]);
    r.ok = true;
  } catch (const scenario::ScenarioError& e) {
    r.error = e.diagnostics().empty() ? e.what() : e.diagnostics().front().format();
  } catch (const std::exception& e) {
    r.error = e.what();
  }
  if (!r.ok) {
    while (!r.error.empty() && r.error.back() == '\n') r.error.pop_back();
    r.outcomes.assign(plan.outcomes.size(), std::nan(""));
  }
  return r;
}

}  // namespace detail

SweepOutcome run_sweep(const SweepPlan& plan, const Shard& shard, const std::string& store, const std::string& command_line,
                       const SweepObserver& observer, bool mpi) {
  const auto wall_start = std::chrono::steady_clock::now();
  const Design design = make_design(plan.design, plan.factors);
  const std::size_t runs = design.points() * static_cast<std::size_t>(plan.replicates);
  int rank = 0, size = 1;
  if (mpi) mpi_rank_and_size(rank, size);
  const std::function<bool()> stopped = [&] { return observer.stop_requested && observer.stop_requested(); };
  SweepOutcome out;
  out.journal = store + ".journal";
  out.store = store;

  if (rank != 0) {  // an MPI worker: runs the batches the coordinator hands out
    mpi_work(plan, design, stopped);
    return out;
  }

  // The coordinator (or the only process): the journal says what is done. It is locked for the whole
  // sweep, so two processes never run one sweep into one journal.
  bool resuming = false;
  std::FILE* journal = open_journal(out.journal, journal_header(plan, shard), "another pocsim sweep is running on this store", resuming);
  std::vector<char> done(runs, 0);
  try {
    if (resuming)
      read_journal(out.journal, plan, shard, [&](const RunResult& r) {
        if (r.index < runs && !done[r.index]) {
          done[r.index] = 1;
          ++out.skipped;
        }
      });
  } catch (...) {
    std::fclose(journal);
    throw;
  }
  std::vector<std::size_t> pending;
  for (std::size_t r = 0; r < runs; ++r) {
    if (!shard.owns(r)) continue;
    ++out.runs;
    if (!done[r]) pending.push_back(r);
  }
  std::mutex writing;
  std::int64_t finished = out.skipped;
  auto record = [&](const std::string& line, bool ok) {
    const std::lock_guard<std::mutex> lock(writing);
    append_journal(journal, out.journal, line);
    ++out.done;
    out.failed += ok ? 0 : 1;
    ++finished;
    if (observer.progress) observer.progress(finished, out.runs);
  };
  bool interrupted = false;
  try {
    if (size > 1) {
      interrupted = mpi_coordinate(plan, pending, stopped, record);
    } else {
      // Isolated like a comparison's replicates: at most one run per thread in memory.
      core::parallel_for(pending.size(), [&](std::size_t i) {
        tbb::this_task_arena::isolate([&] {
          if (stopped()) return;
          if (const auto r = run_one(plan, design, pending[i], stopped)) record(journal_line(*r), r->ok);
        });
      }, 1);
      interrupted = stopped();
    }
    out.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    if (!interrupted && out.done + out.skipped >= out.runs) {
      // The journal stays locked until the store is in place and the journal gone.
      std::size_t arrived = 0;
      write_store(store, plan, design, shard.text(), command_line, out.wall_seconds, [&](const auto& each) {
        std::vector<char> seen(runs, 0);
        read_journal(out.journal, plan, shard, [&](const RunResult& r) {
          if (r.index >= runs || seen[r.index] || !shard.owns(r.index)) return;
          seen[r.index] = 1;
          ++arrived;
          each(r);
        });
        if (arrived != static_cast<std::size_t>(out.runs))
          throw io::Hdf5Error(out.journal + " holds " + std::to_string(arrived) + " of the shard's " + std::to_string(out.runs) +
                              " runs; it is kept: run the same command again to complete it");
      });
      fs::remove(out.journal);
      out.complete = true;
    }
  } catch (...) {
    std::fclose(journal);
    throw;
  }
  std::fclose(journal);
  return out;
}

bool MpiSession::launched_by_mpirun() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK");
}

}  // namespace pocsim::ensemble
