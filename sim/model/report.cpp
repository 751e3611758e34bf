#include "model/report.hpp"

#include <algorithm>

#include "model/observables.hpp"

namespace pocsim::model {

namespace {

Quantity scalar(std::string path, std::string units, std::string description, double v, bool integer) {
  return {std::move(path), std::move(units), std::move(description), {}, {}, {v}, integer};
}

template <class T>
Quantity vector_of(std::string path, std::string units, std::string description, std::string dim,
                   std::vector<std::string> labels, const std::vector<T>& values, bool integer) {
  std::vector<double> v(values.begin(), values.end());
  return {std::move(path), std::move(units), std::move(description), {std::move(dim)}, {std::move(labels)}, std::move(v), integer};
}

template <class Items>
std::vector<std::string> names(const Items& items) {
  std::vector<std::string> out;
  for (const auto& i : items) out.push_back(i.name);
  return out;
}

void report_conflict(const Model& m, const StepRecord& r, std::vector<Quantity>& q) {
  const Conflict& k = m.conflict();
  const ConflictStep& now = k.now;
  const Params& p = m.params();
  const std::size_t n = k.groups.size();
  auto per_group = [&](auto field) {
    std::vector<std::int64_t> v(n);
    for (std::size_t g = 0; g < n; ++g) v[g] = field(g);
    return v;
  };
  q.push_back(vector_of("groups/exists", "1", "1 while the group (or splinter slot) has fighters", "group", k.names,
                        per_group([&](std::size_t g) { return std::int64_t{k.groups[g].exists}; }), true));
  q.push_back(vector_of("groups/fighters", "people", "Fighters in the group's units (households that joined it)", "group",
                        k.names, per_group([&](std::size_t g) { return std::int64_t{k.groups[g].fighters}; }), true));
  q.push_back(vector_of("groups/units", "units", "Bands the group's fighters are in (units merge when they meet and disperse at a small rate)",
                        "group", k.names, [&] {
                          std::vector<std::int64_t> v(n, 0);
                          for (model::AgentId u = 0; u < k.units.size(); ++u)
                            if (k.units.group[u] != no_group) ++v[static_cast<std::size_t>(k.units.group[u])];
                          return v;
                        }(), true));
  q.push_back(vector_of("groups/treasury", "cent", "Money the group holds", "group", k.names,
                        per_group([&](std::size_t g) { return m.books().balance(m.books().group_account(g)); }), true));
  Quantity revenue{"groups/revenue", "cent",
                   "Money received this step by source: protection taxes on consignments, cut of mines held, extortion "
                   "of households, peace dividend",
                   {"group", "source"}, {k.names, {"taxes", "mines", "extortion", "peace_dividend"}}, {}, true};
  Quantity spending{"groups/spending", "cent", "Money paid this step: wages to fighters' households, operations",
                    {"group", "item"}, {k.names, {"wages", "operations"}}, {}, true};
  for (const GroupFlows& f : now.groups) {
    for (std::int64_t v : {f.taxes, f.mines, f.extortion, f.dividend}) revenue.values.push_back(static_cast<double>(v));
    for (std::int64_t v : {f.wages, f.operations}) spending.values.push_back(static_cast<double>(v));
  }
  q.push_back(std::move(revenue));
  q.push_back(std::move(spending));
  q.push_back(vector_of("groups/territory", "cells", "Cells the group controls (its units outnumber the state and every rival)",
                        "group", k.names, per_group([&](std::size_t g) { return now.groups[g].territory; }), true));
  q.push_back(vector_of("groups/recruits", "people", "Households that joined this step", "group", k.names,
                        per_group([&](std::size_t g) { return now.groups[g].recruits; }), true));
  q.push_back(vector_of("groups/deserters", "people", "Fighters who left unpaid this step", "group", k.names,
                        per_group([&](std::size_t g) { return now.groups[g].deserters; }), true));
  q.push_back(vector_of("groups/killed", "people", "Fighters killed this step", "group", k.names,
                        per_group([&](std::size_t g) { return now.groups[g].killed; }), true));
  q.push_back(vector_of("groups/arrested", "people", "Fighters arrested by state forces this step", "group", k.names,
                        per_group([&](std::size_t g) { return now.groups[g].arrested; }), true));
  q.push_back(vector_of("groups/leaderless", "1", "1 while the group's leader has been removed and no successor has taken over",
                        "group", k.names,
                        per_group([&](std::size_t g) { return std::int64_t{k.groups[g].leaderless_until > m.current_step()}; }), true));
  q.push_back(vector_of("groups/peace_status", "code", "Peace process: 0 outside, 1 joined, 2 defected (a spoiler)", "group",
                        k.names, per_group([&](std::size_t g) { return static_cast<std::int64_t>(k.groups[g].peace); }), true));
  q.push_back(vector_of("groups/sanctions_bite", "1", "Share of the group's revenue an asset freeze withholds now (0 unless listed)",
                        "group", k.names, [&] {
                          std::vector<double> v;
                          for (std::size_t g = 0; g < n; ++g) v.push_back(m.freeze_bite(g));
                          return v;
                        }(), false));
  q.push_back(vector_of("groups/rent_per_fighter", "$/step",
                        "What the sites its units hold are worth per fighter (smoothed): what it weighs against a peace dividend",
                        "group", k.names, [&] {
                          std::vector<double> v;
                          for (const GroupState& g : k.groups) v.push_back(g.rent_per_fighter);
                          return v;
                        }(), false));

  std::int64_t clashes = 0, operations = 0, attacks = 0, fighter_deaths = 0, civilian_deaths = 0, state_losses = 0, arrests = 0;
  for (const ViolenceEvent& e : now.events) {
    clashes += e.type == EventType::clash;
    operations += e.type == EventType::state_operation;
    attacks += e.type == EventType::attack_on_civilians;
    fighter_deaths += e.fighters_killed_a + e.fighters_killed_b;
    civilian_deaths += e.civilians_killed;
    state_losses += e.state_losses;
    arrests += e.arrested;
  }
  q.push_back(scalar("violence/clashes", "events", "Clashes between armed groups", static_cast<double>(clashes), true));
  q.push_back(scalar("violence/state_operations", "events", "Operations of state forces against armed units",
                     static_cast<double>(operations), true));
  q.push_back(scalar("violence/attacks_on_civilians", "events", "Attacks by armed units on households",
                     static_cast<double>(attacks), true));
  q.push_back(scalar("violence/fighter_deaths", "people", "Fighters killed", static_cast<double>(fighter_deaths), true));
  q.push_back(scalar("violence/civilian_deaths", "people", "Civilians killed by armed units (citizens, and residents where geography.people is stated)",
                     static_cast<double>(civilian_deaths), true));
  q.push_back(scalar("violence/state_losses", "people", "State personnel put out of action", static_cast<double>(state_losses), true));
  q.push_back(scalar("violence/arrests", "people", "Fighters arrested in state operations", static_cast<double>(arrests), true));
  q.push_back(scalar("violence/leaders_removed", "events", "Group leaders removed (captured, or by a scripted operation)",
                     static_cast<double>(now.leaders_removed), true));
  q.push_back(scalar("violence/splits", "events", "Contested successions that split a group", static_cast<double>(now.splits), true));
  // The same events as the datasets count them (ViolenceType), overall and per region.
  const std::vector<std::string> types = core::names_of<ViolenceType>();
  const std::vector<std::string> regions = names(p.geography.regions);
  std::vector<std::int64_t> type_events(violence_type_count, 0), type_fatalities(violence_type_count, 0);
  std::vector<std::int64_t> region_type_fatalities(regions.size() * violence_type_count, 0);
  for (const ViolenceEvent& e : now.events) {
    const auto t = static_cast<std::size_t>(violence_type(e.type));
    ++type_events[t];
    type_fatalities[t] += e.fatalities();
    if (const auto reg = m.geography().region[e.cell]; reg != no_region)
      region_type_fatalities[static_cast<std::size_t>(reg) * violence_type_count + t] += e.fatalities();
  }
  q.push_back(vector_of("violence/events_by_type", "events",
                        "Violent events by UCDP's type of violence: state_based (state operations), non_state (clashes "
                        "between groups), one_sided (attacks on civilians)",
                        "violence_type", types, type_events, true));
  q.push_back(vector_of("violence/fatalities_by_type", "people",
                        "Deaths by UCDP's type of violence: state_based (fighters killed and state losses in state "
                        "operations), non_state (fighters killed in clashes), one_sided (civilians killed in attacks)",
                        "violence_type", types, type_fatalities, true));
  q.push_back(scalar("communities/fighters", "people", "Citizens serving in armed groups", static_cast<double>(r.fighters), true));
  q.push_back(scalar("communities/dead", "people", "Citizens killed since the start", static_cast<double>(r.dead), true));
  if (p.geography.people > 0)
    q.push_back(scalar("communities/people", "people",
                       "People alive of those the map stands for (geography.people): the cells' residents and the citizens",
                       static_cast<double>(m.population().people_alive()), false));
  if (!regions.empty()) {
    q.push_back(vector_of("regions/violent_events", "events", "Violent events in the region", "region", regions, now.region_events, true));
    q.push_back(vector_of("regions/fatalities", "people", "Deaths and state losses in the region's violent events", "region",
                          regions, now.region_fatalities, true));
    Quantity by_type{"regions/fatalities_by_type", "people", "Deaths in the region's violent events by UCDP's type of violence",
                     {"region", "violence_type"}, {regions, types}, {}, true};
    by_type.values.assign(region_type_fatalities.begin(), region_type_fatalities.end());
    q.push_back(std::move(by_type));
  }
}

void report_mission(const Model& m, std::vector<Quantity>& q) {
  const Mission& ms = m.mission();
  const MissionStep& now = ms.now;
  std::vector<std::string> levers;
  for (std::size_t i = 0; i < lever_kind_count; ++i) levers.emplace_back(to_string(static_cast<LeverKind>(i)));
  q.push_back(scalar("mission/mandate", "mandate", "The mandate in force: 1 for the first, renewed every mission.mandate_length steps",
                     static_cast<double>(ms.mandate), true));
  double peacekeepers = 0;
  for (const BaseDef& b : m.params().mission.bases) peacekeepers += b.troops.value_at(m.current_step()) * b.surge;
  q.push_back(scalar("mission/peacekeepers", "soldiers", "Peacekeepers at the mission's bases", peacekeepers, false));
  q.push_back(vector_of("mission/spending", "cent", "Money each lever cost this step (donor-paid salaries, stipends, programmes)",
                        "lever", levers, std::vector<std::int64_t>(now.spending.begin(), now.spending.end()), true));
  q.push_back(vector_of("mission/reach", "count",
                        "What each lever reached this step: cvr and ddr people, police_salaries, capacity_building and "
                        "vetting posts, justice_support extra trials held, sanctions listings, national_mediation exits; 0 for "
                        "levers acting on a whole region",
                        "lever", levers, std::vector<std::int64_t>(now.reach.begin(), now.reach.end()), true));
  std::vector<std::string> targets{"everywhere"};
  for (const RegionDef& r : m.params().geography.regions) targets.push_back(r.name);
  Quantity by_target{"mission/spending_by_target", "cent", "Spending of each lever by the region it targets ('everywhere' for levers without one)",
                     {"lever", "target"}, {levers, targets}, {}, true};
  Quantity reach_by_target{"mission/reach_by_target", "count", "Reach of each lever by the region it targets", {"lever", "target"},
                           {levers, targets}, {}, true};
  for (std::size_t i = 0; i < lever_kind_count; ++i)
    for (std::size_t t = 0; t < targets.size(); ++t) {
      by_target.values.push_back(static_cast<double>(now.spending_by_target[i][t]));
      reach_by_target.values.push_back(static_cast<double>(now.reach_by_target[i][t]));
    }
  q.push_back(std::move(by_target));
  q.push_back(std::move(reach_by_target));
  q.push_back(vector_of("mission/offered", "count",
                        "Places cvr and ddr offered this step (the budget over the stipend or package) and extra trials "
                        "justice_support funded; beside mission/reach, what was taken or held",
                        "lever", levers, std::vector<std::int64_t>(now.offered.begin(), now.offered.end()), true));
  q.push_back(vector_of("mission/unfunded", "count", "Levers in force left unfunded this step because the mandate's budget ran out",
                        "lever", levers, std::vector<std::int64_t>(now.unfunded.begin(), now.unfunded.end()), true));
  q.push_back(scalar("mission/budget_left", "cent", "What is left of the current mandate's budget (meaningful when mission.budget is set)",
                     static_cast<double>(ms.budget_left), true));
  q.push_back(scalar("mission/intelligence", "1", "Quality of the mission's intelligence in force", ms.intelligence, false));
  q.push_back(scalar("mission/consent", "1", "The host state's consent to the mandate (withdrawn below mission.consent_threshold)",
                     ms.consent, false));
  q.push_back(scalar("mission/consent_withdrawn", "1", "1 once the host state has withdrawn consent: levers and peacekeepers stop",
                     ms.consent_withdrawn ? 1.0 : 0.0, true));
  q.push_back(scalar("mission/listings", "people", "Sanctions listings that hit a group's leaders, since the start",
                     static_cast<double>(ms.listings), true));
  q.push_back(scalar("mission/wrong_listings", "people", "Sanctions listings that missed (the wrong people), since the start",
                     static_cast<double>(ms.wrong_listings), true));
  q.push_back(scalar("mission/exits", "people", "Leaders who accepted a negotiated exit, since the start", static_cast<double>(ms.exits), true));
  q.push_back(scalar("mission/transitions_completed", "people",
                     "Exited leaders whose paid transition into the legal economy is complete, since the start",
                     static_cast<double>(ms.transitions_completed), true));
  q.push_back(scalar("mission/transitions_interrupted", "people",
                     "Transitions interrupted because the mediation ended (or consent was withdrawn) first, since the start",
                     static_cast<double>(ms.transitions_interrupted), true));
  q.push_back(scalar("mission/incidents", "events", "Incidents against mission personnel", static_cast<double>(now.incidents), true));
  q.push_back(scalar("mission/contracts", "cent", "The mission's local contracts paid this step", static_cast<double>(now.contracts), true));
  q.push_back(scalar("mission/contract_leakage", "cent", "The part of the contracts that leaked into the criminal economy",
                     static_cast<double>(now.contract_leakage), true));
  const std::vector<std::string> regions = names(m.params().geography.regions);
  if (!regions.empty())
    q.push_back(vector_of("regions/mission_incidents", "events", "Incidents against mission personnel at bases in the region",
                          "region", regions, now.region_incidents, true));
}

}  // namespace

std::vector<Table> tables(const Model& m) {
  std::vector<Table> out;
  const Conflict& k = m.conflict();
  if (!k.active) return out;
  Table t{"violence/events",
          "Every violent event: one row per event, columns of equal length; side codes index /groups labels, -1 the "
          "state or civilians",
          {{"step", "step", "Step of the event", {}},
           {"x", "cell", "Column of the cell where it happened", {}},
           {"y", "cell", "Row of the cell where it happened", {}},
           {"type", "code", "0 clash between groups, 1 state operation, 2 attack on civilians", {}},
           {"side_a", "group", "The attacking group (in a clash, the first)", {}},
           {"side_b", "group", "The other group in a clash, else -1", {}},
           {"fighters_killed_a", "people", "Fighters of side_a killed", {}},
           {"fighters_killed_b", "people", "Fighters of side_b killed", {}},
           {"civilians_killed", "people", "Civilians killed", {}},
           {"state_losses", "people", "State personnel put out of action", {}},
           {"arrested", "people", "Fighters arrested", {}}}};
  const core::Grid& grid = m.grid();
  for (const ViolenceEvent& e : k.now.events) {
    const std::int64_t row[] = {m.current_step(), grid.x_of(e.cell), grid.y_of(e.cell), static_cast<std::int64_t>(e.type),
                                e.side_a, e.side_b, e.fighters_killed_a, e.fighters_killed_b, e.civilians_killed,
                                e.state_losses, e.arrested};
    for (std::size_t c = 0; c < t.columns.size(); ++c) t.columns[c].values.push_back(row[c]);
  }
  out.push_back(std::move(t));
  return out;
}

std::vector<Quantity> report(const Model& m, const StepRecord& r) {
  std::vector<Quantity> q{
      scalar("timeseries/step", "step", "Step of each record; 0 is the initial state", static_cast<double>(r.step), true),
      scalar("timeseries/quiet", "citizens", "Citizens free and not active", static_cast<double>(r.quiet), true),
      scalar("timeseries/active", "citizens", "Citizens in open rebellion (Epstein's actives)", static_cast<double>(r.active), true),
      scalar("timeseries/jailed", "citizens", "Citizens jailed: detained by cops, awaiting trial or serving a sentence",
             static_cast<double>(r.jailed), true),
      scalar("timeseries/cops_on_duty", "cops", "Cops deployed on the grid", static_cast<double>(r.cops_on_duty), true),
      scalar("timeseries/legitimacy", "1", "Legitimacy L in force during the step", r.legitimacy, false),
      scalar("timeseries/mean_grievance", "1", "Mean grievance H (1 - L) over all citizens, before economic effects",
             r.mean_grievance, false),
  };
  const Economy& e = m.economy();
  if (!e.active) return q;

  const Params& p = m.params();
  const EconomyStep& now = e.now;
  const Police& police = m.police();
  const PoliceStep& stops = police.now;
  const Ledger& books = m.books();
  const std::vector<std::string> commodities = names(p.economy.commodities);
  const std::vector<std::string> regions = names(p.geography.regions);
  std::vector<std::string> recipients;
  for (std::size_t i = 0; i < recipient_count; ++i) recipients.emplace_back(to_string(static_cast<Recipient>(i)));

  // Quantities over commodities, networks or regions exist only when there are some.
  if (!commodities.empty()) {
  Quantity revenue{"economy/revenue", "cent",
                   "Sales of each commodity this step by who received them; each row sums to economy/sales (the network's "
                   "share is what remains and may be negative)",
                   {"commodity", "recipient"}, {commodities, recipients}, {}, true};
  for (const auto& row : now.revenue)
    for (Cents c : row) revenue.values.push_back(static_cast<double>(c));
  q.push_back(std::move(revenue));
  q.push_back(vector_of("economy/sales", "cent", "Value of the consignments sold at their exit point", "commodity", commodities, now.sales, true));
  q.push_back(vector_of("economy/shipped", "unit", "Volume sent", "commodity", commodities, now.shipped, false));
  q.push_back(vector_of("economy/delivered", "unit", "Volume that reached its exit point", "commodity", commodities, now.delivered, false));
  q.push_back(vector_of("economy/seized_volume", "unit", "Volume seized by police", "commodity", commodities, now.seized_volume, false));
  q.push_back(vector_of("economy/seized_value", "cent", "Value at exit price of the volume seized", "commodity", commodities,
                        now.seized_value, true));

  std::size_t max_routes = 1;
  for (const NetworkDef& n : p.economy.networks) max_routes = std::max(max_routes, static_cast<std::size_t>(n.routes));
  Quantity routes{"economy/route_volume", "unit",
                  "Volume sent along each of a commodity's current alternative routes (slot k is route k; routes can be "
                  "replaced when the network finds a better one)",
                  {"commodity", "route"}, {commodities, {}}, {}, false};
  for (std::size_t k = 0; k < max_routes; ++k) routes.labels[1].push_back("route " + std::to_string(k));
  for (const auto& per_route : now.route_volume)
    for (std::size_t k = 0; k < max_routes; ++k) routes.values.push_back(k < per_route.size() ? per_route[k] : 0.0);
  q.push_back(std::move(routes));
  }

  std::vector<std::string> work_names;
  for (std::size_t w = 0; w < work_count; ++w) work_names.emplace_back(to_string(static_cast<Work>(w)));
  work_names.erase(work_names.begin());  // licit work is everyone else
  q.push_back(vector_of("communities/workers", "households", "Households working for criminal networks this step, by work",
                        "work", work_names, std::vector<std::int64_t>(now.workers.begin() + 1, now.workers.end()), true));
  std::int64_t illicit = 0;
  for (std::size_t w = 1; w < work_count; ++w) illicit += now.workers[w];
  const double free_citizens = static_cast<double>(r.quiet + r.active);
  q.push_back(scalar("communities/illicit_participation", "1", "Share of free households in illicit work",
                     free_citizens > 0 ? static_cast<double>(illicit) / free_citizens : 0.0, false));

  q.push_back(scalar("police/encounters", "stops", "Shipments stopped by police", static_cast<double>(stops.encounters), true));
  q.push_back(scalar("police/bribes", "stops", "Stops ended by a bribe", static_cast<double>(stops.bribes), true));
  q.push_back(scalar("police/bribery_rate", "1", "Share of stops ended by a bribe (0 when there were none)",
                     stops.encounters ? static_cast<double>(stops.bribes) / static_cast<double>(stops.encounters) : 0.0, false));
  q.push_back(scalar("police/seizures", "stops", "Stops ended by a seizure", static_cast<double>(stops.seizures), true));
  q.push_back(scalar("police/bribe_value", "cent", "Bribes taken", static_cast<double>(stops.bribe_value), true));
  q.push_back(scalar("police/payroll", "cent", "Salaries owed to police this step", static_cast<double>(stops.payroll), true));
  q.push_back(scalar("police/salaries_paid", "cent", "Salaries the state paid", static_cast<double>(stops.salaries_paid), true));
  q.push_back(scalar("police/household_contacts", "households",
                     "Households the police met at their posts (a checkpoint, an identity check), paying or not",
                     static_cast<double>(stops.household_contacts), true));
  q.push_back(scalar("police/extortions", "households", "Households that paid the police at such a meeting (extorted)",
                     static_cast<double>(stops.extortions), true));
  q.push_back(scalar("police/household_bribery_rate", "1",
                     "Share of the households the police met that paid a bribe, as Afrobarometer asks it (0 when none were met)",
                     stops.household_bribery_rate(), false));
  q.push_back(scalar("police/extortion_value", "cent", "Money extorted from households", static_cast<double>(stops.extortion_value), true));
  double shortfall = 0;
  for (const PostState& post : police.posts) shortfall += post.shortfall;
  q.push_back(scalar("police/mean_shortfall", "1", "Remembered share of salary unpaid, mean over posts",
                     police.posts.empty() ? 0.0 : shortfall / static_cast<double>(police.posts.size()), false));

  q.push_back(scalar("justice/worker_arrests", "people", "Workers arrested at seizures", static_cast<double>(stops.worker_arrests), true));
  q.push_back(scalar("justice/kingpin_arrests", "people", "Kingpins arrested", static_cast<double>(stops.kingpin_arrests), true));
  q.push_back(scalar("justice/prosecutions", "cases", "Cases tried", static_cast<double>(stops.prosecutions), true));
  q.push_back(scalar("justice/convictions", "cases", "Cases ending in conviction", static_cast<double>(stops.convictions), true));
  q.push_back(scalar("justice/acquittals", "cases", "Cases ending in acquittal", static_cast<double>(stops.acquittals), true));
  q.push_back(scalar("justice/released_untried", "people", "Suspects released when detention without trial ran out",
                     static_cast<double>(stops.released_untried), true));
  q.push_back(scalar("justice/backlog", "cases", "Cases awaiting trial at the end of the step", static_cast<double>(police.backlog.size()), true));

  const std::vector<std::string> networks = names(p.economy.networks);
  std::vector<std::int64_t> kingpin;
  std::vector<std::int64_t> treasury;
  for (std::size_t n = 0; n < police.kingpins.size(); ++n) {
    const KingpinRecord& k = police.kingpins[n];
    kingpin.push_back(k.leaderless_until > m.current_step() ? 2 : k.status == Kingpin::detained ? 1 : 0);
    treasury.push_back(books.balance(books.network_account(n)));
  }
  if (!networks.empty()) {
  q.push_back(vector_of("networks/kingpin", "code", "0 kingpin free, 1 detained, 2 convicted and not yet replaced", "network",
                        networks, kingpin, true));
  q.push_back(vector_of("networks/treasury", "cent", "Money the network holds (negative: debt)", "network", networks, treasury, true));
  }
  std::vector<std::string> accounts{"world_buyers", "world_producers", "state", "communities", "police", "elites", "mission"};
  for (const std::string& n : networks) accounts.push_back("network " + n);
  for (const std::string& g : m.conflict().names) accounts.push_back("group " + g);
  q.push_back(vector_of("economy/ledger", "cent",
                        "Balance of every account since step 0; the balances always sum to zero (double entry)", "account",
                        accounts, books.balances(), true));

  const StateCapture& capture = m.capture();
  q.push_back(scalar("state/capture_index", "1",
                     "Share of criminal revenue (sales and extortion, smoothed) reaching political elites (smoothed)",
                     capture.index, false));
  q.push_back(scalar("state/political_will", "1",
                     "Political will to act against trafficking: scales police presence and state operations",
                     capture.political_will, false));
  q.push_back(scalar("state/police_paid_share", "1", "Share of the police payroll the state paid this step",
                     stops.payroll ? static_cast<double>(stops.salaries_paid) / static_cast<double>(stops.payroll) : 0.0, false));

  const Conflict& k = m.conflict();
  if (k.active) report_conflict(m, r, q);
  if (m.mission().active) report_mission(m, q);

  if (!regions.empty()) {
    q.push_back(vector_of("regions/flow", "unit", "Volume of shipments crossing the region's cells (per cell crossed)", "region",
                          regions, now.region_flow, false));
    q.push_back(vector_of("regions/seizures", "stops", "Seizures in the region", "region", regions, stops.region_seizures, true));
    q.push_back(vector_of("regions/bribes", "stops", "Bribes taken in the region", "region", regions, stops.region_bribes, true));
    q.push_back(vector_of("regions/worker_arrests", "people", "Workers arrested in the region", "region", regions, stops.region_arrests, true));
    q.push_back(vector_of("regions/workers", "households", "Households of the region in illicit work", "region", regions,
                          now.region_workers, true));
  }
  return q;
}

std::vector<Layer> snapshot_layers(const Model& m) {
  std::vector<Layer> layers;
  layers.push_back({"snapshots/cells", "code",
                    "Cell state [snapshot, y, x]: 0 empty, 1 quiet citizen, 2 active citizen, 3 jailed citizen holding its "
                    "cell, 4 cop",
                    cell_codes(m), {}});
  if (m.conflict().active) {
    std::vector<std::uint8_t> control(m.conflict().owner.size());
    for (std::size_t c = 0; c < control.size(); ++c) control[c] = static_cast<std::uint8_t>(m.conflict().owner[c] + 1);
    layers.push_back({"snapshots/control", "code",
                      "Armed group controlling each cell [snapshot, y, x]: 0 none (or the state), g + 1 for group g of the "
                      "/groups labels",
                      std::move(control), {}});
    layers.push_back({"snapshots/fatalities", "people",
                      "Deaths and state losses in violent events at each cell since the previous snapshot [snapshot, y, x]", {},
                      m.conflict().now.cell_fatalities});
  }
  if (m.economy().active)
    layers.push_back({"snapshots/flow", "unit",
                      "Volume of shipments that crossed each cell since the previous snapshot [snapshot, y, x]", {},
                      m.economy().now.cell_flow});
  return layers;
}

}  // namespace pocsim::model
