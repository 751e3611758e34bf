#pragma once
// Internal to sim/ensemble: what the parts of a sweep share — one run and its result (sweep.cpp), the
// journal that records results as they finish (sweep_journal.cpp), and the store they are gathered into
// (sweep_store.cpp).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <hdf5.h>

#include "ensemble/sweep.hpp"

namespace pocsim::ensemble::detail {

struct RunResult {
  std::size_t index = 0;
  bool ok = false;
  std::vector<double> outcomes;  // the plan's outcomes
  std::vector<double> series;    // [outcome][step] when the plan records series
  std::string error;
};

// The seed of run `run`: its own, or its replicate's when every point shares the replicates' seeds.
std::uint64_t run_seed(const SweepPlan& plan, std::size_t run);
// The --set override that gives a factor the value v (whole numbers for integer keys).
std::string override_of(const Factor& f, double v);
// The scenario of one run, with the sweep's overrides.
scenario::Scenario load_run(const SweepPlan& plan, const std::vector<std::string>& overrides);
// One run of the sweep; nullopt when stopped: an interrupted run is not a result.
std::optional<RunResult> run_one(const SweepPlan& plan, const Design& design, std::size_t run, const std::function<bool()>& stopped);

// ---- The journal (sweep_journal.cpp) ----
std::string journal_line(const RunResult& r);
std::optional<RunResult> parse_journal_line(const std::string& line, std::size_t n_outcomes);
std::string journal_header(const SweepPlan& plan, const Shard& shard);
// The first line of a journal of `kind` (sweep, compare): a hash of everything that decides its runs' results.
std::string journal_header_of(const std::string& kind, const std::string& identity);
// Calls `each` for every result in the journal; throws when the journal belongs to another sweep or shard.
void read_journal(const std::string& path, const SweepPlan& plan, const Shard& shard, const std::function<void(const RunResult&)>& each);
// Cuts a last line without its newline (a run being written when the process was killed).
void cut_partial_line(const std::string& path);
// The journals of sweeps and comparisons alike: opens `path` for appending, locked for as long as it is
// open (`busy` says what to do when another process holds it), with a partial last line cut off and
// `header` written when it is empty. `resuming` tells whether it held runs already.
std::FILE* open_journal(const std::string& path, const std::string& header, const std::string& busy, bool& resuming);
// Calls `each` for every complete result line of a journal whose first line is `header`; throws
// scenario::ScenarioError with `foreign` (and the fix: remove it) when it is another's.
void read_journal_lines(const std::string& path, const std::string& header, std::size_t n_outcomes, const std::string& foreign,
                        const std::function<void(const RunResult&)>& each);
// Appends one line and flushes it to the system; throws io::Hdf5Error naming the journal when it cannot.
void append_journal(std::FILE* journal, const std::string& path, const std::string& line);

// ---- The store (sweep_store.cpp) ----
void write_design(hid_t root, const SweepPlan& plan, const Design& design);
// Writes a complete store: the design, every run's identity, and the results `feed` delivers.
void write_store(const std::string& path, const SweepPlan& plan, const Design& design, const std::string& shard_text,
                 const std::string& command_line, double wall_seconds,
                 const std::function<void(const std::function<void(const RunResult&)>&)>& feed);

// ---- Sharing a sweep among MPI ranks (sweep_mpi.cpp; sweep_no_mpi.cpp in a build without MPI) ----
// This process's rank and the number of ranks.
void mpi_rank_and_size(int& rank, int& size);
// A worker rank: runs the batches rank 0 hands out, one run per thread, until it is sent none or is stopped.
void mpi_work(const SweepPlan& plan, const Design& design, const std::function<bool()>& stopped);
// Rank 0: hands the pending runs to the other ranks as they become free and records each result as it
// arrives. Returns whether it stopped before every pending run was done.
bool mpi_coordinate(const SweepPlan& plan, const std::vector<std::size_t>& pending, const std::function<bool()>& stopped,
                    const std::function<void(const std::string& journal_line, bool ok)>& record);

}  // namespace pocsim::ensemble::detail
