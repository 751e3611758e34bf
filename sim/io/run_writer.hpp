#pragma once
// Writes one run to HDF5 as it goes: every reported quantity buffered and appended in blocks, grid
// snapshots as they are taken. The file is written under a temporary name beside the target and renamed
// only by finish(), so an interrupted run never leaves a file that looks complete. docs/outputs.md
// describes the layout.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "io/checkpoint.hpp"
#include "io/pending_file.hpp"
#include "io/provenance.hpp"
#include "model/report.hpp"

namespace pocsim::io {

class RunWriter {
 public:
  RunWriter(std::string path, const RunProvenance& provenance, int grid_height, int grid_width);
  // Continues the run in a checkpoint file (io/checkpoint.hpp): its datasets, provenance included, are
  // the start of this file; records append after them.
  RunWriter(std::string path, const std::string& checkpoint, int grid_height, int grid_width);
  ~RunWriter();  // without finish(): the temporary file is removed
  RunWriter(const RunWriter&) = delete;
  RunWriter& operator=(const RunWriter&) = delete;

  // One step's quantities; the first call fixes which quantities the file holds and their shapes.
  void record(const std::vector<model::Quantity>& quantities);
  void snapshot(std::int64_t step, const std::vector<model::Layer>& layers);
  // One step's rows of each table (any number, zero included); the first call creates the datasets.
  void append_rows(const std::vector<model::Table>& tables);

  // Writes the file so far plus `state` to `checkpoint_path` (replaced whole: written beside it, renamed).
  void checkpoint(const std::string& checkpoint_path, const RunCheckpoint& state);

  // Records on the root the steering of a run steered live in 'pocsim serve' (JSON, docs/serve.md) and the
  // step it was saved at.
  void set_steering(const std::string& steering_json, std::int64_t saved_at_step);

  // Records on the root, in the list attribute 'resumed', that the run was resumed at `step` by `command`.
  void note_resumed(const std::string& command, std::int64_t step);

  // Flushes, stamps the end time and completion, closes and renames into place.
  void finish(double wall_seconds);
  // For a run stopped early: the same, but marked complete = 0 and named <stem>.incomplete.h5, so it is
  // never mistaken for a finished run. Returns that name.
  std::string finish_incomplete(double wall_seconds);

  [[nodiscard]] const std::string& path() const { return file_.path(); }

 private:
  struct Datasets;
  struct Scales;
  void flush();
  // The dimension scales of a group's steps and of its labelled dimensions, made on first use.
  hid_t step_scale_of(const std::string& group);
  hid_t label_scale(const std::string& group, const std::string& dimension, const std::vector<std::string>& labels);
  void attach_row_scale(const std::string& table, const Series<std::int64_t>& column);
  // A dataset of the file: the one already there (resumed from a checkpoint), or a new one from `create`.
  template <class S, class Create>
  std::unique_ptr<S> open_or_create(const std::string& path, Create&& create);
  PendingFile file_;
  int height_;
  int width_;
  std::unique_ptr<Datasets> d_;
  std::size_t pending_steps_ = 0;
};

}  // namespace pocsim::io
