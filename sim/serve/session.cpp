#include "serve/session.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>

#include <yaml-cpp/yaml.h>

#include "core/rng.hpp"
#include "core/text.hpp"
#include "io/run_writer.hpp"
#include "model/observables.hpp"
#include "model/report.hpp"
#include "scenario/calendar.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/parameters.hpp"

namespace pocsim::serve {

namespace {

// ---- JSON output ---------------------------------------------------------------------------------------

std::string json_string(const std::string& s) { return core::json_quoted(s); }

std::string number(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// Every digit a double needs to read back as the same double (a saved record must replay exactly).
std::string exact_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

template <class T, class F>
std::string array(const std::vector<T>& values, F&& each) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += each(values[i]);
  }
  return out + "]";
}

std::string strings(const std::vector<std::string>& v) { return array(v, [](const std::string& x) { return json_string(x); }); }

// ---- Grids for the page ------------------------------------------------------------------------------------

// Grids go to the page as typed arrays in base64 (a byte a code, four a value), not as JSON numbers: a
// quarter to a half of the size, and decoded without parsing. The page reads values as a Float32Array,
// which is little-endian on every platform a browser runs on.
static_assert(std::endian::native == std::endian::little, "the page reads grids as little-endian typed arrays");
std::string base64(const void* data, std::size_t n) {
  static constexpr char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const auto* b = static_cast<const unsigned char*>(data);
  std::string out;
  out.reserve((n + 2) / 3 * 4 + 2);
  out += '"';
  std::size_t i = 0;
  for (; i + 2 < n; i += 3) {
    const std::uint32_t v = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
    for (int shift : {18, 12, 6, 0}) out += digits[(v >> shift) & 63];
  }
  if (i < n) {
    const std::uint32_t v = (b[i] << 16) | (i + 1 < n ? b[i + 1] << 8 : 0);
    out += digits[(v >> 18) & 63];
    out += digits[(v >> 12) & 63];
    out += i + 1 < n ? digits[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out + '"';
}
template <class T>
std::string typed_array(const std::vector<T>& v) { return base64(v.data(), v.size() * sizeof(T)); }

// On a large grid the page's map is made of blocks of scale x scale cells (a screen has fewer pixels than
// a national grid has cells), so that a frame stays small enough for a room's network and a browser.
struct MapGrid {
  int width = 0, height = 0;   // of the grid
  int scale = 1;               // cells along each side of a block
  [[nodiscard]] int map_width() const { return (width + scale - 1) / scale; }
  [[nodiscard]] int map_height() const { return (height + scale - 1) / scale; }

  explicit MapGrid(const model::GridParams& g) : width(g.width), height(g.height) {
    const double cells = static_cast<double>(g.width) * g.height;
    if (cells > static_cast<double>(large_grid_cells)) scale = static_cast<int>(std::ceil(std::sqrt(cells / static_cast<double>(large_grid_cells))));
  }
  // Calls f(block, cell) for every cell, with the index of the block it falls in.
  template <class F>
  void each(F&& f) const {
    for (int y = 0; y < height; ++y)
      for (int x = 0; x < width; ++x)
        f(static_cast<std::size_t>(y / scale) * map_width() + x / scale, static_cast<std::size_t>(y) * width + x);
  }
  // Codes per block: the most frequent, the larger on a tie (police over citizens, rebels over the quiet).
  // Block by block, through one buffer: a frame makes no allocation per block.
  template <class T>
  [[nodiscard]] std::vector<T> mode(const std::vector<T>& codes) const {
    if (scale == 1) return codes;
    std::vector<T> out(static_cast<std::size_t>(map_width()) * map_height());
    std::vector<T> block;
    for (int by = 0; by < map_height(); ++by)
      for (int bx = 0; bx < map_width(); ++bx) {
        block.clear();
        for (int y = by * scale; y < std::min(height, (by + 1) * scale); ++y)
          for (int x = bx * scale; x < std::min(width, (bx + 1) * scale); ++x) block.push_back(codes[static_cast<std::size_t>(y) * width + x]);
        std::sort(block.begin(), block.end());
        T& best = out[static_cast<std::size_t>(by) * map_width() + bx];
        std::size_t most = 0;
        for (std::size_t i = 0; i < block.size();) {
          std::size_t j = i;
          while (j < block.size() && block[j] == block[i]) ++j;
          if (j - i >= most) {
            most = j - i;
            best = block[i];
          }
          i = j;
        }
      }
    return out;
  }
  // Values per block: the sum, so that totals (deaths, volumes) are kept.
  [[nodiscard]] std::vector<float> sum(const std::vector<float>& values) const {
    if (scale == 1) return values;
    std::vector<float> out(static_cast<std::size_t>(map_width()) * map_height(), 0.0f);
    each([&](std::size_t block, std::size_t cell) { out[block] += values[cell]; });
    return out;
  }
  // Flags per block: set where any cell is (a road stays continuous).
  [[nodiscard]] std::vector<std::uint8_t> any(const std::vector<std::uint8_t>& flags) const {
    if (scale == 1) return flags;
    std::vector<std::uint8_t> out(static_cast<std::size_t>(map_width()) * map_height(), 0);
    each([&](std::size_t block, std::size_t cell) { out[block] |= flags[cell] != 0; });
    return out;
  }
};

// ---- What can be steered ---------------------------------------------------------------------------------

// Levers a trainer switches on with one click, at the lever table's presets (amounts like the library's
// options, per step).
const std::map<std::string, model::LeverInfo>& lever_presets() {
  static const std::map<std::string, model::LeverInfo> presets = [] {
    std::map<std::string, model::LeverInfo> m;
    for (const model::LeverInfo& l : model::lever_table) m.emplace(std::string(l.name), l);
    return m;
  }();
  return presets;
}
// Not a lever of the model: the bases in the region hold this many times their troops while it is on.
constexpr const char* troop_surge = "troop_surge";
constexpr double surge_factor = 2.0;

}  // namespace

std::vector<std::string> steerable_levers() {
  std::vector<std::string> kinds;
  for (const auto& [name, preset] : lever_presets()) kinds.push_back(name);
  kinds.push_back(troop_surge);
  return kinds;
}

namespace {

// Parameters the phases read afresh every step, so that moving them mid-run is meaningful and exact, with
// the top of each slider (within the parameter's documented range, which the server enforces).
// A slider: its key, the top of its range on the page, and what a room reads beside it (the parameter
// table's meaning, often a formula, goes in the tooltip).
struct Slider {
  std::string key;
  double top;
  std::string label;
};
const std::vector<Slider>& sliders() {
  static const std::vector<Slider> all{
      {"armed_groups.clash_rate", 1, "How often armed groups clash (chance per step)"},
      {"armed_groups.civilian_targeting", 0.1, "How often armed units attack civilians (chance per step)"},
      {"armed_groups.deterrence", 1, "How strongly groups keep away from stronger forces"},
      {"citizens.moral_cost", 2, "How much people shun crime (0: not at all)"},
      {"mission.listing_rate", 1, "How fast the sanctions committee lists a target (chance per step)"},
      {"mission.cross_border_enforcement", 1, "How far neighbouring states enforce sanctions (0 to 1)"}};
  return all;
}
}  // namespace

const std::vector<std::string>& steerable_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> k;
    for (const Slider& s : sliders()) k.push_back(s.key);
    return k;
  }();
  return keys;
}

