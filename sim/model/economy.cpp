// The criminal economy's phases (see Model::step for their order) and their building blocks.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "core/distributions.hpp"
#include "core/routing.hpp"
#include "model/economy.hpp"
#include "model/model.hpp"

#include <tbb/task_arena.h>

namespace pocsim::model {

Cents to_cents(double dollars) {
  // 9e16 dollars is the largest amount whose cents fit an int64 with room to add.
  if (!(std::fabs(dollars) < 9e16)) throw std::overflow_error("an amount of money is too large to account for in cents");
  return static_cast<Cents>(std::llround(dollars * 100.0));
}

std::string_view to_string(Recipient r) {
  switch (r) {
    case Recipient::network: return "network";
    case Recipient::workers: return "workers";
    case Recipient::police: return "police";
    case Recipient::elites: return "elites";
    case Recipient::armed_groups: return "armed_groups";
    case Recipient::producers: return "producers";
  }
  return "?";
}

std::string_view to_string(Work w) {
  switch (w) {
    case Work::licit: return "licit";
    case Work::courier: return "courier";
    case Work::smuggler: return "smuggler";
    case Work::miner: return "miner";
  }
  return "?";
}

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
double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Entities of the per-consignment random draws: commodity, consignment and checkpoint packed apart.
std::uint64_t consignment_entity(std::size_t commodity, int consignment) {
  return (static_cast<std::uint64_t>(commodity) << 32) | static_cast<std::uint32_t>(consignment);
}
}  // namespace

void Model::set_up_economy() {
  const EconomyParams& e = params_.economy;
  const std::size_t n_cells = grid_.cell_count();
  const MissionParams& mp = params_.mission;
  economy_.active = !e.commodities.empty() || !params_.police_pay.posts.empty() || !params_.armed_groups.groups.empty() ||
                    !mp.bases.empty() || !params_.levers.empty() || mp.contracts > 0;
  const std::size_t group_slots = params_.armed_groups.groups.size() * (1 + static_cast<std::size_t>(params_.armed_groups.max_splinters));
  economy_.ledger = Ledger(e.networks.size(), group_slots);
  economy_.networks.resize(e.networks.size());
  for (NetworkState& n : economy_.networks) {
    n.seizure.resize(n_cells);
    n.bribe.resize(n_cells);
  }
  economy_.posts.resize(params_.police_pay.posts.size());
  for (std::size_t k = 0; k < economy_.posts.size(); ++k) {
    economy_.posts[k].capacity = params_.police_pay.posts[k].capacity;
    economy_.posts[k].integrity = params_.police_pay.posts[k].integrity;
  }
  economy_.flows.resize(e.commodities.size());
  core::parallel_for(e.commodities.size(), [&](std::size_t c) { plan_routes(c, false); }, 1);  // independent searches
  interdiction_multiplier_.assign(params_.police_pay.interdiction.size(), 1.0);
  interdiction_presence_.assign(n_cells, 1.0f);
  protection_tax_.assign(n_cells, 0.0f);
  economy_.now.cell_flow.assign(n_cells, 0.0f);
  economy_.now.start_step(e.commodities.size(), params_.geography.regions.size(), economy_.flows);
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
  encounters = bribes = seizures = worker_arrests = kingpin_arrests = 0;
  prosecutions = convictions = acquittals = released_untried = extortions = 0;
  bribe_value = extortion_value = salaries_paid = payroll = 0;
  region_seizures.assign(n_regions, 0);
  region_arrests.assign(n_regions, 0);
  region_bribes.assign(n_regions, 0);
  region_workers.assign(n_regions, 0);
  region_flow.assign(n_regions, 0.0);
}

void Model::clear_accumulated_maps() {
  std::fill(economy_.now.cell_flow.begin(), economy_.now.cell_flow.end(), 0.0f);
  std::fill(conflict_.now.cell_fatalities.begin(), conflict_.now.cell_fatalities.end(), 0.0f);
}

float Model::risk_at(std::size_t network, CellIndex c) const {
  return static_cast<float>(economy_.networks[network].seizure.at(c, step_counter(), params_.economy.networks[network].risk_memory));
}

