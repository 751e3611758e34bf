// Hostile input: YAML bombs, enormous or non-finite numbers, devices and directories. Each is a clear
// error (exit code 2 from the command line), never a crash, a hang or a runaway allocation.
#include <catch2/catch.hpp>

#include <string>

#include "support/support.hpp"

using namespace pocsim;

namespace {
std::string errors_of(const std::string& text) { return test::scenario_errors(text); }

bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }
}  // namespace

TEST_CASE("brackets nested thousands deep are refused before the parser recurses", "[errors][hostile]") {
  const std::string deep = "run: {steps: 10}\ndescription: " + std::string(100000, '[') + std::string(100000, ']') + "\n";
  CHECK(errors_of(deep) == "s.yaml:2: error: brackets nested 100000 deep\n"
                           "  hint: no valid input nests more than 64 levels: check the brackets\n");
}

TEST_CASE("values nested deeper than any input needs are refused", "[errors][hostile]") {
  std::string text;
  for (int level = 0; level < 80; ++level) text += std::string(static_cast<std::size_t>(2 * level), ' ') + "k" + std::to_string(level) + ":\n";
  CHECK(contains(errors_of(text), "values nested more than 64 deep"));
}

TEST_CASE("a billion laughs: aliases that expand without end are refused", "[errors][hostile]") {
  std::string text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  const char* names = "abcdefgh";
  for (int i = 1; i < 8; ++i) {
    text += std::string(1, names[i]) + ": &" + names[i] + " [";
    for (int k = 0; k < 10; ++k) text += std::string(k ? ", *" : "*") + names[i - 1];
    text += "]\n";
  }
  CHECK(errors_of(text) == "s.yaml: error: holds more than 2000000 values once its aliases (*name) are expanded\n"
                           "  hint: write the values out, or use fewer aliases: no valid input is that large\n");
  // Aliases within reason are plain YAML and stay allowed.
  CHECK(errors_of("police: {density: &d 0.02}\nstate_forces: {raids: *d}\n") == "(no error)");
}

TEST_CASE("non-finite and enormous numbers name the key and the value", "[errors][hostile]") {
  CHECK(contains(errors_of("citizens: {legitimacy: nan}\n"), "citizens.legitimacy: 'nan' is not a finite number"));
  CHECK(contains(errors_of("citizens: {legitimacy: inf}\n"), "citizens.legitimacy: 'inf' is not a finite number"));
  CHECK(contains(errors_of("citizens: {legitimacy: .nan}\n"), "citizens.legitimacy: expected a number, got '.nan'"));
  CHECK(contains(errors_of("run: {steps: 1e999}\n"), "run.steps"));
  CHECK(contains(errors_of("run: {steps: 99999999999999999999999}\n"), "run.steps"));
}

TEST_CASE("devices, directories and missing files exit 2 with a reason", "[errors][hostile][cli]") {
  test::TempDir dir;
  CHECK(test::pocsim({"validate", "/dev/null"}) == 2);
  CHECK(test::pocsim({"validate", "/dev/zero"}) == 2);
  CHECK(test::pocsim({"validate", dir.path().string()}) == 2);
  CHECK(test::pocsim({"run", "/dev/urandom", "-o", dir.file("x.h5")}) == 2);
  CHECK(test::pocsim({"sweep", "/dev/zero", "-o", dir.file("y.h5")}) == 2);
  CHECK(test::pocsim({"compare", dir.path().string(), "--options", "/dev/null", "-o", dir.file("z.h5")}) == 2);
  CHECK_FALSE(std::filesystem::exists(dir.file("x.h5")));
}