namespace {

// A slider's value in force, read through the parameter table's binding.
double current_value(const model::Params& p, const std::string& key) { return scenario::find_parameter(key)->get(p).real; }

std::int16_t region_index(const model::Params& p, const std::string& region) {
  for (std::size_t r = 0; r < p.geography.regions.size(); ++r)
    if (p.geography.regions[r].name == region) return static_cast<std::int16_t>(r);
  return -1;
}

bool same_target(const model::LeverDef& l, model::LeverKind kind, std::int16_t region) {
  return l.kind == kind && l.region_index == region;
}

// Whether a lever of this kind and target is in force from `step` on.
bool lever_in_force(const model::Params& p, model::LeverKind kind, std::int16_t region, std::int64_t step) {
  return std::any_of(p.mission.levers.begin(), p.mission.levers.end(), [&](const model::LeverDef& l) {
    return same_target(l, kind, region) && l.in_force(step);
  });
}

// Whether a base stands in `region` ("" = everywhere), by the region of its cell as the model assigns it.
bool base_in(const model::Model& m, const model::BaseDef& b, const std::string& region) {
  if (region.empty()) return true;
  return m.geography().region[m.grid().index(b.at[0], b.at[1])] == region_index(m.params(), region);
}

}  // namespace

void apply_steering(model::Model& m, const SteeringEntry& e) {
  const model::Params& p = m.params();
  if (e.action == "slider") {
    const scenario::ParamSpec* spec = scenario::find_parameter(e.key);
    scenario::Value v;
    v.real = e.value;
    m.steer([&](model::Params& params) { spec->set(params, v); });
    return;
  }
  if (e.kind == troop_surge) {
    m.steer([&](model::Params& params) {
      for (model::BaseDef& b : params.mission.bases)
        if (base_in(m, b, e.region)) b.surge = e.action == "lever_on" ? surge_factor : 1.0;
    });
    return;
  }
  const model::LeverInfo& preset = lever_presets().at(e.kind);
  const std::int16_t region = region_index(p, e.region);
  if (e.action == "lever_on") {
    model::LeverDef l{};
    l.kind = preset.kind;
    l.start = e.step;
    l.end = 0;
    l.region = e.region;
    l.region_index = region;
    l.budget = std::isfinite(e.budget) ? e.budget : preset.preset_budget;
    l.intensity = std::isfinite(e.intensity) ? e.intensity : preset.preset_intensity;
    m.steer([&](model::Params& params) { params.mission.levers.push_back(l); });
  } else {
    m.steer([&](model::Params& params) {
      for (model::LeverDef& l : params.mission.levers)
        if (same_target(l, preset.kind, region) && l.in_force(e.step)) {
          // end = 0 means "to the end of the run": a lever not yet started is moved past every step instead.
          if (e.step - 1 < l.start) l.start = std::numeric_limits<std::int64_t>::max();
          else l.end = e.step - 1;
        }
    });
  }
}

namespace {

// Applies the changes of `record` from `applied` on that are due before the model's next step.
void apply_due(model::Model& m, const std::vector<SteeringEntry>& record, std::size_t& applied) {
  while (applied < record.size() && record[applied].step <= m.current_step() + 1) apply_steering(m, record[applied++]);
}

}  // namespace

// ---- Steering records as JSON ---------------------------------------------------------------------------

