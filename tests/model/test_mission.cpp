// The mission and its levers: each lever, switched on against the same seed without it, does what it is
// for (a test here fails if the lever did nothing); money stays accounted for; bad levers are refused.
#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>

#include "model/parameters.hpp"
#include "model/report.hpp"
#include "scenario/loader.hpp"
#include "support/support.hpp"

using namespace pocsim;

namespace {
const std::string sahel = "scenarios/mission/sahel_mandate.yaml";
constexpr int seeds = 3;

// Sum over steps [from, to] and over seeds 1..seeds of element `index` of a reported quantity.
double total(const std::string& scenario, std::vector<std::string> overrides, const std::string& path, std::size_t index = 0,
             std::int64_t from = 1, std::int64_t to = INT64_MAX) {
  double sum = 0;
  for (int seed = 1; seed <= seeds; ++seed) {
    auto o = overrides;
    o.push_back("run.seed=" + std::to_string(seed));
    const auto p = test::scenario_params(scenario, o);
    model::Model m(p);
    bool found = false;
    for (std::int64_t s = 1; s <= p.run.steps; ++s) {
      m.step();
      if (s < from || s > to) continue;
      for (const auto& q : model::report(m))
        if (q.path == path) {
          sum += q.values.at(index);
          found = true;
        }
    }
    REQUIRE(found);
  }
  return sum;
}

std::string lever(const std::string& body) { return "levers=[{" + body + "}]"; }
}  // namespace

TEST_CASE("CVR pays young people in its region while funded, and the income fades after", "[mission][levers]") {
  const std::string cvr = lever("lever: cvr, start: 52, end: 104, region: north, budget: 40000, intensity: 150");
  const double recruits_off = total(sahel, {"run.steps=104"}, "groups/recruits", 0, 53, 104) +
                              total(sahel, {"run.steps=104"}, "groups/recruits", 1, 53, 104);
  const double recruits_on = total(sahel, {"run.steps=104", cvr}, "groups/recruits", 0, 53, 104) +
                             total(sahel, {"run.steps=104", cvr}, "groups/recruits", 1, 53, 104);
  WARN("recruits while funded: " << recruits_off << " without CVR, " << recruits_on << " with");
  CHECK(recruits_on < 0.9 * recruits_off);
  CHECK(total(sahel, {"run.steps=60", cvr}, "mission/reach", 0, 60, 60) == Approx(3 * 266).epsilon(0.2));
  CHECK(total(sahel, {"run.steps=60", cvr}, "mission/spending", 0, 60, 60) > 0);

  // The stipend fades with e-folding time mission.cvr_fade once funding ends.
  auto p = test::scenario_params(sahel, {"run.steps=140", cvr, "mission.cvr_fade=26"});
  model::Model m(p);
  double at_end = 0;
  for (int s = 1; s <= 130; ++s) {
    m.step();
    const auto& income = m.mission().support_income;
    const double sum = std::accumulate(income.begin(), income.end(), 0.0);
    if (s == 104) at_end = sum;
    if (s == 130) CHECK(sum == Approx(at_end * std::exp(-1.0)).epsilon(0.05));
  }
  CHECK(at_end > 0);
}

TEST_CASE("donor-paid police salaries lower bribery and are paid by the mission", "[mission][levers]") {
  const std::string pay = lever("lever: police_salaries, start: 52, intensity: 0.5");
  const double rate_off = total(sahel, {"run.steps=150"}, "police/bribes", 0, 60) / total(sahel, {"run.steps=150"}, "police/encounters", 0, 60);
  const double rate_on = total(sahel, {"run.steps=150", pay}, "police/bribes", 0, 60) /
                         total(sahel, {"run.steps=150", pay}, "police/encounters", 0, 60);
  WARN("bribery rate " << rate_off << " -> " << rate_on);
  CHECK(rate_on < 0.5 * rate_off);
  CHECK(total(sahel, {"run.steps=60", pay}, "mission/spending", 1, 60, 60) > 0);
}

