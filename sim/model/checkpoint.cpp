#include "model/checkpoint.hpp"

#include <algorithm>
#include <array>
#include <concepts>
#include <cstring>
#include <deque>
#include <limits>
#include <string>
#include <string_view>
#include <initializer_list>
#include <tuple>
#include <type_traits>

#include <boost/crc.hpp>

namespace pocsim::model {

// Numbers are stored as their bytes: a state moves between machines of one byte order (checked with the
// byte-order mark) and with IEEE floating point and these sizes (checked here, when it is built).
static_assert(std::numeric_limits<float>::is_iec559 && std::numeric_limits<double>::is_iec559);
static_assert(sizeof(float) == 4 && sizeof(double) == 8 && sizeof(std::size_t) == 8 && sizeof(int) == 4);

namespace {

constexpr std::array<char, 8> magic = {'P', 'O', 'C', 'S', 'I', 'M', 'S', 'T'};
constexpr std::uint32_t byte_order_mark = 0x01020304;
// Offsets of the header's fields: magic, version, byte-order mark, step, payload length.
constexpr std::size_t version_at = 8, mark_at = 12, step_at = 16, payload_at = 24, header_bytes = 32;
constexpr std::size_t crc_bytes = 4;

template <class T>
constexpr bool plain = std::is_arithmetic_v<T> || std::is_enum_v<T>;

template <class T>
concept Table = std::derived_from<T, core::ColumnTable<T>>;

// The two archives. Both walk the same visit functions below; `fixed` marks a container whose size the
// scenario sets (grid cells, citizens, commodities, ...), which the Reader compares with the target model
// instead of resizing it, so a state from another scenario is refused rather than indexed out of bounds.
class Writer {
 public:
  static constexpr bool loading = false;
  explicit Writer(std::vector<std::uint8_t>& out) : out_(out) {}
  const std::uint32_t version = checkpoint_format_version;  // the layout written

  template <class... T>
  void operator()(T&... xs) {
    (visit(*this, xs), ...);
  }
  template <class T>
  void fixed(T& x, std::string_view) {
    visit(*this, x);
  }
  template <class T>
  void same(T& x, std::string_view) {
    visit(*this, x);
  }
  void length(std::uint64_t& n, std::size_t) { raw(&n, sizeof n); }
  void raw(const void* p, std::size_t n) {
    const auto* b = static_cast<const std::uint8_t*>(p);
    out_.insert(out_.end(), b, b + n);
  }

 private:
  std::vector<std::uint8_t>& out_;
};

class Reader {
 public:
  static constexpr bool loading = true;
  Reader(const std::uint8_t* data, std::size_t size, std::uint32_t layout) : version(layout), data_(data), size_(size) {}
  const std::uint32_t version;  // the layout read