std::string to_json(const std::vector<SteeringEntry>& record) {
  return array(record, [](const SteeringEntry& e) {
    std::string out = "{\"step\":" + std::to_string(e.step) + ",\"action\":" + json_string(e.action);
    if (!e.kind.empty()) out += ",\"kind\":" + json_string(e.kind) + ",\"region\":" + json_string(e.region);
    if (!e.key.empty()) out += ",\"key\":" + json_string(e.key) + ",\"value\":" + exact_number(e.value);
    if (std::isfinite(e.budget)) out += ",\"budget\":" + exact_number(e.budget);
    if (std::isfinite(e.intensity)) out += ",\"intensity\":" + exact_number(e.intensity);
    return out + "}";
  });
}

namespace {
// What every entry must be, whatever the run it steers.
void check_entry(const SteeringEntry& e, const std::string& where) {
  if (e.action == "slider") {
    const auto& keys = steerable_keys();
    const scenario::ParamSpec* spec = scenario::find_parameter(e.key);
    if (std::find(keys.begin(), keys.end(), e.key) == keys.end() || !spec)
      throw std::invalid_argument(where + "'" + e.key + "' cannot change during a run; these can: " + core::join(keys));
    if (!(e.value >= spec->min && e.value <= spec->max))
      throw std::invalid_argument(where + e.key + " = " + number(e.value) + " is out of range: " + scenario::describe_allowed(*spec));
  } else if (e.action == "lever_on" || e.action == "lever_off") {
    if (e.kind != troop_surge && !lever_presets().count(e.kind))
      throw std::invalid_argument(where + "unknown lever '" + e.kind + "': levers are " + core::join(steerable_levers()));
    for (const double amount : {e.budget, e.intensity})
      if (!std::isnan(amount) && !(amount >= 0 && std::isfinite(amount)))
        throw std::invalid_argument(where + "a lever's budget and intensity are numbers of at least 0, got " + number(amount));
  } else {
    throw std::invalid_argument(where + "unknown action '" + e.action + "': actions are lever_on, lever_off, slider");
  }
}
}  // namespace

void check_steering_entry(const SteeringEntry& e, const model::Params& p) {
  check_entry(e, "");
  if (!e.region.empty() && region_index(p, e.region) < 0) {
    std::vector<std::string> names;
    for (const auto& r : p.geography.regions) names.push_back(r.name);
    throw std::invalid_argument("no region '" + e.region + "' in this scenario" +
                                (names.empty() ? std::string(": it has none (leave the region out: everywhere)") : ": its regions are " + core::join(names)));
  }
}

std::vector<SteeringEntry> steering_from_json(const std::string& json) {
  std::vector<SteeringEntry> record;
  try {
    const YAML::Node list = YAML::Load(json);
    if (!list.IsSequence()) throw std::invalid_argument("the steering record is not a list");
    for (const YAML::Node& n : list) {
      SteeringEntry e;
      e.step = n["step"].as<std::int64_t>();
      e.action = n["action"].as<std::string>();
      if (n["kind"]) e.kind = n["kind"].as<std::string>();
      if (n["region"]) e.region = n["region"].as<std::string>();
      if (n["key"]) e.key = n["key"].as<std::string>();
      if (n["value"]) e.value = n["value"].as<double>();
      if (n["budget"]) e.budget = n["budget"].as<double>();
      if (n["intensity"]) e.intensity = n["intensity"].as<double>();
      record.push_back(e);
    }
  } catch (const YAML::Exception& ex) {
    throw std::invalid_argument(std::string("the steering record cannot be read: ") + ex.what());
  }
  std::int64_t previous = 1;
  for (const SteeringEntry& e : record) {
    const std::string where = "steering entry at step " + std::to_string(e.step) + ": ";
    if (e.step < previous) throw std::invalid_argument(where + "entries must be in step order, from step 1");
    previous = e.step;
    check_entry(e, where);
  }
  return record;
}

// ---- The session ----------------------------------------------------------------------------------------

namespace {

// This step's outcomes and each group's revenue in dollars: what the charts show.
std::vector<double> observe(model::OutcomeMeter& meter, const model::Model& m) {
  std::vector<double> v = meter.observe(m);
  if (m.conflict().active)
    for (const model::GroupFlows& g : m.conflict().now.groups)
      v.push_back(static_cast<double>(g.taxes + g.mines + g.extortion + g.dividend) / 100.0);
  return v;
}

}  // namespace

// One replicate of a pane: its model, how much of the pane's record it has applied, its outcomes so far.
struct Session::Run {
  std::unique_ptr<model::Model> model;
  std::size_t applied = 0;            // entries of the pane's record already applied to the model
  model::OutcomeMeter meter;
  std::vector<std::vector<double>> outcomes;  // per step: outcome_specs() values, then revenue per group ($)

  Run() = default;
  // A copy goes on on its own: the side with a lever branches from the side without it.
  Run(const Run& o) : model(std::make_unique<model::Model>(*o.model)), applied(o.applied), meter(o.meter), outcomes(o.outcomes) {}
  Run(Run&&) = default;
  Run& operator=(Run&&) = default;

  // Changes take effect from their step: applied just before it, whenever they were made.
  void step(const std::vector<SteeringEntry>& record) {
    apply_due(*model, record, applied);
    model->step();
    outcomes.push_back(observe(meter, *model));
  }
};

struct Session::Pane {
  std::string label;
  std::vector<SteeringEntry> record;  // every change this pane's runs have had, in step order
  std::vector<Run> runs;              // its replicates; the map shows the first
};