TEST_CASE("capacity building raises seizures and vetting lowers bribes", "[mission][levers]") {
  const double seizures_off = total(sahel, {"run.steps=150"}, "police/seizures", 0, 60);
  const double seizures_on = total(sahel, {"run.steps=150", lever("lever: capacity_building, start: 52, intensity: 0.05, budget: 5000")},
                                   "police/seizures", 0, 60);
  const double bribes_off = total(sahel, {"run.steps=150"}, "police/bribes", 0, 60);
  const double bribes_on = total(sahel, {"run.steps=150", lever("lever: vetting, start: 52, intensity: 0.05, budget: 5000")},
                                 "police/bribes", 0, 60);
  WARN("seizures " << seizures_off << " -> " << seizures_on << "; bribes " << bribes_off << " -> " << bribes_on);
  CHECK(seizures_on > 1.1 * seizures_off);  // seeds 1-12 one by one: +15 % to +48 %
  CHECK(bribes_on < 0.5 * bribes_off);
}

TEST_CASE("justice support tries more cases", "[mission][levers]") {
  const std::string door = "scenarios/economy/revolving_door.yaml";
  const double off = total(door, {"run.steps=120"}, "justice/convictions", 0, 60);
  const double on = total(door, {"run.steps=120", lever("lever: justice_support, start: 50, intensity: 5, budget: 10000")},
                          "justice/convictions", 0, 60);
  WARN("convictions " << off << " -> " << on);
  CHECK(on > off + 50);
}

TEST_CASE("interdiction in a region moves flow out of it", "[mission][levers]") {
  const std::string corridors = "scenarios/economy/two_corridors.yaml";
  const std::vector<std::string> no_schedule{"police.interdiction=[]", "run.steps=160"};
  auto with = no_schedule;
  with.push_back(lever("lever: interdiction, start: 60, region: north, intensity: 4, budget: 10000"));
  const double off = total(corridors, no_schedule, "regions/flow", 0, 80);
  const double on = total(corridors, with, "regions/flow", 0, 80);
  WARN("flow through the north " << off << " -> " << on);
  CHECK(on < 0.5 * off);
}

TEST_CASE("strategic communications make fewer households work for criminals", "[mission][levers]") {
  const double off = total(sahel, {"run.steps=150"}, "communities/illicit_participation", 0, 60);
  const double on = total(sahel, {"run.steps=150", lever("lever: strategic_comms, start: 52, intensity: 0.8, budget: 5000")},
                          "communities/illicit_participation", 0, 60);
  WARN("illicit participation (summed) " << off << " -> " << on);
  CHECK(on < 0.95 * off);
}

TEST_CASE("local mediation lowers violence in its region", "[mission][levers]") {
  const double off = total(sahel, {"run.steps=200"}, "regions/violent_events", 0, 60);
  const double on = total(sahel, {"run.steps=200", lever("lever: local_mediation, start: 52, region: north, intensity: 0.7, budget: 5000")},
                          "regions/violent_events", 0, 60);
  WARN("violent events in the north " << off << " -> " << on);
  CHECK(on < 0.7 * off);
}

TEST_CASE("DDR takes fighters out of their groups into reintegration", "[mission][levers]") {
  const std::string ddr = lever("lever: ddr, start: 52, budget: 4000, intensity: 400");
  const double off = total(sahel, {"run.steps=120"}, "communities/fighters", 0, 120, 120);
  const double on = total(sahel, {"run.steps=120", ddr}, "communities/fighters", 0, 120, 120);
  const double reached = total(sahel, {"run.steps=120", ddr}, "mission/reach", 8);
  WARN("fighters at step 120: " << off << " -> " << on << "; demobilised " << reached);
  CHECK(reached > 0);
  CHECK(on < off);
}

TEST_CASE("due diligence cuts what leaks from the mission's contracts", "[mission][levers]") {
  const double off = total(sahel, {"run.steps=100"}, "mission/contract_leakage", 0, 60);
  const double on = total(sahel, {"run.steps=100", lever("lever: due_diligence, start: 52, intensity: 0.9, budget: 2000")},
                          "mission/contract_leakage", 0, 60);
  CHECK(off > 0);
  CHECK(on == Approx(0.1 * off));
}