void Model::learn_passage(std::size_t network, CellIndex c, Stop outcome, double weight) {
  NetworkState& n = economy_.networks[network];
  const NetworkDef& def = params_.economy.networks[network];
  const double rate = def.learning_rate * weight;
  n.seizure.learn(c, step_counter(), def.risk_memory, outcome == Stop::seized, rate);
  n.bribe.learn(c, step_counter(), def.risk_memory, outcome == Stop::bribed, rate);
}

void Model::learn_seizure_seen(std::size_t network, CellIndex c) {
  const NetworkDef& def = params_.economy.networks[network];
  economy_.networks[network].seizure.learn(c, step_counter(), def.risk_memory, true, def.learning_rate * def.observed_weight);
}

double Model::expected_bribes(std::size_t network, const Route& r) const {
  const NetworkDef& def = params_.economy.networks[network];
  double bribes = 0;
  for (CellIndex c : r.cells) bribes += economy_.networks[network].bribe.at(c, step_counter(), def.risk_memory);
  return bribes * def.bribe_share;
}

double Model::seizure_risk(std::size_t network, const Route& r) const {
  double pass = 1.0;
  for (CellIndex c : r.cells) pass *= 1.0 - risk_at(network, c);
  return 1.0 - pass;
}

double Model::route_cost(std::size_t commodity, const Route& r) const {
  const CommodityDef& def = params_.economy.commodities[commodity];
  const NetworkDef& net = params_.economy.networks[def.network];
  // Where peacekeepers patrol, the roads are safer for everyone, traffickers included ("minimum stability").
  double stable = 0;
  if (mission_.active && !r.cells.empty()) {
    for (CellIndex c : r.cells) stable += mission_.troops[c] > 0;
    stable /= static_cast<double>(r.cells.size());
  }
  return net.transport_cost * r.travel_cost * (1.0 - params_.mission.stability * stable) +
         (seizure_risk(def.network, r) + expected_bribes(def.network, r) + protection_tax(r)) * def.exit_price;
}

double Model::protection_tax(const Route& r) const {
  // Each group taxes a consignment once, where it first enters the group's territory.
  if (!conflict_.active) return 0.0;
  std::vector<std::uint8_t> taxed(conflict_.groups.size(), 0);
  double share = 0;
  for (CellIndex c : r.cells) {
    const std::int16_t g = conflict_.owner[c];
    if (g == no_group || protection_tax_[c] <= 0 || taxed[static_cast<std::size_t>(g)]) continue;
    taxed[static_cast<std::size_t>(g)] = 1;
    share += protection_tax_[c];
  }
  return share;
}

double Model::presence_at(CellIndex c) const {
  return static_cast<double>(geo_.police_presence[c]) * static_cast<double>(interdiction_presence_[c]) * capture_.political_will;
}

double Model::integrity_of(std::size_t post) const {
  return economy_.posts[post].integrity * (1.0 - params_.capture.integrity_loss * capture_.index);
}

double Model::licit_income_of(AgentId c) const {
  const double support = mission_.active ? static_cast<double>(mission_.support_income[c]) : 0.0;
  return citizens_.licit_income[c] + (citizens_.young[c] ? youth_livelihood_ : 0.0) + support;
}

double Model::tolerance_of(AgentId c) const {
  const double kept = mission_.active ? mission_.tolerance_kept[region_slot(citizens_.cell[c])] : 1.0;
  return citizens_.tolerance[c] * kept;
}

