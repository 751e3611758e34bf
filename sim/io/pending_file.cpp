#include "io/pending_file.hpp"

#include <cstdio>
#include <filesystem>

#include <cerrno>
#include <csignal>
#include <unistd.h>

#include "io/provenance.hpp"

namespace pocsim::io {

namespace {
std::string temporary_prefix(const std::filesystem::path& target) {
  std::string prefix = ".";  // built by appending: GCC 12 warns falsely (-Wrestrict) on "." + string
  prefix += target.filename().string();
  prefix += ".partial-";
  return prefix;
}
}  // namespace

void remove_abandoned_temporaries(const std::string& target_path) {
  const std::filesystem::path target(target_path);
  const std::string prefix = temporary_prefix(target);
  const std::filesystem::path dir = target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path();
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string pid_text = name.substr(prefix.size());
    if (pid_text.empty() || pid_text.find_first_not_of("0123456789") != std::string::npos || pid_text.size() > 9) continue;
    const auto pid = static_cast<pid_t>(std::stol(pid_text));
    if (pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH) std::filesystem::remove(entry.path(), ec);
  }
}

std::string temporary_path_for(const std::string& target_path) {
  remove_abandoned_temporaries(target_path);
  const std::filesystem::path target(target_path);
  // Beside the target, so the rename cannot cross file systems.
  return (target.parent_path() / (temporary_prefix(target) + std::to_string(getpid()))).string();
}

PendingFile::PendingFile(std::string path) : path_(std::move(path)), temp_path_(temporary_path_for(path_)) {
  file_ = create_file(temp_path_);
  try {
    set_attribute(file_.id(), "complete", std::int64_t{0});
  } catch (...) {
    file_.close();
    std::remove(temp_path_.c_str());
    throw;
  }
}

PendingFile::PendingFile(std::string path, const std::string& start_from)
    : path_(std::move(path)), temp_path_(temporary_path_for(path_)) {
  std::error_code ec;
  std::filesystem::copy_file(start_from, temp_path_, std::filesystem::copy_options::overwrite_existing, ec);
  if (ec) {
    std::remove(temp_path_.c_str());
    throw Hdf5Error("cannot copy " + start_from + " to " + temp_path_ + ": " + ec.message());
  }
  try {
    file_ = open_file_write(temp_path_);
  } catch (...) {
    std::remove(temp_path_.c_str());
    throw;
  }
}

void PendingFile::flush_and_copy_to(const std::string& copy) const {
  check_status(H5Fflush(file_.id(), H5F_SCOPE_GLOBAL), "flush " + temp_path_);
  std::error_code ec;
  std::filesystem::copy_file(temp_path_, copy, std::filesystem::copy_options::overwrite_existing, ec);
  if (ec) throw Hdf5Error("cannot copy the output so far to " + copy + ": " + ec.message());
}

PendingFile::~PendingFile() {
  if (finished_) return;
  file_.close();
  std::remove(temp_path_.c_str());
}

void PendingFile::close_complete(double wall_seconds) { close_as(path_, wall_seconds, true); }

std::string incomplete_path_for(const std::string& path) {
  const std::filesystem::path target(path);
  return (target.parent_path() / (target.stem().string() + ".incomplete.h5")).string();
}

std::string PendingFile::close_incomplete(double wall_seconds) {
  const std::string incomplete = incomplete_path_for(path_);
  close_as(incomplete, wall_seconds, false);
  return incomplete;
}

void PendingFile::close_as(const std::string& final_path, double wall_seconds, bool complete) {
  set_attribute(file_.id(), "end_time", utc_now_iso8601());
  set_attribute(file_.id(), "wall_seconds", wall_seconds);
  set_attribute(file_.id(), "complete", std::int64_t{complete ? 1 : 0});
  check_status(H5Fflush(file_.id(), H5F_SCOPE_GLOBAL), "flush " + temp_path_);
  file_.close();
  std::error_code ec;
  std::filesystem::rename(temp_path_, final_path, ec);
  finished_ = true;  // renamed, or kept under its temporary name: finished either way, never removed
  if (ec)
    throw Hdf5Error("cannot move the output into place at " + final_path + ": " + ec.message() + "; it is kept as " +
                    temp_path_);
}

}  // namespace pocsim::io
