#pragma once
// The model: each mechanism's state, and the one list of phases that advances them a step (model.cpp,
// Model::step). The mechanisms, lowest first — population, police, conflict, economy, state capture,
// mission — each live in a folder of their own under sim/model/ with their parameters, state, random
// streams and phases; a phase takes what it reads and writes from the others as arguments, which
// Model::step passes. docs/architecture.md draws the direction between them.
//
// Thread safety: step() runs parallel phases internally; the caller must not read the state while a
// step is in progress. Results are bit-identical for any thread count (see core/parallel.hpp).
#include <array>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "core/grid.hpp"
#include "model/common/money.hpp"
#include "model/conflict/conflict.hpp"
#include "model/economy/economy.hpp"
#include "model/geography/geography.hpp"
#include "model/mission/mission.hpp"
#include "model/params.hpp"
#include "model/police/police.hpp"
#include "model/population/population.hpp"
#include "model/state/capture.hpp"

namespace pocsim::model {

// The phases of a step, in the order Model::step runs them (sequential activation runs `activation`;
// synchronous activation runs `movement`, `rebellion` and `arrests` instead).
enum class Phase : std::uint8_t {
  start, levers, schedules, police_pay, deployment, work, trafficking, police_extortion, group_extortion,
  fighter_pay, ddr, recruitment, fighting, leadership, contracts, capture, activation, movement, rebellion,
  arrests, prosecution, sentences
};
constexpr auto enum_names(Phase) {
  return std::to_array<std::string_view>({"start", "levers", "schedules", "police_pay", "deployment", "work", "trafficking",
                                          "police_extortion", "group_extortion", "fighter_pay", "ddr", "recruitment",
                                          "fighting", "leadership", "contracts", "capture", "activation", "movement",
                                          "rebellion", "arrests", "prosecution", "sentences"});
}
inline constexpr std::size_t phase_count = core::enum_count<Phase>();
// Wall-clock seconds spent in each phase, summed over the steps timed.
using PhaseSeconds = std::array<double, phase_count>;

class Model {
 public:
  explicit Model(const Params& params);

  // Advances one step: the phase list is in model.cpp, Model::step.
  void step();

  // A copy of this model that from the next step on also runs `levers`: a mandate option branching from a
  // warm-up shared with the baseline. Random numbers are keyed by (seed, decision, step, entity), so the
  // copy's state includes its random-number position and the branch equals a run that had the levers
  // from the start. Throws std::invalid_argument when a lever starts at or before the current step, or
  // when the scenario has no mission for them to belong to (its mission state was never kept).
  [[nodiscard]] Model branch(const std::vector<LeverDef>& levers) const;

  // Live steering (pocsim serve): `change` edits the parameters, which take effect from the next step.
  // Only parameters the phases read afresh every step may change this way (levers appended or ended,
  // base troop schedules, per-step rates); the caller offers only those. A run steered at the same steps
  // with the same changes is the same run.
  template <class Change>
  void steer(Change&& change) {
    change(params_);
  }

  // From now on, adds the seconds each phase takes to *times (nullptr: stop timing). The caller keeps
  // *times alive while it is set; timing changes no result.
  void time_phases(PhaseSeconds* times) { phase_times_ = times; }
  [[nodiscard]] std::int64_t current_step() const { return step_; }
  [[nodiscard]] const Params& params() const { return params_; }
  [[nodiscard]] const core::Grid& grid() const { return grid_; }
  [[nodiscard]] const Geography& geography() const { return *geo_; }
  [[nodiscard]] const Ledger& books() const { return books_; }
  // The mechanisms, read-only (reporters, tests, the live view).
  [[nodiscard]] const Population& population() const { return population_; }
  [[nodiscard]] const Police& police() const { return police_; }
  [[nodiscard]] const Conflict& conflict() const { return conflict_; }
  [[nodiscard]] const Economy& economy() const { return economy_; }
  [[nodiscard]] const StateCapture& capture() const { return capture_; }
  [[nodiscard]] const Mission& mission() const { return mission_; }
  // The population's tables and levels, for short.
  [[nodiscard]] const Citizens& citizens() const { return population_.citizens; }
  [[nodiscard]] const Cops& cops() const { return population_.cops; }
  [[nodiscard]] const Cells& cells() const { return population_.cells; }
  // People the map stands for at the start (geography.people, or one per citizen): what per-capita rates divide by.
  [[nodiscard]] std::int64_t people_represented() const { return population_.people_represented(); }
  [[nodiscard]] double legitimacy() const { return population_.legitimacy; }
  [[nodiscard]] std::size_t cops_on_duty() const { return population_.cops_on_duty; }
  // Share of a listed group's revenue that sanctions withhold now (0 if not listed): the asset freeze, and on
  // cross-border trade also the travel ban.
  [[nodiscard]] double freeze_bite(std::size_t group, bool cross_border = false) const;
  // Clears what the flow and fatality maps accumulated (called after each snapshot is taken).
  void clear_accumulated_maps();

 private:
  // Checkpoints (checkpoint.hpp): one list of the members that change as the model runs, walked by the
  // archive that saves them and by the one that restores them.
  template <class Archive>
  void visit_state(Archive& a);
  friend std::vector<std::uint8_t> save_state(const Model& m);
  friend void restore_state(Model& m, const std::vector<std::uint8_t>& bytes);

  template <class Body>
  void run_phase(Phase phase, Body&& body);
  void start_step();
  // What the mechanisms above pass to those below, assembled for the phase that reads it.
  [[nodiscard]] LeverAction lever_action();
  [[nodiscard]] Livelihood livelihood() const;
  [[nodiscard]] MissionOnGroups mission_on_groups() const;
  [[nodiscard]] MissionOnTrade mission_on_trade() const;
  [[nodiscard]] Routes routes() const;
  [[nodiscard]] std::vector<int> successor_delays() const;

  PhaseSeconds* phase_times_ = nullptr;
  Params params_;  // changed only by branch(), which adds levers, and by steer()
  core::Grid grid_;
  std::shared_ptr<const Geography> geo_;  // fixed for the run: a branch shares its trunk's
  std::int64_t step_ = 0;
  Ledger books_;
  Population population_;
  Police police_;
  Conflict conflict_;
  Economy economy_;
  StateCapture capture_;
  Mission mission_;
  SanctionsBite bite_;  // what sanctions withhold this step, from the levers phase on (not state: recomputed)
};

}  // namespace pocsim::model
