// The command line end to end, in-process: exit codes, files written or not, identical output across
// thread counts.
#include <catch2/catch.hpp>

#include <filesystem>

#include "io/hdf5.hpp"
#include "support/support.hpp"

using namespace pocsim;

namespace {
const std::string run2 = test::source_path("scenarios/epstein/run2.yaml");
}

TEST_CASE("pocsim run writes a complete file and exits 0", "[cli]") {
  test::TempDir dir;
  const std::string out = dir.file("r.h5");
  CHECK(test::pocsim({"run", run2, "-o", out, "--steps", "40", "--seed", "5", "--quiet"}) == 0);
  const io::Handle f = io::open_file_read(out);
  CHECK(io::get_int_attribute(f.id(), "complete") == 1);
  CHECK(io::get_int_attribute(f.id(), "seed") == 5);
  CHECK(io::read_int64(f.id(), "timeseries/step").size() == 41);
  CHECK_THAT(io::get_string_attribute(f.id(), "overrides"), Catch::Contains("run.seed=5"));
  CHECK_THAT(io::get_string_attribute(f.id(), "command_line"), Catch::Contains("--steps 40"));
}

TEST_CASE("pocsim output is identical with --threads 1 and --threads 2", "[cli][determinism]") {
  test::TempDir dir;
  for (const char* activation : {"sequential", "synchronous"}) {
    const std::string a = dir.file(std::string("a-") + activation + ".h5");
    const std::string b = dir.file(std::string("b-") + activation + ".h5");
    const std::string set = std::string("rules.activation=") + activation;
    REQUIRE(test::pocsim({"run", run2, "-o", a, "--threads", "1", "--set", set, "--steps", "200", "-q"}) == 0);
    REQUIRE(test::pocsim({"run", run2, "-o", b, "--threads", "2", "--set", set, "--steps", "200", "-q"}) == 0);
    const io::Handle fa = io::open_file_read(a);
    const io::Handle fb = io::open_file_read(b);
    for (const char* ds : {"timeseries/quiet", "timeseries/active", "timeseries/jailed", "snapshots/step"})
      CHECK(io::read_int64(fa.id(), ds) == io::read_int64(fb.id(), ds));
    CHECK(io::read_double(fa.id(), "timeseries/mean_grievance") == io::read_double(fb.id(), "timeseries/mean_grievance"));
    CHECK(io::read_uint8(fa.id(), "snapshots/cells") == io::read_uint8(fb.id(), "snapshots/cells"));
  }
}

TEST_CASE("bad input exits 2 and writes nothing", "[cli][errors]") {
  test::TempDir dir;
  const std::string out = dir.file("r.h5");
  CHECK(test::pocsim({"run", run2, "-o", out, "--set", "citizens.legitimacy=7", "-q"}) == 2);
  CHECK(test::pocsim({"run", dir.file("missing.yaml"), "-o", out}) == 2);
  CHECK(test::pocsim({"run", run2, "-o", out, "--threads", "many"}) == 2);
  CHECK(test::pocsim({"run", run2, "-o", out, "--no-such-option"}) == 2);
  CHECK(test::pocsim({"run"}) == 2);
  CHECK(test::pocsim({"frobnicate"}) == 2);
  CHECK(test::pocsim({"run", run2, "-o", dir.file("no/such/dir/r.h5"), "-q"}) == 2);
  // Refused before anything listens: side by side takes 1 to 32 replicates a side.
  CHECK(test::pocsim({"serve", run2, "--replicates", "0", "--port", "0", "-q"}) == 2);
  CHECK(test::pocsim({"serve", run2, "--replicates", "33", "--port", "0", "-q"}) == 2);
  CHECK(std::filesystem::is_empty(dir.path()));
}

TEST_CASE("an existing output is kept unless --force", "[cli]") {
  test::TempDir dir;
  const std::string out = test::write_text(dir.file("r.h5"), "precious");
  CHECK(test::pocsim({"run", run2, "-o", out, "--steps", "5", "-q"}) == 2);
  CHECK(std::filesystem::file_size(out) == 8);
  CHECK(test::pocsim({"run", run2, "-o", out, "--steps", "5", "-q", "--force"}) == 0);
  CHECK(std::filesystem::file_size(out) > 8);
}

TEST_CASE("validate, schema and help exit 0 on good input", "[cli]") {
  CHECK(test::pocsim({"validate", run2, test::source_path("scenarios/epstein/run5_cop_withdrawal.yaml")}) == 0);
  CHECK(test::pocsim({"schema"}) == 0);
  CHECK(test::pocsim({"--help"}) == 0);
  CHECK(test::pocsim({"run", "--help"}) == 0);
  CHECK(test::pocsim({"--version"}) == 0);
  test::TempDir dir;
  CHECK(test::pocsim({"validate", test::write_text(dir.file("bad.yaml"), "grid:\n  widht: 4\n")}) == 2);
}

TEST_CASE("pocsim compare and run --option: good input exits 0, bad input 2 and writes nothing", "[cli][compare]") {
  test::TempDir dir;
  const std::string sahel = test::source_path("scenarios/mission/sahel_mandate.yaml");
  const std::string option = test::write_text(dir.file("cvr.yaml"),
                                              "decision: 10\nlevers: [{lever: cvr, start: 10, region: north, budget: 5000, intensity: 100}]\n");
  const std::string bad = test::write_text(dir.file("bad.yaml"), "decision: 10\nlevers: [{lever: cvr, start: 5, intensity: 1}]\n");
  CHECK(test::pocsim({"compare", "--help"}) == 0);
  CHECK(test::pocsim({"compare", sahel, "-o", dir.file("none.h5"), "-q"}) == 2);                     // no option
  CHECK(test::pocsim({"compare", sahel, "--options", bad, "-o", dir.file("none.h5"), "-q"}) == 2);   // lever before the decision
  CHECK(test::pocsim({"compare", sahel, "--options", option, "-n", "0", "-o", dir.file("none.h5"), "-q"}) == 2);
  CHECK_FALSE(std::filesystem::exists(dir.file("none.h5")));
  CHECK(test::pocsim({"compare", sahel, "--options", option, "-n", "2", "--steps", "15", "-o", dir.file("c.h5"), "-q"}) == 0);
  CHECK(std::filesystem::exists(dir.file("c.csv")));
  CHECK(std::filesystem::exists(dir.file("c.md")));
  // The table's companions are outputs too: not overwritten without --force.
  CHECK(test::pocsim({"compare", sahel, "--options", option, "-n", "2", "--steps", "15", "-o", dir.file("c.h5"), "-q"}) == 2);
  CHECK(test::pocsim({"run", sahel, "--option", option, "--steps", "15", "-o", dir.file("r.h5"), "-q"}) == 0);
  const io::Handle f = io::open_file_read(dir.file("r.h5"));
  CHECK(io::get_string_attribute(f.id(), "option_yaml").rfind("decision: 10", 0) == 0);
  CHECK(test::pocsim({"run", sahel, "--option", bad, "--steps", "15", "-o", dir.file("r2.h5"), "-q"}) == 2);
}