Session::Session(scenario::Scenario scenario, int threads, std::vector<SteeringEntry> replay, bool replay_mode,
                 std::int64_t replay_steps)
    : scenario_(std::move(scenario)), limit_(threads), replay_(std::move(replay)), replay_mode_(replay_mode),
      last_step_(replay_mode ? std::min(replay_steps, scenario_.params().run.steps) : scenario_.params().run.steps),
      replicates_(static_cast<std::int64_t>(scenario_.params().grid.width) * scenario_.params().grid.height > large_grid_cells
                      ? 1
                      : default_side_by_side_replicates) {
  for (const SteeringEntry& e : replay_)
    if (!e.region.empty() && region_index(scenario_.params(), e.region) < 0)
      throw std::invalid_argument("the steering record names region '" + e.region + "', which the scenario does not have");
  start_over();
}

Session::~Session() = default;

void Session::start_over() {
  panes_.clear();
  auto pane = std::make_unique<Pane>();
  pane->label = replay_mode_ ? "replay" : "baseline";
  pane->record = replay_;
  pane->runs.push_back(start_run(scenario_.params()));
  panes_.push_back(std::move(pane));
}

Session::Run Session::start_run(const model::Params& params) {
  Run run;
  limit_.run([&] { run.model = std::make_unique<model::Model>(params); });
  run.outcomes.push_back(observe(run.meter, *run.model));
  run.model->clear_accumulated_maps();
  return run;
}

void Session::set_replicates(int n) {
  if (n < 1 || n > max_side_by_side_replicates)
    throw std::invalid_argument("replicates must be 1 to " + std::to_string(max_side_by_side_replicates) + ", not " + std::to_string(n));
  if (panes_.size() > 1) throw std::invalid_argument("the number of replicates cannot change while comparing side by side");
  replicates_ = n;
}

std::int64_t Session::step() const { return panes_.front()->runs.front().model->current_step(); }

void Session::add_entry(std::size_t pane, SteeringEntry e) {
  Pane& p = *panes_[pane];
  p.record.push_back(std::move(e));
}

std::string Session::advance() {
  if (step() >= last_step_) {
    playing_ = false;
    return "";
  }
  limit_.run([&] {
    for (auto& pane : panes_)
      for (Run& run : pane->runs) run.step(pane->record);
  });
  std::string out = frame();
  for (auto& pane : panes_)  // the maps show each step's own events
    for (Run& run : pane->runs) run.model->clear_accumulated_maps();
  if (step() >= last_step_) playing_ = false;
  return out;
}

const std::vector<std::vector<double>>& Session::outcome_history(std::size_t pane, std::size_t replicate) const {
  return panes_.at(pane)->runs.at(replicate).outcomes;
}

namespace {
// A step's row of a pane's outcomes holds every outcome, then each group's revenue.
std::vector<double> group_revenue(const std::vector<double>& row) {
  return {row.begin() + static_cast<std::ptrdiff_t>(model::outcome_specs().size()), row.end()};
}

// Each replicate's row of outcomes at step index t.
template <class Runs>
std::vector<std::vector<double>> rows_at(const Runs& runs, std::size_t t) {
  std::vector<std::vector<double>> rows;
  for (const auto& run : runs) rows.push_back(run.outcomes[t]);
  return rows;
}

// Per column of the replicates' rows: the mean, the lowest and the highest.
struct Spread {
  std::vector<double> mean, lo, hi;
};
Spread spread(const std::vector<std::vector<double>>& rows) {
  Spread s;
  const std::size_t n = rows.front().size();
  s.mean.assign(n, 0.0);
  s.lo.assign(n, std::numeric_limits<double>::infinity());
  s.hi.assign(n, -std::numeric_limits<double>::infinity());
  for (const std::vector<double>& row : rows)
    for (std::size_t k = 0; k < n; ++k) {
      s.mean[k] += row[k];
      s.lo[k] = std::min(s.lo[k], row[k]);
      s.hi[k] = std::max(s.hi[k], row[k]);
    }
  for (double& m : s.mean) m /= static_cast<double>(rows.size());
  return s;
}

// With minus without, replicate by replicate (the two sides share each replicate's seed).
std::vector<std::vector<double>> paired_differences(const std::vector<std::vector<double>>& with,
                                                    const std::vector<std::vector<double>>& without) {
  std::vector<std::vector<double>> d = with;
  for (std::size_t r = 0; r < d.size(); ++r)
    for (std::size_t k = 0; k < d[r].size(); ++k) d[r][k] -= without[r][k];
  return d;
}

std::string pair(double a, double b) { return "[" + number(a) + "," + number(b) + "]"; }
}  // namespace

