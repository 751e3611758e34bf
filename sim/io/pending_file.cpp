#include "io/pending_file.hpp"

#include <cstdio>
#include <filesystem>

#include <unistd.h>

#include "io/provenance.hpp"

namespace pocsim::io {

PendingFile::PendingFile(std::string path) : path_(std::move(path)) {
  const std::filesystem::path target(path_);
  // Hidden, beside the target (so the rename cannot cross file systems), unique to this process.
  std::string temp_name = ".";  // built by appending: GCC 12 warns falsely (-Wrestrict) on "." + string
  temp_name += target.filename().string();
  temp_name += ".partial-" + std::to_string(getpid());
  temp_path_ = (target.parent_path() / temp_name).string();
  file_ = create_file(temp_path_);
  try {
    set_attribute(file_.id(), "complete", std::int64_t{0});
  } catch (...) {
    file_.close();
    std::remove(temp_path_.c_str());
    throw;
  }
}

PendingFile::~PendingFile() {
  if (finished_) return;
  file_.close();
  std::remove(temp_path_.c_str());
}

void PendingFile::close_complete(double wall_seconds) { close_as(path_, wall_seconds, true); }

std::string PendingFile::close_incomplete(double wall_seconds) {
  const std::filesystem::path target(path_);
  const std::string incomplete = (target.parent_path() / (target.stem().string() + ".incomplete.h5")).string();
  close_as(incomplete, wall_seconds, false);
  return incomplete;
}

void PendingFile::close_as(const std::string& final_path, double wall_seconds, bool complete) {
  set_attribute(file_.id(), "end_time", utc_now_iso8601());
  set_attribute(file_.id(), "wall_seconds", wall_seconds);
  set_attribute(file_.id(), "complete", std::int64_t{complete ? 1 : 0});
  if (H5Fflush(file_.id(), H5F_SCOPE_GLOBAL) < 0) throw Hdf5Error("HDF5: cannot flush " + temp_path_);
  file_.close();
  std::error_code ec;
  std::filesystem::rename(temp_path_, final_path, ec);
  finished_ = true;  // renamed, or kept under its temporary name: finished either way, never removed
  if (ec)
    throw Hdf5Error("cannot move the output into place at " + final_path + ": " + ec.message() + "; it is kept as " +
                    temp_path_);
}

}  // namespace pocsim::io
