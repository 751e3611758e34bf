#include "io/pending_file.hpp"

#include <cstdio>
#include <filesystem>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
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
// Flushes a file's (or a directory's) data to the disk; false when the system says it could not.
bool sync_to_disk(const std::string& path, bool directory) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (directory ? O_DIRECTORY : 0));
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

std::string directory_of(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

// Moves `from` to `to` unless `to` exists (atomically: renameat2 with RENAME_NOREPLACE, or where the file
// system lacks it, a hard link, which also fails on an existing name, then the unlink). 0 or an errno.
int rename_no_replace(const std::string& from, const std::string& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS) return errno;
  if (::link(from.c_str(), to.c_str()) != 0) return errno;
  ::unlink(from.c_str());
  return 0;
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

void write_file_atomically(const std::string& path, const std::string& text) {
  const std::string temp = temporary_path_for(path);
  std::FILE* f = std::fopen(temp.c_str(), "wb");
  bool ok = f && std::fwrite(text.data(), 1, text.size(), f) == text.size();
  int error = ok ? 0 : errno;
  if (f && (std::fflush(f) != 0 || ::fsync(::fileno(f)) != 0) && ok) {
    ok = false;
    error = errno;
  }
  if (f && std::fclose(f) != 0 && ok) {
    ok = false;
    error = errno;
  }
  std::error_code ec;
  if (ok) std::filesystem::rename(temp, path, ec);
  if (!ok || ec) {
    std::remove(temp.c_str());
    throw Hdf5Error("cannot write " + path + ": " + (ec ? ec.message() : std::string(std::strerror(error ? error : EIO))));
  }
  sync_to_disk(directory_of(path), true);
}

std::string temporary_path_for(const std::string& target_path) {
  remove_abandoned_temporaries(target_path);
  const std::filesystem::path target(target_path);
  // Beside the target, so the rename cannot cross file systems.
  return (target.parent_path() / (temporary_prefix(target) + std::to_string(getpid()))).string();
}

PendingFile::PendingFile(std::string path)
    : path_(std::move(path)),
      temp_path_(temporary_path_for(path_)),
      replaces_(std::filesystem::exists(path_)),
      incomplete_replaces_(std::filesystem::exists(incomplete_path_for(path_))) {
  // HDF5 may leave the file it failed to create (a full disk fails its first write): remove it too.
  try {
    file_ = create_file(temp_path_);
    set_attribute(file_.id(), "complete", std::int64_t{0});
  } catch (...) {
    if (file_.valid()) file_.close();
    std::remove(temp_path_.c_str());
    throw;
  }
}

PendingFile::PendingFile(std::string path, const std::string& start_from)
    : path_(std::move(path)),
      temp_path_(temporary_path_for(path_)),
      replaces_(std::filesystem::exists(path_)),
      incomplete_replaces_(std::filesystem::exists(incomplete_path_for(path_))) {
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
  finished_ = true;  // renamed, or kept under its temporary name: finished either way, never removed
  if (!sync_to_disk(temp_path_, false))
    throw Hdf5Error("cannot write the output to the disk (fsync of " + temp_path_ + ": " + std::strerror(errno) +
                    "); it is kept as " + temp_path_);
  const bool may_replace = complete ? replaces_ : incomplete_replaces_;
  int error = 0;
  if (may_replace) {
    std::error_code ec;
    std::filesystem::rename(temp_path_, final_path, ec);
    error = ec.value();
  } else {
    error = rename_no_replace(temp_path_, final_path);
  }
  if (error == EEXIST)
    throw OutputTakenError(final_path + " appeared while this command was writing it (another run wrote it meanwhile); it was "
                    "left as it is, and this result is kept as " + temp_path_);
  if (error != 0)
    throw Hdf5Error("cannot move the output into place at " + final_path + ": " + std::strerror(error) + "; it is kept as " +
                    temp_path_);
  sync_to_disk(directory_of(final_path), true);  // the rename itself; a file system that cannot sync a directory keeps the old guarantee
}

}  // namespace pocsim::io
