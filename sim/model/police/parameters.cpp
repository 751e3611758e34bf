#include "model/police/parameters.hpp"

#include "model/common/sources.hpp"

namespace pocsim::model {

ParamRows<PoliceParams> police_parameters() {
  using namespace sources;
  ParamRows<PoliceParams> t;
  t.add_records<PostDef>(
      {"police.posts", ValueType::records, "", 0, 0, {}, "[]",
       "Host-state police posts: officers patrol a disc around the post and stop shipments crossing it.", brief},
      [](auto& p) -> auto& { return p.posts; },
      {field<PostDef>({"name", ValueType::text, "", 0, 0, {}, "", "Post name, unique."}, [](auto& x) -> auto& { return x.name; }),
       field<PostDef>({"at", ValueType::point, "cell", 0, 0, {}, "", "Its cell."}, [](auto& x) -> auto& { return x.at; }),
       field<PostDef>({"personnel", ValueType::integer, "officer", 0, 100000, {}, "20", "Officers at the post."},
                      [](auto& x) -> auto& { return x.personnel; }),
       field<PostDef>({"radius", ValueType::integer, "cell", 0, 1000, {}, "3", "Radius of the disc they patrol."},
                      [](auto& x) -> auto& { return x.radius; }),
       field<PostDef>({"capacity", ValueType::real, "1", 0, 1, {}, "0.7",
                       "Training: chance that an honest stop ends in a seizure; effective officers = personnel x (0.4 + 0.8 "
                       "capacity) (Athena)."},
                      [](auto& x) -> auto& { return x.capacity; }),
       field<PostDef>({"integrity", ValueType::real, "1", 0, 1, {}, "0.5", "0 corruptible .. 1 incorruptible."},
                      [](auto& x) -> auto& { return x.integrity; })});
  t.add({"police.salary", ValueType::real, "$/step", 0, 1e6, {}, "100", "Salary of one officer for one step.", stylised},
        [](auto& p) -> auto& { return p.salary; });
  t.add({"police.paid_share", ValueType::schedule, "1", 0, 1, {}, "1",
         "Share of the police payroll the state pays (its fiscal capacity). A number or a schedule.", brief},
        [](auto& p) -> auto& { return p.paid_share; });
  t.add({"police.shortfall_memory", ValueType::integer, "step", 1, 10000, {}, "12",
         "Steps over which officers remember unpaid salary (exponential smoothing).", stylised},
        [](auto& p) -> auto& { return p.shortfall_memory; });
  t.add({"police.detection", ValueType::real, "1/officer", 0, 1e6, {}, "0.05",
         "Encounter rate per effective officer per cell when a shipment crosses a patrolled cell: "
         "P(stop) = 1 - exp(-detection x presence).",
         stylised},
        [](auto& p) -> auto& { return p.detection; });
  t.add({"police.bribe.base", ValueType::real, "logit", -100, 100, {}, "-3",
         "Log-odds of taking a bribe for a fully paid officer offered nothing. P(bribe) = (1 - integrity) x "
         "(1 - oversight) x logistic(base + shortfall x remembered shortfall + offer x offer / salary): an officer of "
         "full integrity never takes one.",
         stylised},
        [](auto& p) -> auto& { return p.bribe.base; });
  t.add({"police.bribe.shortfall", ValueType::real, "logit", 0, 100, {}, "4",
         "Added log-odds per unit of remembered salary shortfall (1 = nothing paid).", brief},
        [](auto& p) -> auto& { return p.bribe.shortfall; });
  t.add({"police.bribe.offer", ValueType::real, "logit", 0, 100, {}, "0.5", "Added log-odds per step's salary offered.",
         stylised},
        [](auto& p) -> auto& { return p.bribe.offer; });
  t.add({"police.oversight", ValueType::real, "1", 0, 1, {}, "0",
         "Internal oversight and anti-corruption control: scales every officer's chance of taking a bribe by "
         "(1 - oversight).",
         brief},
        [](auto& p) -> auto& { return p.oversight; });
  t.add({"police.extortion.rate", ValueType::real, "1/step", 0, 1, {}, "0",
         "Chance per step that a post's police meet a household it patrols (a checkpoint, an identity check); at a "
         "meeting the officer takes a bribe with chance shortfall x (1 - integrity). The meetings and the bribes are "
         "Afrobarometer's contacts with the police and bribes paid to avoid a problem (police/household_bribery_rate).",
         brief},
        [](auto& p) -> auto& { return p.extortion.rate; });
  t.add({"police.extortion.share", ValueType::real, "1", 0, 1, {}, "0.2",
         "Share of the household's step of licit income taken.", stylised},
        [](auto& p) -> auto& { return p.extortion.share; });
  t.add_records<InterdictionDef>(
      {"police.interdiction", ValueType::records, "", 0, 0, {}, "[]",
       "Interdiction: multiplies police presence on a road's or region's cells, on a schedule.", narcologic},
      [](auto& p) -> auto& { return p.interdiction; },
      {field<InterdictionDef>({"target", ValueType::text, "", 0, 0, {}, "", "A road or region name."},
                              [](auto& x) -> auto& { return x.target; }),
       field<InterdictionDef>(
           {"multiplier", ValueType::schedule, "1", 0, 1000, {}, "", "Presence multiplier; a number or a schedule."},
           [](auto& x) -> auto& { return x.multiplier; })});
  // The justice chain
  t.add({"justice.prosecutions_per_step", ValueType::integer, "case/step", 0, 1000000, {}, "5",
         "Cases prosecutors and courts can try per step, oldest first.", brief},
        [](auto& p) -> auto& { return p.justice.prosecutions_per_step; });
  t.add({"justice.conviction_probability", ValueType::real, "1", 0, 1, {}, "0.6",
         "Chance a tried case ends in conviction (court integrity and evidence).", stylised},
        [](auto& p) -> auto& { return p.justice.conviction_probability; });
  t.add({"justice.max_pretrial_steps", ValueType::integer, "step", 0, 100000, {}, "8",
         "Longest detention without trial; then the suspect is released and returns to work (the revolving door).", brief},
        [](auto& p) -> auto& { return p.justice.max_pretrial_steps; });
  t.add({"justice.sentence_steps", ValueType::integer, "step", 0, 100000, {}, "104", "Prison term of a convicted worker.",
         stylised},
        [](auto& p) -> auto& { return p.justice.sentence_steps; });
  return t;
}

}  // namespace pocsim::model
