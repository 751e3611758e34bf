#include "io/provenance.hpp"

#include <chrono>
#include <ctime>

#include <unistd.h>

#include <boost/version.hpp>
#include <tbb/version.h>

#include "io/hdf5.hpp"
#include "model/mission/levers.hpp"
#include "pocsim/build_info.hpp"

namespace pocsim::io {

std::string utc_now_iso8601() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::vector<std::pair<std::string, std::string>> build_environment() {
  char host[256] = "unknown";
  gethostname(host, sizeof host - 1);
  const std::string boost = std::to_string(BOOST_VERSION / 100000) + "." + std::to_string(BOOST_VERSION / 100 % 1000) +
                            "." + std::to_string(BOOST_VERSION % 100);
  return {
      {"pocsim_version", build_info::version},
      {"git_commit", build_info::git_commit},
      {"git_dirty", build_info::git_dirty ? "true" : "false"},
      {"build_type", std::string(build_info::build_type) + (*build_info::sanitizers ? std::string(" + ") + build_info::sanitizers : std::string())},
      {"compiler", build_info::compiler},
      {"hdf5_version", hdf5_library_version()},
      {"tbb_version", TBB_runtime_version()},
      {"yaml_cpp_version", build_info::yaml_cpp_version},
      {"boost_version", boost},
      {"rng", "Philox4x32-10 (Random123), key = (seed, stream name), counter = (step, entity, block)"},
      {"hostname", host},
  };
}

void write_lever_table(long long file_id) {
  const auto id = static_cast<hid_t>(file_id);
  const Handle group = has_object(id, "levers") ? open_object(id, "levers") : create_group(id, "levers");
  std::vector<std::string> name, label, intensity, reach, cost, dose, intended;
  std::vector<double> intrusive, preset_budget, preset_intensity, intended_direction;
  for (const model::LeverInfo& l : model::lever_table) {
    name.emplace_back(l.name);
    label.emplace_back(l.label);
    intensity.emplace_back(l.intensity);
    reach.emplace_back(l.reach);
    cost.emplace_back(l.cost);
    intrusive.push_back(l.intrusive ? 1.0 : 0.0);
    preset_budget.push_back(l.preset_budget);
    preset_intensity.push_back(l.preset_intensity);
    dose.emplace_back(l.dose == model::Dose::budget ? "budget" : "intensity");
    intended.emplace_back(l.intended.quantity);
    intended_direction.push_back(l.intended.direction);
  }
  set_attribute(group.id(), "description",
                std::string("The lever table (sim/model/mission/levers.hpp): one entry per lever kind, in the order of every "
                            "'lever' dimension of this file"));
  set_attribute(group.id(), "name", name);
  set_attribute(group.id(), "label", label);
  set_attribute(group.id(), "intensity", intensity);
  set_attribute(group.id(), "reach", reach);
  set_attribute(group.id(), "cost", cost);
  set_attribute(group.id(), "intrusive", intrusive);
  set_attribute(group.id(), "preset_budget", preset_budget);
  set_attribute(group.id(), "preset_intensity", preset_intensity);
  set_attribute(group.id(), "dose", dose);
  set_attribute(group.id(), "intended", intended);
  set_attribute(group.id(), "intended_direction", intended_direction);
}

void write_provenance(long long file_id, const RunProvenance& p) {
  const auto id = static_cast<hid_t>(file_id);
  for (const auto& [key, value] : build_environment()) set_attribute(id, key, value);
  set_attribute(id, "scenario_path", p.scenario_path);
  set_attribute(id, "scenario_yaml", p.scenario_text);
  if (!p.scenario_bases.empty()) set_attribute(id, "scenario_bases", p.scenario_bases);
  if (!p.option_path.empty()) {
    set_attribute(id, "option_path", p.option_path);
    set_attribute(id, "option_yaml", p.option_text);
  }
  set_attribute(id, "parameters_resolved", p.parameters_resolved);
  set_attribute(id, "overrides", p.overrides);
  set_attribute(id, "command_line", p.command_line);
  set_attribute(id, "seed", static_cast<std::int64_t>(p.seed));
  set_attribute(id, "threads", static_cast<std::int64_t>(p.threads));
  set_attribute(id, "start_time", p.start_time);
  write_lever_table(file_id);
}

}  // namespace pocsim::io
