#pragma once
// The model: state, and the ordered list of phases that advance it one step.
//
// Thread safety: step() runs parallel phases internally; the caller must not read the state while a
// step is in progress. Results are bit-identical for any thread count (see core/parallel.hpp).
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/grid.hpp"
#include "core/parallel.hpp"
#include "core/rng.hpp"
#include "core/row_counts.hpp"
#include "model/armed_groups.hpp"
#include "model/civil_violence.hpp"
#include "model/economy.hpp"
#include "model/geography.hpp"
#include "model/mission.hpp"
#include "model/params.hpp"
#include "model/state.hpp"

namespace pocsim::model {

// The phases of a step, in the order Model::step runs them (sequential activation runs `activation`;
// synchronous activation runs `movement`, `rebellion` and `arrests` instead).
enum class Phase : std::uint8_t {
  start, levers, schedules, police_pay, deployment, work, trafficking, police_extortion, group_extortion,
  fighter_pay, ddr, recruitment, fighting, leadership, contracts, capture, activation, movement, rebellion,
  arrests, prosecution, sentences
};
inline constexpr std::size_t phase_count = static_cast<std::size_t>(Phase::sentences) + 1;
std::string_view to_string(Phase p);
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
  [[nodiscard]] const Citizens& citizens() const { return citizens_; }
  [[nodiscard]] const Cops& cops() const { return cops_; }
  [[nodiscard]] const Cells& cells() const { return cells_; }
  [[nodiscard]] double legitimacy() const { return legitimacy_; }
  [[nodiscard]] std::size_t cops_on_duty() const { return cops_on_duty_; }
  [[nodiscard]] const Geography& geography() const { return geo_; }
  [[nodiscard]] const Economy& economy() const { return economy_; }
  [[nodiscard]] const Conflict& conflict() const { return conflict_; }
  [[nodiscard]] const StateCapture& capture() const { return capture_; }
  [[nodiscard]] const MissionState& mission() const { return mission_; }
  // Share of a listed group's revenue that sanctions withhold now (0 if not listed): the asset freeze, and
  // on cross-border trade also the travel ban.
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

  void run_phase(Phase phase, void (Model::*body)());
  // Phases, in the order step() runs them.
  void start_step();
  void apply_levers();
  void apply_schedules();
  void pay_police();
  void choose_work();
  void traffic();
  void extort_communities();
  void deploy_units();
  void extort_for_groups();
  void pay_fighters();
  void demobilise();
  void recruit_fighters();
  void fight();
  void lead_groups();
  void update_capture();
  void mission_contracts_and_incidents();
  void prosecute();
  void activate_sequentially();
  void move_synchronously();
  void decide_synchronously();
  void arrest_synchronously();
  void serve_sentences();

  // Building blocks shared by the phases.
  void place_initial_population();
  void set_up_economy();
  void plan_routes(std::size_t commodity, bool replan);
  [[nodiscard]] double seizure_risk(std::size_t network, const Route& r) const;
  [[nodiscard]] double protection_tax(const Route& r) const;
  // Expected cost of moving one unit of a commodity along a route: transport, and the value it expects to
  // lose to seizures, bribes and protection taxes.
  [[nodiscard]] double route_cost(std::size_t commodity, const Route& r) const;
  [[nodiscard]] float risk_at(std::size_t network, CellIndex c) const;
  enum class Stop : std::uint8_t { unseen, bribed, missed, seized };
  void learn_passage(std::size_t network, CellIndex c, Stop outcome, double weight);
  void learn_seizure_seen(std::size_t network, CellIndex c);
  [[nodiscard]] double expected_bribes(std::size_t network, const Route& r) const;
  Stop police_stop(std::size_t commodity, CellIndex cell, double value, core::Draws& meet);
  [[nodiscard]] double presence_at(CellIndex c) const;
  [[nodiscard]] double integrity_of(std::size_t post) const;
  [[nodiscard]] double tolerance_of(AgentId c) const;
  [[nodiscard]] double licit_income_of(AgentId c) const;

  // The mission's building blocks (mission.cpp).
  void set_up_mission();
  [[nodiscard]] std::size_t region_slot(CellIndex c) const;
  [[nodiscard]] bool targets(const LeverDef& l, CellIndex c) const;
  void spend(LeverKind kind, std::int16_t region, std::size_t to, Cents amount);
  [[nodiscard]] bool affordable(Cents amount) const;  // within what is left of the mandate's budget

