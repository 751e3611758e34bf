#pragma once
// A run's checkpoint: one HDF5 file holding the run's output up to the checkpoint's step (every dataset
// of the run file, so a resumed run continues the same file) and a /checkpoint group with what resuming
// needs: where the scenario came from, the parameters it resolved to, the model's complete state and the
// run command's own running totals. Written under a temporary name and renamed, so a checkpoint on disk
// is always whole. docs/outputs.md describes it.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace pocsim::io {

struct RunCheckpoint {
  std::string output_path;            // absolute: where the finished run goes
  std::string scenario_path;          // absolute
  std::string option_path;            // absolute, or "" without a mandate option
  std::vector<std::string> overrides; // --set (and --seed, --steps) as given
  std::string parameters_resolved;    // every parameter in force, to refuse resuming after the files changed
  std::int64_t step = 0;              // the last step done and recorded
  std::int64_t steps = 0;             // the run's length
  std::int64_t checkpoint_every = 0;  // 0: only when interrupted
  std::vector<std::uint8_t> model_state;  // model::save_state
  std::vector<std::uint8_t> run_totals;   // the run command's running totals, as it laid them out
};

// Thrown for a file that is not a readable pocsim checkpoint; the message says which and why.
class CheckpointFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Adds the /checkpoint group to an open file (a copy of the run's output so far).
void write_checkpoint_group(long long file_id, const RunCheckpoint& c);

// Reads the /checkpoint group of `path`.
RunCheckpoint read_checkpoint(const std::string& path);

// Removes the /checkpoint group from an open file, leaving the run's output.
void remove_checkpoint_group(long long file_id);

// Where the checkpoint of a run writing `output` goes: <output stem>.checkpoint.h5 beside it.
std::string checkpoint_path_for(const std::string& output);

}  // namespace pocsim::io
