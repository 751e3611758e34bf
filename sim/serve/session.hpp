#pragma once
// A live run for 'pocsim serve': one model, or in side-by-side mode two panes (without and with a lever)
// of a handful of replicates each, paired by seed, stepped together; steered between steps by commands
// from the page, and reported step by step as JSON messages. The protocol is
// in docs/serve.md. Not thread-safe: the server holds one lock around every call.
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "core/parallel.hpp"
#include "model/model.hpp"
#include "model/outcomes.hpp"
#include "scenario/loader.hpp"

namespace pocsim::serve {

// One change made from the page, in force from `step` on. A run is its scenario and seed plus this
// record: replaying the record on a fresh model gives the same run, step for step.
struct SteeringEntry {
  std::int64_t step = 0;
  std::string action;   // lever_on, lever_off, slider
  std::string kind;     // lever kind (or troop_surge)
  std::string region;   // "" = everywhere
  std::string key;      // slider: the scenario key
  double value = 0;     // slider: the new value
  // lever_on: the lever's budget ($ per step) and intensity; NaN (the page's clicks): the lever table's presets.
  double budget = std::numeric_limits<double>::quiet_NaN();
  double intensity = std::numeric_limits<double>::quiet_NaN();
};

std::string to_json(const std::vector<SteeringEntry>& record);
// Throws std::invalid_argument naming what is wrong.
std::vector<SteeringEntry> steering_from_json(const std::string& json);

// Throws std::invalid_argument when an entry is not one a run can take: an unknown action, lever or
// region, a slider key that is not steerable or a value outside its range, a negative budget or intensity.
void check_steering_entry(const SteeringEntry& e, const model::Params& p);
// Applies one change to a model from its next step on: the one path for the live view, its replays and
// saves, and the Python API's in-process steering. `e` must have passed check_steering_entry.
void apply_steering(model::Model& m, const SteeringEntry& e);
// Parameters the phases read afresh every step, which a run may change between steps (the sliders).
const std::vector<std::string>& steerable_keys();
// Levers a run may switch on or off between steps: every lever kind, and troop_surge (the bases in the
// region hold twice their troops while it is on).
std::vector<std::string> steerable_levers();

class Session {
 public:
  // A live session, or (with `replay`) the replay of a saved steered run, which steering commands cannot change.
  Session(scenario::Scenario scenario, int threads, std::vector<SteeringEntry> replay = {}, bool replay_mode = false,
          std::int64_t replay_steps = 0);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Replicates per pane in side-by-side mode (1 to max_side_by_side_replicates): the first is the run the
  // page has been watching (its map is shown), the others run the scenario with derived seeds (the seeds
  // `pocsim compare` gives replicates 1, 2, ...) and are replayed from step 0 with the same changes when
  // side by side begins. The charts show their mean and range, and the paired differences.
  void set_replicates(int n);
  [[nodiscard]] int replicates() const { return replicates_; }

  [[nodiscard]] std::string hello() const;
  [[nodiscard]] std::string frame() const;
  [[nodiscard]] std::string steering() const;
  // The entries added since the record held `from` of them, as a steering message with "from": what a
  // change broadcasts, so a change costs its own size, not the record's (hello and reset send it whole).
  [[nodiscard]] std::string steering_since(std::size_t from) const;

  // A save to write away from the thread that steps the run: everything it reads, copied, so the live run
  // goes on meanwhile. write() re-runs each pane from step 0 with its record and returns the paths.
  struct SaveJob {
    model::Params params;
    io::RunProvenance provenance;
    struct File {
      std::string path;
      std::vector<SteeringEntry> record;
      std::int64_t steps = 0;
    };
    std::vector<File> files;
    [[nodiscard]] std::vector<std::string> write(core::ThreadLimit& limit) const;
  };

  // What answering a command produced: messages for every page, and one for the page that sent it; with
  // deferred saves, a save for the caller to write (then to call save_written) instead of a reply.
  struct Reply {
    std::vector<std::string> broadcast;
    std::string to_sender;
    std::shared_ptr<const SaveJob> save;
  };
  // The server writes saves on a thread of their own (one at a time): without this, handle() writes them.
  void defer_saves() { defer_saves_ = true; }
  // A deferred save is done: its reply for the page that asked (the paths, or the error).
  std::string save_written(const std::vector<std::string>& paths, const std::string& error);
  // Never throws: every failure (a bad message, a save that could not be written) is an error reply.
  Reply handle(const std::string& message, const std::string& results_directory, const std::string& command_line);

  // Steps every pane once (when it has steps left); returns the frame to send, or "" if nothing moved.
  std::string advance();

  [[nodiscard]] bool playing() const { return playing_; }
  [[nodiscard]] double speed() const { return speed_; }
  [[nodiscard]] std::int64_t step() const;

  // Writes each pane's run so far to <directory>/<name>-live-<time>[-<pane>].h5, re-running it from step 0
  // with its steering record (stored in the file's root attribute 'steering'); returns the paths.
  std::vector<std::string> save(const std::string& directory, const std::string& command_line);

  // One run of a pane so far (replicate 0: the one the map shows), as the per-step outcome values (tests
  // compare replays with live runs).
  [[nodiscard]] const std::vector<std::vector<double>>& outcome_history(std::size_t pane, std::size_t replicate = 0) const;
  [[nodiscard]] std::size_t panes() const { return panes_.size(); }

 private:
  struct Run;
  struct Pane;
  void start_over();
  [[nodiscard]] Run start_run(const model::Params& params);
  void add_entry(std::size_t pane, SteeringEntry e);
  [[nodiscard]] SaveJob prepare_save(const std::string& directory, const std::string& command_line, int threads) const;

  scenario::Scenario scenario_;
  core::ThreadLimit limit_;
  std::vector<std::unique_ptr<Pane>> panes_;
  std::vector<SteeringEntry> replay_;
  bool replay_mode_;
  std::int64_t last_step_;  // the step the run ends at
  bool playing_ = false;
  double speed_ = 4;
  int replicates_;
  bool defer_saves_ = false, saving_ = false;
  int saves_ = 0;
};

// Steering records and saves a session allows: a room steers a few dozen times and saves a few runs; more
// is a script or an attack, and would grow the record resent on every change and fill the disk.
inline constexpr std::size_t max_steering_entries = 2000;
inline constexpr int max_saves = 200;
// A handful per side is what a room needs to see chance apart from effect; more is a comparison's job.
inline constexpr int max_side_by_side_replicates = 32;
inline constexpr int default_side_by_side_replicates = 5;
// On grids larger than this, side by side runs one replicate per side unless told otherwise: each is a
// whole model in memory, and catching up from step 0 takes as long as the run so far.
inline constexpr std::int64_t large_grid_cells = 250'000;

}  // namespace pocsim::serve