  // Armed groups' building blocks (armed_groups.cpp).
  void set_up_armed_groups();
  [[nodiscard]] const GroupDef& def_of(std::size_t group) const { return params_.armed_groups.groups[conflict_.def[group]]; }
  [[nodiscard]] bool leaderless(std::size_t group) const { return conflict_.groups[group].leaderless_until > step_; }
  [[nodiscard]] bool predatory(std::size_t group) const;  // takes rents and fights: exists and not in a peace process
  AgentId new_unit(std::int16_t group, CellIndex at);
  void recompute_control();
  void count_fighters();
  enum class Loss : std::uint8_t { killed, arrested };
  void remove_members(AgentId unit, std::int32_t n, Loss how);
  [[nodiscard]] std::int32_t kill_civilians_around(CellIndex centre, int radius, double p_each, core::Draws& d);
  bool return_home(AgentId citizen, core::Draws& d);
  void remove_leader(std::size_t group, core::Draws& d);
  void record_event(const ViolenceEvent& e);
  template <class F>
  void for_each_in_square(CellIndex centre, int radius, F&& f) const {
    for (int dy = -radius; dy <= radius; ++dy)
      for (int dx = -radius; dx <= radius; ++dx)
        if (const auto c = grid_.shifted(centre, dx, dy)) f(*c);
  }
  [[nodiscard]] int chebyshev(CellIndex a, CellIndex b) const;
  void detain(AgentId c, Custody why, std::int32_t term);
  void hold_for_trial(AgentId c);  // pretrial detention, and a case in the justice queue
  void pay(std::size_t from, std::size_t to, Cents amount, std::size_t commodity, Recipient r);
  [[nodiscard]] double effective_hardship(AgentId c) const;
  [[nodiscard]] double effective_legitimacy(AgentId c) const;
  void set_police_strength(std::size_t target);
  [[nodiscard]] CellIndex random_empty_cell_near(CellIndex from, const core::Neighbourhood& n, core::Draws& d) const;
  struct View {
    std::uint32_t cops = 0;
    std::uint32_t actives_including_self = 0;
  };
  // What a citizen at `at` sees: from the row counts when given (they must describe the grid as it is
  // now), else by scanning the cells.
  [[nodiscard]] View view_from(CellIndex at, bool self_active, const core::RowCounts::Window* counts = nullptr) const;
  [[nodiscard]] ArrestOdds arrest_odds() const;  // for the parameters in force now
  [[nodiscard]] bool decide(AgentId c, const View& seen, const ArrestOdds& odds) const;
  void set_state(AgentId c, CitizenState s);
  [[nodiscard]] CellIndex pick_suspect(AgentId cop, core::Draws& d, const core::RowCounts::Window* counts = nullptr) const;
  // Rebuilds vision_counts_ (cops and actives along the rows) from the grid as it is now, when every agent
  // is about to count what it sees: one pass over the grid makes each count a few reads. False on grids
  // too wide for the table.
  bool rebuild_vision_counts();
  void arrest(AgentId cop, CellIndex suspect_cell);
  enum class Kind : std::uint8_t { citizen, cop };
  void move_agent(Kind kind, AgentId id, CellIndex to);
  [[nodiscard]] bool empty(CellIndex c) const { return cells_.code[c] == CellCode::empty; }
  [[nodiscard]] std::uint32_t step_counter() const { return static_cast<std::uint32_t>(step_); }
  [[nodiscard]] std::uint32_t cop_claimant(AgentId cop) const {
    return static_cast<std::uint32_t>(citizens_.size()) + cop;
  }

  PhaseSeconds* phase_times_ = nullptr;
  Params params_;  // changed only by branch(), which adds levers
  const core::Grid grid_;
  const core::Neighbourhood citizen_vision_;
  const core::Neighbourhood cop_vision_;

  const Geography geo_;
  Citizens citizens_;
  Cops cops_;
  Cells cells_;
  std::int64_t step_ = 0;
  double legitimacy_ = 0;
  double cop_density_ = 0;
  std::size_t cops_on_duty_ = 0;
  Economy economy_;
  Conflict conflict_;
  StateCapture capture_;
  MissionState mission_;
  bool interdiction_changed_ = false;
  double youth_livelihood_ = 0;                   // in force this step
  double paid_share_ = 1;
  std::vector<double> interdiction_multiplier_;  // per interdiction target, in force this step
  std::vector<float> interdiction_presence_;      // per cell: multiplier in force (1 where no target)
  // Per cell: share of a consignment's value taken by the group controlling the cell (0 where none
  // taxes). A consignment pays each group once per passage; route searches read it per cell.
  std::vector<float> protection_tax_;
  std::vector<std::vector<CellIndex>> garrison_cells_;

  // Working memory of the synchronous phases, kept to avoid reallocating every step.
  core::ClaimBoard claims_;
  std::vector<CellIndex> citizen_target_;
  std::vector<CellIndex> cop_target_;
  std::vector<CitizenState> next_state_;
  std::vector<std::uint32_t> activation_order_;
  core::RowCounts vision_counts_;  // rebuilt by each phase that reads it

  // Random streams, one per kind of decision (see core/rng.hpp).
  const core::RandomStream placement_rng_;
  const core::RandomStream attributes_rng_;
  const core::RandomStream order_rng_;
  const core::RandomStream citizen_move_rng_;
  const core::RandomStream cop_move_rng_;
  const core::RandomStream arrest_rng_;
  const core::RandomStream jail_term_rng_;
  const core::RandomStream release_rng_;
  const core::RandomStream deploy_rng_;
  const core::RandomStream claim_rng_;
  const core::RandomStream household_rng_;
  const core::RandomStream hiring_rng_;
  const core::RandomStream route_rng_;
  const core::RandomStream encounter_rng_;
  const core::RandomStream extortion_rng_;
  const core::RandomStream verdict_rng_;
  const core::RandomStream youth_rng_;
  const core::RandomStream unit_rng_;
  const core::RandomStream group_extortion_rng_;
  const core::RandomStream desertion_rng_;
  const core::RandomStream recruit_rng_;
  const core::RandomStream clash_rng_;
  const core::RandomStream operation_rng_;
  const core::RandomStream attack_rng_;
  const core::RandomStream succession_rng_;
  const core::RandomStream cvr_rng_;
  const core::RandomStream ddr_rng_;
  const core::RandomStream incident_rng_;
  const core::RandomStream sanctions_rng_;
  const core::RandomStream mediation_rng_;
};

}  // namespace pocsim::model
