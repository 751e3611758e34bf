// Memory bandwidth of this machine, STREAM's four kernels per thread count: the ceiling against which a
// memory-bound model step (bench_epstein's large grids) is judged. An experiment, not a test: it reports,
// it fails only if the kernels computed wrong values.
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <boost/program_options.hpp>

#include "bench_common.hpp"
#include "io/provenance.hpp"

namespace po = boost::program_options;
using namespace pocsim;

int main(int argc, char** argv) {
  std::string threads = "1,2";
  std::size_t elements = std::size_t{1} << 25;
  int repeats = 5;
  std::string csv;
  po::options_description opts(
      "Usage: bench_bandwidth [options]\n\nMeasures memory bandwidth with STREAM's copy, scale, add and triad kernels\n"
      "(best of --repeats; GB/s = 1e9 bytes/s, counted as STREAM counts them).\n\nOptions");
  opts.add_options()("help,h", "show this help")
      ("threads", po::value(&threads)->default_value(threads), "thread counts, comma-separated")
      ("elements", po::value(&elements)->default_value(elements),
       "doubles per array (three arrays); keep each array several times larger than the last-level cache")
      ("repeats", po::value(&repeats)->default_value(repeats), "time each kernel this many times, keep the best")
      ("csv", po::value(&csv), "append the results to this CSV file")
      ("print-tags", "print the provenance fields every result row starts with (date, commit, machine, compiler,\n"
                     "flags, build type) as one CSV line, and exit: benchmarks/run.sh tags the sweep's row with it");
  po::variables_map vm;
  std::vector<int> thread_counts;
  auto check = [&] {
    thread_counts = bench::thread_counts(threads);
    if (elements == 0) throw std::invalid_argument("--elements wants a positive number of doubles per array");
    if (repeats < 1 || repeats > 200) throw std::invalid_argument("--repeats wants a whole number from 1 to 200");
  };
  if (const int stop = bench::parse_command_line("bench_bandwidth", argc, argv, opts, vm, check); stop >= 0) return stop;
  if (vm.count("print-tags")) {
    std::printf("%s\n", bench::csv_line(bench::row_with_tags({})).c_str());
    return 0;
  }

  std::printf("%sarrays:   3 x %.1f MiB (%zu doubles), best of %d\n\n", bench::tag_lines().c_str(),
              static_cast<double>(elements) * 8 / (1 << 20), elements, repeats);
  try {
    std::unique_ptr<bench::CsvLog> log;  // opened before measuring, so a wrong file fails at once
    if (!csv.empty())
      log = std::make_unique<bench::CsvLog>(csv, bench::header_with_tags({"threads", "array_bytes", "kernel", "gb_per_s"}));
    std::printf("%7s %11s %11s %11s %11s\n", "threads", "copy GB/s", "scale GB/s", "add GB/s", "triad GB/s");
    for (const int t : thread_counts) {
      const bench::Bandwidth bw = bench::measure_bandwidth(t, elements, repeats);
      std::printf("%7d %11.2f %11.2f %11.2f %11.2f\n", t, bw.copy_gbs, bw.scale_gbs, bw.add_gbs, bw.triad_gbs);
      std::fflush(stdout);
      if (log) {
        const std::pair<const char*, double> kernels[] = {
            {"copy", bw.copy_gbs}, {"scale", bw.scale_gbs}, {"add", bw.add_gbs}, {"triad", bw.triad_gbs}};
        for (const auto& [kernel, gbs] : kernels)
          log->row(bench::row_with_tags({std::to_string(t), std::to_string(bw.array_bytes), kernel, bench::fixed(gbs, 3)}));
      }
    }
    std::printf("\npeak RSS: %.1f MiB\n", static_cast<double>(bench::peak_rss_bytes()) / (1 << 20));
  } catch (const std::exception& e) {
    std::cerr << "bench_bandwidth: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