TEST_CASE("money is conserved with the mission: its account pays every lever and contract", "[mission][conservation]") {
  auto p = test::scenario_params(
      sahel, {"run.steps=80",
              "levers=[{lever: cvr, start: 10, budget: 20000, intensity: 100}, {lever: police_salaries, start: 10, intensity: 0.4}, "
              "{lever: ddr, start: 20, budget: 2000, intensity: 400}, {lever: vetting, start: 5, intensity: 0.1, budget: 700}]"});
  model::Model m(p);
  model::Cents before = m.books().balance(model::Ledger::mission);
  for (int s = 0; s < 80; ++s) {
    m.step();
    INFO("step " << m.current_step());
    const auto& b = m.books().balances();
    REQUIRE(std::accumulate(b.begin(), b.end(), model::Cents{0}) == 0);
    const auto& now = m.mission().now;
    const model::Cents spent = std::accumulate(now.spending.begin(), now.spending.end(), model::Cents{0}) + now.contracts;
    const model::Cents after = m.books().balance(model::Ledger::mission);
    REQUIRE(before - after == spent);
    before = after;
  }
  CHECK(before < 0);  // donors funded it
}

TEST_CASE("bad levers are refused with where, why and the fix", "[mission][errors]") {
  const auto errors_of = [](const std::string& yaml, const std::vector<std::string>& overrides = {}) {
    return test::scenario_errors(yaml, overrides);
  };
  CHECK(errors_of("levers:\n  - {lever: cvr, start: 50, end: 10, intensity: 1}\n") ==
        "s.yaml:2:34: error: levers[0].end: ends at step 10, before it starts at step 50\n"
        "  hint: give an end after the start, or 0 to keep it in force to the end of the run\n");
  CHECK(errors_of("geography:\n  regions: [{name: north, rect: [0, 0, 9, 9]}]\nlevers:\n  - {lever: cvr, region: nort, intensity: 1}\n") ==
        "s.yaml:4:26: error: levers[0].region: no region is named 'nort'\n  hint: did you mean 'north'? defined: north\n");
  CHECK(errors_of("levers:\n  - {lever: airstrikes, intensity: 1}\n") ==
        "s.yaml:2:13: error: levers[0].lever: 'airstrikes' is not a valid choice\n"
        "  hint: use one of cvr, police_salaries, capacity_building, vetting, justice_support, interdiction, strategic_comms, "
        "local_mediation, ddr, due_diligence, sanctions, national_mediation, soc_support (required)\n");
  CHECK(errors_of("levers:\n  - {lever: cvr, budget: -5, intensity: 1}\n") ==
        "s.yaml:2:26: error: levers[0].budget: value -5 is out of range\n"
        "  hint: use a number from 0 to 1000000000000 ($/step); the default is 0\n");
  CHECK(errors_of("mission:\n  bases: [{name: b, at: [50, 5], troops: 10}]\n") ==
        "s.yaml:2:25: error: mission.bases[0].at: [50, 5] is outside the 40 x 40 grid\n"
        "  hint: use x from 0 to 39 and y from 0 to 39\n");
}

TEST_CASE("sanctions: an asset freeze cuts a listed group's revenue, evasion erodes it unless enforced across borders", "[mission][levers]") {
  const std::string sanctions = lever("lever: sanctions, start: 10, intensity: 0.8, budget: 1000");
  auto run = [&](std::vector<std::string> o) {
    o.push_back("run.steps=200");
    o.push_back("mission.listing_rate=1");
    o.push_back("mission.intelligence=1");
    o.push_back("mission.share_with_panel=true");
    auto p = test::scenario_params(sahel, o);
    model::Model m(p);
    std::vector<double> bite;
    std::int64_t listed_at = -1;
    for (int s = 1; s <= 200; ++s) {
      m.step();
      bite.push_back(m.freeze_bite(0));
      if (listed_at < 0) listed_at = m.conflict().groups[0].listed_at;
    }
    return std::make_pair(bite, listed_at);
  };
  const auto [evaded, listed] = run({sanctions});
  REQUIRE(listed == 10);  // accurate, certain listing at the lever's start
  CHECK(evaded[10] == Approx(0.8).epsilon(0.02));
  CHECK(evaded[10 + 52] == Approx(0.8 * std::exp(-1.0)).epsilon(0.02));  // a year of evasion
  const auto [enforced, _] = run({sanctions, "mission.cross_border_enforcement=1"});
  CHECK(enforced[150] == Approx(0.8));
  // What the groups received: less while listed, less still with the freeze enforced.
  const double off = total(sahel, {"run.steps=120", "mission.listing_rate=1", "mission.intelligence=1", "mission.share_with_panel=true"},
                           "groups/revenue", 0, 20);
  const double on = total(sahel, {"run.steps=120", sanctions, "mission.listing_rate=1", "mission.intelligence=1", "mission.share_with_panel=true",
                                  "mission.cross_border_enforcement=1"},
                          "groups/revenue", 0, 20);
  WARN("taxes received by the first group from step 20: " << off << " -> " << on);
  CHECK(on < 0.5 * off);
}

