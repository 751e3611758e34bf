// The journal of a sweep: one line per finished run, appended and flushed as each finishes.
#include <cerrno>
#include <cmath>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/file.h>

#include "core/text.hpp"
#include "ensemble/sweep_run.hpp"
#include "io/hdf5.hpp"
#include "scenario/diagnostics.hpp"

namespace pocsim::ensemble::detail {

namespace fs = std::filesystem;
using core::shortest;

// The journal: one line per finished run, appended and flushed as each finishes, so a killed sweep
// loses at most the line being written (a line without its newline is ignored when read back).
std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '\n' ? std::string("\\n") : c == '\t' ? std::string("\\t") : c == '\\' ? std::string("\\\\") : std::string(1, c);
  return out;
}

std::string unescape(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char c = s[++i];
      out += c == 'n' ? '\n' : c == 't' ? '\t' : c;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string journal_line(const RunResult& r) {
  // Built by appending: GCC 12 warns falsely (-Wrestrict) on string + string chains here.
  std::string line = std::to_string(r.index);
  if (!r.ok) {
    line += "\tfailed\t";
    line += escape(r.error);
  } else {
    line += "\tok";
    for (double v : r.outcomes) (line += '\t') += shortest(v);
    if (!r.series.empty()) {
      line += "\t|";
      for (double v : r.series) (line += '\t') += shortest(v);
    }
  }
  line += '\n';
  return line;
}

std::optional<RunResult> parse_journal_line(const std::string& line, std::size_t n_outcomes) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (std::size_t tab = line.find('\t'); tab != std::string::npos; tab = line.find('\t', start)) {
    fields.push_back(line.substr(start, tab - start));
    start = tab + 1;
  }
  fields.push_back(line.substr(start));
  if (fields.size() < 2) return std::nullopt;
  RunResult r;
  try {
    r.index = std::stoull(fields[0]);
    if (fields[1] == "failed" && fields.size() == 3) {
      r.error = unescape(fields[2]);
      r.outcomes.assign(n_outcomes, std::nan(""));
      return r;
    }
    if (fields[1] != "ok" || fields.size() < 2 + n_outcomes) return std::nullopt;
    r.ok = true;
    for (std::size_t i = 0; i < n_outcomes; ++i) r.outcomes.push_back(std::stod(fields[2 + i]));
    if (fields.size() > 2 + n_outcomes) {
      if (fields[2 + n_outcomes] != "|") return std::nullopt;
      for (std::size_t i = 3 + n_outcomes; i < fields.size(); ++i) r.series.push_back(std::stod(fields[i]));
    }
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return r;
}

std::string journal_header_of(const std::string& kind, const std::string& identity) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(core::fnv1a64(identity)));
  return "# pocsim " + kind + " journal 1 " + buf + "\n";
}

// What a journal belongs to: the sweep file, the overrides and the shard. A journal of another sweep is
// never resumed.
std::string journal_header(const SweepPlan& plan, const Shard& shard) {
  std::string identity = plan.text + "\n" + plan.identity + "\n" + shard.text();
  for (const std::string& o : plan.overrides) identity += "\n" + o;
  return journal_header_of("sweep", identity);
}

// Reads the runs a journal holds, calling `each` for every complete line. Throws when the journal is of
// another sweep.
void read_journal(const std::string& path, const SweepPlan& plan, const Shard& shard, const std::function<void(const RunResult&)>& each) {
  read_journal_lines(path, journal_header(plan, shard), plan.outcomes.size(),
                     "this journal belongs to another sweep (a different file, --set or --shard)", each);
}

void read_journal_lines(const std::string& path, const std::string& header, std::size_t n_outcomes, const std::string& foreign,
                        const std::function<void(const RunResult&)>& each) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  if (!std::getline(in, line) || line + "\n" != header)
    throw scenario::ScenarioError({{path, "", foreign, "remove it to start afresh, or run the command that wrote it"}});
  // Line by line: a journal with series can be far larger than memory should hold. A last line without
  // its newline (a run killed while writing it) is ignored; open_journal cuts it off before appending.
  while (std::getline(in, line))
    if (!in.eof())
      if (auto r = parse_journal_line(line, n_outcomes)) each(*r);
}

std::FILE* open_journal(const std::string& path, const std::string& header, const std::string& busy, bool& resuming) {
  std::FILE* journal = std::fopen(path.c_str(), "ab");
  if (!journal) throw io::Hdf5Error("cannot create " + path);
  if (flock(fileno(journal), LOCK_EX | LOCK_NB) != 0) {
    std::fclose(journal);
    throw scenario::ScenarioError({{path, "", busy, "wait for it to finish (or stop it), then run this command again to continue"}});
  }
  cut_partial_line(path);  // only now: the line may have been another process's, still being written
  std::error_code ec;
  resuming = fs::file_size(path, ec) > 0;
  errno = 0;
  if (!resuming && (std::fwrite(header.data(), 1, header.size(), journal) != header.size() || std::fflush(journal) != 0)) {
    const std::string why = errno != 0 ? std::strerror(errno) : "write failed";
    std::fclose(journal);
    fs::remove(path, ec);  // it holds nothing: leave no file behind
    throw io::Hdf5Error("cannot write " + path + ": " + why);
  }
  return journal;
}

void append_journal(std::FILE* journal, const std::string& path, const std::string& line) {
  errno = 0;
  if (std::fwrite(line.data(), 1, line.size(), journal) != line.size() || std::fflush(journal) != 0)
    throw io::Hdf5Error("cannot append to " + path + ": " + (errno != 0 ? std::strerror(errno) : "write failed") +
                        " (the runs journalled before are kept: free space, then run the same command again to continue)");
}

// A journal whose last line lacks its newline (killed while writing it) is cut back to its last whole
// line, so the next line appended starts on a line of its own.
void cut_partial_line(const std::string& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec || size == 0) return;
  std::ifstream in(path, std::ios::binary);
  std::uintmax_t keep = size;
  char c = 0;
  while (keep > 0) {
    in.seekg(static_cast<std::streamoff>(keep - 1));
    if (!in.get(c) || c == '\n') break;
    --keep;
  }
  in.close();
  if (keep < size) fs::resize_file(path, keep);
}

}  // namespace pocsim::ensemble::detail
