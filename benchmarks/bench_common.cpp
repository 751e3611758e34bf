#include "bench_common.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sstream>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <limits>
#include <memory>
#include <stdexcept>
#include <thread>

#include <sys/resource.h>
#include <unistd.h>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include "core/parallel.hpp"
#include "io/provenance.hpp"
#include "pocsim/build_info.hpp"

namespace pocsim::bench {

namespace {

// The static partitioner hands each thread the same contiguous block in every call, so a thread streams
// the pages it first touched itself (local on a NUMA machine) and no work stealing blurs the timing.
template <class Body>
void static_for(std::size_t n, const Body& body) {
  char fork = 0, join = 0;  // only their addresses matter: ThreadSanitizer's synchronisation objects
  core::fork_join_release(&fork);
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, n),
      [&](const tbb::blocked_range<std::size_t>& r) {
        core::fork_join_acquire(&fork);
        body(r.begin(), r.end());
        core::fork_join_release(&join);
      },
      tbb::static_partitioner{});
  core::fork_join_acquire(&join);
}

template <class F>
double seconds_of(const F& f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// STREAM's check: replay the kernels on one scalar per array and compare every element with it.
void check(const char* name, const double* x, std::size_t n, double expected) {
  // The values are exact integers (15^k, 3*15^(k-1), 4*15^(k-1) after k repeats) while k is small, so any
  // difference is a real error; the relative tolerance is STREAM's for doubles.
  const double tolerance = 1e-13 * std::abs(expected);
  for (std::size_t i = 0; i < n; ++i)
    if (!(std::abs(x[i] - expected) <= tolerance))
      throw std::runtime_error("measure_bandwidth: array " + std::string(name) + "[" + std::to_string(i) + "] = " +
                               std::to_string(x[i]) + ", expected " + std::to_string(expected));
}

std::string quoted_if_needed(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string out = "\"";
  for (const char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

Bandwidth measure_bandwidth(int threads, std::size_t elements, int repeats) {
  if (threads < 1 || elements == 0 || repeats < 1)
    throw std::invalid_argument("measure_bandwidth: threads, elements and repeats must be positive");
  if (repeats > 200)  // the values grow 15-fold per repeat and would overflow near 260
    throw std::invalid_argument("measure_bandwidth: at most 200 repeats");
  const std::size_t n = elements;
  // Uninitialised on purpose: the pages must be first touched by the threads that will stream them.
  const auto a_owner = std::make_unique_for_overwrite<double[]>(n);
  const auto b_owner = std::make_unique_for_overwrite<double[]>(n);
  const auto c_owner = std::make_unique_for_overwrite<double[]>(n);
  double* __restrict a = a_owner.get();
  double* __restrict b = b_owner.get();
  double* __restrict c = c_owner.get();
  constexpr double scalar = 3.0;
  double best[4];
  std::fill(std::begin(best), std::end(best), std::numeric_limits<double>::infinity());

  tbb::task_arena arena(threads);
  arena.execute([&] {
    static_for(n, [&](std::size_t lo, std::size_t hi) {
      for (std::size_t i = lo; i < hi; ++i) {
        a[i] = 1.0;
        b[i] = 2.0;
        c[i] = 0.0;
      }
    });
    for (int k = 0; k < repeats; ++k) {
      best[0] = std::min(best[0], seconds_of([&] {
        static_for(n, [&](std::size_t lo, std::size_t hi) {
          for (std::size_t i = lo; i < hi; ++i) c[i] = a[i];
        });
      }));
      best[1] = std::min(best[1], seconds_of([&] {
        static_for(n, [&](std::size_t lo, std::size_t hi) {
          for (std::size_t i = lo; i < hi; ++i) b[i] = scalar * c[i];
        });
      }));
      best[2] = std::min(best[2], seconds_of([&] {
        static_for(n, [&](std::size_t lo, std::size_t hi) {
          for (std::size_t i = lo; i < hi; ++i) c[i] = a[i] + b[i];
        });
      }));
      best[3] = std::min(best[3], seconds_of([&] {
        static_for(n, [&](std::size_t lo, std::size_t hi) {
          for (std::size_t i = lo; i < hi; ++i) a[i] = b[i] + scalar * c[i];
        });
      }));
    }
  });

  double aj = 1.0, bj = 2.0, cj = 0.0;
  for (int k = 0; k < repeats; ++k) {
    cj = aj;
    bj = scalar * cj;
    cj = aj + bj;
    aj = bj + scalar * cj;
  }
  check("a", a, n, aj);
  check("b", b, n, bj);
  check("c", c, n, cj);

  const double array_bytes = static_cast<double>(n * sizeof(double));
  return {2 * array_bytes / best[0] / 1e9, 2 * array_bytes / best[1] / 1e9, 3 * array_bytes / best[2] / 1e9,
          3 * array_bytes / best[3] / 1e9, threads, n * sizeof(double)};
}

int parse_command_line(const char* program, int argc, char** argv, const boost::program_options::options_description& opts,
                       boost::program_options::variables_map& vm, const std::function<void()>& check) {
  namespace po = boost::program_options;
  try {
    po::store(po::parse_command_line(argc, argv, opts), vm);
    po::notify(vm);
    if (vm.count("help")) {
      std::cout << opts;
      return 0;
    }
    check();
  } catch (const po::error& e) {
    std::cerr << program << ": " << e.what() << "\n";
    return 2;
  } catch (const std::invalid_argument& e) {
    std::cerr << program << ": " << e.what() << "\n";
    return 2;
  }
  return -1;
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos && colon + 2 <= line.size()) return line.substr(colon + 2);
    }
  return "unknown";
}

std::string machine_tag() {
  return cpu_model() + ", " + std::to_string(std::thread::hardware_concurrency()) + " hardware threads";
}

std::string commit_tag() {
  return std::string(build_info::git_commit).substr(0, 12) + (build_info::git_dirty ? "+dirty" : "");
}

std::string compiler_tag() { return build_info::compiler; }

// A sanitized build is several times slower: its rows must not pass for the plain build type's.
std::string build_type_tag() {
  return std::string(build_info::build_type) +
         (*build_info::sanitizers ? std::string(" + ") + build_info::sanitizers : std::string());
}

std::string flags_tag() { return build_info::cxx_flags; }

std::vector<std::string> header_with_tags(std::vector<std::string> columns) {
  columns.insert(columns.begin(), {"date", "commit", "machine", "compiler", "flags", "build_type"});
  return columns;
}

std::vector<std::string> row_with_tags(std::vector<std::string> values) {
  values.insert(values.begin(), {io::utc_now_iso8601(), commit_tag(), machine_tag(), compiler_tag(), flags_tag(), build_type_tag()});
  return values;
}

std::string tag_lines() {
  return "machine:  " + machine_tag() + "\ncompiler: " + compiler_tag() + ", " + build_type_tag() + ", flags: " +
         flags_tag() + "\ncommit:   " + commit_tag() + "\n";
}

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  for (std::string item; std::getline(in, item, ',');) out.push_back(item);
  return out;
}

