#pragma once
// An HDF5 output written under a hidden temporary name beside its target and moved into place only when
// closed: as the target when complete, as <stem>.incomplete.h5 (marked complete = 0) when stopped early.
// Dropped unclosed, it is removed, so no half-written file ever looks like a result. The move never
// replaces a file that was not there when writing began (another process's result, written meanwhile):
// only a target present at the start — which the commands allow with --force alone — is replaced. The file
// and its directory are synced to disk before and after the move, so a power cut leaves the old state or
// the new one.
#include <string>

#include "io/hdf5.hpp"

namespace pocsim::io {

// A hidden name beside `target` unique to this process (.NAME.partial-PID), to write it under before
// renaming it into place. Removes abandoned temporary files of `target` on the way.
std::string temporary_path_for(const std::string& target);

// Removes the temporary files of `target` left by processes that no longer exist (SIGKILL, a power cut):
// nobody will finish them.
void remove_abandoned_temporaries(const std::string& target);

// Writes a text file (a table beside a result, a sensitivity CSV) whole or not at all: under a temporary
// name, synced, then renamed over `path`, and its directory synced. Throws Hdf5Error naming `path` and the
// cause, leaving any previous file as it was.
void write_file_atomically(const std::string& path, const std::string& text);

// <stem>.incomplete.h5 beside `path`: where a stopped run's file goes.
std::string incomplete_path_for(const std::string& path);

class PendingFile {
 public:
  explicit PendingFile(std::string path);  // creates the temporary file, marked complete = 0
  // The temporary file starts as a copy of `start_from` (a checkpoint: a run's file up to some step).
  PendingFile(std::string path, const std::string& start_from);
  ~PendingFile();
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;

  [[nodiscard]] hid_t id() const { return file_.id(); }
  [[nodiscard]] const std::string& path() const { return path_; }
  // Writes everything HDF5 holds in memory, then copies the file as it stands to `copy` (replaced).
  void flush_and_copy_to(const std::string& copy) const;

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
  bool replaces_ = false;             // the target existed when writing began (--force)
  bool incomplete_replaces_ = false;  // likewise <stem>.incomplete.h5
};

}  // namespace pocsim::io
