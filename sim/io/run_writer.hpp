#pragma once
// Writes one run to HDF5 as it goes: time series buffered and appended in blocks, grid snapshots as they
// are taken. The file is written under a temporary name beside the target and renamed only by finish(),
// so an interrupted run never leaves a file that looks complete. docs/outputs.md describes the layout.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/provenance.hpp"
#include "model/observables.hpp"

namespace pocsim::io {

class RunWriter {
 public:
  RunWriter(std::string path, const RunProvenance& provenance, int grid_height, int grid_width);
  ~RunWriter();  // without finish(): the temporary file is removed
  RunWriter(const RunWriter&) = delete;
  RunWriter& operator=(const RunWriter&) = delete;

  void record(const model::StepRecord& r);
  void snapshot(std::int64_t step, const std::vector<std::uint8_t>& cell_codes);

  // Flushes, stamps the end time and completion, closes and renames into place.
  void finish(double wall_seconds);

  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  void flush();
  struct Datasets;
  std::string path_;
  std::string temp_path_;
  std::unique_ptr<Datasets> d_;
  std::vector<model::StepRecord> pending_;
  bool finished_ = false;
};

}  // namespace pocsim::io