std::string Session::hello() const {
  const model::Model& m = *panes_.front()->runs.front().model;
  const model::Params& p = m.params();
  std::ostringstream o;
  o << "{\"type\":\"hello\",\"scenario\":{\"name\":" << json_string(scenario::scenario_name(scenario_.path))
    << ",\"description\":" << json_string(scenario_.params().description) << ",\"width\":" << p.grid.width
    << ",\"height\":" << p.grid.height << ",\"steps\":" << last_step_ << ",\"step_length\":" << json_string(p.run.step_length)
    << ",\"start_date\":" << json_string(p.run.start_date);
  // Every step's date, so the charts' time axes read as dates, as the reports' do.
  o << ",\"dates\":[";
  for (std::int64_t t = 0; t <= last_step_; ++t)
    o << (t ? "," : "") << json_string(scenario::date_of_step(p.run.start_date, p.run.step_length, t));
  o << "]}";
  std::vector<std::string> region_names;
  for (const auto& r : p.geography.regions) region_names.push_back(r.name);
  // The map: per cell of the grid, or per block of `scale` x `scale` cells on a large grid (MapGrid).
  const MapGrid map(p.grid);
  std::vector<std::int16_t> region(m.geography().region.begin(), m.geography().region.end());
  for (std::int16_t& r : region) r = std::max<std::int16_t>(r, -1);
  o << ",\"map\":{\"width\":" << map.map_width() << ",\"height\":" << map.map_height() << ",\"scale\":" << map.scale
    << ",\"region\":" << typed_array(map.mode(region)) << ",\"region_names\":" << strings(region_names)
    << ",\"road\":" << typed_array(map.any(m.geography().road)) << ",\"points\":"
    << array(p.geography.points, [](const model::PointDef& pt) {
         return "{\"name\":" + json_string(pt.name) + ",\"x\":" + std::to_string(pt.at[0]) + ",\"y\":" + std::to_string(pt.at[1]) + "}";
       })
    << ",\"bases\":"
    << array(p.mission.bases, [](const model::BaseDef& b) {
         return "{\"name\":" + json_string(b.name) + ",\"x\":" + std::to_string(b.at[0]) + ",\"y\":" + std::to_string(b.at[1]) + "}";
       })
    << "}";
  o << ",\"groups\":" << strings(m.conflict().active ? m.conflict().names : std::vector<std::string>{});
  o << ",\"levers\":" << strings(m.mission().active && !replay_mode_ ? steerable_levers() : std::vector<std::string>{});
  // What the page calls each lever: the lever table's labels.
  o << ",\"lever_labels\":{";
  for (std::size_t i = 0; i < model::lever_kind_count; ++i)
    o << (i ? "," : "") << json_string(std::string(model::lever_table[i].name)) << ":" << json_string(std::string(model::lever_table[i].label));
  o << "," << json_string(troop_surge) << ":\"troop surge\"}";
  o << ",\"sliders\":[";
  bool first = true;
  for (const Slider& sl : replay_mode_ ? std::vector<Slider>{} : sliders()) {
    const scenario::ParamSpec* spec = scenario::find_parameter(sl.key);
    o << (first ? "" : ",") << "{\"key\":" << json_string(sl.key) << ",\"label\":" << json_string(sl.label) << ",\"detail\":"
      << json_string(spec->meaning) << ",\"units\":" << json_string(spec->unit) << ",\"min\":" << number(spec->min)
      << ",\"max\":" << number(std::min(spec->max, sl.top)) << ",\"step\":" << number(sl.top / 100)
      << ",\"value\":" << number(current_value(p, sl.key)) << "}";
    first = false;
  }
  o << "],\"outcomes\":[";
  first = true;
  for (const model::OutcomeSpec& s : model::outcome_specs()) {
    o << (first ? "" : ",") << "{\"key\":" << json_string(s.name) << ",\"label\":" << json_string(s.label) << ",\"units\":"
      << json_string(s.units == "$" ? "$/step" : s.units) << "}";
    first = false;
  }
  if (m.conflict().active) o << ",{\"key\":\"group_revenue\",\"label\":\"revenue of each armed group\",\"units\":\"$/step\"}";
  o << "],\"mode\":" << json_string(panes_.size() > 1 ? "side_by_side" : "single") << ",\"panes\":"
    << array(panes_, [](const std::unique_ptr<Pane>& pn) { return json_string(pn->label); })
    << ",\"replay\":" << (replay_mode_ ? "true" : "false") << ",\"replicates\":" << panes_.front()->runs.size()
    << ",\"side_by_side_replicates\":" << replicates_ << ",\"seeds\":"
    << array(panes_.front()->runs, [](const Run& r) { return std::to_string(r.model->params().run.seed); })
    << ",\"steering\":" << to_json(panes_.back()->record)
    << ",\"step\":" << step() << ",\"playing\":" << (playing_ ? "true" : "false") << ",\"speed\":" << number(speed_);
  // The run so far, per pane, step by step: a tab that joins late (a projector, a reload) draws whole
  // charts. With replicates, each value is their mean, and "range" holds their lowest and highest.
  const auto& specs = model::outcome_specs();
  o << ",\"history\":{\"panes\":[";
  for (std::size_t i = 0; i < panes_.size(); ++i) {
    const Pane& pane = *panes_[i];
    std::vector<Spread> steps;
    for (std::size_t t = 0; t < pane.runs.front().outcomes.size(); ++t) steps.push_back(spread(rows_at(pane.runs, t)));
    std::size_t t = 0;
    o << (i ? "," : "") << "{\"step\":" << array(steps, [&t](const Spread&) { return std::to_string(t++); });
    for (std::size_t k = 0; k < specs.size(); ++k)
      o << "," << json_string(specs[k].name) << ":" << array(steps, [&](const Spread& sp) { return number(sp.mean[k]); });
    if (m.conflict().active)
      o << ",\"group_revenue\":" << array(steps, [](const Spread& sp) { return array(group_revenue(sp.mean), number); });
    if (pane.runs.size() > 1) {
      o << ",\"range\":{";
      for (std::size_t k = 0; k < specs.size(); ++k)
        o << (k ? "," : "") << json_string(specs[k].name) << ":" << array(steps, [&](const Spread& sp) { return pair(sp.lo[k], sp.hi[k]); });
      o << "}";
    }
    o << "}";
  }
  o << "]}}";
  return o.str();
}

