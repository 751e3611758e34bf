#include "model/mission/parameters.hpp"

#include "model/common/sources.hpp"

namespace pocsim::model {

ParamRows<MissionParams> mission_parameters() {
  using namespace sources;
  ParamRows<MissionParams> t;
  t.add({"mission.mandate_length", ValueType::integer, "step", 1, 10'000'000, {}, "1 year",
         "Time between mandate renewals; schedules changing at renewals change what the mission is mandated and "
         "resourced to do.",
         brief_groups},
        [](auto& m) -> auto& { return m.mandate_length; });
  t.add_records<BaseDef>(
      {"mission.bases", ValueType::records, "", 0, 0, {}, "[]",
       "Bases of the mission's military units: their patrols cover a disc, deter armed units (who count "
       "peacekeepers as opposition and cannot hold cells where they are as strong), protect civilians, and make "
       "roads safer for traffickers too.",
       hultman},
      [](auto& m) -> auto& { return m.bases; },
      {field<BaseDef>({"name", ValueType::text, "", 0, 0, {}, "", "Base name, unique."}, [](auto& b) -> auto& { return b.name; }),
       field<BaseDef>({"at", ValueType::point, "cell", 0, 0, {}, "", "Its cell."}, [](auto& b) -> auto& { return b.at; }),
       field<BaseDef>({"troops", ValueType::schedule, "soldier", 0, 1e6, {}, "", "Peacekeepers at the base; a number or a schedule."},
                      [](auto& b) -> auto& { return b.troops; }),
       field<BaseDef>({"radius", ValueType::integer, "cell", 0, 1000, {}, "5", "Radius of the disc its patrols cover."},
                      [](auto& b) -> auto& { return b.radius; })});
  auto real = [&](std::string key, std::string unit, double max, std::string def, std::string meaning, std::string source,
                  auto member) {
    t.add({"mission." + key, ValueType::real, std::move(unit), 0, max, {}, std::move(def), std::move(meaning), std::move(source)},
          member);
  };
  real("protection", "1/soldier", 10, "0.02",
       "Protection of civilians: an armed unit's chance of attacking is multiplied by exp(-protection x "
       "peacekeepers in its square).",
       hultman, [](auto& m) -> auto& { return m.protection; });
  real("patrol_share", "1", 1, "0.5",
       "Share of a base's peacekeepers that patrol where armed units stood last step within patrol_range of it, in "
       "proportion to their fighters (a unit is patrolled from its nearest base); the rest hold the base's area evenly. "
       "Where no armed unit is in reach, all hold the area.",
       stylised, [](auto& m) -> auto& { return m.patrol_share; });
  t.add({"mission.patrol_range", ValueType::integer, "cell", 0, 100000, {}, "15",
         "How far from its base (Chebyshev distance, cells) a base's patrols go to where armed units stand.", stylised},
        [](auto& m) -> auto& { return m.patrol_range; });
  real("stability", "1", 1, "0.2",
       "Share of traffickers' transport cost saved on the part of a route where peacekeepers patrol (the "
       "\"minimum stability\" that also serves crime).",
       brief_groups, [](auto& m) -> auto& { return m.stability; });
  real("incident_rate", "1/step", 10, "0.002", "Incidents against a base's personnel per step when it disrupts no trafficking.",
       brief_groups, [](auto& m) -> auto& { return m.incident_rate; });
  real("disruption_weight", "1/step per $1000", 100, "0.02",
       "Incidents per step added per $1,000 a step of goods seized within a base's patrols (smoothed): crime "
       "is no direct threat to peacekeepers until they get involved.",
       brief_groups, [](auto& m) -> auto& { return m.disruption_weight; });
  real("contracts", "$/step", 1e9, "0", "The mission's local contracts (construction, logistics), per step.", brief_groups,
       [](auto& m) -> auto& { return m.contracts; });
  real("contract_leakage", "1", 1, "0.2",
       "Share of contract value that leaks into the criminal economy without due diligence (to the group holding "
       "the first base's cell, else to political elites).",
       stylised, [](auto& m) -> auto& { return m.contract_leakage; });
  t.add({"mission.cvr_fade", ValueType::integer, "step", 1, 10'000'000, {}, "6 months",
         "Time over which the income CVR and reintegration give fades once they stop (e-folding time).", stylised},
        [](auto& m) -> auto& { return m.cvr_fade; });
  t.add({"mission.budget", ValueType::schedule, "$", 0, 1e15, {}, "0",
         "Money for levers and contracts per mandate (renewed with it); levers are funded in the order listed while it "
         "lasts, the rest wait for the next mandate. 0: not capped. A number or a schedule (the value at a mandate's "
         "first step counts).",
         brief_groups},
        [](auto& m) -> auto& { return m.budget; });
  real("travel_ban", "1", 1, "0.5",
       "Share of a listed group's protection taxes and mine cuts on goods that leave by a border crossing lost to "
       "the travel ban on its leaders (deals abroad cost more to arrange); it erodes with evasion like the freeze.",
       brief_groups, [](auto& m) -> auto& { return m.travel_ban; });
  t.add({"mission.intelligence", ValueType::schedule, "1", 0, 1, {}, "0",
         "Quality of the Joint Mission Analysis Centre's intelligence: CVR finds those closest to joining an armed group, "
         "sanctions listings hit their targets more often when it is shared, and other levers act with intensity x (1 + "
         "intelligence_gain x intelligence). A number or a schedule.",
         brief_groups},
        [](auto& m) -> auto& { return m.intelligence; });
  t.add({"mission.share_with_panel", ValueType::boolean, "", 0, 0, {}, "false",
         "Whether the mission shares its intelligence with the sanctions committee's Panel of Experts (listing accuracy "
         "0.2 + 0.8 x intelligence when shared, 0.2 + 0.2 x intelligence when not).",
         brief_groups},
        [](auto& m) -> auto& { return m.share_with_panel; });
  real("listing_rate", "1/step", 1, "0.1", "Chance per step that the sanctions committee lists a targeted group's leaders.",
       stylised, [](auto& m) -> auto& { return m.listing_rate; });
  t.add({"mission.evasion_time", ValueType::integer, "step", 1, 10'000'000, {}, "1 year",
         "Time over which a listed group learns to evade an asset freeze (e-folding), lengthened by cross-border "
         "enforcement: evasion_time / (1 - cross_border_enforcement).",
         brief_groups},
        [](auto& m) -> auto& { return m.evasion_time; });
  real("cross_border_enforcement", "1", 1, "0", "How far neighbouring states enforce sanctions: 1 stops evasion, 0 leaves it to time.",
       brief_groups, [](auto& m) -> auto& { return m.cross_border_enforcement; });
  real("leader_share", "1", 1, "0.1", "Share of his group's rents a leader weighs against a national-mediation exit package.",
       stylised, [](auto& m) -> auto& { return m.leader_share; });
  t.add({"mission.transition_length", ValueType::integer, "step", 0, 10'000'000, {}, "1 year",
         "Transition into the legal economy of a leader who took an exit: his package is paid in tranches over it while "
         "the mediation lasts; if the mediation ends first the transition is interrupted.",
         brief_groups},
        [](auto& m) -> auto& { return m.transition_length; });
  real("intelligence_gain", "1", 10, "0.5",
       "How much better levers that must find their targets work at full intelligence: interdiction, "
       "communications, mediation, capacity building, vetting, SOC support and due diligence act with intensity x "
       "(1 + gain x intelligence); CVR and sanctions use intelligence to choose whom they reach.",
       brief_groups, [](auto& m) -> auto& { return m.intelligence_gain; });
  real("consent_loss", "1/step", 1, "0.02",
       "Host consent lost per step per intrusive lever in force (sanctions, vetting, justice support, capacity "
       "building, SOC support), times the state-capture index: an intrusive mandate exposes officials' links to traffickers.",
       brief_groups, [](auto& m) -> auto& { return m.consent_loss; });
  real("consent_recovery", "1/step", 1, "0.01", "Share of lost consent regained per step without intrusive levers.", stylised,
       [](auto& m) -> auto& { return m.consent_recovery; });
  real("consent_threshold", "1", 1, "0.3",
       "Below this consent the host state withdraws it: every lever stops and the peacekeepers leave.", stylised,
       [](auto& m) -> auto& { return m.consent_threshold; });

  // The levers: what each kind's intensity means comes from the lever table.
  std::string meaning =
      "Interventions, each in force from start to end in one region (or everywhere), with a budget per step and an "
      "intensity whose meaning depends on the lever:";
  for (const LeverInfo& l : lever_table)
    meaning += std::string(l.kind == LeverKind::cvr ? " " : "; ") + std::string(l.name) + " (" + std::string(l.intensity) +
               (l.dose == Dose::budget ? "; dose: the budget" : "") + ")";
  meaning += ". A lever at zero dose (its intensity, or for cvr and ddr its budget), or with nothing to act on in its "
             "region, is idle: it spends nothing and costs no consent.";
  using L = LeverDef;
  t.add_records<L>(
      {"levers", ValueType::records, "", 0, 0, {}, "[]", meaning, brief_groups}, [](auto& m) -> auto& { return m.levers; },
      {field<L>({"lever", ValueType::choice, "", 0, 0, core::names_of<LeverKind>(), "", "Which intervention."},
                [](auto& l) -> auto& { return l.kind; }),
       field<L>({"start", ValueType::integer, "step", 0, 10'000'000, {}, "0", "First step in force (a time: steps, a duration or a date)."},
                [](auto& l) -> auto& { return l.start; }),
       field<L>({"end", ValueType::integer, "step", 0, 10'000'000, {}, "0", "Last step in force; 0 until the run ends."},
                [](auto& l) -> auto& { return l.end; }),
       field<L>({"region", ValueType::text, "", 0, 0, {}, "\"\"", "Target region; empty: everywhere."},
                [](auto& l) -> auto& { return l.region; }),
       field<L>({"budget", ValueType::real, "$/step", 0, 1e12, {}, "0", "Money spent per step while in force."},
                [](auto& l) -> auto& { return l.budget; }),
       field<L>({"intensity", ValueType::real, "", 0, 1e9, {}, "", "Strength, by lever (see above)."},
                [](auto& l) -> auto& { return l.intensity; })});
  return t;
}

}  // namespace pocsim::model