void Model::plan_routes(std::size_t commodity, bool replan) {
  const CommodityDef& def = params_.economy.commodities[commodity];
  const NetworkDef& net = params_.economy.networks[def.network];
  Flow& flow = economy_.flows[commodity];
  const CellIndex from = geo_.point_cell[def.from];
  const CellIndex to = geo_.point_cell[def.to];
  if (!replan) {
    for (core::Path& p : core::alternative_paths(grid_, geo_.travel_cost, from, to, net.routes, 3.0))
      flow.routes.push_back({std::move(p.cells), p.cost});
  } else {
    // Search under the costs the network now expects: travel plus learned risk, both in dollars per
    // unit. A better route not yet known replaces the one with the highest expected cost.
    std::vector<float> expected(grid_.cell_count());
    core::parallel_for(expected.size(), [&](std::size_t c) {
      expected[c] = static_cast<float>(
          net.transport_cost * geo_.travel_cost[c] +
          (risk_at(def.network, static_cast<CellIndex>(c)) +
           net.bribe_share * economy_.networks[def.network].bribe.at(static_cast<CellIndex>(c), step_counter(), net.risk_memory) +
           protection_tax_[c]) * def.exit_price +
          1e-6);
    }, 4096);
    core::Path best = core::least_cost_path(grid_, expected, from, to);
    const bool known = std::any_of(flow.routes.begin(), flow.routes.end(), [&](const Route& r) { return r.cells == best.cells; });
    if (known || best.cells.empty()) return;
    Route fresh{std::move(best.cells), 0};
    fresh.travel_cost = core::path_cost(grid_, geo_.travel_cost, fresh.cells);
    if (static_cast<int>(flow.routes.size()) < net.routes) {
      flow.routes.push_back(std::move(fresh));
    } else {
      std::size_t worst = 0;
      double worst_cost = -1;
      for (std::size_t k = 0; k < flow.routes.size(); ++k) {
        const double cost = route_cost(commodity, flow.routes[k]);
        if (cost > worst_cost) {
          worst_cost = cost;
          worst = k;
        }
      }
      // The search minimised a per-cell sum; keep the new route only if it is better as a whole.
      if (route_cost(commodity, fresh) < worst_cost) flow.routes[worst] = std::move(fresh);
    }
  }
  // Workers are recruited near the routes, or near the mine for resources.
  const int r = params_.economy.recruit_radius;
  flow.catchment.assign(grid_.cell_count(), 0);
  auto mark_around = [&](CellIndex centre) {
    for (int dy = -r; dy <= r; ++dy)
      for (int dx = -r; dx <= r; ++dx)
        if (const auto c = grid_.shifted(centre, dx, dy)) flow.catchment[*c] = 1;
  };
  if (def.kind == CommodityKind::resources) {
    mark_around(from);
  } else {
    for (const Route& route : flow.routes)
      for (CellIndex c : route.cells) mark_around(c);
  }
}

void Model::pay(std::size_t from, std::size_t to, Cents amount, std::size_t commodity, Recipient r) {
  economy_.ledger.transfer(from, to, amount);
  if (r != Recipient::network) economy_.now.revenue[commodity][static_cast<std::size_t>(r)] += amount;
}

double Model::effective_hardship(AgentId c) const {
  const CouplingParams& k = params_.coupling;
  const double income_share = std::min(1.0, static_cast<double>(citizens_.illicit_income[c]) /
                                                std::max(1e-9, static_cast<double>(citizens_.licit_income[c])));
  const double h = citizens_.hardship[c] - k.income_relief * income_share + k.extortion_hardship * citizens_.extortion[c];
  return std::clamp(h, 0.0, 1.0);
}

double Model::effective_legitimacy(AgentId c) const {
  const double lost = params_.coupling.extortion_legitimacy * std::min(1.0, static_cast<double>(citizens_.extortion[c]));
  return legitimacy_ * (1.0 - lost);
}

// ---------------------------------------------------------------------------------------------------

void Model::pay_police() {
  EconomyStep& now = economy_.now;
  const PolicePayParams& pp = params_.police_pay;
  const double lambda = 1.0 / std::max(1, pp.shortfall_memory);
  for (std::size_t k = 0; k < pp.posts.size(); ++k) {
    // The state pays its share; donors (a mission lever) may pay part or all of the rest.
    const double donors = std::min(mission_.donor_pay, 1.0 - paid_share_);
    const Cents payroll = to_cents(pp.posts[k].personnel * pp.salary);
    const Cents paid = to_cents(pp.posts[k].personnel * pp.salary * paid_share_);
    const Cents topped_up = to_cents(pp.posts[k].personnel * pp.salary * donors);
    economy_.ledger.transfer(Ledger::state, Ledger::police, paid);
    const bool donors_paid = topped_up > 0 && affordable(topped_up);
    if (donors_paid) {
      spend(LeverKind::police_salaries, -1, Ledger::police, topped_up);
      mission_.now.add_reach(LeverKind::police_salaries, -1, 1);
    } else if (topped_up > 0) {
      ++mission_.now.unfunded[static_cast<std::size_t>(LeverKind::police_salaries)];
    }
    now.payroll += payroll;
    now.salaries_paid += paid + (donors_paid ? topped_up : 0);
    PostState& post = economy_.posts[k];
    post.shortfall = (1.0 - lambda) * post.shortfall + lambda * (1.0 - paid_share_ - (donors_paid ? donors : 0.0));
  }
}