std::string Session::frame() const {
  const model::Model& first = *panes_.front()->runs.front().model;
  const model::Params& p = first.params();
  std::ostringstream o;
  o << "{\"type\":\"frame\",\"step\":" << step() << ",\"date\":" << json_string(scenario::date_of_step(p.run.start_date, p.run.step_length, step()))
    << ",\"playing\":" << (playing_ ? "true" : "false") << ",\"speed\":" << number(speed_)
    << ",\"replicates\":" << panes_.front()->runs.size();
  // The groups that exist now in any run (a splinter slot does not until its group splits off).
  std::vector<std::string> alive;
  for (std::size_t g = 0; g < (first.conflict().active ? first.conflict().groups.size() : 0); ++g)
    if (std::any_of(panes_.begin(), panes_.end(), [g](const std::unique_ptr<Pane>& pn) {
          return std::any_of(pn->runs.begin(), pn->runs.end(), [g](const Run& r) { return r.model->conflict().groups[g].exists; });
        }))
      alive.push_back(std::to_string(g));
  o << ",\"groups_alive\":[" << core::join(alive, ",") << "],\"panes\":[";
  const auto& specs = model::outcome_specs();
  const MapGrid map(p.grid);
  const std::size_t t = panes_.front()->runs.front().outcomes.size() - 1;
  for (std::size_t i = 0; i < panes_.size(); ++i) {
    const Pane& pane = *panes_[i];
    o << (i ? "," : "") << "{\"label\":" << json_string(pane.label);
    for (const model::Layer& layer : model::snapshot_layers(*pane.runs.front().model)) {
      const std::string name = layer.path.substr(layer.path.find('/') + 1);
      const std::string key = name == "fatalities" ? "violence" : name;
      o << ",\"" << key << "\":" << (layer.codes.empty() ? typed_array(map.sum(layer.values)) : typed_array(map.mode(layer.codes)));
    }
    // The outcomes are the replicates' mean (the one run's values without replicates).
    const Spread now = spread(rows_at(pane.runs, t));
    o << ",\"outcomes\":{";
    for (std::size_t k = 0; k < specs.size(); ++k) o << (k ? "," : "") << json_string(specs[k].name) << ":" << number(now.mean[k]);
    if (first.conflict().active) o << ",\"group_revenue\":" << array(group_revenue(now.mean), number);
    o << "}";
    if (pane.runs.size() > 1) {
      o << ",\"range\":{";
      for (std::size_t k = 0; k < specs.size(); ++k) o << (k ? "," : "") << json_string(specs[k].name) << ":" << pair(now.lo[k], now.hi[k]);
      o << "}";
    }
    o << "}";
  }
  o << "]";
  // Side by side: with minus without, per replicate pair: the mean, lowest and highest difference.
  if (panes_.size() == 2) {
    const Spread d = spread(paired_differences(rows_at(panes_[1]->runs, t), rows_at(panes_[0]->runs, t)));
    o << ",\"difference\":{";
    for (std::size_t k = 0; k < specs.size(); ++k)
      o << (k ? "," : "") << json_string(specs[k].name) << ":[" << number(d.mean[k]) << "," << number(d.lo[k]) << "," << number(d.hi[k]) << "]";
    o << "}";
  }
  o << "}";
  return o.str();
}

std::string Session::steering() const {
  return "{\"type\":\"steering\",\"steering\":" + to_json(panes_.back()->record) + "}";
}

std::string Session::steering_since(std::size_t from) const {
  const std::vector<SteeringEntry>& record = panes_.back()->record;
  from = std::min(from, record.size());
  const std::vector<SteeringEntry> added(record.begin() + static_cast<std::ptrdiff_t>(from), record.end());
  return "{\"type\":\"steering\",\"from\":" + std::to_string(from) + ",\"steering\":" + to_json(added) + "}";
}

namespace {

std::string error_message(const std::string& message, const std::string& request) {
  return "{\"type\":\"error\",\"message\":" + json_string(message) + (request.empty() ? "" : ",\"request\":" + request) + "}";
}

std::string saved_message(const std::vector<std::string>& paths) {
  return "{\"type\":\"saved\",\"path\":" + json_string(paths.front()) + ",\"paths\":" + strings(paths) + "}";
}

std::string text_of(const YAML::Node& n, const std::string& field) {
  if (!n[field]) return "";
  if (!n[field].IsScalar()) throw std::invalid_argument("'" + field + "' must be a text");
  return n[field].as<std::string>();
}

bool bool_of(const YAML::Node& n, const std::string& field) {
  if (!n[field]) throw std::invalid_argument("'" + field + "' is missing: true or false");
  try {
    return n[field].as<bool>();
  } catch (const YAML::Exception&) {
    throw std::invalid_argument("'" + field + "' must be true or false");
  }
}

double number_of(const YAML::Node& n, const std::string& field) {
  if (!n[field]) throw std::invalid_argument("'" + field + "' is missing: a number");
  try {
    const double v = n[field].as<double>();
    if (!std::isfinite(v)) throw std::invalid_argument("'" + field + "' must be a finite number");
    return v;
  } catch (const YAML::Exception&) {
    throw std::invalid_argument("'" + field + "' must be a number");
  }
}

}  // namespace

