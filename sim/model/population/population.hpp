#pragma once
// The population mechanism: households on the grid and Epstein's civil-violence model (Model I, PNAS
// 2002) — citizens who turn active when grievance outweighs the risk they see, cops who arrest actives,
// and jail. It is the lowest of the model's mechanisms: the others act on households through the
// lifecycle functions below (detain, enlist, kill, return home) and read its columns; it reads nothing of
// theirs. docs/odd.md, sections 7.1 to 7.6, describes it.
//
// Phases (Model::step runs them): apply_schedules, then either activate_sequentially, or
// move_synchronously, decide_synchronously and arrest_synchronously; serve_sentences at the end.
//
// Thread safety: the synchronous phases run parallel loops whose bodies write only slots their index
// owns (see core/parallel.hpp); results are bit-identical for any thread count.
#include <cstdint>
#include <vector>

#include "core/grid.hpp"
#include "core/parallel.hpp"
#include "core/rng.hpp"
#include "core/row_counts.hpp"
#include "model/population/agents.hpp"
#include "model/population/params.hpp"
#include "model/population/rebellion.hpp"

namespace pocsim::model {

class Population {
 public:
  // Places the households and cops of step 0 and draws every household's attributes. `weights`: where
  // people live, one weight per cell (empty: uniform).
  Population(const PopulationParams& p, const std::vector<float>& weights, const core::Grid& grid, std::uint64_t seed);

  // In a scenario that states the people its map stands for (geography.people): spreads them over the
  // cells, besides the citizen agents (each one person) — `area_people` per area, an area being a region
  // (slot r + 1 for region r) or the cells in no region and in regions that state no figure (slot 0),
  // `area_of` each cell's slot — in proportion to `weights` (empty or all 0 in an area: evenly), by
  // largest remainders so the counts add up exactly. No random draw: the same scenario, the same spread.
  void settle_residents(const std::vector<std::int64_t>& area_people, const std::vector<std::size_t>& area_of,
                        const std::vector<float>& weights);

  // ---- Phases ----
  // Legitimacy and the number of cops in force this step. `legitimacy_kept`: the share of the scheduled
  // legitimacy left by state capture (1 - state.legitimacy_loss x capture index).
  void apply_schedules(const PopulationParams& p, std::int64_t step, double legitimacy_kept);
  // Every agent, in an order reshuffled every step: move, then act.
  void activate_sequentially(const PopulationParams& p, std::int64_t step);
  // Every free agent proposes an empty cell in view; claims are resolved by priority.
  void move_synchronously(std::int64_t step);
  // Every free citizen turns active or quiet from what it sees after the moves.
  void decide_synchronously(const PopulationParams& p);
  // Every cop claims one active in view; winners jail their suspect.
  void arrest_synchronously(const PopulationParams& p, std::int64_t step);
  // Jail terms count down; the released return to the grid.
  void serve_sentences(std::int64_t step);
  // Remembered extortion fades (police extortion adds to it afterwards).
  void fade_extortion_memory(double memory);

  // ---- What other mechanisms do to households ----
  void set_state(AgentId c, CitizenState s);
  // Jails a citizen (at large or serving off the grid) for `term` steps; it stops working.
  void detain(AgentId c, Custody why, std::int32_t term);
  // A recruit leaves the grid to serve an armed group; its cell stays its home. With `band` > 0 (a fighter
  // agent standing for several people), up to that many of its home cell's residents serve with it.
  void enlist(AgentId c, std::uint32_t band = 0);
  // Up to n of fighter c's home cell's residents join its band (as many as live there).
  void raise_band(AgentId c, std::uint32_t n);
  // Of the people serving with fighter c besides itself, `n` leave the group: killed, or (alive) home.
  void lose_band(AgentId c, std::uint32_t n, bool killed);
  // A household's member killed on the grid.
  void kill(AgentId c);
  // Of the people living in cell c besides its agent, those an event reaching each with `chance` kills
  // (Binomial, from the uniform draw u); returns how many.
  std::uint32_t kill_residents(CellIndex c, double chance, double u);
  // People the map stands for at the start: geography.people when stated, else one per citizen.
  [[nodiscard]] std::int64_t people_represented() const { return people_represented_; }
  // The people alive on the map and off it: residents, citizens not dead, and the bands serving with fighters.
  [[nodiscard]] std::int64_t people_alive() const;
  // A fighter leaving a group goes back to its home cell, or a free cell within vision of it; false when
  // none is free (it stays where it is). The people of its band go home with it, as residents.
  bool return_home(AgentId c, core::Draws& d);
  // A household's hardship and the legitimacy it perceives, with what the economy and the police did to it.
  [[nodiscard]] double effective_hardship(const CitizenParams& p, AgentId c) const;
  [[nodiscard]] double effective_legitimacy(const CitizenParams& p, AgentId c) const;
  [[nodiscard]] bool empty(CellIndex c) const { return cells.code[c] == CellCode::empty; }

