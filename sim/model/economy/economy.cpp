#include "model/economy/economy.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <tbb/task_arena.h>

#include "core/parallel.hpp"
#include "core/routing.hpp"

namespace pocsim::model {

Work work_for(CommodityKind k) {
  switch (k) {
    case CommodityKind::drugs:
    case CommodityKind::arms: return Work::courier;
    case CommodityKind::migrants:
    case CommodityKind::fuel: return Work::smuggler;
    case CommodityKind::resources: return Work::miner;
  }
  return Work::courier;
}

namespace {
// Entities of the per-consignment random draws: commodity, consignment and checkpoint packed apart.
std::uint64_t consignment_entity(std::size_t commodity, int consignment) {
  return (static_cast<std::uint64_t>(commodity) << 32) | static_cast<std::uint32_t>(consignment);
}
}  // namespace

Economy::Economy(const EconomyParams& e, const Geography& geo, const core::Grid& grid, bool is_active, std::size_t regions,
                 std::uint64_t seed)
    : active(is_active), grid_(grid), hiring_rng_(seed, "work.hiring"), route_rng_(seed, "route.choice") {
  const std::size_t n_cells = grid_.cell_count();
  networks.resize(e.networks.size());
  for (NetworkState& n : networks) {
    n.seizure.resize(n_cells);
    n.bribe.resize(n_cells);
  }
  flows.resize(e.commodities.size());
  std::vector<CellIndex> destinations;
  for (const CommodityDef& def : e.commodities) {
    const CellIndex to = geo.point_cell[def.to_point];
    const auto known = std::find(destinations.begin(), destinations.end(), to);
    guide_of_.push_back(static_cast<std::size_t>(known - destinations.begin()));
    if (known == destinations.end()) destinations.push_back(to);
  }
  auto guides = std::make_shared<std::vector<core::CostToGo>>(destinations.size());
  core::parallel_for(destinations.size(), [&](std::size_t d) { (*guides)[d] = core::cost_to_go(grid_, geo.travel_cost, destinations[d]); }, 1);
  guides_ = std::move(guides);
  core::parallel_for(e.commodities.size(), [&](std::size_t c) { plan_routes(e, c, geo, nullptr, 0); }, 1);  // independent searches
  now.cell_flow.assign(n_cells, 0.0f);
  now.start_step(e.commodities.size(), regions, flows);
}

void EconomyStep::start_step(std::size_t n_commodities, std::size_t n_regions, const std::vector<Flow>& flows) {
  // The flow map is not reset here: it accumulates until the writer takes a snapshot.
  revenue.assign(n_commodities, {});
  sales.assign(n_commodities, 0);
  shipped.assign(n_commodities, 0);
  delivered.assign(n_commodities, 0);
  seized_volume.assign(n_commodities, 0);
  seized_value.assign(n_commodities, 0);
  route_volume.assign(n_commodities, {});
  for (std::size_t c = 0; c < n_commodities; ++c) route_volume[c].assign(flows[c].routes.size(), 0.0);
  workers = {};
  region_workers.assign(n_regions, 0);
  region_flow.assign(n_regions, 0.0);
  seizures.clear();
}

void Economy::clear_flow_map() { std::fill(now.cell_flow.begin(), now.cell_flow.end(), 0.0f); }

// ---------------------------------------------------------------------------------------------------
// Building blocks

float Economy::risk_at(const EconomyParams& e, std::size_t network, CellIndex c, std::uint32_t step) const {
  return static_cast<float>(networks[network].seizure.at(c, step, e.networks[network].risk_memory));
}

void Economy::learn_passage(const EconomyParams& e, std::size_t network, CellIndex c, Stop outcome, std::uint32_t step) {
  NetworkState& n = networks[network];
  const NetworkDef& def = e.networks[network];
  n.seizure.learn(c, step, def.risk_memory, outcome == Stop::seized, def.learning_rate);
  n.bribe.learn(c, step, def.risk_memory, outcome == Stop::bribed, def.learning_rate);
}

void Economy::learn_seizure_seen(const EconomyParams& e, std::size_t network, CellIndex c, std::uint32_t step) {
  const NetworkDef& def = e.networks[network];
  networks[network].seizure.learn(c, step, def.risk_memory, true, def.learning_rate * def.observed_weight);
}

double Economy::expected_bribes(const EconomyParams& e, std::size_t network, const Route& r, std::uint32_t step) const {
  const NetworkDef& def = e.networks[network];
  double bribes = 0;
  for (CellIndex c : r.cells) bribes += networks[network].bribe.at(c, step, def.risk_memory);
  return bribes * def.bribe_share;
}

double Economy::seizure_risk(const EconomyParams& e, std::size_t network, const Route& r, std::uint32_t step) const {
  double pass = 1.0;
  for (CellIndex c : r.cells) pass *= 1.0 - risk_at(e, network, c, step);
  return 1.0 - pass;
}

double Economy::protection_tax(const Conflict& conflict, const Route& r) const {
  // Each group taxes a consignment once, where it first enters the group's territory.
  if (!conflict.active) return 0.0;
  std::vector<std::uint8_t> taxed(conflict.groups.size(), 0);
  double share = 0;
  for (CellIndex c : r.cells) {
    const std::int16_t g = conflict.owner[c];
    if (g == no_group || conflict.protection_tax[c] <= 0 || taxed[static_cast<std::size_t>(g)]) continue;
    taxed[static_cast<std::size_t>(g)] = 1;
    share += conflict.protection_tax[c];
  }
  return share;
}

double Economy::route_cost(const Trade& t, std::size_t commodity, const Route& r, std::uint32_t step) const {
  const CommodityDef& def = t.economy.commodities[commodity];
  const NetworkDef& net = t.economy.networks[def.network_index];
  // Where peacekeepers patrol, the roads are safer for everyone, traffickers included ("minimum stability").
  double stable = 0;
  if (t.mission.troops && !r.cells.empty()) {
    for (CellIndex c : r.cells) stable += (*t.mission.troops)[c] > 0;
    stable /= static_cast<double>(r.cells.size());
  }
  return net.transport_cost * r.travel_cost * (1.0 - t.mission.stability * stable) +
         (seizure_risk(t.economy, def.network_index, r, step) + expected_bribes(t.economy, def.network_index, r, step) +
          protection_tax(t.conflict, r)) *
             def.exit_price;
}

void Economy::plan_routes(const EconomyParams& e, std::size_t commodity, const Geography& geo, const Trade* replan, std::int64_t step_number) {
  const CommodityDef& def = e.commodities[commodity];
  const NetworkDef& net = e.networks[def.network_index];
  const auto step = static_cast<std::uint32_t>(step_number);
  Flow& flow = flows[commodity];
  const CellIndex from = geo.point_cell[def.from_point];
  const CellIndex to = geo.point_cell[def.to_point];
  const core::CostToGo& guide = (*guides_)[guide_of_[commodity]];
  if (!replan) {
    for (core::Path& p : core::alternative_paths(grid_, geo.travel_cost, from, to, net.routes, 3.0, {&guide, 1.0}))
      flow.routes.push_back({std::move(p.cells), p.cost});
  } else {
    // Search under the costs the network now expects: travel plus learned risk, both in dollars per
    // unit. A better route not yet known replaces the one with the highest expected cost.
    const std::vector<float>& protection = replan->conflict.protection_tax;
    std::vector<float> expected(grid_.cell_count());
    core::parallel_for(expected.size(), [&](std::size_t c) {
      expected[c] = static_cast<float>(
          net.transport_cost * geo.travel_cost[c] +
          (risk_at(e, def.network_index, static_cast<CellIndex>(c), step) +
           net.bribe_share * networks[def.network_index].bribe.at(static_cast<CellIndex>(c), step, net.risk_memory) + protection[c]) *
              def.exit_price +
          1e-6);
    }, 4096);
    // Expected costs are never below transport_cost x travel cost (risk, bribes and protection are not
    // negative; float rounding is within the guide's margin), so that is the guide's scale.
    core::Path best = core::least_cost_path(grid_, expected, from, to, {&guide, net.transport_cost});
    const bool known = std::any_of(flow.routes.begin(), flow.routes.end(), [&](const Route& r) { return r.cells == best.cells; });
    if (known || best.cells.empty()) return;
    Route fresh{std::move(best.cells), 0};
    fresh.travel_cost = core::path_cost(grid_, geo.travel_cost, fresh.cells);
    if (static_cast<int>(flow.routes.size()) < net.routes) {
      flow.routes.push_back(std::move(fresh));
    } else {
      std::size_t worst = 0;
      double worst_cost = -1;
      for (std::size_t k = 0; k < flow.routes.size(); ++k) {
        const double cost = route_cost(*replan, commodity, flow.routes[k], step);
        if (cost > worst_cost) {
          worst_cost = cost;
          worst = k;
        }
      }
      // The search minimised a per-cell sum; keep the new route only if it is better as a whole.
      if (route_cost(*replan, commodity, fresh, step) < worst_cost) flow.routes[worst] = std::move(fresh);
    }
  }
  // Workers are recruited near the routes, or near the mine for resources.
  const int r = e.recruit_radius;
  flow.catchment.assign(grid_.cell_count(), 0);
  auto mark_around = [&](CellIndex centre) {
    for_each_in_square(grid_, centre, r, [&](CellIndex c) { flow.catchment[c] = 1; });
  };
  if (def.kind == CommodityKind::resources) {
    mark_around(from);
  } else {
    for (const Route& route : flow.routes)
      for (CellIndex c : route.cells) mark_around(c);
  }
}

void Economy::pay(Ledger& books, std::size_t from, std::size_t to, Cents amount, std::size_t commodity, Recipient r) {
  books.transfer(from, to, amount);
  if (r != Recipient::network) now.revenue[commodity][static_cast<std::size_t>(r)] += amount;
}

// ---------------------------------------------------------------------------------------------------
// Phases

void Economy::choose_work(const EconomyParams& e, const CitizenParams& households, std::int64_t step_number, Population& population,
                          const Police& police, const Livelihood& livelihood) {
  const std::size_t n_flows = e.commodities.size();
  if (n_flows == 0) return;
  Citizens& citizens = population.citizens;
  const auto step = static_cast<std::uint32_t>(step_number);
  std::vector<double> volume(n_flows);
  for (std::size_t f = 0; f < n_flows; ++f) {
    const CommodityDef& def = e.commodities[f];
    const bool leaderless = police.network_leaderless(def.network_index, step_number);
    volume[f] = leaderless ? 0.0 : def.volume.value_at(step_number);
    flows[f].volume = volume[f];
    flows[f].demand = def.workers_per_unit * volume[f];
  }
  // Each free household compares its licit income with the best illicit wage within reach, net of the
  // arrest risk its workers have seen and of its moral cost (lower for the tolerant).
  std::vector<std::int16_t> wants(citizens.size(), -1);
  core::parallel_for(citizens.size(), [&](std::size_t i) {
    const auto c = static_cast<AgentId>(i);
    citizens.work[c] = static_cast<std::uint8_t>(Work::licit);
    citizens.employer[c] = -1;
    citizens.illicit_income[c] = 0;
    if (!at_large(citizens.state[c])) return;
    const double licit = livelihood.licit_income(c);
    double best = licit;
    for (std::size_t f = 0; f < n_flows; ++f) {
      const Flow& flow = flows[f];
      if (flow.demand <= 0 || !flow.catchment[citizens.cell[c]]) continue;
      const double wage = e.networks[e.commodities[f].network_index].wage;
      const double u = wage * (1.0 - flow.arrest_rate) - households.moral_cost * (1.0 - livelihood.tolerance(c)) * licit;
      if (u > best) {
        best = u;
        wants[c] = static_cast<std::int16_t>(f);
      }
    }
  });
  std::vector<double> willing(n_flows, 0.0);
  for (std::int16_t f : wants)
    if (f >= 0) willing[static_cast<std::size_t>(f)] += 1;
  // Networks take on as many of the willing as they need, each with the same chance.
  for (Flow& flow : flows) flow.hired.clear();
  for (AgentId c = 0; c < citizens.size(); ++c) {
    if (wants[c] < 0) continue;
    const auto f = static_cast<std::size_t>(wants[c]);
    const double accept = std::min(1.0, flows[f].demand / willing[f]);
    if (hiring_rng_.at(step, c).uniform() >= accept) continue;
    flows[f].hired.push_back(c);
    const Work w = work_for(e.commodities[f].kind);
    citizens.work[c] = static_cast<std::uint8_t>(w);
    citizens.employer[c] = static_cast<std::int16_t>(f);
    ++now.workers[static_cast<std::size_t>(w)];
    if (const auto r = livelihood.geo.region[citizens.cell[c]]; r != no_region) ++now.region_workers[static_cast<std::size_t>(r)];
  }
}

void Economy::traffic(std::int64_t step_number, const Trade& t) {
  const EconomyParams& e = t.economy;
  const auto step = static_cast<std::uint32_t>(step_number);
  Citizens& citizens = t.population.citizens;
  Conflict& conflict = t.conflict;
  Police& police = t.police;
  std::vector<std::uint8_t> taxed(conflict.groups.size(), 0);  // per consignment: groups that have taxed it
  // Networks due to re-plan do so first, each commodity from what its network knew at the end of the last
  // step: the searches are independent (each writes only its own flow), so they run in parallel, and the
  // order commodities are listed in does not matter.
  std::vector<std::size_t> replanning;
  for (std::size_t f = 0; f < e.commodities.size(); ++f) {
    const int every = e.networks[e.commodities[f].network_index].replan_every;
    if (every > 0 && step_number % every == 0) replanning.push_back(f);
  }
  // Isolated: a thread waiting inside one search's parallel loop must not start another whole search,
  // which would hold a second set of per-cell search buffers on its stack.
  core::parallel_for(replanning.size(), [&](std::size_t i) {
    tbb::this_task_arena::isolate([&] { plan_routes(e, replanning[i], t.geo, &t, step_number); });
  }, 1);
  for (std::size_t f = 0; f < e.commodities.size(); ++f) {
    const CommodityDef& def = e.commodities[f];
    const NetworkDef& net = e.networks[def.network_index];
    Flow& flow = flows[f];
    const std::size_t account = t.books.network_account(def.network_index);
    now.route_volume[f].resize(flow.routes.size(), 0.0);
    if (flow.volume <= 0 || flow.routes.empty()) continue;

    // Workers are paid for the step whatever happens to the goods.
    for (AgentId w : flow.hired) {
      pay(t.books, account, Ledger::communities, to_cents(net.wage), f, Recipient::workers);
      citizens.illicit_income[w] = static_cast<float>(net.wage);
    }
    // Short of workers, the network ships in proportion; a commodity that needs none ships it all.
    const double shipped =
        flow.volume * (flow.demand > 0 ? std::min(1.0, static_cast<double>(flow.hired.size()) / flow.demand) : 1.0);
    now.shipped[f] = shipped;
    // Resources are bought from the miners who dug them; other goods from producers abroad.
    const bool mined = def.kind == CommodityKind::resources;
    const bool cross_border = t.geography_params.points[def.to_point].kind == PointKind::border_crossing;
    pay(t.books, account, mined ? Ledger::communities : Ledger::world_producers, to_cents(shipped * def.source_price), f,
        mined ? Recipient::workers : Recipient::producers);
    if (mined && conflict.active) {
      // Whoever holds the mine takes its cut of the output; the value mined draws groups to it.
      const double output = shipped * def.exit_price;
      const double memory = t.conflict_params.armed_groups.rent_memory;
      double& smoothed = conflict.mine_rent[def.from_point];
      smoothed = memory * smoothed + (1.0 - memory) * output;
      const std::int16_t holder = conflict.owner[t.geo.point_cell[def.from_point]];
      if (holder != no_group && conflict.predatory(static_cast<std::size_t>(holder))) {
        const auto g = static_cast<std::size_t>(holder);
        const Cents cut = to_cents(conflict.def_of(t.conflict_params, g).mine_tax * output * (1.0 - t.bite.on(g, cross_border)));
        pay(t.books, account, t.books.group_account(g), cut, f, Recipient::armed_groups);
        conflict.now.groups[g].mines += cut;
      }
    }

    // Expected cost of each route for the logit choice: transport plus the value the network expects
    // to lose to seizures there.
    std::vector<double> expected(flow.routes.size());
    for (std::size_t k = 0; k < flow.routes.size(); ++k) expected[k] = route_cost(t, f, flow.routes[k], step);
    const double scale = std::max(1e-9, net.route_temperature *
                                            std::accumulate(expected.begin(), expected.end(), 0.0) / static_cast<double>(expected.size()));
    const double best = *std::min_element(expected.begin(), expected.end());
    std::vector<double> weight(expected.size());
    for (std::size_t k = 0; k < expected.size(); ++k) weight[k] = std::exp(-(expected[k] - best) / scale);
    const double total_weight = std::accumulate(weight.begin(), weight.end(), 0.0);

    const double volume = shipped / def.consignments;
    const double value = volume * def.exit_price;
    const double offer = net.bribe_share * value;
    for (int k = 0; k < def.consignments; ++k) {
      core::Draws d = route_rng_.at(step, consignment_entity(f, k));
      double pick = d.uniform() * total_weight;
      std::size_t route_index = 0;
      while (route_index + 1 < weight.size() && pick >= weight[route_index]) pick -= weight[route_index++];
      const Route& route = flow.routes[route_index];
      now.route_volume[f][route_index] += volume;

      bool seized = false;
      core::Draws meet = police.encounter_draws(step_number, consignment_entity(f, k));
      std::fill(taxed.begin(), taxed.end(), 0);
      for (CellIndex cell : route.cells) {
        now.cell_flow[cell] += static_cast<float>(volume);
        const auto region = t.geo.region[cell];
        if (region != no_region) now.region_flow[static_cast<std::size_t>(region)] += volume;
        if (conflict.active) {
          const std::int16_t owner = conflict.owner[cell];
          if (owner != no_group && conflict.protection_tax[cell] > 0 && !taxed[static_cast<std::size_t>(owner)]) {
            const auto g = static_cast<std::size_t>(owner);
            taxed[g] = 1;
            const Cents tax = to_cents(conflict.protection_tax[cell] * value * (1.0 - t.bite.on(g, cross_border)));
            pay(t.books, account, t.books.group_account(g), tax, f, Recipient::armed_groups);
            conflict.now.groups[g].taxes += tax;
          }
        }
        if (police.presence_at(cell, t.political_will) <= 0) continue;
        const Stop outcome = police.stop(t.police_params, t.geo, cell, offer, t.political_will, t.integrity_kept, meet);
        if (outcome == Stop::bribed) pay(t.books, account, Ledger::police, to_cents(offer), f, Recipient::police);
        learn_passage(e, def.network_index, cell, outcome, step);
        if (outcome != Stop::seized) continue;
        seized = true;
        now.seizures.push_back({cell, value});
        now.seized_volume[f] += volume;
        now.seized_value[f] += to_cents(value);
        // Other networks hear of the seizure and learn from it too, with less weight.
        for (std::size_t n = 0; n < networks.size(); ++n)
          if (n != def.network_index) learn_seizure_seen(e, n, cell, step);
        // The workers of this consignment are arrested; its kingpin may be exposed.
        for (std::size_t w = static_cast<std::size_t>(k); w < flow.hired.size(); w += static_cast<std::size_t>(def.consignments)) {
          const AgentId who = flow.hired[w];
          if (citizens.state[who] == CitizenState::jailed) continue;
          police.hold_for_trial(t.police_params.justice, step_number, t.population, who);
          ++police.now.worker_arrests;
          if (region != no_region) ++police.now.region_arrests[static_cast<std::size_t>(region)];
        }
        const double supported = t.mission.operations_support ? (*t.mission.operations_support)[t.geo.region_slot(cell)] : 1.0;
        if (police.kingpins[def.network_index].status == Kingpin::free &&
            meet.uniform() < std::min(1.0, net.kingpin_exposure * supported))
          police.detain_kingpin(t.police_params.justice, step_number, def.network_index);
        break;
      }
      if (seized) continue;
      const Cents sales = to_cents(value);
      t.books.transfer(Ledger::world_buyers, account, sales);
      now.sales[f] += sales;
      now.delivered[f] += volume;
      pay(t.books, account, Ledger::elites, to_cents(net.elite_share * value), f, Recipient::elites);
    }
    if (conflict.active) {
      // What each route carries, smoothed: the rent a group holding it can tax.
      std::vector<double>& rent = conflict.route_rent[f];
      rent.resize(flow.routes.size(), 0.0);
      const double m = t.conflict_params.armed_groups.rent_memory;
      for (std::size_t k = 0; k < rent.size(); ++k) rent[k] = m * rent[k] + (1.0 - m) * now.route_volume[f][k] * def.exit_price;
    }
    // What workers perceive of the risk of the job: arrests per worker, smoothed.
    const double arrested = static_cast<double>(std::count_if(flow.hired.begin(), flow.hired.end(), [&](AgentId w) {
      return citizens.state[w] == CitizenState::jailed;
    }));
    const double rate = flow.hired.empty() ? 0.0 : arrested / static_cast<double>(flow.hired.size());
    flow.arrest_rate = 0.8 * flow.arrest_rate + 0.2 * rate;
  }
  // The network's share is what remains of the sales once everyone else is paid (it may be negative).
  for (std::size_t f = 0; f < e.commodities.size(); ++f) {
    Cents others = 0;
    for (std::size_t r = 1; r < recipient_count; ++r) others += now.revenue[f][r];
    now.revenue[f][static_cast<std::size_t>(Recipient::network)] = now.sales[f] - others;
  }
}

}  // namespace pocsim::model