TEST_CASE("sanctions hit their targets more often with intelligence shared with the Panel of Experts", "[mission][levers]") {
  const std::string sanctions = lever("lever: sanctions, start: 1, intensity: 0.5");
  const double hits_blind = total(sahel, {"run.steps=40", sanctions, "mission.intelligence=0"}, "mission/listings", 0, 40, 40);
  const double misses_blind = total(sahel, {"run.steps=40", sanctions, "mission.intelligence=0"}, "mission/wrong_listings", 0, 40, 40);
  const double misses_shared = total(sahel, {"run.steps=40", sanctions, "mission.intelligence=1", "mission.share_with_panel=true"},
                                     "mission/wrong_listings", 0, 40, 40);
  WARN("without intelligence: " << hits_blind << " hits, " << misses_blind << " misses; shared: " << misses_shared << " misses");
  CHECK(misses_blind > 2 * hits_blind);
  CHECK(misses_shared == 0);
}

TEST_CASE("national mediation: leaders take an exit package that beats their share of the rents", "[mission][levers]") {
  const double generous = total(sahel, {"run.steps=60", lever("lever: national_mediation, start: 20, intensity: 100000")},
                                "mission/exits", 0, 60, 60);
  const double meagre = total(sahel, {"run.steps=60", lever("lever: national_mediation, start: 20, intensity: 1")}, "mission/exits", 0, 60, 60);
  const double removed = total(sahel, {"run.steps=60", lever("lever: national_mediation, start: 20, intensity: 100000")},
                               "violence/leaders_removed", 0, 20);
  WARN("exits: generous " << generous << ", meagre " << meagre << "; leaders removed " << removed);
  CHECK(generous >= 3 * 2);  // both groups' leaders, in every seed, at least once
  CHECK(meagre < generous / 10);  // only leaders of groups with next to no rents take a token package
  CHECK(removed >= generous);     // every exit removes a leader (raids may remove more)
}

TEST_CASE("consent: intrusive levers in a captured state lead the host to withdraw it, and everything stops", "[mission][levers]") {
  const std::string capture = "scenarios/armed_groups/state_capture.yaml";
  const std::vector<std::string> mission{"run.steps=200",
                                         "mission.bases=[{name: b, at: [40, 14], troops: 200}]",
                                         "levers=[{lever: vetting, start: 20, intensity: 0.05, budget: 1000}, "
                                         "{lever: sanctions, start: 20, intensity: 0.5, budget: 1000}]"};
  auto p = test::scenario_params(capture, mission);
  model::Model m(p);
  std::int64_t withdrawn_at = -1;
  for (int s = 1; s <= 200; ++s) {
    m.step();
    if (withdrawn_at < 0 && m.mission().consent_withdrawn) withdrawn_at = s;
    if (withdrawn_at > 0 && s > withdrawn_at) {
      const auto& spending = m.mission().now.spending;
      REQUIRE(std::accumulate(spending.begin(), spending.end(), model::Cents{0}) == 0);
      REQUIRE(m.mission().troops[m.grid().index(40, 14)] == 0.0f);
    }
  }
  WARN("consent withdrawn at step " << withdrawn_at);
  CHECK(withdrawn_at > 20);
  // Without intrusive levers consent holds.
  auto calm = test::scenario_params(capture, {"run.steps=200", "mission.bases=[{name: b, at: [40, 14], troops: 200}]"});
  model::Model n(calm);
  for (int s = 1; s <= 200; ++s) n.step();
  CHECK_FALSE(n.mission().consent_withdrawn);
  CHECK(n.mission().consent == 1.0);
}