Session::Reply Session::handle(const std::string& message, const std::string& results_directory, const std::string& command_line) {
  Reply reply;
  YAML::Node request;
  try {
    request = YAML::Load(message);  // JSON is YAML's flow style
  } catch (const YAML::Exception& e) {
    reply.to_sender = error_message("the message is not valid JSON (" + std::string(e.what()) + ")", "");
    return reply;
  }
  if (!request.IsMap() || !request["cmd"] || !request["cmd"].IsScalar()) {
    reply.to_sender = error_message("a command is a JSON object with a \"cmd\" (play, pause, step, speed, reset, lever, slider, side_by_side, save)", "");
    return reply;
  }
  try {
    const std::string cmd = request["cmd"].as<std::string>();
    const std::int64_t next = step() + 1;
    auto refuse_in_replay = [&] {
      if (replay_mode_) throw std::invalid_argument("this is the replay of a saved run: its steering cannot change (open the scenario to steer)");
    };
    // The record is resent whole on every change: bounded, so that neither it nor its messages grow without end.
    auto refuse_when_full = [&] {
      if (panes_.front()->record.size() >= max_steering_entries)
        throw std::invalid_argument("this run has recorded " + std::to_string(max_steering_entries) +
                                    " changes, as many as it may: save it, then reset to steer again");
    };
    if (cmd == "play") {
      playing_ = step() < last_step_;
    } else if (cmd == "pause") {
      playing_ = false;
    } else if (cmd == "step") {
      playing_ = false;
      if (std::string f = advance(); !f.empty()) reply.broadcast.push_back(std::move(f));
      return reply;
    } else if (cmd == "speed") {
      const double v = number_of(request, "value");
      if (v < 0.5 || v > 50) throw std::invalid_argument("speed " + number(v) + " is out of range: 0.5 to 50 steps per second");
      speed_ = v;
    } else if (cmd == "reset") {
      playing_ = false;
      start_over();
      reply.broadcast.push_back(hello());
    } else if (cmd == "lever" || cmd == "side_by_side") {
      refuse_in_replay();
      refuse_when_full();
      if (!panes_.front()->runs.front().model->mission().active)
        throw std::invalid_argument("this scenario has no mission (no base, lever or contracts): there is nothing to switch");
      const std::string kind = text_of(request, "kind");
      const std::string region = text_of(request, "region");
      const bool on = bool_of(request, "on");
      if (kind != troop_surge && !lever_presets().count(kind)) {
        std::string known;
        for (const std::string& k : steerable_levers()) known += (known.empty() ? "" : ", ") + k;
        throw std::invalid_argument("unknown lever '" + kind + "': levers are " + known);
      }
      const model::Params& p = panes_.front()->runs.front().model->params();
      if (!region.empty() && region_index(p, region) < 0) {
        std::string known;
        for (const auto& r : p.geography.regions) known += (known.empty() ? "" : ", ") + r.name;
        throw std::invalid_argument("unknown region '" + region + "': regions are " + (known.empty() ? "(none)" : known) +
                                    ", or \"\" for everywhere");
      }
      const SteeringEntry entry{next, on ? "lever_on" : "lever_off", kind, region, "", 0};
      if (cmd == "side_by_side") {
        if (on) {
          if (panes_.size() > 1) throw std::invalid_argument("side by side is already on: switch it off first");
          Pane& without = *panes_.front();
          without.label = "without " + kind;
          // The other replicates: the scenario with the seeds of replicates 1, 2, ... of a comparison,
          // replayed from step 0 to this one with the changes made so far.
          const std::int64_t now = step();
          for (int r = 1; r < replicates_; ++r) {
            model::Params params = scenario_.params();
            params.run.seed = core::derived_seed(params.run.seed, static_cast<std::uint64_t>(r));
            Run run = start_run(params);
            limit_.run([&] {
              while (run.model->current_step() < now) run.step(without.record);
            });
            without.runs.push_back(std::move(run));
          }
          auto with = std::make_unique<Pane>();
          with->label = "with " + kind + (region.empty() ? " everywhere" : " in " + region);
          with->record = without.record;
          // Each replicate branches with its own seed: the pairs share their random numbers.
          for (const Run& run : without.runs) with->runs.push_back(run);
          panes_.push_back(std::move(with));
          add_entry(1, SteeringEntry{next, "lever_on", kind, region, "", 0});
        } else {
          if (panes_.size() < 2) throw std::invalid_argument("side by side is not on");
          panes_.pop_back();
          panes_.front()->runs.erase(panes_.front()->runs.begin() + 1, panes_.front()->runs.end());
          panes_.front()->label = "baseline";
        }
        reply.broadcast.push_back(hello());
        reply.broadcast.push_back(frame());
        return reply;
      }
      // On or off at the next step: as the model stands, then the changes made since the last step.
      const Pane& first = *panes_.front();
      bool will_be_on = false;
      if (kind == troop_surge) {
        bool has_base = false;
        for (const model::BaseDef& b : p.mission.bases)
          if (base_in(*first.runs.front().model, b, region)) {
            has_base = true;
            will_be_on = will_be_on || b.surge != 1.0;
          }
        if (!has_base) throw std::invalid_argument("the mission has no base " + (region.empty() ? std::string("at all") : "in " + region));
      } else {
        will_be_on = lever_in_force(p, lever_presets().at(kind).kind, region_index(p, region), next);
      }
      for (std::size_t i = first.runs.front().applied; i < first.record.size(); ++i)
        if (first.record[i].kind == kind && first.record[i].region == region) will_be_on = first.record[i].action == "lever_on";
      const std::string what = (kind == troop_surge ? std::string("a troop surge") : kind) + (region.empty() ? " everywhere" : " in " + region);
      if (on && will_be_on) throw std::invalid_argument(what + " is already on");
      if (!on && !will_be_on) throw std::invalid_argument(what + " is not on");
      const std::size_t before = panes_.back()->record.size();
      for (std::size_t i = 0; i < panes_.size(); ++i) add_entry(i, entry);
      reply.broadcast.push_back(steering_since(before));
    } else if (cmd == "slider") {
      refuse_in_replay();
      refuse_when_full();
      const std::string key = text_of(request, "key");
      if (std::find(steerable_keys().begin(), steerable_keys().end(), key) == steerable_keys().end()) {
        std::string known;
        for (const std::string& k : steerable_keys()) known += (known.empty() ? "" : ", ") + k;
        throw std::invalid_argument("'" + key + "' cannot be moved during a run: the sliders are " + known);
      }
      const double v = number_of(request, "value");
      const scenario::ParamSpec* spec = scenario::find_parameter(key);
      if (v < spec->min || v > spec->max)
        throw std::invalid_argument(key + " = " + number(v) + " is out of range: " + scenario::describe_allowed(*spec));
      const std::size_t before = panes_.back()->record.size();
      for (std::size_t i = 0; i < panes_.size(); ++i) add_entry(i, SteeringEntry{next, "slider", "", "", key, v});
      reply.broadcast.push_back(steering_since(before));
    } else if (cmd == "save") {
      if (saving_) throw std::invalid_argument("a save is being written: wait until the page says it is saved, then save again");
      if (saves_ >= max_saves)
        throw std::invalid_argument("this session has saved " + std::to_string(max_saves) + " runs, as many as it may: restart pocsim serve to save more");
      ++saves_;
      if (defer_saves_) {
        // Written on the server's save thread, with one thread of its own: the live run keeps its pace.
        reply.save = std::make_shared<const SaveJob>(prepare_save(results_directory, command_line, 1));
        saving_ = true;
        return reply;
      }
      reply.to_sender = saved_message(save(results_directory, command_line));
      return reply;
    } else {
      throw std::invalid_argument("unknown command '" + cmd + "': commands are play, pause, step, speed, reset, lever, slider, side_by_side, save");
    }
  } catch (const std::invalid_argument& e) {
    reply.to_sender = error_message(e.what(), "");
    return reply;
  } catch (const std::exception& e) {  // e.g. a save that could not be written: the run goes on
    reply.to_sender = error_message(std::string("the command failed: ") + e.what(), "");
    return reply;
  }
  reply.broadcast.push_back(frame());
  return reply;
}

