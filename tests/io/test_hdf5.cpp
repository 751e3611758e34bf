#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "io/hdf5.hpp"
#include "io/pending_file.hpp"
#include "io/run_writer.hpp"
#include "model/report.hpp"
#include "support/support.hpp"

using namespace pocsim;

namespace {
io::RunProvenance provenance_for(const scenario::Scenario& s) {
  io::RunProvenance p;
  p.scenario_path = s.path;
  p.scenario_text = s.text;
  p.parameters_resolved = s.resolved_yaml;
  p.seed = s.params().run.seed;
  p.threads = 1;
  p.start_time = io::utc_now_iso8601();
  return p;
}
}  // namespace

TEST_CASE("a run written to HDF5 reads back exactly, with provenance and units", "[io]") {
  test::TempDir dir;
  const std::string path = dir.file("run.h5");
  const auto sc = scenario::load_scenario(test::source_path("scenarios/epstein/run2.yaml"), {"run.steps=60"});
  const model::Params& p = sc.params();
  std::vector<model::StepRecord> records;
  std::vector<std::vector<std::uint8_t>> snaps;
  {
    io::RunWriter w(path, provenance_for(sc), p.grid.height, p.grid.width);
    model::Model m(p);
    for (std::int64_t s = 0; s <= p.run.steps; ++s) {
      if (s > 0) m.step();
      records.push_back(model::measure(m));
      w.record(model::report(m));
      if (s % 20 == 0) {
        snaps.push_back(model::cell_codes(m));
        w.snapshot(s, model::snapshot_layers(m));
      }
    }
    CHECK_FALSE(std::filesystem::exists(path));  // not before it is complete
    w.finish(0.5);
  }
  REQUIRE(std::filesystem::exists(path));
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), {}) == 1);  // no temporary left

  const io::Handle f = io::open_file_read(path);
  const auto active = io::read_int64(f.id(), "timeseries/active");
  const auto legitimacy = io::read_double(f.id(), "timeseries/legitimacy");
  REQUIRE(active.size() == records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    CHECK(active[i] == records[i].active);
    CHECK(legitimacy[i] == records[i].legitimacy);
  }
  CHECK(io::read_int64(f.id(), "timeseries/step").back() == 60);
  CHECK(io::read_double(f.id(), "timeseries/mean_grievance")[5] == records[5].mean_grievance);
  std::vector<hsize_t> dims;
  const auto cells = io::read_uint8(f.id(), "snapshots/cells", &dims);
  CHECK(dims == std::vector<hsize_t>{4, 40, 40});
  CHECK(std::equal(snaps[2].begin(), snaps[2].end(), cells.begin() + 2 * 1600));
  CHECK(io::read_int64(f.id(), "snapshots/step") == std::vector<std::int64_t>{0, 20, 40, 60});

  CHECK(io::get_int_attribute(f.id(), "complete") == 1);
  CHECK(io::get_string_attribute(f.id(), "scenario_yaml") == sc.text);
  CHECK(io::get_string_attribute(f.id(), "parameters_resolved") == sc.resolved_yaml);
  CHECK(io::get_int_attribute(f.id(), "seed") == 1);
  for (const char* key : {"pocsim_version", "git_commit", "build_type", "compiler", "hdf5_version", "tbb_version",
                          "yaml_cpp_version", "boost_version", "start_time", "end_time", "hostname"}) {
    INFO(key);
    CHECK_FALSE(io::get_string_attribute(f.id(), key).empty());
  }
  const io::Handle ds = io::open_object(f.id(), "timeseries/active");
  CHECK(io::get_string_attribute(ds.id(), "units") == "citizens");
  CHECK_FALSE(io::get_string_attribute(ds.id(), "description").empty());
}

TEST_CASE("an unfinished writer leaves no file behind", "[io]") {
  test::TempDir dir;
  const auto sc = scenario::load_scenario(test::source_path("scenarios/epstein/run2.yaml"));
  {
    io::RunWriter w(dir.file("x.h5"), provenance_for(sc), 40, 40);
    w.record(model::report(model::Model(sc.params())));
  }
  CHECK(std::filesystem::is_empty(dir.path()));
}

TEST_CASE("an unwritable output path is an HDF5 error, not a crash", "[io]") {
  const auto sc = scenario::load_scenario(test::source_path("scenarios/epstein/run2.yaml"));
  CHECK_THROWS_AS(io::RunWriter("/no/such/dir/x.h5", provenance_for(sc), 40, 40), io::Hdf5Error);
}

TEST_CASE("attributes larger than 64 KiB are written and read back", "[io]") {
  // A sweep with thousands of failed runs keeps every message in one attribute.
  test::TempDir dir;
  const std::string path = dir.file("big.h5");
  std::vector<std::string> messages;
  for (int i = 0; i < 5000; ++i) messages.push_back(std::to_string(i) + ": the run failed for a reason worth reading in full");
  {
    const io::Handle f = io::create_file(path);
    io::set_attribute(f.id(), "errors", messages);
    io::set_attribute(f.id(), "text", std::string(200000, 'x'));
  }
  const io::Handle f = io::open_file_read(path);
  CHECK(io::get_string_list_attribute(f.id(), "errors") == messages);
  CHECK(io::get_string_attribute(f.id(), "text").size() == 200000);
}

TEST_CASE("an output never replaces a result another run wrote meanwhile, and replaces one that was there at the start", "[io]") {
  test::TempDir dir;
  const std::string path = dir.file("out.h5");
  {
    io::PendingFile mine(path);
    test::write_text(path, "another run's result\n");  // written while this one was writing
    try {
      mine.close_complete(1.0);
      FAIL("no error");
    } catch (const io::Hdf5Error& e) {
      CHECK_THAT(e.what(), Catch::Contains(path + " appeared while this command was writing it (another run wrote it meanwhile); "
                                                   "it was left as it is, and this result is kept as "));
    }
  }
  std::ifstream other(path);
  CHECK(std::string(std::istreambuf_iterator<char>(other), {}) == "another run's result\n");
  // The kept result is a complete file under its temporary name.
  bool kept = false;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    kept |= entry.path().filename().string().rfind(".out.h5.partial-", 0) == 0;
  CHECK(kept);
  // There at the start (what --force allows): replaced.
  {
    io::PendingFile forced(path);
    forced.close_complete(1.0);
  }
  const io::Handle f = io::open_file_read(path);
  CHECK(io::get_int_attribute(f.id(), "complete") == 1);
}