TEST_CASE("a mandate's budget funds levers in the order listed until it runs out, and is renewed with the mandate", "[mission][levers]") {
  // 20 weeks of the first lever's $10,000 a step, then nothing until the next mandate.
  auto p = test::scenario_params(sahel, {"run.steps=60", "mission.contracts=0", "mission.mandate_length=26 weeks", "mission.budget=200000",
                                         "levers=[{lever: vetting, start: 1, intensity: 0.01, budget: 10000}, "
                                         "{lever: strategic_comms, start: 1, intensity: 0.5, budget: 10000}]"});
  model::Model m(p);
  std::vector<model::Cents> per_mandate(4, 0);
  std::int64_t unfunded = 0;
  for (int s = 1; s <= 60; ++s) {
    m.step();
    const auto& now = m.mission().now;
    per_mandate[static_cast<std::size_t>(m.mission().mandate)] += std::accumulate(now.spending.begin(), now.spending.end(), model::Cents{0});
    unfunded += std::accumulate(now.unfunded.begin(), now.unfunded.end(), std::int64_t{0});
    // Spending by target adds up to spending by lever.
    for (std::size_t k = 0; k < model::lever_kind_count; ++k)
      REQUIRE(std::accumulate(now.spending_by_target[k].begin(), now.spending_by_target[k].end(), model::Cents{0}) == now.spending[k]);
  }
  CHECK(per_mandate[1] == 20000000);  // $200,000 in cents
  CHECK(per_mandate[2] == 20000000);
  CHECK(unfunded > 0);
}

TEST_CASE("a DDR lever the budget cannot fund is counted unfunded once a step", "[mission][levers]") {
  // The mandate's $1,000 never pays a $50,000 step of DDR: every step it is engaged it is unfunded, once.
  auto p = test::scenario_params(sahel, {"run.steps=30", "mission.contracts=0", "mission.budget=1000",
                                         "levers=[{lever: ddr, start: 1, intensity: 500, budget: 50000}]"});
  model::Model m(p);
  std::int64_t unfunded_steps = 0;
  for (int s = 1; s <= 30; ++s) {
    m.step();
    const std::int64_t n = m.mission().now.unfunded[static_cast<std::size_t>(model::LeverKind::ddr)];
    REQUIRE(n <= 1);
    unfunded_steps += n;
    REQUIRE(m.mission().now.spending[static_cast<std::size_t>(model::LeverKind::ddr)] == 0);
  }
  CHECK(unfunded_steps > 20);
}

TEST_CASE("a travel ban cuts a listed group's take from cross-border trade only", "[mission][levers]") {
  // Listed with a freeze too small to matter (at zero the lever would be idle and list no one): only the
  // travel ban bites, on cocaine (leaving by a border crossing), not on gold (sold in the capital).
  auto p = test::scenario_params(sahel, {"run.steps=40", "mission.listing_rate=1", "mission.intelligence=1", "mission.share_with_panel=true",
                                         "mission.travel_ban=0.6", "mission.cross_border_enforcement=1",
                                         lever("lever: sanctions, start: 10, intensity: 1e-9")});
  model::Model m(p);
  for (int s = 1; s <= 40; ++s) m.step();
  REQUIRE(m.conflict().groups[0].listed_at == 10);
  CHECK(m.freeze_bite(0, true) == Approx(0.6));
  CHECK(m.freeze_bite(0, false) == Approx(0).margin(1e-8));
  const std::vector<std::string> listed{"run.steps=150", "mission.listing_rate=1", "mission.intelligence=1", "mission.share_with_panel=true",
                                        "mission.cross_border_enforcement=1", lever("lever: sanctions, start: 10, intensity: 1e-9")};
  auto banned = listed, free = listed;
  banned.push_back("mission.travel_ban=0.6");
  free.push_back("mission.travel_ban=0");
  const double taxes_banned = total(sahel, banned, "groups/revenue", 0, 30) + total(sahel, banned, "groups/revenue", 4, 30);
  const double taxes_free = total(sahel, free, "groups/revenue", 0, 30) + total(sahel, free, "groups/revenue", 4, 30);
  WARN("protection taxes of both groups from step 30: " << taxes_free << " without a travel ban, " << taxes_banned << " with");
  // The taxes on gold, sold at home, are untouched; how much of the taxes come from cocaine depends on the
  // routes the groups hold (0.95 of them kept over seeds 1-3 when last measured, 0.85 before leader
  // removals acted through pay and discipline and split less often).
  CHECK(taxes_banned < 0.98 * taxes_free);
}

