#pragma once
// Where a result came from: enough to reproduce it, written as attributes on the root of every file.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace pocsim::io {

struct RunProvenance {
  std::string scenario_path;
  std::string scenario_text;         // verbatim
  std::string scenario_bases;        // the files it overlays (base: ...), each verbatim under a '# ---- path' line
  std::string option_path;           // a mandate option's file, when the run adds one (pocsim run --option)
  std::string option_text;           // verbatim
  std::string parameters_resolved;   // every parameter in force, defaults and overrides included
  std::string overrides;             // the --set options, one per line
  std::string command_line;
  std::uint64_t seed = 0;
  int threads = 0;
  std::string start_time;            // UTC, ISO 8601
};

// Program and build facts: version, git commit, build type, compiler, library versions, host.
std::vector<std::pair<std::string, std::string>> build_environment();

std::string utc_now_iso8601();

// The provenance attributes on the file's root, and the lever table in /levers.
void write_provenance(long long file_id, const RunProvenance& p);

// The lever table (model/mission/levers.hpp) as the group /levers: a string or number list attribute per
// column (name, label, intensity, reach, cost, intrusive, preset_budget, preset_intensity), in LeverKind order.
void write_lever_table(long long file_id);

}  // namespace pocsim::io