  template <class... T>
  void operator()(T&... xs) {
    (visit(*this, xs), ...);
  }
  template <class T>
  void fixed(T& x, std::string_view what);
  // A value of the target model's Params the state must have been saved with.
  template <class T>
  void same(T& x, std::string_view what) {
    T saved{};
    raw(&saved, sizeof saved);
    if (saved != x)
      throw CheckpointError("the state was saved with " + std::string(what) + " " + std::to_string(saved) +
                            ", this model has " + std::to_string(x));
  }
  // A length read is checked against the bytes left before anything is allocated for it.
  void length(std::uint64_t& n, std::size_t min_bytes_each) {
    raw(&n, sizeof n);
    if (n > (size_ - pos_) / std::max<std::size_t>(1, min_bytes_each))
      throw CheckpointError("truncated or corrupt state: a length of " + std::to_string(n) + " exceeds the " +
                            std::to_string(size_ - pos_) + " bytes left");
  }
  void raw(void* p, std::size_t n) {
    if (n > size_ - pos_)
      throw CheckpointError("truncated or corrupt state: " + std::to_string(n) + " bytes wanted, " +
                            std::to_string(size_ - pos_) + " left");
    if (n > 0) std::memcpy(p, data_ + pos_, n);
    pos_ += n;
  }
  [[nodiscard]] std::size_t left() const { return size_ - pos_; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

// ---- Containers ------------------------------------------------------------------------------------
// A container is its length, then its items; visit_items walks the items of a container already sized.

template <class A, class T>
  requires plain<T>
void visit(A& a, T& x) {
  a.raw(&x, sizeof x);
}

template <class T>
constexpr std::size_t min_bytes() {
  if constexpr (plain<T>) return sizeof(T);
  return 1;
}

template <class A, class T>
void visit_items(A& a, std::vector<T>& v) {
  if constexpr (plain<T>)
    a.raw(v.data(), v.size() * sizeof(T));
  else
    for (T& x : v) visit(a, x);
}

template <class A, class T>
void visit_items(A& a, std::deque<T>& v) {
  for (T& x : v) visit(a, x);
}

template <class A, Table T>
void visit_items(A& a, T& t) {
  std::apply([&](auto&... col) { (visit_items(a, col), ...); }, t.columns());
}

template <class T>
std::size_t min_bytes_of(const std::vector<T>&) {
  return min_bytes<T>();
}
template <class T>
std::size_t min_bytes_of(const std::deque<T>&) {
  return min_bytes<T>();
}
template <Table T>
std::size_t min_bytes_of(T& t) {
  return std::apply([](auto&... col) { return (min_bytes_of(col) + ...); }, t.columns());
}

template <class A, class C>
void visit_sized(A& a, C& c) {
  std::uint64_t n = c.size();
  a.length(n, min_bytes_of(c));
  if constexpr (A::loading) c.resize(n);
  visit_items(a, c);
}

template <class A, class T>
void visit(A& a, std::vector<T>& v) {
  visit_sized(a, v);
}
template <class A, class T>
void visit(A& a, std::deque<T>& v) {
  visit_sized(a, v);
}
// Rows are appended and never removed, so a table is its length and its columns; resize sets its length.
template <class A, Table T>
void visit(A& a, T& t) {
  visit_sized(a, t);
}

template <class A>
void visit(A& a, std::string& s) {
  std::uint64_t n = s.size();
  a.length(n, 1);
  if constexpr (A::loading) s.resize(n);
  a.raw(s.data(), n);
}

template <class A, class T, std::size_t N>
void visit(A& a, std::array<T, N>& x) {
  for (T& e : x) visit(a, e);
}

template <class T>
void Reader::fixed(T& x, std::string_view what) {
  std::uint64_t n = 0;
  length(n, min_bytes_of(x));
  if (n != x.size())
    throw CheckpointError("the state does not fit this scenario's model: it has " + std::to_string(n) + " " +
                          std::string(what) + ", the model has " + std::to_string(x.size()));
  visit_items(*this, x);
}

// ---- The model's state -----------------------------------------------------------------------------
// The layout is that of format version 1, the one written before the model was split into mechanisms:
// fields are visited in that order wherever they live now, so a state saved by an earlier build still
// restores. Where a later version differs, the visit asks the archive's `version`.

template <class A>
void visit(A& a, LeverDef& l) {
  a(l.kind, l.start, l.end, l.region, l.region_index, l.budget, l.intensity);
}

template <class A>
void visit(A& a, Ledger& l) {
  l.visit_state(a);
}

template <class A>
void visit(A& a, LearnedRate& r) {
  r.visit_state(a);
}

template <class A>
void visit(A& a, Route& r) {
  a(r.cells, r.travel_cost);
}

template <class A>
void visit(A& a, Flow& f) {
  // hired is rewritten by choose_work before traffic reads it; saved anyway, it is small.
  a(f.routes);
  a.fixed(f.catchment, "cells of a catchment");
  a(f.hired, f.volume, f.demand, f.arrest_rate);
}

template <class A>
void visit(A& a, PostState& p) {
  a(p.shortfall, p.capacity, p.integrity);
}

template <class A>
void visit(A& a, CaseFile& c) {
  a(c.kingpin, c.who, c.expires);
}

template <class A>
void visit(A& a, GroupState& g) {
  a(g.exists, g.parent, g.splinters, g.leaderless_until, g.successions, g.wage, g.shortfall, g.attrition,
    g.rent_per_fighter, g.peace, g.listed_at, g.freeze, g.fighters);
}

template <class A>
void visit(A& a, ViolenceEvent& e) {
  a(e.cell, e.type, e.side_a, e.side_b, e.fighters_killed_a, e.fighters_killed_b, e.civilians_killed, e.state_losses,
    e.arrested);
}

template <class A>
void visit(A& a, GroupFlows& g) {
  a(g.taxes, g.mines, g.extortion, g.dividend, g.wages, g.operations, g.recruits, g.deserters, g.killed, g.arrested,
    g.territory);
}

template <class A>
void visit(A& a, ConflictStep& s) {
  a.fixed(s.groups, "armed-group slots");
  a(s.events);
  a.fixed(s.region_events, "regions");
  a.fixed(s.region_fatalities, "regions");
  a.fixed(s.cell_fatalities, "cells of the fatality map");  // accumulated between snapshots
  a(s.leaders_removed, s.splits);
  if (a.version >= 4) a(s.peace_joined, s.peace_left);
}

template <class A>
void visit(A& a, Mission::Transition& t) {
  a(t.lever, t.exit_step, t.interrupted);
}

template <class A>
void visit(A& a, MissionStep& s) {
  a(s.spending, s.reach);
  if (a.version >= 2) a(s.offered);
  a.fixed(s.spending_by_target, "lever kinds");
  a.fixed(s.reach_by_target, "lever kinds");
  a(s.unfunded, s.incidents, s.contracts, s.contract_leakage);
  a.fixed(s.region_incidents, "regions");
}

// A count of rows the scenario sets, then the rows' fields through `each(i)`: what `fixed` does for one
// container, for rows whose fields two mechanisms keep.
template <class A, class Each>
void visit_rows(A& a, std::size_t rows, std::size_t min_bytes_each, std::string_view what, Each&& each) {
  std::uint64_t n = rows;
  a.length(n, min_bytes_each);
  if (n != rows)
    throw CheckpointError("the state does not fit this scenario's model: it has " + std::to_string(n) + " " + std::string(what) +
                          ", the model has " + std::to_string(rows));
  each();
}

// The citizens' columns: the population's, then the armed groups' ties, one table in the layout.
template <class A>
void visit_citizens(A& a, Citizens& c, GroupTies& t) {
  visit_rows(a, c.size(), min_bytes_of(c) + min_bytes_of(t), "citizens", [&] {
    visit_items(a, c);
    visit_items(a, t);
  });
}

// The criminal economy, the police and the courts, as one section of the layout.
template <class A>
void visit_economy(A& a, Ledger& books, Economy& e, Police& police) {
  a(books);
  a.fixed(e.flows, "commodities");
  // A network: what its kingpin's custody is (the police's), what it has learned of the map (its own).
  visit_rows(a, e.networks.size(), 1, "networks", [&] {
    for (std::size_t n = 0; n < e.networks.size(); ++n) {
      KingpinRecord& k = police.kingpins[n];
      a(k.status, k.leaderless_until, k.replaced, e.networks[n].seizure, e.networks[n].bribe);
    }
  });
  a.fixed(police.posts, "police posts");
  a(police.backlog);
  // Records of the last step are saved: reporters read them after a step, so a resumed run's first record
  // must be the one the saved run would have written.
  EconomyStep& s = e.now;
  PoliceStep& ps = police.now;
  a.fixed(s.revenue, "commodities");
  a.fixed(s.sales, "commodities");
  a.fixed(s.shipped, "commodities");
  a.fixed(s.delivered, "commodities");
  a.fixed(s.seized_volume, "commodities");
  a.fixed(s.seized_value, "commodities");
  a.fixed(s.route_volume, "commodities");
  a(s.workers, ps.encounters, ps.bribes, ps.seizures, ps.worker_arrests, ps.kingpin_arrests, ps.prosecutions, ps.convictions,
    ps.acquittals, ps.released_untried, ps.bribe_value, ps.extortion_value, ps.salaries_paid, ps.payroll, ps.extortions);
  if (a.version >= 3) a(ps.household_contacts);
  a.fixed(ps.region_seizures, "regions");
  a.fixed(ps.region_arrests, "regions");
  a.fixed(ps.region_bribes, "regions");
  a.fixed(s.region_workers, "regions");
  a.fixed(s.region_flow, "regions");
  a.fixed(s.cell_flow, "cells of the flow map");  // accumulated between snapshots
  a(e.active);
}

// Not saved, as construction from the same Params sets them and no phase writes them: names, def,
// garrison cells and the mine map. Not saved, as scratch that is the same between any two steps: the site
// marks (-1 everywhere) and strengths (0 everywhere); sites are gathered anew by deploy, their only reader.
template <class A>
void visit_conflict(A& a, Conflict& k) {
  a.fixed(k.groups, "armed-group slots");
  a(k.units);  // rows are added when groups split and fragment
  a.fixed(k.owner, "cells of the control map");
  a.fixed(k.contested, "cells of the control map");
  a.fixed(k.state_strength, "cells of the state-strength map");
  a.fixed(k.route_rent, "commodities");
  a.fixed(k.mine_rent, "geography points");
  a(k.deaths, k.now, k.active);
}

template <class A>
void visit_capture(A& a, StateCapture& s) {
  a(s.elite_rents, s.criminal_rents, s.index, s.political_will);
}

// Not saved, as construction from the same Params sets them and no phase writes them: base cells and centres.
template <class A>
void visit_mission(A& a, Mission& m) {
  a(m.active, m.mandate);
  a.fixed(m.troops, "cells of the troop map");
  a.fixed(m.disruption, "mission bases");
  a.fixed(m.interdiction, "region slots");
  a.fixed(m.tolerance_kept, "region slots");
  a.fixed(m.violence_kept, "region slots");
  a.fixed(m.operations_support, "region slots");
  if (a.version == 1) {  // what the levers phase set for its own step: nothing after it reads it
    double donor_pay = 0;
    int extra_trials = 0;
    a(donor_pay, extra_trials);
  }
  a(m.due_diligence, m.intelligence, m.consent, m.budget_left, m.consent_withdrawn,
    m.listings, m.wrong_listings, m.exits, m.transitions, m.transitions_completed, m.transitions_interrupted);
  a.fixed(m.support_income, "citizens");
  a(m.now);
}

// ---- Header ----------------------------------------------------------------------------------------

struct Header {
  std::uint32_t version = 0;
  std::int64_t step = 0;
  std::uint64_t payload = 0;
};

template <class T>
T read_at(const std::vector<std::uint8_t>& bytes, std::size_t at) {
  T x{};
  std::memcpy(&x, bytes.data() + at, sizeof x);
  return x;
}

std::uint32_t crc32(const std::uint8_t* data, std::size_t n) {
  boost::crc_32_type crc;
  crc.process_bytes(data, n);
  return crc.checksum();
}

Header check_header(const std::vector<std::uint8_t>& bytes) {
  if (bytes.size() < magic.size() || std::memcmp(bytes.data(), magic.data(), magic.size()) != 0)
    throw CheckpointError("not a pocsim state: it does not start with \"POCSIMST\"");
  if (bytes.size() < header_bytes + crc_bytes)
    throw CheckpointError("truncated state: " + std::to_string(bytes.size()) + " bytes, fewer than a header and checksum");
  const auto version = read_at<std::uint32_t>(bytes, version_at);
  if (version < oldest_readable_checkpoint_version || version > checkpoint_format_version)
    throw CheckpointError("the state has format version " + std::to_string(version) + ", this build reads versions " +
                          std::to_string(oldest_readable_checkpoint_version) + " to " + std::to_string(checkpoint_format_version));
  if (read_at<std::uint32_t>(bytes, mark_at) != byte_order_mark)
    throw CheckpointError("the state was saved on a machine of another byte order");
  Header h;
  h.version = version;
  h.step = read_at<std::int64_t>(bytes, step_at);
  h.payload = read_at<std::uint64_t>(bytes, payload_at);
  const std::uint64_t expected = bytes.size() - header_bytes - crc_bytes;
  if (h.payload != expected)
    throw CheckpointError((h.payload > expected ? "truncated state: the header announces " : "corrupt state: the header announces ") +
                          std::to_string(h.payload) + " bytes of payload, there are " + std::to_string(expected));
  const std::size_t end = bytes.size() - crc_bytes;
  if (crc32(bytes.data(), end) != read_at<std::uint32_t>(bytes, end))
    throw CheckpointError("checksum mismatch: the state is corrupt");
  return h;
}

}  // namespace

// Every member that changes as the model runs, in the layout of format version 1 and its later changes. Not saved:
//  - what is rebuilt from Params: the grid, the map, neighbourhoods, random streams (counter-based: no
//    generator has a position to save), the posts' map, garrison cells, bases' cells;
//  - params_ except its levers, which branch() may have added: the target is built from the same Params;
//  - working memory that every step writes in full before reading: the population's claim board (every
//    claim is cleared in the phase that made it), its targets and next states (set at the start of each
//    phase that uses them) and activation order (refilled in id order before it is shuffled); the
//    sanctions bite (recomputed in the levers phase before anything reads it); the donor pay and extra
//    trials the levers phase sets for the police-pay and prosecution phases of its step; the seizures the economy
//    lists for the mission (read within the step that lists them).
template <class Archive>
void Model::visit_state(Archive& a) {
  // Tables the scenario sizes come first, so a state from another scenario is refused by its plainest difference.
  Population& pop = population_;
  a.fixed(pop.cells, "grid cells");
  visit_citizens(a, pop.citizens, conflict_.ties);
  a.same(params_.run.seed, "seed");
  a(pop.cops);  // the police-density schedule may hire
  a(params_.mission.levers);
  a(step_, pop.legitimacy, pop.cop_density, pop.cops_on_duty, police_.interdiction_changed, conflict_.youth_livelihood,
    police_.paid_share);
  a.fixed(police_.interdiction_multiplier, "interdiction targets");
  a.fixed(police_.interdiction_presence, "cells of the interdiction map");  // rebuilt only when a multiplier changes
  a.fixed(conflict_.protection_tax, "cells of the protection-tax map");
  visit_economy(a, books_, economy_, police_);
  visit_conflict(a, conflict_);
  visit_capture(a, capture_);
  visit_mission(a, mission_);
  // Only a scenario stating geography.people has residents; the same Params give the same emptiness, and
  // states written before they existed have none.
  if (!pop.residents.empty()) a.fixed(pop.residents, "cells of the residents map");
  // Version 5: the bands serving with fighter agents (armed_groups.people_per_fighter), with the residents.
  if (a.version >= 5 && !pop.band.empty()) a.fixed(pop.band, "citizens of the bands map");
}

std::vector<std::uint8_t> save_state(const Model& m) {
  std::vector<std::uint8_t> out;
  Writer w(out);
  w.raw(magic.data(), magic.size());
  std::uint32_t version = checkpoint_format_version, mark = byte_order_mark;
  std::int64_t step = m.current_step();
  std::uint64_t payload = 0;
  w(version, mark, step, payload);
  static_assert(payload_at + sizeof payload == header_bytes);
  // The Writer only reads; the visit list is shared with the Reader, which is why it takes the model non-const.
  const_cast<Model&>(m).visit_state(w);
  payload = out.size() - header_bytes;
  std::memcpy(out.data() + payload_at, &payload, sizeof payload);
  std::uint32_t crc = crc32(out.data(), out.size());
  w(crc);
  return out;
}

void restore_state(Model& m, const std::vector<std::uint8_t>& bytes) {
  const Header h = check_header(bytes);
  // Model has const members, so it cannot be assigned: a copy takes the first read, where every check is
  // made, and `m` is overwritten only once that has passed.
  Model staged(m);
  for (Model* target : {&staged, &m}) {
    Reader r(bytes.data() + header_bytes, static_cast<std::size_t>(h.payload), h.version);
    target->visit_state(r);
    if (r.left() != 0) throw CheckpointError("corrupt state: " + std::to_string(r.left()) + " bytes left over after the model");
    if (target->step_ != h.step) throw CheckpointError("corrupt state: the header's step differs from the model's");
  }
}

}  // namespace pocsim::model
