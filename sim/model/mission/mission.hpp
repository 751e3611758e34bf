#pragma once
// The mission mechanism: the UN mission's bases and peacekeepers, its levers (the lever table,
// levers.hpp), its contracts, the incidents against its personnel and the host state's consent. The top
// of the model's mechanisms: its levers reach into every one below (households, police posts, armed
// groups, trafficking), and they read what it does through the inputs Model builds from it each step.
// docs/odd.md, section 7.22, describes it.
//
// Phases (Model::step runs them): apply_levers, top_up_police_pay (between the state's pay and the
// officers' memory of it), demobilise, contracts_and_incidents.
#include <array>
#include <cstdint>
#include <vector>

#include "core/grid.hpp"
#include "core/rng.hpp"
#include "model/common/money.hpp"
#include "model/conflict/conflict.hpp"
#include "model/economy/economy.hpp"
#include "model/geography/geography.hpp"
#include "model/mission/levers.hpp"
#include "model/mission/params.hpp"
#include "model/police/police.hpp"
#include "model/population/population.hpp"
#include "model/state/capture.hpp"

namespace pocsim::model {

struct MissionStep {
  std::array<Cents, lever_kind_count> spending{};        // per lever kind, this step
  std::array<std::int64_t, lever_kind_count> reach{};    // per lever kind: what the lever table says it counts
  // The same by target: [lever kind][0 everywhere, r + 1 region r].
  std::vector<std::vector<Cents>> spending_by_target;
  std::vector<std::vector<std::int64_t>> reach_by_target;
  std::array<std::int64_t, lever_kind_count> offered{};   // per lever kind: places offered (CVR, DDR) or trials funded (justice)
  std::array<std::int64_t, lever_kind_count> unfunded{};  // levers in force left unfunded: the mandate's budget ran out
  std::int64_t incidents = 0;                            // against mission personnel
  Cents contracts = 0, contract_leakage = 0;             // contract value paid, and the part that leaked
  std::vector<std::int64_t> region_incidents;

  void start_step(std::size_t n_regions);
  void add_reach(LeverKind k, std::int16_t region, std::int64_t n);
  void add_offered(LeverKind k, std::int64_t n) { offered[static_cast<std::size_t>(k)] += n; }
};

// Everything the mission's levers act on in one step (what a lever's function in levers.cpp receives).
struct LeverAction {
  const MissionParams& params;
  const PoliceParams& police_params;
  const ConflictParams& conflict_params;
  const CitizenParams& households;
  std::int64_t step;
  const core::Grid& grid;
  const Geography& geo;
  Population& population;
  Police& police;
  Conflict& conflict;
  Ledger& books;
  class Mission& mission;
  double gain;                           // 1 + intelligence_gain x intelligence: levers that must find their targets work better
  // Multiplies an effect per region slot by `factor` where the lever acts: its region, or every slot.
  void scale(const LeverDef& l, std::vector<double>& effect, double factor) const;
  [[nodiscard]] bool targets(const LeverDef& l, CellIndex c) const { return l.region_index < 0 || geo.region[c] == l.region_index; }
};

class Mission {
 public:
  Mission(const MissionParams& p, const core::Grid& grid, bool active, std::size_t citizens, std::size_t regions, std::uint64_t seed);

  // ---- Phases ----
  // The levers in force: peacekeepers, programmes, their effects and costs; the host's consent.
  void apply_levers(LeverAction& act, const StateCapture& capture);
  // Donors pay their share of the payroll of the posts in their levers' regions (the police_salaries
  // levers); returns that share per post.
  std::vector<double> top_up_police_pay(const MissionParams& mp, const PoliceParams& p, const Geography& geo, Police& police,
                                        Ledger& books, std::int64_t step);
  // DDR: fighters offered a better package leave their groups (after the groups have paid them).
  void demobilise(LeverAction& act);
  // Contracts (and what leaks), incidents against mission personnel (rising with the seizures near bases).
  void contracts_and_incidents(const MissionParams& p, std::int64_t step, const Geography& geo, const Conflict& conflict,
                               const EconomyStep& economy, Ledger& books);