Session::SaveJob Session::prepare_save(const std::string& directory, const std::string& command_line, int threads) const {
  std::filesystem::create_directories(directory);
  const std::time_t now = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", std::gmtime(&now));
  const std::string name = scenario::scenario_name(scenario_.path);
  SaveJob job{scenario_.params(), scenario::provenance_of(scenario_, command_line, threads), {}};
  for (std::size_t i = 0; i < panes_.size(); ++i) {
    const Pane& pane = *panes_[i];
    const std::string stem = name + "-live-" + stamp + "-step" + std::to_string(step()) +
                             (panes_.size() > 1 ? (i == 0 ? "-without" : "-with") : "");
    std::string path = (std::filesystem::path(directory) / (stem + ".h5")).string();
    for (int n = 2; std::filesystem::exists(path); ++n)  // never overwrite an earlier save
      path = (std::filesystem::path(directory) / (stem + "-" + std::to_string(n) + ".h5")).string();
    job.files.push_back({path, pane.record, pane.runs.front().model->current_step()});
  }
  return job;
}

std::vector<std::string> Session::SaveJob::write(core::ThreadLimit& limit) const {
  std::vector<std::string> paths;
  const model::Params& p = params;
  for (const File& file : files) {
    const auto start = std::chrono::steady_clock::now();
    limit.run([&] {
      io::RunWriter writer(file.path, provenance, p.grid.height, p.grid.width);
      writer.set_steering(to_json(file.record), file.steps);
      model::Model m(p);
      auto record = [&] {
        writer.record(model::report(m, model::measure(m)));
        writer.append_rows(model::tables(m));
        if (p.run.snapshot_every > 0 && m.current_step() % p.run.snapshot_every == 0) {
          writer.snapshot(m.current_step(), model::snapshot_layers(m));
          m.clear_accumulated_maps();
        }
      };
      record();
      std::size_t applied = 0;
      while (m.current_step() < file.steps) {
        apply_due(m, file.record, applied);
        m.step();
        record();
      }
      writer.finish(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    });
    paths.push_back(std::filesystem::absolute(file.path).string());
  }
  return paths;
}

std::vector<std::string> Session::save(const std::string& directory, const std::string& command_line) {
  return prepare_save(directory, command_line, limit_.threads()).write(limit_);
}

std::string Session::save_written(const std::vector<std::string>& paths, const std::string& error) {
  saving_ = false;
  if (!error.empty()) return error_message("the save failed: " + error, "");
  return saved_message(paths);
}

}  // namespace pocsim::serve
