#pragma once
// An HDF5 output written under a hidden temporary name beside its target and moved into place only when
// closed: as the target when complete, as <stem>.incomplete.h5 (marked complete = 0) when stopped early.
// Dropped unclosed, it is removed, so no half-written file ever looks like a result.
#include <string>

#include "io/hdf5.hpp"

namespace pocsim::io {

class PendingFile {
 public:
  explicit PendingFile(std::string path);  // creates the temporary file, marked complete = 0
  ~PendingFile();
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;

  [[nodiscard]] hid_t id() const { return file_.id(); }
  [[nodiscard]] const std::string& path() const { return path_; }

  // Stamps end time, wall time and completion, closes and renames. Every dataset opened on the file
  // must be closed first. close_incomplete returns the name it used.
  void close_complete(double wall_seconds);
  std::string close_incomplete(double wall_seconds);

 private:
  void close_as(const std::string& final_path, double wall_seconds, bool complete);
  std::string path_;
  std::string temp_path_;
  Handle file_;
  bool finished_ = false;
};

}  // namespace pocsim::io