TEST_CASE("the SOC unit's support multiplies raids and kingpin arrests in its region", "[mission][levers]") {
  const std::string soc = lever("lever: soc_support, start: 20, intensity: 3, budget: 5000");
  const double arrests_off = total(sahel, {"run.steps=150"}, "violence/arrests", 0, 20);
  const double arrests_on = total(sahel, {"run.steps=150", soc}, "violence/arrests", 0, 20);
  const double kingpins_off = total(sahel, {"run.steps=150"}, "justice/kingpin_arrests", 0, 20);
  const double kingpins_on = total(sahel, {"run.steps=150", soc}, "justice/kingpin_arrests", 0, 20);
  WARN("fighters arrested " << arrests_off << " -> " << arrests_on << "; kingpins " << kingpins_off << " -> " << kingpins_on);
  CHECK(arrests_on > 1.5 * arrests_off);
  CHECK(kingpins_on > kingpins_off);
}

TEST_CASE("CVR's effect on recruitment holds while funded and fades after", "[mission][levers]") {
  // Funded in weeks 52-104 in the north; recruitment compared while funded and a year after it ended.
  const std::string cvr = lever("lever: cvr, start: 52, end: 104, region: north, budget: 40000, intensity: 150");
  double during_off = 0, during_on = 0, after_off = 0, after_on = 0;
  for (int seed = 1; seed <= 5; ++seed)
    for (bool on : {false, true}) {
      std::vector<std::string> o{"run.steps=208", "run.seed=" + std::to_string(seed)};
      if (on) o.push_back(cvr);
      const auto p = test::scenario_params(sahel, o);
      model::Model m(p);
      for (int s = 1; s <= 208; ++s) {
        m.step();
        double recruits = 0;
        for (const auto& g : m.conflict().now.groups) recruits += static_cast<double>(g.recruits);
        if (s > 52 && s <= 104) (on ? during_on : during_off) += recruits;
        if (s > 156) (on ? after_on : after_off) += recruits;
      }
    }
  const double during = during_on / during_off, after = after_on / after_off;
  WARN("recruits with CVR relative to without: " << during << " while funded, " << after << " a year after it ended");
  // Measured: 0.67 while funded, 0.73 a year after it ended (0.92 before leader removals acted through
  // pay and discipline: groups CVR kept small recruit around fewer units, so recruitment recovers slowly).
  CHECK(during < 0.75);
  CHECK(after > during + 0.04);
}

TEST_CASE("intelligence makes every lever that must find its targets work better", "[mission][levers]") {
  auto kept = [](double intelligence) {
    auto p = test::scenario_params(sahel, {"run.steps=5", "mission.intelligence=" + std::to_string(intelligence), "mission.intelligence_gain=0.5",
                                           "levers=[{lever: local_mediation, start: 1, region: north, intensity: 0.4}, "
                                           "{lever: interdiction, start: 1, region: north, intensity: 2}]"});
    model::Model m(p);
    for (int s = 0; s < 5; ++s) m.step();
    return std::make_pair(m.mission().violence_kept[1], m.mission().interdiction[1]);  // slot 1: the first region, north
  };
  const auto [violence_blind, interdiction_blind] = kept(0);
  const auto [violence_sharp, interdiction_sharp] = kept(1);
  CHECK(violence_blind == Approx(0.6));
  CHECK(violence_sharp == Approx(0.4));  // 1 - 0.4 x 1.5
  CHECK(interdiction_blind == Approx(3.0));
  CHECK(interdiction_sharp == Approx(4.0));  // 1 + 2 x 1.5
}