  // ---- State (checkpoints save it; reporters read it) ----
  Citizens citizens;
  Cops cops;
  Cells cells;
  // Per cell, in a scenario stating geography.people: the people living there who are not its citizen
  // agent (empty otherwise). Violence kills them; they do not act.
  std::vector<std::uint32_t> residents;
  // Per citizen, in a scenario stating geography.people: the people serving with it in an armed group
  // besides itself (its band, armed_groups.people_per_fighter); 0 when it does not serve.
  std::vector<std::uint32_t> band;
  double legitimacy = 0;        // L in force this step
  double cop_density = 0;       // in force this step
  std::size_t cops_on_duty = 0;

  [[nodiscard]] const core::Grid& grid() const { return grid_; }

 private:
  void place(const PopulationParams& p, const std::vector<float>& weights);
  void set_police_strength(std::size_t target, std::int64_t step);
  [[nodiscard]] CellIndex random_empty_cell_near(CellIndex from, const core::Neighbourhood& n, core::Draws& d) const;
  struct View {
    std::uint32_t cops = 0;
    std::uint32_t actives_including_self = 0;
  };
  // What a citizen at `at` sees: from the row counts when given (they must describe the grid as it is
  // now), else by scanning the cells.
  [[nodiscard]] View view_from(CellIndex at, bool self_active, const core::RowCounts::Window* counts = nullptr) const;
  [[nodiscard]] ArrestOdds arrest_odds(const PopulationParams& p) const;  // for the parameters in force now
  [[nodiscard]] bool decide(const PopulationParams& p, AgentId c, const View& seen, const ArrestOdds& odds) const;
  [[nodiscard]] CellIndex pick_suspect(AgentId cop, core::Draws& d, const core::RowCounts::Window* counts = nullptr) const;
  // Rebuilds vision_counts_ (cops and actives along the rows) from the grid as it is now, when every agent
  // is about to count what it sees: one pass over the grid makes each count a few reads. False on grids
  // too wide for the table.
  bool rebuild_vision_counts();
  void arrest(const PopulationParams& p, AgentId cop, CellIndex suspect_cell, std::int64_t step);
  enum class Kind : std::uint8_t { citizen, cop };
  void move_agent(Kind kind, AgentId id, CellIndex to);
  [[nodiscard]] std::uint32_t cop_claimant(AgentId cop) const { return static_cast<std::uint32_t>(citizens.size()) + cop; }

  core::Grid grid_;
  RuleParams rules_;  // structural: fixed for the run
  std::int64_t people_represented_ = 0;  // set once placed and settled; what per-capita rates divide by
  core::Neighbourhood citizen_vision_;
  core::Neighbourhood cop_vision_;

  // Working memory of the synchronous phases, kept to avoid reallocating every step.
  core::ClaimBoard claims_;
  std::vector<CellIndex> citizen_target_;
  std::vector<CellIndex> cop_target_;
  std::vector<CitizenState> next_state_;
  std::vector<std::uint32_t> activation_order_;
  core::RowCounts vision_counts_;  // rebuilt by each phase that reads it

  // Random streams, one per kind of decision (core/rng.hpp); the names are their keys.
  struct Streams {
    explicit Streams(std::uint64_t seed);
    core::RandomStream placement, attributes, household, order, citizen_move, cop_move, arrest, jail_term, release, deploy, claim;
  } rng_;
};

}  // namespace pocsim::model
