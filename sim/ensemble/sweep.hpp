#pragma once
// Parameter sweeps: a sweep file names a scenario (and optionally a mandate option), the parameters to
// vary and their ranges or levels, a design, replicates and outcomes. Runs are recorded in a journal as
// they finish (so a killed sweep resumes where it stopped) and gathered into one HDF5 store; a sweep can
// be split into shards (job arrays) and merged, or spread over MPI ranks. docs/sweeps.md.
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "ensemble/design.hpp"
#include "scenario/loader.hpp"

namespace pocsim::ensemble {

struct SweepPlan {
  std::string path;                      // the sweep file
  std::string text;                      // verbatim
  std::string description;
  std::string scenario_path;             // resolved relative to the sweep file
  std::string option_path;               // optional mandate option, likewise
  std::vector<std::string> overrides;    // --set, applied to every run before the sweep's values
  std::vector<Factor> factors;
  DesignSpec design;
  int replicates = 1;
  bool seed_per_replicate = false;       // true: every point's replicate r shares a seed (common random numbers)
  std::vector<std::size_t> outcomes;     // indices into model::outcome_specs()
  std::int64_t from = 1;                 // first step of the outcome window
  std::int64_t steps = 0;                // the scenario's run length
  bool series = false;                   // record each run's outcomes per step too
  std::string identity;                  // the base scenario's parameters and the option's text, as resolved
};

// Reads and validates a sweep file: every key, and every parameter at its extremes (or levels) exactly as
// a scenario would be. Throws scenario::ScenarioError with the sweep file's lines.
SweepPlan load_sweep(const std::string& path, const std::vector<std::string>& overrides = {});

// Whether a file reads as a sweep file (a mapping with 'design' and 'parameters') rather than a scenario.
bool is_sweep_file(const std::string& path);

// Which runs this process takes: shard `index` of `count` takes the runs whose index % count == index.
struct Shard {
  int index = 0, count = 1;
  [[nodiscard]] bool owns(std::size_t run) const { return static_cast<int>(run % static_cast<std::size_t>(count)) == index; }
  [[nodiscard]] std::string text() const { return std::to_string(index) + "/" + std::to_string(count); }
};

struct SweepObserver {
  std::function<void(std::int64_t done, std::int64_t total)> progress;  // called under a lock
  std::function<bool()> stop_requested;
};

struct SweepOutcome {
  bool complete = false;
  std::string store;                  // written when complete
  std::string journal;                // kept when not
  std::int64_t runs = 0, done = 0, failed = 0, skipped = 0;  // of this shard; skipped: found in the journal
  double wall_seconds = 0;
};

// Runs the shard's runs not yet in the journal (TBB-parallel in this process, or spread over MPI ranks
// when `mpi` is set), then writes the store. Call on every rank under MPI; only rank 0 returns a store.
SweepOutcome run_sweep(const SweepPlan& plan, const Shard& shard, const std::string& store, const std::string& command_line,
                       const SweepObserver& observer, bool mpi);

// Combines shard stores of one sweep into the store an unsharded run would have written. Throws
// std::runtime_error naming the shard that does not fit.
void merge_stores(const std::vector<std::string>& shards, const std::string& store, const std::string& command_line);

// Sensitivity of every outcome to every factor, from a store: Morris (morris designs), Sobol (sobol
// designs), Spearman rank correlation (any design). Per point, replicates are averaged first.
struct SensitivityRow {
  std::string outcome, factor, measure;  // measure: mu_star, mu, sigma, first_order, total, spearman
  double value = 0, low = 0, high = 0;   // bootstrap 95% interval (NaN where none)
};
std::vector<SensitivityRow> analyse_store(const std::string& store, int bootstrap);

// What a store holds for analysis: its design and, per outcome, each point's mean over finished replicates.
struct StoreResults {
  std::vector<std::string> factors, outcomes;
  std::string type;  // the design's kind
  Design design;
  std::vector<std::vector<double>> means;  // [outcome][point], NaN where no replicate finished
  std::uint64_t seed = 0;
};
StoreResults read_store(const std::string& store);
// The points in SALib's order for the design (Saltelli's sample: A, AB_1 ... AB_k, B per base row).
std::vector<std::size_t> salib_order(const Design& d, const std::string& type);
// Files SALib's command line reads, (name, text): problem.txt, X.txt (unit cube), values.txt (factor units)
// and Y_<outcome>.txt (per-point means), rows in SALib's order, so its indices can be set beside analyse's.
std::vector<std::pair<std::string, std::string>> salib_files(const StoreResults& r);
std::string format_sensitivity(const std::vector<SensitivityRow>& rows);
std::string sensitivity_csv(const std::vector<SensitivityRow>& rows);

// MPI, when the program was started by mpirun (Open MPI or a PMI launcher); otherwise nothing. In a
// build without MPI, starting under mpirun is refused with MpiUnavailable: the ranks could not share the
// work, and each would run the whole sweep into the same store.
struct MpiUnavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class MpiSession {
 public:
  // Throws MpiUnavailable when launched by mpirun in a build without MPI.
  MpiSession();
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  [[nodiscard]] bool active() const { return active_; }
  [[nodiscard]] int rank() const { return rank_; }
  [[nodiscard]] int size() const { return size_; }
  static bool launched_by_mpirun();
  // Whether this build can share sweeps among MPI ranks, and the MPI library it was built with ("" if none).
  static bool available();
  static const char* library();
  // Ends every rank: for an error on one rank that the others, waiting for it, would never see.
  [[noreturn]] void abort_all();

 private:
  bool active_ = false;
  int rank_ = 0, size_ = 1;
};

}  // namespace pocsim::ensemble
