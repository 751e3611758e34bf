#include "model/outcomes.hpp"

#include <algorithm>
#include <array>

namespace pocsim::model {

namespace {
// Indices into outcome_specs(), in its order.
enum Outcome : std::size_t {
  violent_events, fatalities, civilian_fatalities, illicit_revenue, revenue_armed_groups, revenue_police,
  revenue_elites, revenue_traffickers, fighters, bribery_rate, capture_index, mission_incidents, mission_cost, active,
  jailed, fatality_rate, civilian_fatality_rate, one_sided_share, household_bribery_rate, consent_withdrawn,
  leaders_removed, splits, peace_joined, peace_left, capture_crossed, count
};

double dollars(Cents c) { return static_cast<double>(c) / 100.0; }
}  // namespace

const std::vector<OutcomeSpec>& outcome_specs() {
  static const std::vector<OutcomeSpec> specs = [] {
    std::vector<OutcomeSpec> s(count);
    s[violent_events] = {"violent_events", "violent events", "events",
                         "Clashes, state operations and attacks on civilians", Combine::total};
    s[fatalities] = {"fatalities", "deaths in violence", "people",
                     "Everyone killed in violent events: fighters, civilians and state forces", Combine::total};
    s[civilian_fatalities] = {"civilian_fatalities", "civilian deaths", "people",
                              "Civilians killed in attacks by armed groups", Combine::total};
    s[illicit_revenue] = {"illicit_revenue", "illicit revenue", "$",
                          "Sales of every illicit commodity, plus extortion by police and armed groups", Combine::total};
    s[revenue_armed_groups] = {"revenue_armed_groups", "revenue to armed groups", "$",
                               "Armed groups' protection taxes, mine rents and extortion", Combine::total};
    s[revenue_police] = {"revenue_police", "revenue to police", "$",
                         "Bribes taken at police stops and extortion of communities by police", Combine::total};
    s[revenue_elites] = {"revenue_elites", "revenue to elites", "$",
                         "Traffickers' payments to political elites for protection", Combine::total};
    s[revenue_traffickers] = {"revenue_traffickers", "revenue to traffickers", "$",
                              "What the trafficking networks keep of their sales", Combine::total};
    s[fighters] = {"fighters", "armed-group fighters", "people", "Fighters serving in armed groups, on average",
                   Combine::mean};
    s[bribery_rate] = {"bribery_rate", "bribery rate", "1", "Share of police stops of traffickers settled by a bribe",
                       Combine::ratio};
    s[capture_index] = {"capture_index", "state capture index", "1",
                        "Elites' share of criminal revenue (smoothed), on average", Combine::mean};
    s[mission_incidents] = {"mission_incidents", "incidents against the mission", "incidents",
                            "Incidents against mission personnel", Combine::total};
    s[mission_cost] = {"mission_cost", "mission cost", "$", "The mission's spending on levers and local contracts",
                       Combine::total};
    s[active] = {"active", "citizens in rebellion", "people", "Citizens openly active (Epstein's actives), on average",
                 Combine::mean};
    s[jailed] = {"jailed", "citizens in jail", "people", "Citizens in detention, pretrial or serving a term, on average",
                 Combine::mean, Better::neither};
    s[fatality_rate] = {"fatality_rate", "deaths per 100,000 a year", "per 100,000 people a year",
                        "Deaths in violence per 100,000 of the population the citizens stand for, per year (UCDP's and "
                        "ACLED's per-capita form)", Combine::mean};
    s[civilian_fatality_rate] = {"civilian_fatality_rate", "civilian deaths per 100,000 a year", "per 100,000 people a year",
                                 "Civilians killed in attacks per 100,000 of the population, per year", Combine::mean};
    s[one_sided_share] = {"one_sided_share", "one-sided share of deaths", "1",
                          "Share of deaths in one-sided violence (attacks on civilians), as UCDP reports it",
                          Combine::ratio, Better::neither};
    s[household_bribery_rate] = {"household_bribery_rate", "household police-bribery rate", "1",
                                 "Share of households the police met that paid a bribe (Afrobarometer's measure)",
                                 Combine::ratio};
    s[consent_withdrawn] = {"consent_withdrawn", "host consent withdrawn", "1",
                            "1 if the host state withdrew its consent (every lever and the peacekeepers stop); over "
                            "replicates, the share in which it did",
                            Combine::max};
    s[leaders_removed] = {"leaders_removed", "leaders removed", "events",
                          "Armed-group leaders removed (captured, exited through mediation, or by a scripted operation)",
                          Combine::total, Better::neither};
    s[splits] = {"splits", "group splits", "events", "Contested successions that split an armed group", Combine::total,
                 Better::neither};
    s[peace_joined] = {"peace_joined", "groups joining the peace process", "events",
                       "Armed groups that joined the peace process (the dividend beat their rents)", Combine::total,
                       Better::neither};
    s[peace_left] = {"peace_left", "groups leaving the peace process", "events",
                     "Armed groups that defected from the peace process (crime paid more again)", Combine::total};
    s[capture_crossed] = {"capture_crossed", "state capture above the threshold", "1",
                          "1 if the capture index reached the comparison's threshold (capture_threshold, an attribute of "
                          "the file); over replicates, the share in which it did",
                          Combine::max};
    for (const auto event : {consent_withdrawn, leaders_removed, splits, peace_joined, peace_left, capture_crossed})
      s[event].event = true;
    for (const auto share : {bribery_rate, capture_index, one_sided_share, household_bribery_rate, consent_withdrawn, capture_crossed})
      s[share].highest = 1;
    return s;
  }();
  return specs;
}

OutcomeMeter::OutcomeMeter(double capture_threshold)
    : sums_(count, 0.0), denominators_(count, 0.0), capture_threshold_(capture_threshold) {}

std::vector<double> OutcomeMeter::observe(const Model& m) {
  std::vector<double> v(count, 0.0);
  double stops = 0;
  if (m.economy().active) {
    const EconomyStep& e = m.economy().now;
    const PoliceStep& police = m.police().now;
    std::array<Cents, recipient_count> by{};
    for (const auto& row : e.revenue)
      for (std::size_t r = 0; r < recipient_count; ++r) by[r] += row[r];
    Cents sales = 0;
    for (Cents c : e.sales) sales += c;
    v[revenue_police] = dollars(by[static_cast<std::size_t>(Recipient::police)] + police.extortion_value);
    v[revenue_elites] = dollars(by[static_cast<std::size_t>(Recipient::elites)]);
    v[revenue_traffickers] = dollars(by[static_cast<std::size_t>(Recipient::network)]);
    v[illicit_revenue] = dollars(sales + police.extortion_value);
    stops = static_cast<double>(police.encounters);
    v[bribery_rate] = police.encounters > 0 ? static_cast<double>(police.bribes) / stops : 0.0;
    sums_[bribery_rate] += static_cast<double>(police.bribes);
    denominators_[bribery_rate] += stops;
    const auto met = static_cast<double>(police.household_contacts);
    v[household_bribery_rate] = police.household_bribery_rate();
    sums_[household_bribery_rate] += static_cast<double>(police.extortions);
    denominators_[household_bribery_rate] += met;
  }
  if (m.conflict().active) {
    const ConflictStep& c = m.conflict().now;
    v[violent_events] = static_cast<double>(c.events.size());
    double one_sided = 0;
    for (const ViolenceEvent& e : c.events) {
      v[fatalities] += e.fatalities();
      v[civilian_fatalities] += e.civilians_killed;
      if (violence_type(e.type) == ViolenceType::one_sided) one_sided += e.fatalities();
    }
    v[one_sided_share] = v[fatalities] > 0 ? one_sided / v[fatalities] : 0.0;
    v[leaders_removed] = static_cast<double>(c.leaders_removed);
    v[splits] = static_cast<double>(c.splits);
    v[peace_joined] = static_cast<double>(c.peace_joined);
    v[peace_left] = static_cast<double>(c.peace_left);
    sums_[one_sided_share] += one_sided;
    denominators_[one_sided_share] += v[fatalities];
    const double per_100k_year = per_100k_people_a_year(m.params().run, m.people_represented());
    v[fatality_rate] = v[fatalities] * per_100k_year;
    v[civilian_fatality_rate] = v[civilian_fatalities] * per_100k_year;
    Cents taken = 0, extorted = 0;
    for (const GroupFlows& g : c.groups) {
      taken += g.taxes + g.mines + g.extortion;
      extorted += g.extortion;
    }
    v[revenue_armed_groups] = dollars(taken);
    v[illicit_revenue] += dollars(extorted);  // taxes and mine rents are shares of the sales counted above
  }
  // One pass over the citizens for every head count (fighters stay 0 without armed groups: none serve).
  std::int64_t serving = 0, in_rebellion = 0, in_jail = 0;
  for (const CitizenState state : m.citizens().state) {
    serving += state == CitizenState::fighter;
    in_rebellion += state == CitizenState::active;
    in_jail += state == CitizenState::jailed;
  }
  for (const std::uint32_t b : m.population().band) serving += b;  // the people serving with fighter agents
  v[fighters] = static_cast<double>(serving);
  v[active] = static_cast<double>(in_rebellion);
  v[jailed] = static_cast<double>(in_jail);
  v[capture_index] = m.capture().index;
  v[capture_crossed] = m.capture().index >= capture_threshold_ ? 1.0 : 0.0;
  if (m.mission().active) {
    const MissionStep& ms = m.mission().now;
    v[mission_incidents] = static_cast<double>(ms.incidents);
    Cents spent = ms.contracts;
    for (Cents c : ms.spending) spent += c;
    v[mission_cost] = dollars(spent);
    v[consent_withdrawn] = m.mission().consent_withdrawn ? 1.0 : 0.0;
  }
  for (std::size_t i = 0; i < count; ++i) {
    const Combine how = outcome_specs()[i].combine;
    if (how == Combine::max) sums_[i] = steps_ == 0 ? v[i] : std::max(sums_[i], v[i]);
    else if (how != Combine::ratio) sums_[i] += v[i];
  }
  ++steps_;
  return v;
}

std::vector<double> OutcomeMeter::summary() const {
  std::vector<double> out(count, 0.0);
  for (std::size_t i = 0; i < count; ++i) {
    switch (outcome_specs()[i].combine) {
      case Combine::total: out[i] = sums_[i]; break;
      case Combine::mean: out[i] = steps_ > 0 ? sums_[i] / static_cast<double>(steps_) : 0.0; break;
      case Combine::ratio: out[i] = denominators_[i] > 0 ? sums_[i] / denominators_[i] : 0.0; break;
      case Combine::max: out[i] = sums_[i]; break;
    }
  }
  return out;
}

}  // namespace pocsim::model
