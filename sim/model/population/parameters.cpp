#include "model/population/parameters.hpp"

#include <string>

#include "model/common/sources.hpp"

namespace pocsim::model {

ParamRows<PopulationParams> population_parameters() {
  using namespace sources;
  ParamRows<PopulationParams> t;
  // Epstein's citizens
  t.add({"citizens.density", ValueType::real, "1", 0, 1, {}, "0.7",
         "Share of cells holding a citizen at step 0 (Epstein's agent density).", epstein},
        [](auto& p) -> auto& { return p.citizens.density; });
  t.add({"citizens.vision", ValueType::integer, "cell", 0, 1000, {}, "7",
         "How far a citizen sees cops and actives, in cells, under rules.vision_shape.", epstein},
        [](auto& p) -> auto& { return p.citizens.vision; });
  t.add({"citizens.threshold", ValueType::real, "1", 0, 1, {}, "0.1",
         "T: a citizen turns active when grievance minus net risk exceeds it.", epstein},
        [](auto& p) -> auto& { return p.citizens.threshold; });
  t.add({"citizens.legitimacy", ValueType::schedule, "1", 0, 1, {}, "0.82",
         "L: the state's legitimacy as citizens perceive it; grievance is H (1 - L). A number, or a schedule "
         "{initial, changes: [{at, to, over}]}.",
         epstein},
        [](auto& p) -> auto& { return p.citizens.legitimacy; });
  // Households' economy (citizens are households) and its coupling to grievance
  t.add({"citizens.licit_income", ValueType::real, "$/step", 0, 1e6, {}, "100",
         "Mean licit income of a household; each draws uniformly from 0.5 to 1.5 times it.", stylised},
        [](auto& p) -> auto& { return p.citizens.licit_income; });
  t.add({"citizens.tolerance", ValueType::real, "1", 0, 0.5, {}, "0.3",
         "Mean tolerance of criminals; each household draws uniformly from 0 to twice it. Criminals are often not "
         "seen as such by their communities.",
         brief},
        [](auto& p) -> auto& { return p.citizens.tolerance; });
  t.add({"citizens.moral_cost", ValueType::real, "1", 0, 10, {}, "0.5",
         "Share of its licit income a wholly intolerant household needs as extra pay to work for criminals.", stylised},
        [](auto& p) -> auto& { return p.citizens.moral_cost; });
  t.add({"citizens.income_relief", ValueType::real, "1", 0, 1, {}, "0",
         "Hardship relieved by illicit income equal to the household's licit income (0 decouples the economy from "
         "grievance).",
         stylised},
        [](auto& p) -> auto& { return p.citizens.income_relief; });
  t.add({"citizens.extortion_hardship", ValueType::real, "1", 0, 10, {}, "0",
         "Hardship added per unit of remembered police extortion (in units of licit income).", stylised},
        [](auto& p) -> auto& { return p.citizens.extortion_hardship; });
  t.add({"citizens.extortion_legitimacy", ValueType::real, "1", 0, 1, {}, "0",
         "Share of perceived legitimacy lost per unit of remembered police extortion.", stylised},
        [](auto& p) -> auto& { return p.citizens.extortion_legitimacy; });
  t.add({"citizens.extortion_memory", ValueType::real, "1", 0, 1, {}, "0.9",
         "Share of remembered extortion kept from one step to the next.", stylised},
        [](auto& p) -> auto& { return p.citizens.extortion_memory; });
  // Epstein's cops
  t.add({"police.density", ValueType::schedule, "1", 0, 1, {}, "0.04",
         "Share of cells holding a cop on duty. A number, or a schedule; a change deploys or withdraws cops.", epstein},
        [](auto& p) -> auto& { return p.police.density; });
  t.add({"police.vision", ValueType::integer, "cell", 0, 1000, {}, "7", "How far a cop sees actives it can arrest, in cells.",
         epstein},
        [](auto& p) -> auto& { return p.police.vision; });
  t.add({"police.max_jail_term", ValueType::integer, "step", 0, 1'000'000, {}, "30",
         "J_max: a jail term is drawn uniformly from {0, ..., J_max} steps.", epstein},
        [](auto& p) -> auto& { return p.police.max_jail_term; });
  t.add({"police.arrest_constant", ValueType::real, "1", 0, 100, {}, "2.3",
         "k in the estimated arrest probability P = 1 - exp(-k (C/A)); 2.3 makes P = 0.9 when C = A = 1.", epstein},
        [](auto& p) -> auto& { return p.police.arrest_constant; });
  // The rules: the structural choices between Epstein's published implementations
  t.add({"rules.arrest_ratio", ValueType::choice, "", 0, 0, core::names_of<ArrestRatioRule>(), "floor",
         "How C/A enters P: floor (NetLogo Rebellion; gives punctuated outbursts), round (Mesa; half to even), "
         "none (the paper's formula read literally; no outbursts).",
         std::string(netlogo) + "; " + mesa + "; " + epstein},
        [](auto& p) -> auto& { return p.rules.arrest_ratio; });
  t.add({"rules.vision_shape", ValueType::choice, "", 0, 0, core::names_of<core::NeighbourhoodShape>(), "euclidean",
         "Shape of vision: euclidean disc (NetLogo's in-radius), von_neumann (the paper's N/S/E/W lattice "
         "positions; Mesa 3.x's get_neighborhood on its von Neumann grid), moore (a square).",
         std::string(netlogo) + "; " + epstein + "; " + mesa},
        [](auto& p) -> auto& { return p.rules.vision_shape; });
  t.add({"rules.activation", ValueType::choice, "", 0, 0, core::names_of<Activation>(), "sequential",
         "sequential: agents act one at a time in an order reshuffled every step, each seeing earlier moves "
         "(the paper, NetLogo, Mesa); synchronous: all read the previous state, conflicts resolved by seeded "
         "priority; runs in parallel.",
         std::string(epstein) + "; " + design},
        [](auto& p) -> auto& { return p.rules.activation; });
  t.add({"rules.movement", ValueType::boolean, "", 0, 0, {}, "true",
         "Whether agents move each step to a random empty cell within vision.", epstein},
        [](auto& p) -> auto& { return p.rules.movement; });
  t.add({"rules.jail", ValueType::choice, "", 0, 0, core::names_of<JailRule>(), "off_grid",
         "off_grid: the jailed leave the grid and the arresting cop takes the cell (the paper, NetLogo); "
         "hold_cell: the jailed stay on their cell, blocking it (Mesa).",
         std::string(epstein) + "; " + mesa},
        [](auto& p) -> auto& { return p.rules.jail; });
  t.add({"rules.placement", ValueType::choice, "", 0, 0, core::names_of<Placement>(), "exact",
         "exact: round(density x cells) agents of each kind on random empty cells (NetLogo's Rebellion: "
         "create-agents round(density x count patches)); probabilistic: each cell independently a cop, a citizen "
         "or empty (Mesa 3.x).",
         std::string(netlogo) + "; " + mesa},
        [](auto& p) -> auto& { return p.rules.placement; });
  t.add({"rules.citizen_order", ValueType::choice, "", 0, 0, core::names_of<TurnOrder>(), "move_then_act",
         "Under sequential activation, what a citizen does first in its turn: move_then_act (move, then decide "
         "from where it arrived: the paper's rule M then A, NetLogo's Rebellion) or act_then_move (decide from where "
         "it stands, then move: Mesa 3.x).",
         std::string(epstein) + "; " + netlogo + "; " + mesa},
        [](auto& p) -> auto& { return p.rules.citizen_order; });
  t.add({"rules.cop_order", ValueType::choice, "", 0, 0, core::names_of<TurnOrder>(), "move_then_act",
         "Under sequential activation, what a cop does first in its turn: move_then_act (move, then arrest from "
         "where it arrived: the paper, NetLogo's Rebellion) or act_then_move (arrest, then move: Mesa 3.x).",
         std::string(epstein) + "; " + netlogo + "; " + mesa},
        [](auto& p) -> auto& { return p.rules.cop_order; });
  t.add({"rules.jail_countdown", ValueType::choice, "", 0, 0, core::names_of<JailCountdown>(), "step_end",
         "When jail terms count down: step_end (every jailed citizen once after all agents have acted; released "
         "quiet: NetLogo's Rebellion) or own_activation (the jailed take turns with everyone and count down in "
         "their own; at zero the turn is spent deciding and moving, so a term of 0 can end within the step of the "
         "arrest: Mesa 3.x; needs sequential activation and rules.jail: hold_cell).",
         std::string(netlogo) + "; " + mesa},
        [](auto& p) -> auto& { return p.rules.jail_countdown; });
  return t;
}

}  // namespace pocsim::model
