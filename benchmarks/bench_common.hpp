#pragma once
// Shared by the benchmarks: the machine's memory bandwidth (the ceiling a memory-bound model step is
// judged against), the tags that make two result rows comparable (machine, compiler, flags, commit),
// memory use, and a CSV appender that refuses to mix incompatible rows in one file.
#include <cstddef>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "model/model.hpp"

namespace pocsim::bench {

// Parses a benchmark's command line into vm, then runs `check` (which may throw std::invalid_argument).
// Returns the exit code to stop with — 0 after printing --help, 2 after printing what is wrong with
// the options — or -1 to go on.
int parse_command_line(const char* program, int argc, char** argv, const boost::program_options::options_description& opts,
                       boost::program_options::variables_map& vm, const std::function<void()>& check);

// Best-of-repeats bandwidth of McCalpin's STREAM kernels, GB/s with 1 GB = 1e9 B, bytes counted as
// STREAM counts them: copy and scale move 2 arrays, add and triad 3.
struct Bandwidth {
  double copy_gbs;
  double scale_gbs;
  double add_gbs;
  double triad_gbs;
  int threads;
  std::size_t array_bytes;  // of each of the three arrays
};

// Runs the kernels on `threads` threads over three arrays of `elements` doubles. The default, 256 MiB per
// array, is far beyond any last-level cache, as STREAM requires. Throws std::invalid_argument on
// non-positive arguments and std::runtime_error if the arrays do not hold the expected values afterwards.
Bandwidth measure_bandwidth(int threads, std::size_t elements = std::size_t{1} << 25, int repeats = 5);

std::string cpu_model();       // /proc/cpuinfo "model name", or "unknown"
std::string machine_tag();     // "<cpu model>, <n> hardware threads"
std::string commit_tag();      // first 12 hex digits of the commit, "+dirty" when built from a modified tree
std::string compiler_tag();    // e.g. "GNU 12.2.0"
std::string build_type_tag();  // e.g. "Release", "Debug + ASan/UBSan"
std::string flags_tag();       // CMAKE_CXX_FLAGS + CMAKE_CXX_FLAGS_<build type>, e.g. "-O3 -DNDEBUG"

// The provenance every result row starts with (date, commit, machine, compiler, flags, build_type),
// followed by a benchmark's own columns.
std::vector<std::string> header_with_tags(std::vector<std::string> columns);
std::vector<std::string> row_with_tags(std::vector<std::string> values);
// The same as lines for a report's head.
std::string tag_lines();

// "1,2" -> {1, 2}; throws std::invalid_argument naming the list when an item is not a positive integer.
std::vector<int> thread_counts(const std::string& list);
std::vector<std::string> split(const std::string& list);  // on commas
std::string fixed(double x, int decimals);                // printf's %.Nf

// The phases that took more than min_share of total_seconds, in step order, per step.
struct PhaseTime {
  model::Phase phase;
  std::string name;
  double ms_per_step;
  double share;  // of total_seconds
};
std::vector<PhaseTime> phase_times(const model::PhaseSeconds& phases, std::int64_t steps, double total_seconds,
                                   double min_share);
// "name=ms name=ms ..." (ms per step, two decimals): a CSV field.
std::string phase_column(const std::vector<PhaseTime>& times);

std::size_t peak_rss_bytes();     // high-water mark of this process's resident memory
std::size_t current_rss_bytes();  // 0 when /proc is not available

// Appends rows to a CSV file (RFC 4180 quoting). A new or empty file gets the header first; an existing
// file with another header is refused, so one file never holds rows whose columns mean different things.
class CsvLog {
 public:
  CsvLog(const std::string& path, const std::vector<std::string>& header);
  void row(const std::vector<std::string>& fields);  // flushed at once: a crash later keeps the rows so far

 private:
  std::string path_;
  std::size_t columns_;
  std::ofstream out_;
};

// One CSV record, without the line break.
std::string csv_line(const std::vector<std::string>& fields);

}  // namespace pocsim::bench
