// Armed groups' money and people: extortion of households, pay and desertion, recruitment
// (docs/odd.md 7.16 and 7.17).
#include <algorithm>
#include <cmath>

#include "model/conflict/conflict.hpp"
#include "model/population/rebellion.hpp"

namespace pocsim::model {

void Conflict::extort(const ConflictParams& p, std::int64_t step, const Population& population, Ledger& books,
                      const SanctionsBite& bite) {
  if (!active) return;
  const Cells& cells = population.cells;
  // Serial in cell order: the takings go to a few accounts in a fixed order.
  for (std::size_t c = 0; c < owner.size(); ++c) {
    if (owner[c] == no_group) continue;
    const auto g = static_cast<std::size_t>(owner[c]);
    if (!predatory(g)) continue;
    const GroupDef& group = def_of(p, g);
    if (group.extortion_rate <= 0) continue;
    if (!household_at(cells.code[c])) continue;
    const AgentId who = cells.agent[c];
    if (rng_.extortion.at(static_cast<std::uint32_t>(step), who).uniform() >= group.extortion_rate) continue;
    const Cents taken = to_cents(group.extortion_share * population.citizens.licit_income[who] * (1.0 - bite.on(g, false)));
    books.transfer(Ledger::communities, books.group_account(g), taken);
    now.groups[g].extortion += taken;
  }
}

void Conflict::pay_fighters(const ConflictParams& p, std::int64_t step_number, Population& population, Ledger& books) {
  if (!active) return;
  const ArmedGroupParams& a = p.armed_groups;
  Units& u = units;
  const auto step = static_cast<std::uint32_t>(step_number);
  const double dividend = a.peace_dividend.value_at(step_number);
  const double lambda = 1.0 / std::max(1, a.shortfall_memory);
  std::vector<double> paid_share(groups.size(), 1.0);
  for (std::size_t g = 0; g < groups.size(); ++g) {
    GroupState& gs = groups[g];
    if (!gs.exists) continue;
    const std::size_t account = books.group_account(g);
    if (gs.peace == PeaceStatus::joined && dividend > 0) {
      const Cents d = to_cents(dividend * gs.fighters);
      books.transfer(Ledger::state, account, d);
      now.groups[g].dividend += d;
    }
    const double bill = (gs.wage + a.operations_cost) * gs.fighters;
    const double available = static_cast<double>(std::max<Cents>(0, books.balance(account))) / 100.0;
    // A leaderless group's commanders pay what they can reach of the treasury (succession_pay of the bill);
    // a group with nothing to pay owes nothing.
    const double reach = leaderless(g, step_number) ? a.succession_pay : 1.0;
    const double share = bill > 0 ? std::min(1.0, available / bill) * reach : 1.0;
    const Cents wages = std::min(books.balance(account), to_cents(gs.wage * gs.fighters * share));
    if (wages > 0) books.transfer(account, Ledger::communities, wages);
    const Cents operations = std::min(books.balance(account), to_cents(a.operations_cost * gs.fighters * share));
    if (operations > 0) books.transfer(account, Ledger::world_producers, operations);
    now.groups[g].wages += wages;
    now.groups[g].operations += operations;
    paid_share[g] = share;
    gs.shortfall = (1.0 - lambda) * gs.shortfall + lambda * (1.0 - share);
  }
  // Fighters whose wages go unpaid leave and go home.
  for (AgentId id = 0; id < u.size(); ++id) {
    if (u.group[id] == no_group) continue;
    const auto g = static_cast<std::size_t>(u.group[id]);
    const double p_leave = a.desertion * groups[g].shortfall;
    std::vector<AgentId> staying;
    for (AgentId c : u.members[id]) {
      population.citizens.illicit_income[c] = static_cast<float>(groups[g].wage * paid_share[g]);
      core::Draws d = rng_.desertion.at(step, c);
      if (p_leave > 0 && d.uniform() < p_leave && population.return_home(c, d)) {
        ties.group[c] = no_group;
        ++now.groups[g].deserters;
        continue;
      }
      staying.push_back(c);
    }
    release_members(id, std::move(staying));
  }
  count_fighters();
}

void Conflict::recruit(const ConflictParams& p, const CitizenParams& households, std::int64_t step_number, Population& population,
                       const Ledger& books, const Livelihood& livelihood) {
  if (!active) return;
  const ArmedGroupParams& a = p.armed_groups;
  Units& u = units;
  const Citizens& citizens = population.citizens;
  const Cells& cells = population.cells;
  const auto step = static_cast<std::uint32_t>(step_number);
  std::vector<std::uint8_t> seen(citizens.size(), 0);  // asked by the current group already
  std::vector<AgentId> asked;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    GroupState& gs = groups[g];
    if (!predatory(g)) continue;
    const GroupDef& group = def_of(p, g);
    // A group hires while its treasury covers hiring_horizon steps of pay for every fighter.
    const double per_fighter = (group.wage + a.operations_cost) * a.hiring_horizon;
    const double balance = static_cast<double>(books.balance(books.group_account(g))) / 100.0;
    const double affordable = per_fighter > 0 ? std::floor(balance / per_fighter) : 0.0;
    const double vacancies = affordable - gs.fighters;
    // A group short of fighters raises its wage, the more the larger the share of its posts left vacant.
    gs.wage = group.wage * (1.0 + a.wage_response * std::clamp(vacancies / std::max(1.0, affordable), 0.0, 1.0));
    if (vacancies < 1) continue;
    // The young around its units weigh its wage, net of the risk they see in its losses, and their
    // grievance against what they earn and their reluctance to join criminals.
    const double risk = std::min(1.0, a.risk_weight * gs.attrition);
    const double wage = gs.wage * (1.0 - gs.shortfall);
    std::vector<std::pair<AgentId, AgentId>> willing;  // (citizen, unit that found it)
    // It recruits around its units and around its base, where a recruit joins its largest unit.
    AgentId largest = 0;
    for (AgentId id = 0; id < u.size(); ++id)
      if (u.group[id] == static_cast<std::int16_t>(g) && (u.group[largest] != static_cast<std::int16_t>(g) || u.fighters(id) > u.fighters(largest)))
        largest = id;
    std::vector<std::pair<CellIndex, AgentId>> centres;
    for (AgentId id = 0; id < u.size(); ++id)
      if (u.group[id] == static_cast<std::int16_t>(g)) centres.emplace_back(u.cell[id], id);
    if (centres.empty()) continue;
    centres.emplace_back(grid_.index(group.base[0], group.base[1]), largest);
    for (const auto& [centre, unit] : centres) {
      const AgentId id = unit;  // clang before 16 cannot capture a structured binding (C++20), and the fuzz build uses clang 14
      for_each_in_square(grid_, centre, a.recruit_radius, [&](CellIndex c) {
        if (!household_at(cells.code[c])) return;
        const AgentId who = cells.agent[c];
        if (!ties.young[who] || seen[who]) return;
        seen[who] = 1;
        asked.push_back(who);
        const double g_i = grievance(population.effective_hardship(households, who), population.effective_legitimacy(households, who));
        const double join = wage * (1.0 - risk * citizens.risk_aversion[who]) + a.grievance_premium * g_i;
        const double stay = livelihood.licit_income(who) + citizens.illicit_income[who] +
                            households.moral_cost * (1.0 - livelihood.tolerance(who)) * citizens.licit_income[who];
        if (join > stay) willing.emplace_back(who, id);
      });
    }
    for (AgentId who : asked) seen[who] = 0;
    asked.clear();
    std::sort(willing.begin(), willing.end());
    const double accept = std::min(1.0, vacancies / static_cast<double>(std::max<std::size_t>(1, willing.size())));
    for (const auto& [who, id] : willing) {
      if (rng_.recruit.at(step, who).uniform() >= accept) continue;
      population.enlist(who, static_cast<std::uint32_t>(a.people_per_fighter - 1));
      ties.group[who] = static_cast<std::int16_t>(g);
      u.members[id].push_back(who);
      ++now.groups[g].recruits;
    }
  }
  count_fighters();
}

}  // namespace pocsim::model
