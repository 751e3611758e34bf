#pragma once
// The lever table: one row per kind of lever the mission can pull, the one place that says what a lever
// is called, what its intensity means, what its reach counts, what it costs, whether it intrudes on the
// host state, how the live view offers it and how reports label it. Every list of lever names, their
// count, the `lever` choices of a scenario and the live view's presets come from here, and the table is
// written into every output file (/levers). The function that applies each kind is in
// sim/model/mission/levers.cpp.
//
// Adding a lever: a LeverKind value and its row here, its function in levers.cpp, and its test
// (docs/architecture.md, "Adding a lever").
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "model/common/names.hpp"

namespace pocsim::model {

enum class LeverKind : std::uint8_t {
  cvr, police_salaries, capacity_building, vetting, justice_support, interdiction, strategic_comms,
  local_mediation, ddr, due_diligence, sanctions, national_mediation, soc_support
};

struct LeverAction;  // what a lever acts on in one step (mission/mission.hpp)
struct LeverDef;     // one lever of a scenario (mission/params.hpp)
// What a lever in force does in the levers phase; `index` is its place in the scenario's list.
using LeverFunction = void (*)(LeverAction&, const LeverDef&, std::size_t index);
// How much a lever could act on where it is aimed this step (posts, young people, groups, cells ...): the
// lever is idle where this is 0, and an intrusive lever costs consent in proportion to it.
using LeverTargets = double (*)(const LeverAction&, const LeverDef&);

// The quantity a lever's dose is: how much of it a scenario asks for.
enum class Dose : std::uint8_t { intensity, budget };

// What a lever is meant to move, as reports name it, and which way.
struct IntendedOutcome {
  std::string_view quantity;      // a report quantity (pocsim report; docs/outputs.md)
  int direction;                  // +1 up, -1 down
};

// The lever functions, in levers.cpp.
namespace lever_functions {
void cvr(LeverAction&, const LeverDef&, std::size_t);
double cvr_targets(const LeverAction&, const LeverDef&);
void police_salaries(LeverAction&, const LeverDef&, std::size_t);
double police_salaries_targets(const LeverAction&, const LeverDef&);
void capacity_building(LeverAction&, const LeverDef&, std::size_t);
double capacity_building_targets(const LeverAction&, const LeverDef&);
void vetting(LeverAction&, const LeverDef&, std::size_t);
double vetting_targets(const LeverAction&, const LeverDef&);
void justice_support(LeverAction&, const LeverDef&, std::size_t);
double justice_support_targets(const LeverAction&, const LeverDef&);
void interdiction(LeverAction&, const LeverDef&, std::size_t);
double interdiction_targets(const LeverAction&, const LeverDef&);
void strategic_comms(LeverAction&, const LeverDef&, std::size_t);
double strategic_comms_targets(const LeverAction&, const LeverDef&);
void local_mediation(LeverAction&, const LeverDef&, std::size_t);
double local_mediation_targets(const LeverAction&, const LeverDef&);
void ddr(LeverAction&, const LeverDef&, std::size_t);
double ddr_targets(const LeverAction&, const LeverDef&);
void due_diligence(LeverAction&, const LeverDef&, std::size_t);
double due_diligence_targets(const LeverAction&, const LeverDef&);
void sanctions(LeverAction&, const LeverDef&, std::size_t);
double sanctions_targets(const LeverAction&, const LeverDef&);
void national_mediation(LeverAction&, const LeverDef&, std::size_t);
double national_mediation_targets(const LeverAction&, const LeverDef&);
void soc_support(LeverAction&, const LeverDef&, std::size_t);
double soc_support_targets(const LeverAction&, const LeverDef&);
}  // namespace lever_functions

struct LeverInfo {
  LeverKind kind;
  std::string_view name;          // as written in scenarios (`lever: cvr`) and outputs
  std::string_view label;         // for reports and the live view
  std::string_view intensity;     // what a lever entry's `intensity` means, with its unit
  std::string_view reach;         // what /mission/reach counts for it
  std::string_view cost;          // what it spends
  bool intrusive;                 // reaches into the host state's institutions: costs consent where the state is captured
  double preset_budget;           // what the live view's one-click lever spends per step ($) ...
  double preset_intensity;        // ... and at what intensity (amounts like the library's options)
  Dose dose;                      // the lever's dose: at zero it does nothing, spends nothing and costs no consent
  IntendedOutcome intended;       // its main intended outcome (the dose-response test checks the direction)
  LeverTargets targets;           // what it could act on where it is aimed (levers.cpp)
  LeverFunction apply;            // what it does in the levers phase (levers.cpp)
};

inline constexpr std::array<LeverInfo, 13> lever_table{{
    {LeverKind::cvr, "cvr", "community violence reduction",
     "$ stipend per young beneficiary per step; beneficiaries = budget / intensity", "young people paid a stipend",
     "the stipends paid (at most the budget)", false, 10000, 60, Dose::budget,
     {"groups/recruits", -1}, &lever_functions::cvr_targets, &lever_functions::cvr},
    {LeverKind::police_salaries, "police_salaries", "police salaries",
     "share of the police payroll donors pay, on top of what the state pays", "police posts whose pay donors topped up",
     "the top-up of the payroll (the budget is not used)", false, 0, 0.5, Dose::intensity,
     {"police/bribes", -1}, &lever_functions::police_salaries_targets, &lever_functions::police_salaries},
    {LeverKind::capacity_building, "capacity_building", "police capacity building",
     "share of the gap to full training closed per step at the region's posts", "posts trained", "the budget per step",
     true, 7500, 0.02, Dose::intensity,
     {"police/seizures", +1}, &lever_functions::capacity_building_targets, &lever_functions::capacity_building},
    {LeverKind::vetting, "vetting", "police vetting",
     "share of the gap to full integrity closed per step at the region's posts", "posts vetted", "the budget per step", true,
     5000, 0.02, Dose::intensity,
     {"police/bribes", -1}, &lever_functions::vetting_targets, &lever_functions::vetting},
    {LeverKind::justice_support, "justice_support", "justice support", "extra trials per step", "extra trials",
     "the budget per step", true, 5000, 2, Dose::intensity,
     {"justice/convictions", +1}, &lever_functions::justice_support_targets, &lever_functions::justice_support},
    {LeverKind::interdiction, "interdiction", "interdiction", "police presence multiplied by 1 + intensity", "",
     "the budget per step", false, 5000, 0.5, Dose::intensity,
     {"police/seizures", +1}, &lever_functions::interdiction_targets, &lever_functions::interdiction},
    {LeverKind::strategic_comms, "strategic_comms", "strategic communications", "share of tolerance of criminals removed",
     "", "the budget per step", false, 3000, 0.3, Dose::intensity,
     {"communities/illicit_participation", -1}, &lever_functions::strategic_comms_targets, &lever_functions::strategic_comms},
    {LeverKind::local_mediation, "local_mediation", "local mediation", "share of clash and attack chances removed", "",
     "the budget per step", false, 5000, 0.3, Dose::intensity,
     {"violence/attacks_on_civilians", -1}, &lever_functions::local_mediation_targets, &lever_functions::local_mediation},
    {LeverKind::ddr, "ddr", "disarmament, demobilisation and reintegration",
     "$ reintegration income per step per fighter; fighters taken = budget / intensity", "fighters demobilised",
     "the packages paid (at most the budget)", false, 10000, 60, Dose::budget,
     {"communities/fighters", -1}, &lever_functions::ddr_targets, &lever_functions::ddr},
    {LeverKind::due_diligence, "due_diligence", "due diligence on contracts", "share of contract leakage prevented", "",
     "the budget per step", false, 2000, 0.8, Dose::intensity,
     {"mission/contract_leakage", -1}, &lever_functions::due_diligence_targets, &lever_functions::due_diligence},
    {LeverKind::sanctions, "sanctions", "targeted sanctions",
     "share of a listed group's treasury frozen and of its revenue withheld before evasion; groups based in the region "
     "are listed",
     "groups whose leaders were listed", "the budget per step", true, 20000, 0.8, Dose::intensity,
     {"groups/revenue", -1}, &lever_functions::sanctions_targets, &lever_functions::sanctions},
    {LeverKind::national_mediation, "national_mediation", "national mediation",
     "$ exit package per step offered to the leaders of groups based in the region", "leaders who took an exit",
     "the budget per step, and each exited leader's package while his transition lasts", false, 10000, 500, Dose::intensity,
     {"violence/leaders_removed", +1}, &lever_functions::national_mediation_targets, &lever_functions::national_mediation},
    {LeverKind::soc_support, "soc_support", "serious-and-organized-crime support",
     "raids against armed units and kingpins' exposure at seizures in the region multiplied by 1 + intensity x (1 + "
     "intelligence_gain x intelligence)",
     "", "the budget per step", true, 5000, 0.5, Dose::intensity,
     {"violence/arrests", +1}, &lever_functions::soc_support_targets, &lever_functions::soc_support},
}};
inline constexpr std::size_t lever_kind_count = lever_table.size();

constexpr const LeverInfo& lever_info(LeverKind k) { return lever_table[static_cast<std::size_t>(k)]; }

constexpr auto enum_names(LeverKind) {
  std::array<std::string_view, lever_kind_count> names{};
  for (std::size_t i = 0; i < lever_kind_count; ++i) names[i] = lever_table[i].name;
  return names;
}

// The table lists the kinds in enumerator order: lever_info(k).kind == k.
static_assert([] {
  for (std::size_t i = 0; i < lever_kind_count; ++i)
    if (static_cast<std::size_t>(lever_table[i].kind) != i) return false;
  return true;
}());

}  // namespace pocsim::model