  // Peacekeepers in force (the troop map, `troops`): patrol_share of each base's where armed units stood
  // within patrol_range, the rest spread evenly over the base's area.
  void deploy_peacekeepers(const MissionParams& mp, std::int64_t step, const core::Grid& grid, const Conflict& conflict);

  // ---- What other mechanisms read of the mission ----
  // Share of a listed group's revenue sanctions withhold now (0 if not listed): the asset freeze, and on
  // cross-border trade also the travel ban.
  [[nodiscard]] double freeze_bite(const MissionParams& p, const GroupState& g, std::int64_t step, bool cross_border) const;
  [[nodiscard]] SanctionsBite sanctions_bite(const MissionParams& p, const Conflict& conflict, std::int64_t step) const;

  // The extra trials justice support funded were held (Police::prosecute counted them): its reach.
  void count_trials();

  // ---- What a lever does (levers.cpp) ----
  // What lever `l` acts on this step where it is aimed (the lever table's targets), or 0 when it is idle:
  // not in force, at zero dose, or with nothing to act on. An idle lever spends nothing and costs no consent.
  [[nodiscard]] static double engaged(const LeverAction& act, const LeverDef& l);
  void spend(LeverKind kind, std::int16_t region, std::size_t to, Cents amount, Ledger& books);
  [[nodiscard]] bool affordable(const MissionParams& p, std::int64_t step, Cents amount) const;  // within what is left of the mandate's budget

  // ---- State (checkpoints save it; reporters read it) ----
  bool active = false;                     // bases, levers or contracts
  std::int64_t mandate = 1;                // the mandate in force (renewed every mandate_length steps)
  std::vector<CellIndex> base_centre;      // per base: its cell
  std::vector<std::vector<CellIndex>> base_cells;   // cells each base's patrols cover
  std::vector<std::int16_t> base_at;       // per cell: a base whose patrols cover it, or -1
  std::vector<float> troops;               // per cell: peacekeepers per cell this step
  std::vector<double> disruption;          // per base: smoothed value seized near it, $ per step
  // Effects of the levers in force this step, per region slot (0: cells in no region; r + 1: region r).
  std::vector<double> interdiction;        // police presence multiplier
  std::vector<double> tolerance_kept;      // share of households' tolerance of criminals left by communications
  std::vector<double> violence_kept;       // share of clash and attack chances left by local mediation
  std::vector<double> operations_support;  // multiplier of raids and kingpin exposure from the SOC unit's support
  // Set by the levers phase and used within the step (not saved): per region slot, the share of the police
  // payroll donors pay and the region of the lever that pays it; the extra trials justice support funds.
  std::vector<double> donor_pay;
  std::vector<std::int16_t> donor_payer;
  std::vector<ExtraTrials> extra_trials;
  double due_diligence = 0;                // 0..1
  double intelligence = 0;                 // JMAC quality in force, 0..1
  double consent = 1;                      // the host state's consent, 0..1
  Cents budget_left = 0;                   // of the current mandate's budget (when one is set)
  bool consent_withdrawn = false;          // once withdrawn, levers and bases stop for good
  std::int64_t listings = 0, wrong_listings = 0, exits = 0;  // since the start
  // A leader who took an exit: paid his package in tranches over the transition while the mediation lasts.
  struct Transition {
    std::size_t lever = 0;
    std::int64_t exit_step = 0;
    bool interrupted = false;
  };
  std::vector<Transition> transitions;
  std::int64_t transitions_completed = 0, transitions_interrupted = 0;
  std::vector<float> support_income;       // per citizen: $ per step from CVR or reintegration, fading
  MissionStep now;

  // Random streams, one per kind of decision (core/rng.hpp); the names are their keys.
  struct Streams {
    explicit Streams(std::uint64_t seed);
    core::RandomStream cvr, ddr, incident, sanctions, mediation;
  } rng;
};

}  // namespace pocsim::model