TEST_CASE("an exited leader's transition is paid in tranches and stops if the mediation ends first", "[mission][levers]") {
  auto run = [](const std::string& end) {
    auto p = test::scenario_params(sahel, {"run.steps=100", "mission.transition_length=30 weeks",
                                           "levers=[{lever: national_mediation, start: 10, end: " + end + ", intensity: 100000}]"});
    model::Model m(p);
    for (int s = 0; s < 100; ++s) m.step();
    return m.mission();
  };
  const auto open = run("0");
  CHECK(open.exits > 0);
  CHECK(open.transitions_completed > 0);
  CHECK(open.transitions_interrupted == 0);
  const auto cut = run("20");
  CHECK(cut.exits > 0);
  CHECK(cut.transitions_completed == 0);
  CHECK(cut.transitions_interrupted == cut.exits);
}

TEST_CASE("An option branched from a warm-up equals a run that had its levers from the start", "[mission][branch]") {
  // The levers an option adds start after the decision step; before it the runs share everything.
  const std::string option = "levers=[{lever: sanctions, start: 30, region: north, intensity: 1},"
                             " {lever: cvr, start: 31, end: 50, region: centre, budget: 20000, intensity: 100}]";
  const auto with_levers = test::scenario_params(sahel, {"run.steps=60", option});
  const auto baseline = test::scenario_params(sahel, {"run.steps=60"});
  model::Model from_start(with_levers);
  model::Model warm(baseline);
  for (int s = 1; s <= 29; ++s) {
    from_start.step();
    warm.step();
  }
  model::Model branch = warm.branch(with_levers.mission.levers);
  bool differs_from_baseline = false;
  for (int s = 30; s <= 60; ++s) {
    from_start.step();
    branch.step();
    warm.step();
    const auto a = model::report(from_start);
    const auto b = model::report(branch);
    const auto c = model::report(warm);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      INFO("step " << s << ", " << a[i].path);
      REQUIRE(a[i].values == b[i].values);
      differs_from_baseline |= b[i].values != c[i].values;
    }
  }
  CHECK(differs_from_baseline);  // the warm-up model went on as the baseline, without the levers

  model::LeverDef late_lever;
  late_lever.kind = model::LeverKind::cvr;
  late_lever.start = 60;
  CHECK_THROWS_WITH(warm.branch({late_lever}), "a cvr lever starts at step 60, not after the branching step 60");
  model::Model no_mission(test::scenario_params("scenarios/economy/two_corridors.yaml", {"run.steps=5"}));
  late_lever.start = 10;
  CHECK_THROWS_WITH(no_mission.branch({late_lever}),
                    "the scenario has no mission (no base, lever or contracts), so an option cannot add levers to it");
}

TEST_CASE("the lever table is the one list of levers: names, choices, labels, presets, functions", "[mission][levers]") {
  const model::ParamSpec* levers = model::find_parameter("levers");
  REQUIRE(levers);
  REQUIRE(levers->fields.front().path == "lever");
  // The scenario key's choices are the table's names, in its order.
  std::vector<std::string> names;
  for (const model::LeverInfo& l : model::lever_table) names.emplace_back(l.name);
  CHECK(levers->fields.front().choices == names);
  CHECK(names.size() == model::lever_kind_count);
  for (const model::LeverInfo& l : model::lever_table) {
    INFO(l.name);
    CHECK(model::from_string<model::LeverKind>(l.name) == l.kind);
    CHECK(std::count(names.begin(), names.end(), std::string(l.name)) == 1);
    CHECK_FALSE(l.label.empty());
    CHECK_FALSE(l.intensity.empty());
    CHECK_FALSE(l.cost.empty());
    CHECK(l.apply != nullptr);
    // The `levers` key documents what each lever's intensity means, from the table.
    CHECK(levers->meaning.find(std::string(l.name) + " (" + std::string(l.intensity)) != std::string::npos);
    // The live view's one-click preset is a valid lever entry of a scenario with a mission.
    CHECK_NOTHROW(test::scenario_params(sahel, {"levers=[{lever: " + std::string(l.name) + ", budget: " +
                                                std::to_string(l.preset_budget) + ", intensity: " +
                                                std::to_string(l.preset_intensity) + "}]"}));
  }
}