std::vector<int> thread_counts(const std::string& list) {
  if (!list.empty() && list.back() == ',')  // getline drops a trailing empty item
    throw std::invalid_argument("--threads wants positive integers separated by commas, got '" + list + "'");
  std::vector<int> counts;
  for (const std::string& t : split(list)) {
    std::size_t used = 0;
    int n = 0;
    try {
      n = std::stoi(t, &used);
    } catch (const std::logic_error&) {
      used = 0;
    }
    if (used == 0 || used != t.size() || n < 1)
      throw std::invalid_argument("--threads wants positive integers separated by commas, got '" + list + "'");
    counts.push_back(n);
  }
  if (counts.empty()) throw std::invalid_argument("--threads wants at least one thread count");
  return counts;
}

std::string fixed(double x, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return buf;
}

std::vector<PhaseTime> phase_times(const model::PhaseSeconds& phases, std::int64_t steps, double total_seconds,
                                   double min_share) {
  std::vector<PhaseTime> out;
  for (std::size_t ph = 0; ph < model::phase_count; ++ph) {
    if (phases[ph] <= min_share * total_seconds) continue;
    const auto phase = static_cast<model::Phase>(ph);
    out.push_back({phase, std::string(model::to_string(phase)), 1e3 * phases[ph] / static_cast<double>(steps),
                   phases[ph] / total_seconds});
  }
  return out;
}

std::string phase_column(const std::vector<PhaseTime>& times) {
  std::string column;
  for (const PhaseTime& t : times) column += (column.empty() ? "" : " ") + t.name + "=" + fixed(t.ms_per_step, 2);
  return column;
}

std::size_t peak_rss_bytes() {
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  return static_cast<std::size_t>(usage.ru_maxrss) * 1024;  // Linux reports KiB
}

std::size_t current_rss_bytes() {
  std::ifstream in("/proc/self/statm");
  std::size_t total_pages = 0, resident_pages = 0;
  if (!(in >> total_pages >> resident_pages)) return 0;
  return resident_pages * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

std::string csv_line(const std::vector<std::string>& fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line += ',';
    line += quoted_if_needed(fields[i]);
  }
  return line;
}

CsvLog::CsvLog(const std::string& path, const std::vector<std::string>& header) : path_(path), columns_(header.size()) {
  const std::string expected = csv_line(header);
  std::error_code ec;
  const bool fresh = !std::filesystem::exists(path, ec) || std::filesystem::file_size(path, ec) == 0;
  if (!fresh) {
    std::ifstream in(path);
    std::string first;
    std::getline(in, first);
    if (!first.empty() && first.back() == '\r') first.pop_back();
    if (first != expected)
      throw std::runtime_error(path + " has another header than this benchmark writes:\n  in the file: " + first +
                               "\n  expected:    " + expected +
                               "\nits rows would not line up; name a new file with --csv");
  }
  out_.open(path, std::ios::app);
  if (!out_) throw std::runtime_error("cannot open " + path + " for appending");
  if (fresh) {
    out_ << expected << '\n' << std::flush;
    if (!out_) throw std::runtime_error("cannot write to " + path);
  }
}

void CsvLog::row(const std::vector<std::string>& fields) {
  if (fields.size() != columns_)
    throw std::invalid_argument("CsvLog::row: " + std::to_string(fields.size()) + " fields for " +
                                std::to_string(columns_) + " columns in " + path_);
  out_ << csv_line(fields) << '\n' << std::flush;
  if (!out_) throw std::runtime_error("cannot write to " + path_);
}

}  // namespace pocsim::bench
