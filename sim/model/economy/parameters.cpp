#include "model/economy/parameters.hpp"

#include "model/common/sources.hpp"

namespace pocsim::model {

ParamRows<EconomyParams> economy_parameters() {
  using namespace sources;
  ParamRows<EconomyParams> t;
  t.add({"economy.recruit_radius", ValueType::integer, "cell", 0, 1000, {}, "3",
         "Households within this many cells of a commodity's routes (of its mine, for resources) can work for it.", stylised},
        [](auto& e) -> auto& { return e.recruit_radius; });
  using N = NetworkDef;
  t.add_records<N>(
      {"economy.networks", ValueType::records, "", 0, 0, {}, "[]",
       "Trafficking networks, each with a kingpin; they hire workers, choose routes and pay bribes and elites.", narcologic},
      [](auto& e) -> auto& { return e.networks; },
      {field<N>({"name", ValueType::text, "", 0, 0, {}, "", "Network name, unique."}, [](auto& n) -> auto& { return n.name; }),
       field<N>({"wage", ValueType::real, "$/step", 0, 1e6, {}, "150", "Pay of one worker for one step."},
                [](auto& n) -> auto& { return n.wage; }),
       field<N>({"bribe_share", ValueType::real, "1", 0, 1, {}, "0.05", "Share of a consignment's value offered at a police stop."},
                [](auto& n) -> auto& { return n.bribe_share; }),
       field<N>({"elite_share", ValueType::real, "1", 0, 1, {}, "0.05", "Share of sales paid to political elites for protection."},
                [](auto& n) -> auto& { return n.elite_share; }),
       field<N>({"learning_rate", ValueType::real, "1", 0, 0.99, {}, "0.1",
                 "Weight of one passage (toward 0) or seizure (toward 1) in the learned chance of losing a consignment in a cell."},
                [](auto& n) -> auto& { return n.learning_rate; }),
       field<N>({"risk_memory", ValueType::real, "1", 0, 1, {}, "0.99",
                 "Share of learned seizure risk kept per step without news (forgetting)."},
                [](auto& n) -> auto& { return n.risk_memory; }),
       field<N>({"observed_weight", ValueType::real, "1", 0, 1, {}, "0.5", "Weight of other networks' seizures in what it learns."},
                [](auto& n) -> auto& { return n.observed_weight; }),
       field<N>({"kingpin_exposure", ValueType::real, "1", 0, 1, {}, "0.02", "Chance a seizure leads to the kingpin's arrest."},
                [](auto& n) -> auto& { return n.kingpin_exposure; }),
       field<N>({"successor_delay", ValueType::integer, "step", 0, 10000, {}, "8",
                 "Steps before a convicted kingpin is replaced; the network ships nothing meanwhile."},
                [](auto& n) -> auto& { return n.successor_delay; }),
       field<N>({"routes", ValueType::integer, "", 1, 20, {}, "3", "Alternative routes it keeps per commodity."},
                [](auto& n) -> auto& { return n.routes; }),
       field<N>({"replan_every", ValueType::integer, "step", 0, 10000, {}, "4", "Steps between searches for a better route; 0 never."},
                [](auto& n) -> auto& { return n.replan_every; }),
       field<N>({"route_temperature", ValueType::real, "1", 0.001, 100, {}, "0.1",
                 "Spread of the logit route choice, relative to the mean expected cost."},
                [](auto& n) -> auto& { return n.route_temperature; }),
       field<N>({"transport_cost", ValueType::real, "$/(unit cost)", 0, 1e9, {}, "1", "Cost of moving one unit one cost unit."},
                [](auto& n) -> auto& { return n.transport_cost; })});
  using C = CommodityDef;
  t.add_records<C>(
      {"economy.commodities", ValueType::records, "", 0, 0, {}, "[]",
       "Illicit commodities, each moved by one network from an entry point to an exit point.", narcologic},
      [](auto& e) -> auto& { return e.commodities; },
      {field<C>({"name", ValueType::text, "", 0, 0, {}, "", "Commodity name, unique."}, [](auto& c) -> auto& { return c.name; }),
       field<C>({"kind", ValueType::choice, "", 0, 0, core::names_of<CommodityKind>(), "",
                 "What it is; sets the work it offers (courier, smuggler, miner)."},
                [](auto& c) -> auto& { return c.kind; }),
       field<C>({"from", ValueType::text, "", 0, 0, {}, "", "Point where it enters (a mine for resources)."},
                [](auto& c) -> auto& { return c.from; }),
       field<C>({"to", ValueType::text, "", 0, 0, {}, "", "Point where it leaves and is sold."}, [](auto& c) -> auto& { return c.to; }),
       field<C>({"network", ValueType::text, "", 0, 0, {}, "", "Network that moves it."},
                [](auto& c) -> auto& { return c.network; }),
       field<C>({"volume", ValueType::schedule, "unit/step", 0, 1e6, {}, "", "Units the network wants to move per step."},
                [](auto& c) -> auto& { return c.volume; }),
       field<C>({"source_price", ValueType::real, "$/unit", 0, 1e6, {}, "", "Price paid where it enters."},
                [](auto& c) -> auto& { return c.source_price; }),
       field<C>({"exit_price", ValueType::real, "$/unit", 0, 1e6, {}, "", "Price received where it leaves."},
                [](auto& c) -> auto& { return c.exit_price; }),
       field<C>({"workers_per_unit", ValueType::real, "worker/unit", 0, 1e6, {}, "0.1", "Workers needed per unit moved per step."},
                [](auto& c) -> auto& { return c.workers_per_unit; }),
       field<C>({"consignments", ValueType::integer, "", 1, 1000, {}, "10",
                 "Shipments a step's volume is split into; each picks its own route."},
                [](auto& c) -> auto& { return c.consignments; })});
  return t;
}

}  // namespace pocsim::model
