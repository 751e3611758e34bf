#include "model/conflict/parameters.hpp"

#include "model/common/sources.hpp"

namespace pocsim::model {

ParamRows<ConflictParams> conflict_parameters() {
  using namespace sources;
  ParamRows<ConflictParams> t;
  using G = GroupDef;
  t.add_records<G>(
      {"armed_groups.groups", ValueType::records, "", 0, 0, {}, "[]",
       "Armed groups. Each starts with fighters drawn from the households nearest its base, split into units that "
       "move to the sites worth most to them; it controls the cells where it outnumbers the state and its rivals.",
       brief_groups},
      [](auto& c) -> auto& { return c.armed_groups.groups; },
      {field<G>({"name", ValueType::text, "", 0, 0, {}, "", "Group name, unique."}, [](auto& g) -> auto& { return g.name; }),
       field<G>({"base", ValueType::point, "cell", 0, 0, {}, "", "Its base: where its units start and fall back to."},
                [](auto& g) -> auto& { return g.base; }),
       field<G>({"fighters", ValueType::integer, "people", 1, 1000000, {}, "100",
                 "Fighters at start, taken from the households nearest the base."},
                [](auto& g) -> auto& { return g.fighters; }),
       field<G>({"treasury", ValueType::real, "$", 0, 1e12, {}, "20000", "Money at start."},
                [](auto& g) -> auto& { return g.treasury; }),
       field<G>({"wage", ValueType::real, "$/step", 0, 1e6, {}, "60", "Pay of one fighter for one step."},
                [](auto& g) -> auto& { return g.wage; }),
       field<G>({"tax_rate", ValueType::real, "1", 0, 1, {}, "0.05",
                 "Share of a consignment's value taken once as it passes through the group's territory."},
                [](auto& g) -> auto& { return g.tax_rate; }),
       field<G>({"mine_tax", ValueType::real, "1", 0, 1, {}, "0.3", "Share of the output value of a mine it holds."},
                [](auto& g) -> auto& { return g.mine_tax; }),
       field<G>({"extortion_rate", ValueType::real, "1/step", 0, 1, {}, "0.05",
                 "Chance per step that a household in its territory is extorted."},
                [](auto& g) -> auto& { return g.extortion_rate; }),
       field<G>({"extortion_share", ValueType::real, "1", 0, 1, {}, "0.2", "Share of that household's step of licit income taken."},
                [](auto& g) -> auto& { return g.extortion_share; }),
       field<G>({"range", ValueType::integer, "cell", 0, 100000, {}, "30", "How far from its base its units operate."},
                [](auto& g) -> auto& { return g.range; }),
       field<G>({"remove_leader_at", ValueType::integer, "step", 0, 10000000, {}, "0",
                 "Step at which a scripted operation removes its leader; 0 never. Used to study leader removal."},
                [](auto& g) -> auto& { return g.remove_leader_at; })});
  auto group = [&](std::string key, ValueType type, std::string unit, double min, double max, std::string def,
                   std::string meaning, std::string source, auto member) {
    t.add({"armed_groups." + key, type, std::move(unit), min, max, {}, std::move(def), std::move(meaning), std::move(source)},
          [member](auto& c) -> auto& { return member(c.armed_groups); });
  };
  const auto I = ValueType::integer;
  const auto R = ValueType::real;
  group("unit_size", I, "people", 1, 1000000, "25", "Fighters per unit at start.", design,
        [](auto& a) -> auto& { return a.unit_size; });
  group("people_per_fighter", I, "people", 1, 10000, "1",
        "People each fighter agent stands for (a super-individual): a band of that many fighters, itself and the rest "
        "taken from the residents of its home cell when it joins (so only in a scenario stating geography.people). Each "
        "band of a unit clashes, meets operations and attacks civilians on its own draws, deaths and arrests fall on "
        "the bands' people before their agents, and the people go home with their agent. Lets groups of thousands "
        "be drawn from a few thousand citizen agents; 1: every fighter is an agent.",
        scheffer, [](auto& a) -> auto& { return a.people_per_fighter; });
  group("control_radius", I, "cell", 0, 1000, "2", "Half-side of the square a unit holds around itself.", stylised,
        [](auto& a) -> auto& { return a.control_radius; });
  group("speed", I, "cell/step", 1, 1000, "2", "Cells a unit moves along each axis per step.", stylised,
        [](auto& a) -> auto& { return a.speed; });
  group("deterrence", R, "1", 0, 100, "0.5",
        "Weight of opposing strength (state and rivals) per own fighter in a site's attraction: exp(-deterrence x "
        "opposition / own).",
        stylised, [](auto& a) -> auto& { return a.deterrence; });
  group("stickiness", R, "1", 0, 100, "0.2", "Bonus of a unit's current site over others (it does not move for small gains).",
        stylised, [](auto& a) -> auto& { return a.stickiness; });
  group("rent_memory", R, "1", 0, 0.9999, "0.9", "Share of the smoothed rents of routes and mines kept from one step to the next.",
        stylised, [](auto& a) -> auto& { return a.rent_memory; });
  group("fragmentation", R, "1", 0, 1, "0.1",
        "Each step, in each group, a unit drawn in proportion to its size disperses into single fighters with this "
        "chance, or else joins another unit drawn the same way; units that meet also merge. Coalescence and "
        "fragmentation spread unit sizes, and so event sizes, over a power law.",
        bohorquez, [](auto& a) -> auto& { return a.fragmentation; });
  group("clash_rate", R, "1/step", 0, 1, "0.3", "Chance per step that two hostile units whose squares touch fight.", stylised,
        [](auto& a) -> auto& { return a.clash_rate; });
  group("lethality", R, "1", 0, 0.5, "0.05",
        "Share of a side's fighters killed in a clash against equal numbers (2 x lethality x enemy / (own + enemy)).",
        stylised, [](auto& a) -> auto& { return a.lethality; });
  group("civilian_targeting", R, "1/step", 0, 1, "0.01",
        "Chance per step that a unit attacks the households around it (doubled where its hold is contested).", stylised,
        [](auto& a) -> auto& { return a.civilian_targeting; });
  group("civilian_lethality", R, "1", 0, 1, "0.3", "Chance that a person in the area of an attack is killed: each citizen agent there, and in a scenario stating "
        "geography.people, each of the people living in its cells (so set per person, e.g. fatalities per attack / "
        "people in an attack's area).",
        stylised, [](auto& a) -> auto& { return a.civilian_lethality; });
  group("attack_area", R, "cell/fighter", 0, 10000, "4",
        "Area an attack on civilians sweeps per attacking fighter (a square around the unit): the larger the unit, "
        "the more households it reaches, so the unit-size distribution carries over to massacre sizes.",
        bohorquez, [](auto& a) -> auto& { return a.attack_area; });
  group("operations_cost", R, "$/step", 0, 1e6, "10", "Cost of one fighter's arms, fuel and food per step, besides the wage.",
        stylised, [](auto& a) -> auto& { return a.operations_cost; });
  group("shortfall_memory", I, "step", 1, 10000, "4", "Steps over which fighters remember unpaid wages.", stylised,
        [](auto& a) -> auto& { return a.shortfall_memory; });
  group("desertion", R, "1/step", 0, 1, "0.2", "Chance per step that a fighter whose wages went wholly unpaid deserts.",
        stylised, [](auto& a) -> auto& { return a.desertion; });
  group("youth_share", R, "1", 0, 1, "0.3", "Share of households with a young member whom groups can recruit.", stylised,
        [](auto& a) -> auto& { return a.youth_share; });
  group("youth_livelihood", ValueType::schedule, "$/step", 0, 1e6, "0",
        "Licit income added to young people's households (what community violence reduction pays). A number or a schedule.",
        prieto, [](auto& a) -> auto& { return a.youth_livelihood; });
  group("grievance_premium", R, "$/step", 0, 1e6, "100", "What a grievance of 1 (G = H (1 - L)) is worth to a recruit, per step.",
        stylised, [](auto& a) -> auto& { return a.grievance_premium; });
  group("risk_weight", R, "1", 0, 1000, "3",
        "Perceived risk of joining per unit of the group's attrition rate (killed and arrested per fighter per step), "
        "scaled by the recruit's risk aversion.",
        prieto, [](auto& a) -> auto& { return a.risk_weight; });
  group("recruit_radius", I, "cell", 0, 1000, "3", "Half-side of the square around a unit in which it recruits.", stylised,
        [](auto& a) -> auto& { return a.recruit_radius; });
  group("hiring_horizon", I, "step", 1, 100000, "26", "Steps of pay a group holds for each fighter: it hires while its treasury allows.",
        stylised, [](auto& a) -> auto& { return a.hiring_horizon; });
  group("wage_response", R, "1", 0, 100, "1",
        "How far a group short of fighters raises its wage: wage x (1 + wage_response x vacancies / posts it can "
        "afford). A rich group outbids licit work.",
        stylised, [](auto& a) -> auto& { return a.wage_response; });
  group("succession_delay", I, "step", 0, 100000, "8", "Steps without a leader after a removal.", calderon,
        [](auto& a) -> auto& { return a.succession_delay; });
  group("split_probability", R, "1", 0, 1, "0.3",
        "Chance a succession is contested and a splinter group breaks away (chosen so that a removal raises local "
        "violence within the band of Calderon et al. 2015; docs/odd.md 7.19).",
        stylised,
        [](auto& a) -> auto& { return a.split_probability; });
  group("split_share", R, "1", 0, 1, "0.4", "Share of the units (and of the treasury) that leave with a splinter.", stylised,
        [](auto& a) -> auto& { return a.split_share; });
  group("max_splinters", I, "", 0, 16, "2", "Splinter groups each group can give rise to.", design,
        [](auto& a) -> auto& { return a.max_splinters; });
  group("leaderless_violence", R, "1", 1, 100, "1",
        "Extra multiplier of clash and civilian-attack chances while a group is leaderless, beyond what the succession "
        "does through pay, discipline, rivals and splits; 1: none (kept for sensitivity analysis).",
        stylised, [](auto& a) -> auto& { return a.leaderless_violence; });
  group("leaderless_weakness", R, "1", 0, 1, "0.5",
        "How strong a leaderless group's fighters look to its rivals choosing sites and to the state in its operations "
        "(1: undiminished).",
        stylised, [](auto& a) -> auto& { return a.leaderless_weakness; });
  group("reunification_rate", R, "1/step", 0, 1, "0.02",
        "Chance per step that a splinter rejoins its parent group, units and treasury, once both have a leader: a "
        "successor who has consolidated buys back or absorbs the breakaway.",
        stylised, [](auto& a) -> auto& { return a.reunification_rate; });
  group("succession_pay", R, "1", 0, 1, "0.5",
        "Share of its wage bill a leaderless group pays: the treasury answers to the leader, and commanders pay their own "
        "units what they can until a successor takes over. The rest stays in the treasury.",
        stylised, [](auto& a) -> auto& { return a.succession_pay; });
  group("indiscipline", R, "1", 0, 100, "2",
        "How much likelier fighters who remember unpaid wages are to attack households: the chance is multiplied by 1 + "
        "indiscipline x the group's remembered shortfall (0..1).",
        stylised, [](auto& a) -> auto& { return a.indiscipline; });
  group("peace_dividend", ValueType::schedule, "$/step", 0, 1e6, "0",
        "What a peace process offers per fighter per step (paid by the state); 0 means no process is open. A group joins "
        "when it beats what its sites are worth per fighter, and defects (a spoiler) when crime pays more.",
        brief_groups, [](auto& a) -> auto& { return a.peace_dividend; });
  group("peace_hysteresis", R, "1", 0, 10, "0.2", "Margin by which one side must beat the other before a group switches.",
        stylised, [](auto& a) -> auto& { return a.peace_hysteresis; });

  // ---- state forces
  t.add_records<GarrisonDef>(
      {"state_forces.garrisons", ValueType::records, "", 0, 0, {}, "[]",
       "Military garrisons: troops that hold a disc of cells, deter armed units and act against them; securing a "
       "mine this way can displace the fighting rather than end it.",
       pires},
      [](auto& c) -> auto& { return c.state_forces.garrisons; },
      {field<GarrisonDef>({"name", ValueType::text, "", 0, 0, {}, "", "Garrison name, unique."},
                          [](auto& g) -> auto& { return g.name; }),
       field<GarrisonDef>({"at", ValueType::point, "cell", 0, 0, {}, "", "Its cell."}, [](auto& g) -> auto& { return g.at; }),
       field<GarrisonDef>({"troops", ValueType::schedule, "soldier", 0, 1e6, {}, "", "Soldiers; a number or a schedule."},
                          [](auto& g) -> auto& { return g.troops; }),
       field<GarrisonDef>({"radius", ValueType::integer, "cell", 0, 1000, {}, "3", "Radius of the disc it secures."},
                          [](auto& g) -> auto& { return g.radius; })});
  t.add({"state_forces.raids", ValueType::schedule, "1/step", 0, 1000, {}, "0",
         "Raids per step that state forces mount against armed units wherever they are (an arrest campaign); each unit "
         "is raided with probability 1 - exp(-raids x political will x its share of all fighters). A number or a schedule.",
         prieto},
        [](auto& c) -> auto& { return c.state_forces.raids; });
  t.add({"state_forces.raid_strength", ValueType::real, "officer", 0, 1e6, {}, "50",
         "Officers or soldiers in one raid, added to the state's strength where it strikes.", stylised},
        [](auto& c) -> auto& { return c.state_forces.raid_strength; });
  t.add({"state_forces.operations", ValueType::schedule, "1/(officer step)", 0, 100, {}, "0.01",
         "Tempo of local operations against armed units where state forces stand: P(operation against a unit) = "
         "1 - exp(-operations x political will x state strength in the unit's square). A number or a schedule.",
         stylised},
        [](auto& c) -> auto& { return c.state_forces.operations; });
  t.add({"state_forces.lethality", ValueType::real, "1", 0, 0.5, {}, "0.02",
         "Share of a unit's fighters killed in an operation against equal numbers (2 x lethality x state / (state + unit)).",
         stylised},
        [](auto& c) -> auto& { return c.state_forces.lethality; });
  t.add({"state_forces.arrest_share", ValueType::real, "1", 0, 0.5, {}, "0.1",
         "Share of the surviving fighters arrested in an operation against equal numbers; they go to the justice chain.",
         prieto},
        [](auto& c) -> auto& { return c.state_forces.arrest_share; });
  t.add({"state_forces.leader_exposure", ValueType::real, "1", 0, 1, {}, "0.05",
         "Chance that an operation against a unit captures its group's leader, times the unit's share of the group.", calderon},
        [](auto& c) -> auto& { return c.state_forces.leader_exposure; });
  return t;
}

}  // namespace pocsim::model
