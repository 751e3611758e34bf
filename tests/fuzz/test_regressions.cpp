// Every input the fuzzers ever found to crash or hang pocsim, replayed through the same harness in the
// ordinary build (and under ASan/UBSan in CI), so each finding stays fixed. scripts/fuzz.sh explains how
// a finding gets here.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "harness.hpp"
#include "support/support.hpp"

namespace {

std::vector<std::filesystem::path> inputs_in(const std::string& folder) {
  std::vector<std::filesystem::path> files;
  const std::filesystem::path dir = pocsim::test::source_path("tests/fuzz/regressions/" + folder);
  if (!std::filesystem::is_directory(dir)) return files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().filename().string().front() != '.') files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::uint8_t> bytes_of(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

template <class Harness>
void replay(const std::string& folder, Harness harness) {
  for (const std::filesystem::path& file : inputs_in(folder)) {
    INFO("input " << file.string());
    const std::vector<std::uint8_t> bytes = bytes_of(file);
    CHECK_NOTHROW(harness(bytes.data(), bytes.size()));
  }
}

}  // namespace

TEST_CASE("Scenario inputs the fuzzer found are refused or run without crashing", "[fuzz][hostile]") {
  replay("scenario", pocsim::fuzz::scenario_input);
}

TEST_CASE("Sweep-file inputs the fuzzer found are refused without crashing", "[fuzz][hostile]") {
  replay("sweep", pocsim::fuzz::sweep_input);
}