void Model::choose_work() {
  const EconomyParams& e = params_.economy;
  const std::size_t n_flows = e.commodities.size();
  if (n_flows == 0) return;
  const std::uint32_t step = step_counter();
  std::vector<double> volume(n_flows);
  for (std::size_t f = 0; f < n_flows; ++f) {
    const CommodityDef& def = e.commodities[f];
    const bool leaderless = economy_.networks[def.network].leaderless_until > step_;
    volume[f] = leaderless ? 0.0 : def.volume.value_at(step_);
    economy_.flows[f].volume = volume[f];
    economy_.flows[f].demand = def.workers_per_unit * volume[f];
  }
  // Each free household compares its licit income with the best illicit wage within reach, net of the
  // arrest risk its workers have seen and of its moral cost (lower for the tolerant).
  std::vector<std::int16_t> wants(citizens_.size(), -1);
  core::parallel_for(citizens_.size(), [&](std::size_t i) {
    const auto c = static_cast<AgentId>(i);
    citizens_.work[c] = static_cast<std::uint8_t>(Work::licit);
    citizens_.employer[c] = -1;
    citizens_.illicit_income[c] = 0;
    if (!at_large(citizens_.state[c])) return;
    const double licit = licit_income_of(c);
    double best = licit;
    for (std::size_t f = 0; f < n_flows; ++f) {
      const Flow& flow = economy_.flows[f];
      if (flow.demand <= 0 || !flow.catchment[citizens_.cell[c]]) continue;
      const double wage = e.networks[e.commodities[f].network].wage;
      const double u = wage * (1.0 - flow.arrest_rate) - e.moral_cost * (1.0 - tolerance_of(c)) * licit;
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
  for (Flow& flow : economy_.flows) flow.hired.clear();
  for (AgentId c = 0; c < citizens_.size(); ++c) {
    if (wants[c] < 0) continue;
    const auto f = static_cast<std::size_t>(wants[c]);
    const double accept = std::min(1.0, economy_.flows[f].demand / willing[f]);
    if (hiring_rng_.at(step, c).uniform() >= accept) continue;
    economy_.flows[f].hired.push_back(c);
    const Work w = work_for(e.commodities[f].kind);
    citizens_.work[c] = static_cast<std::uint8_t>(w);
    citizens_.employer[c] = static_cast<std::int16_t>(f);
    ++economy_.now.workers[static_cast<std::size_t>(w)];
    if (const auto r = geo_.region[citizens_.cell[c]]; r != no_region) ++economy_.now.region_workers[static_cast<std::size_t>(r)];
  }
}

void Model::traffic() {
  const EconomyParams& e = params_.economy;
  EconomyStep& now = economy_.now;
  const std::uint32_t step = step_counter();
  std::vector<std::uint8_t> taxed(conflict_.groups.size(), 0);  // per consignment: groups that have taxed it
  // Networks due to re-plan do so first, each commodity from what its network knew at the end of the last
  // step: the searches are independent (each writes only its own flow), so they run in parallel, and the
  // order commodities are listed in does not matter.
  std::vector<std::size_t> replanning;
  for (std::size_t f = 0; f < e.commodities.size(); ++f) {
    const int every = e.networks[e.commodities[f].network].replan_every;
    if (every > 0 && step_ % every == 0) replanning.push_back(f);
  }
  // Isolated: a thread waiting inside one search's parallel loop must not start another whole search,
  // which would hold a second set of per-cell search buffers on its stack.
  core::parallel_for(replanning.size(), [&](std::size_t i) {
    tbb::this_task_arena::isolate([&] { plan_routes(replanning[i], true); });
  }, 1);
  for (std::size_t f = 0; f < e.commodities.size(); ++f) {
    const CommodityDef& def = e.commodities[f];
    const NetworkDef& net = e.networks[def.network];
    NetworkState& network = economy_.networks[def.network];
    Flow& flow = economy_.flows[f];
    const std::size_t account = Ledger::first_network + def.network;
    now.route_volume[f].resize(flow.routes.size(), 0.0);
    if (flow.volume <= 0 || flow.routes.empty()) continue;

    // Workers are paid for the step whatever happens to the goods.
    for (AgentId w : flow.hired) {
      pay(account, Ledger::communities, to_cents(net.wage), f, Recipient::workers);
      citizens_.illicit_income[w] = static_cast<float>(net.wage);
    }
    // Short of workers, the network ships in proportion; a commodity that needs none ships it all.
    const double shipped =
        flow.volume * (flow.demand > 0 ? std::min(1.0, static_cast<double>(flow.hired.size()) / flow.demand) : 1.0);
    now.shipped[f] = shipped;
    // Resources are bought from the miners who dug them; other goods from producers abroad.
    const bool mined = def.kind == CommodityKind::resources;
    const bool cross_border = params_.geography.points[def.to].kind == PointKind::border_crossing;
    pay(account, mined ? Ledger::communities : Ledger::world_producers, to_cents(shipped * def.source_price), f,
        mined ? Recipient::workers : Recipient::producers);
    if (mined && conflict_.active) {
      // Whoever holds the mine takes its cut of the output; the value mined draws groups to it.
      const double output = shipped * def.exit_price;
      double& smoothed = conflict_.mine_rent[def.from];
      smoothed = params_.armed_groups.rent_memory * smoothed + (1.0 - params_.armed_groups.rent_memory) * output;
      const std::int16_t holder = conflict_.owner[geo_.point_cell[def.from]];
      if (holder != no_group && predatory(static_cast<std::size_t>(holder))) {
        const Cents cut = to_cents(def_of(static_cast<std::size_t>(holder)).mine_tax * output *
                                   (1.0 - freeze_bite(static_cast<std::size_t>(holder), cross_border)));
        pay(account, economy_.ledger.group_account(static_cast<std::size_t>(holder)), cut, f, Recipient::armed_groups);
        conflict_.now.groups[static_cast<std::size_t>(holder)].mines += cut;
      }
    }

    // Expected cost of each route for the logit choice: transport plus the value the network expects
    // to lose to seizures there.
    std::vector<double> expected(flow.routes.size());
    for (std::size_t k = 0; k < flow.routes.size(); ++k) expected[k] = route_cost(f, flow.routes[k]);
    const double scale = std::max(1e-9, net.route_temperature *
                                            std::accumulate(expected.begin(), expected.end(), 0.0) / static_cast<double>(expected.size()));
    const double best = *std::min_element(expected.begin(), expected.end());
    std::vector<double> weight(expected.size());
    for (std::size_t k = 0; k < expected.size(); ++k) weight[k] = std::exp(-(expected[k] - best) / scale);
    const double total_weight = std::accumulate(weight.begin(), weight.end(), 0.0);

    const double volume = shipped / def.consignments;
    const double value = volume * def.exit_price;
    for (int k = 0; k < def.consignments; ++k) {
      core::Draws d = route_rng_.at(step, consignment_entity(f, k));
      double pick = d.uniform() * total_weight;
      std::size_t route_index = 0;
      while (route_index + 1 < weight.size() && pick >= weight[route_index]) pick -= weight[route_index++];
      const Route& route = flow.routes[route_index];
      now.route_volume[f][route_index] += volume;

      bool seized = false;
      core::Draws meet = encounter_rng_.at(step, consignment_entity(f, k));
      std::fill(taxed.begin(), taxed.end(), 0);
      for (CellIndex cell : route.cells) {
        now.cell_flow[cell] += static_cast<float>(volume);
        const auto region = geo_.region[cell];
        if (region != no_region) now.region_flow[static_cast<std::size_t>(region)] += volume;
        if (conflict_.active) {
          const std::int16_t g = conflict_.owner[cell];
          if (g != no_group && protection_tax_[cell] > 0 && !taxed[static_cast<std::size_t>(g)]) {
            taxed[static_cast<std::size_t>(g)] = 1;
            const Cents tax = to_cents(protection_tax_[cell] * value * (1.0 - freeze_bite(static_cast<std::size_t>(g), cross_border)));
            pay(account, economy_.ledger.group_account(static_cast<std::size_t>(g)), tax, f, Recipient::armed_groups);
            conflict_.now.groups[static_cast<std::size_t>(g)].taxes += tax;
          }
        }
        if (presence_at(cell) <= 0) continue;
        const Stop outcome = police_stop(f, cell, value, meet);
        learn_passage(def.network, cell, outcome, 1.0);
        if (outcome != Stop::seized) continue;
        seized = true;
        if (mission_.active && mission_.base_at[cell] >= 0)
          mission_.disruption[static_cast<std::size_t>(mission_.base_at[cell])] += 0.1 * value;  // smoothed, see mission.cpp
        now.seized_volume[f] += volume;
        now.seized_value[f] += to_cents(value);
        // Other networks hear of the seizure and learn from it too, with less weight.
        for (std::size_t n = 0; n < economy_.networks.size(); ++n)
          if (n != def.network) learn_seizure_seen(n, cell);
        // The workers of this consignment are arrested; its kingpin may be exposed.
        for (std::size_t w = static_cast<std::size_t>(k); w < flow.hired.size(); w += static_cast<std::size_t>(def.consignments)) {
          const AgentId who = flow.hired[w];
          if (citizens_.state[who] == CitizenState::jailed) continue;
          hold_for_trial(who);
          ++now.worker_arrests;
          if (region != no_region) ++now.region_arrests[static_cast<std::size_t>(region)];
        }
        const double supported = mission_.active ? mission_.operations_support[region_slot(cell)] : 1.0;
        if (network.kingpin == Kingpin::free && meet.uniform() < std::min(1.0, net.kingpin_exposure * supported)) {
          network.kingpin = Kingpin::detained;
          economy_.backlog.push_back({true, static_cast<std::uint32_t>(def.network), step_ + params_.justice.max_pretrial_steps});
          ++now.kingpin_arrests;
        }
        break;
      }
      if (seized) continue;
      const Cents sales = to_cents(value);
      economy_.ledger.transfer(Ledger::world_buyers, account, sales);
      now.sales[f] += sales;
      now.delivered[f] += volume;
      pay(account, Ledger::elites, to_cents(net.elite_share * value), f, Recipient::elites);
    }
    if (conflict_.active) {
      // What each route carries, smoothed: the rent a group holding it can tax.
      std::vector<double>& rent = conflict_.route_rent[f];
      rent.resize(flow.routes.size(), 0.0);
      const double m = params_.armed_groups.rent_memory;
      for (std::size_t k = 0; k < rent.size(); ++k) rent[k] = m * rent[k] + (1.0 - m) * now.route_volume[f][k] * def.exit_price;
    }
    // What workers perceive of the risk of the job: arrests per worker, smoothed.
    const double arrested = static_cast<double>(std::count_if(flow.hired.begin(), flow.hired.end(), [&](AgentId w) {
      return citizens_.state[w] == CitizenState::jailed;
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

Model::Stop Model::police_stop(std::size_t commodity, CellIndex cell, double value, core::Draws& meet) {
  const PolicePayParams& pp = params_.police_pay;
  const CommodityDef& def = params_.economy.commodities[commodity];
  const NetworkDef& net = params_.economy.networks[def.network];
  EconomyStep& now = economy_.now;
  if (meet.uniform() >= 1.0 - std::exp(-pp.detection * presence_at(cell))) return Stop::unseen;
  ++now.encounters;
  const auto region = geo_.region[cell];
  const auto post_index = static_cast<std::size_t>(geo_.dominant_post[cell]);
  // Unpaid officers, and a large offer, make a bribe likelier; integrity and oversight make it less likely,
  // and an officer of full integrity never takes one.
  const double offer = net.bribe_share * value;
  const double p_bribe = (1.0 - integrity_of(post_index)) * (1.0 - pp.oversight) * logistic(pp.bribe_base + pp.bribe_shortfall * economy_.posts[post_index].shortfall +
                                                           pp.bribe_offer * offer / std::max(1e-9, pp.salary));
  if (offer > 0 && meet.uniform() < p_bribe) {
    pay(Ledger::first_network + def.network, Ledger::police, to_cents(offer), commodity, Recipient::police);
    ++now.bribes;
    now.bribe_value += to_cents(offer);
    if (region != no_region) ++now.region_bribes[static_cast<std::size_t>(region)];
    return Stop::bribed;
  }
  if (meet.uniform() >= economy_.posts[post_index].capacity) return Stop::missed;  // stopped, but not found or not held
  ++now.seizures;
  if (region != no_region) ++now.region_seizures[static_cast<std::size_t>(region)];
  return Stop::seized;
}

void Model::extort_communities() {
  if (!economy_.active) return;  // nothing to remember: no posts, no extortion
  const PolicePayParams& pp = params_.police_pay;
  const double memory = params_.coupling.extortion_memory;
  core::parallel_for(citizens_.size(), [&](std::size_t i) { citizens_.extortion[i] = static_cast<float>(citizens_.extortion[i] * memory); });
  if (pp.extortion_rate <= 0 || pp.posts.empty()) return;
  const std::uint32_t step = step_counter();
  // Serial: few households live near posts, and the takings go to one account in a fixed order.
  for (std::size_t k = 0; k < pp.posts.size(); ++k) {
    const double p = pp.extortion_rate * economy_.posts[k].shortfall * (1.0 - integrity_of(k));
    if (p <= 0) continue;
    for (CellIndex cell : geo_.post_cells[k]) {
      if (geo_.dominant_post[cell] != static_cast<std::int16_t>(k)) continue;
      const CellCode code = cells_.code[cell];
      if (code != CellCode::quiet && code != CellCode::active) continue;
      const AgentId c = cells_.agent[cell];
      if (extortion_rng_.at(step, c).uniform() >= p) continue;
      const Cents taken = to_cents(pp.extortion_share * citizens_.licit_income[c]);
      economy_.ledger.transfer(Ledger::communities, Ledger::police, taken);
      economy_.now.extortion_value += taken;
      ++economy_.now.extortions;
      citizens_.extortion[c] += static_cast<float>(pp.extortion_share);
    }
  }
}

void Model::prosecute() {
  const JusticeParams& j = params_.justice;
  EconomyStep& now = economy_.now;
  const std::uint32_t step = step_counter();
  int capacity = j.prosecutions_per_step + mission_.extra_prosecutions;
  std::deque<CaseFile> waiting;
  for (const CaseFile& file : economy_.backlog) {
    const bool still_held = file.kingpin ? economy_.networks[file.who].kingpin == Kingpin::detained
                                         : citizens_.state[file.who] == CitizenState::jailed &&
                                               citizens_.custody[file.who] == static_cast<std::uint8_t>(Custody::pretrial);
    if (!still_held) continue;
    if (capacity > 0) {
      --capacity;
      ++now.prosecutions;
      const bool guilty = verdict_rng_.at(step, (static_cast<std::uint64_t>(file.kingpin) << 32) | file.who).uniform() <
                          j.conviction_probability;
      guilty ? ++now.convictions : ++now.acquittals;
      if (file.kingpin) {
        NetworkState& n = economy_.networks[file.who];
        if (guilty) {
          // A convicted kingpin is replaced after a delay, during which the network ships nothing.
          n.kingpin = Kingpin::free;
          // Convicted in step s (after this step's shipments): nothing ships in steps s+1 .. s+delay.
          n.leaderless_until = step_ + params_.economy.networks[file.who].successor_delay + 1;
          ++n.kingpins_replaced;
        } else {
          n.kingpin = Kingpin::free;
        }
      } else {
        citizens_.custody[file.who] = static_cast<std::uint8_t>(guilty ? Custody::sentenced : Custody::pretrial);
        citizens_.jail_left[file.who] = guilty ? j.sentence_steps : 0;
      }
      continue;
    }
    if (file.expires <= step_) {  // detention without trial has run out: released today
      ++now.released_untried;
      if (file.kingpin) economy_.networks[file.who].kingpin = Kingpin::free;
      else citizens_.jail_left[file.who] = 0;
      continue;
    }
    waiting.push_back(file);
  }
  economy_.backlog = std::move(waiting);
}

}  // namespace pocsim::model
