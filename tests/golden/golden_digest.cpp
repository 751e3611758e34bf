// Golden digests of every shipped scenario: the guard that a restructuring changed no result.
//
// For every scenario under scenarios/ (sweep files aside) and both activation modes, runs the model as
// `pocsim run` records it — every reporter's quantity, every table row, every snapshot layer, every
// comparison outcome — and keeps a 64-bit hash per quantity over the run, a hash of everything recorded
// at each step, and a hash of the saved model state at a few steps. Mandate options run as `pocsim
// compare` runs them: the baseline to the decision date, then Model::branch with the option's levers.
//
//   golden_digest check  SOURCE_DIR   compare with tests/golden/scenarios.digest; name the first step and
//                                     the quantities that differ
//   golden_digest update SOURCE_DIR   rewrite it (scripts/golden.sh update): only for a deliberate change
//   golden_digest save-state SOURCE_DIR CASE ACTIVATION STEP FILE
//                                     write the model state of a case at a step (a shipped checkpoint)
//
// A state file listed in tests/golden/states.txt is restored into a model built from its case and run on:
// its steps must hash as the digest says, so a checkpoint written by an earlier build still resumes.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <tbb/task_arena.h>

#include "core/parallel.hpp"
#include "model/checkpoint.hpp"
#include "model/model.hpp"
#include "model/observables.hpp"
#include "model/outcomes.hpp"
#include "model/report.hpp"
#include "scenario/loader.hpp"

namespace fs = std::filesystem;
using namespace pocsim;

namespace {

// FNV-1a, 64 bits: simple, stable across machines and compilers.
class Hash {
 public:
  void bytes(const void* p, std::size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) {
      h_ ^= b[i];
      h_ *= 0x100000001b3ULL;
    }
  }
  void text(const std::string& s) {
    const std::uint64_t n = s.size();
    bytes(&n, sizeof n);
    bytes(s.data(), s.size());
  }
  template <class T>
  void values(const std::vector<T>& v) {
    const std::uint64_t n = v.size();
    bytes(&n, sizeof n);
    bytes(v.data(), v.size() * sizeof(T));
  }
  void number(std::uint64_t x) { bytes(&x, sizeof x); }
  [[nodiscard]] std::uint64_t value() const { return h_; }

 private:
  std::uint64_t h_ = 0xcbf29ce484222325ULL;
};

std::string hex(std::uint64_t h) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

// One scenario (or a mandate option branched from its setting's base) in one activation mode.
struct Case {
  std::string scenario;               // relative to the source tree
  std::string option;                 // "" or relative to the source tree
  std::string activation;
  std::vector<std::string> overrides;
  std::int64_t steps = 0;
  [[nodiscard]] std::string name() const { return (option.empty() ? scenario : option) + " " + activation; }
};

struct Digest {
  std::vector<std::uint64_t> steps;                            // [0]: the first step hashed
  std::int64_t first_step = 0;
  std::vector<std::pair<std::string, std::uint64_t>> quantities;  // in the order first recorded
  std::vector<std::pair<std::int64_t, std::uint64_t>> states;
};

constexpr std::int64_t golden_steps = 104;  // two years of weekly steps: a warm-up of one, an option's first year

// The national scenario reduced to what a test can afford: a twentieth of the households, half a year.
std::vector<std::string> reduced(const std::string& scenario, std::int64_t& steps) {
  if (scenario == "scenarios/national/country.yaml") {
    steps = 26;
    return {"citizens.density=0.035"};
  }
  return {};
}

std::vector<Case> all_cases(const fs::path& source) {
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(source / "scenarios")) {
    if (!e.is_regular_file() || e.path().extension() != ".yaml") continue;
    const std::string rel = fs::relative(e.path(), source).generic_string();
    if (rel.rfind("scenarios/sweeps/", 0) == 0) continue;
    files.push_back(rel);
  }
  std::sort(files.begin(), files.end());
  std::vector<Case> cases;
  for (const std::string& f : files) {
    Case c;
    if (scenario::is_option_file((source / f).string())) {
      // An option belongs to the base of the setting whose options/ folder holds it.
      c.option = f;
      c.scenario = (fs::path(f).parent_path().parent_path() / "base.yaml").generic_string();
    } else {
      c.scenario = f;
    }
    c.steps = golden_steps;
    c.overrides = reduced(c.scenario, c.steps);
    c.overrides.push_back("run.steps=" + std::to_string(c.steps));
    for (const char* a : {"sequential", "synchronous"}) {
      c.activation = a;
      cases.push_back(c);
      cases.back().overrides.push_back(std::string("rules.activation=") + a);
    }
  }
  return cases;
}

scenario::Scenario load(const fs::path& source, const Case& c) {
  const std::string scenario_path = (source / c.scenario).string();
  return c.option.empty() ? scenario::load_scenario(scenario_path, c.overrides)
                          : scenario::load_option(scenario_path, (source / c.option).string(), c.overrides);
}

// Records what `pocsim run` would write after the model reached its current step.
class Recorder {
 public:
  explicit Recorder(Digest& d) : d_(d) {}
  void observe(model::Model& m, model::OutcomeMeter& meter, bool hashed) {
    Hash step;
    auto add = [&](const std::string& path, const Hash& h) {
      step.text(path);
      step.number(h.value());
      auto it = index_.find(path);
      if (it == index_.end()) {
        it = index_.emplace(path, d_.quantities.size()).first;
        d_.quantities.emplace_back(path, Hash().value());
      }
      // The quantity's hash chains its hash at every step recorded.
      Hash chained;
      chained.number(d_.quantities[it->second].second);
      chained.number(static_cast<std::uint64_t>(m.current_step()));
      chained.number(h.value());
      d_.quantities[it->second].second = chained.value();
    };
    const model::StepRecord counts = model::measure(m);
    for (const model::Quantity& q : model::report(m, counts)) {
      Hash h;
      h.text(q.units);
      for (const std::string& dim : q.dims) h.text(dim);
      for (const auto& labels : q.labels)
        for (const std::string& l : labels) h.text(l);
      h.values(q.values);
      h.number(q.integer);
      add(q.path, h);
    }
    for (const model::Table& t : model::tables(m))
      for (const model::TableColumn& col : t.columns) {
        Hash h;
        h.text(col.units);
        h.values(col.values);
        add(t.path + "/" + col.name, h);
      }
    const auto& p = m.params();
    if (p.run.snapshot_every > 0 && m.current_step() % p.run.snapshot_every == 0) {
      for (const model::Layer& l : model::snapshot_layers(m)) {
        Hash h;
        h.text(l.units);
        h.values(l.codes);
        h.values(l.values);
        add(l.path, h);
      }
      m.clear_accumulated_maps();
    }
    Hash outcomes;
    outcomes.values(meter.observe(m));
    add("outcomes", outcomes);
    if (hashed) d_.steps.push_back(step.value());
  }

 private:
  Digest& d_;
  std::map<std::string, std::size_t> index_;
};

bool is_state_step(std::int64_t step, std::int64_t from, std::int64_t to) {
  const std::int64_t span = to - from;
  return step == from + span / 4 || step == from + span / 2 || step == from + 3 * span / 4 || step == to;
}

void record_state(Digest& d, const model::Model& m) {
  Hash h;
  h.values(model::save_state(m));
  d.states.emplace_back(m.current_step(), h.value());
}

// Runs a case; with `stop_at` > 0, stops there and returns the model's state in *state_out.
Digest run_case(const fs::path& source, const Case& c, std::int64_t stop_at = 0, std::vector<std::uint8_t>* state_out = nullptr,
                const std::vector<std::uint8_t>* resume_from = nullptr) {
  const scenario::Scenario sc = load(source, c);
  const model::Params& p = sc.params();
  Digest d;
  Recorder rec(d);
  model::OutcomeMeter meter;
  std::int64_t branch_after = -1;  // the option branches after this step
  std::vector<model::LeverDef> option_levers;
  model::Params trunk_params = p;
  if (sc.option) {
    option_levers = sc.option->levers_of(p);
    trunk_params.mission.levers.resize(sc.option->first_lever);
    branch_after = sc.option->decision - 1;
  }
  // Model has const members and cannot be assigned: a branch replaces the pointer.
  auto m = std::make_unique<model::Model>(trunk_params);
  const std::int64_t first = branch_after >= 0 ? branch_after + 1 : 0;
  d.first_step = first;
  if (resume_from) {
    model::restore_state(*m, *resume_from);  // the state holds the option's levers when saved after the branch
    branch_after = -1;
  } else {
    rec.observe(*m, meter, first == 0);
  }
  while (m->current_step() < p.run.steps) {
    if (m->current_step() == branch_after) m = std::make_unique<model::Model>(m->branch(option_levers));
    m->step();
    rec.observe(*m, meter, m->current_step() >= first);
    if (is_state_step(m->current_step(), first, p.run.steps)) record_state(d, *m);
    if (stop_at > 0 && m->current_step() == stop_at) {
      if (state_out) *state_out = model::save_state(*m);
      break;
    }
  }
  return d;
}

std::string format(const Case& c, const Digest& d) {
  std::ostringstream o;
  o << "case " << c.name() << "\n";
  o << "steps " << d.first_step;
  for (std::uint64_t h : d.steps) o << " " << hex(h);
  o << "\n";
  for (const auto& [step, h] : d.states) o << "state " << step << " " << hex(h) << "\n";
  for (const auto& [path, h] : d.quantities) o << "q " << path << " " << hex(h) << "\n";
  return o.str();
}

struct Parsed {
  std::int64_t first_step = 0;
  std::vector<std::string> steps;
  std::map<std::int64_t, std::string> states;
  std::vector<std::pair<std::string, std::string>> quantities;
};

std::map<std::string, Parsed> parse(const std::string& text) {
  std::map<std::string, Parsed> out;
  std::istringstream in(text);
  std::string line;
  Parsed* cur = nullptr;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream l(line);
    std::string kind;
    l >> kind;
    if (kind == "case") {
      std::string name;
      std::getline(l >> std::ws, name);
      cur = &out[name];
    } else if (!cur) {
      throw std::runtime_error("golden digest: a line before the first case: " + line);
    } else if (kind == "steps") {
      l >> cur->first_step;
      for (std::string h; l >> h;) cur->steps.push_back(h);
    } else if (kind == "state") {
      std::int64_t s = 0;
      std::string h;
      l >> s >> h;
      cur->states[s] = h;
    } else if (kind == "q") {
      std::string path, h;
      l >> path >> h;
      cur->quantities.emplace_back(path, h);
    }
  }
  return out;
}

// What differs between the golden digest of a case and this build's, or "".
std::string compare(const Parsed& want, const Digest& got) {
  std::ostringstream o;
  const std::size_t n = std::max(want.steps.size(), got.steps.size());
  for (std::size_t i = 0; i < n; ++i) {
    const std::string g = i < got.steps.size() ? hex(got.steps[i]) : "(none)";
    const std::string w = i < want.steps.size() ? want.steps[i] : "(none)";
    if (g != w) {
      o << "  first step that differs: " << want.first_step + static_cast<std::int64_t>(i) << "\n";
      break;
    }
  }
  std::map<std::string, std::string> got_q;
  for (const auto& [path, h] : got.quantities) got_q[path] = hex(h);
  int shown = 0;
  for (const auto& [path, h] : want.quantities) {
    const auto it = got_q.find(path);
    if (it == got_q.end()) {
      o << "  quantity no longer recorded: " << path << "\n";
    } else if (it->second != h && shown++ < 12) {
      o << "  quantity differs: " << path << "\n";
    }
    if (it != got_q.end()) got_q.erase(it);
  }
  for (const auto& [path, h] : got_q) o << "  quantity not in the golden digest: " << path << "\n";
  for (const auto& [step, h] : got.states) {
    const auto it = want.states.find(step);
    if (it == want.states.end() || it->second != hex(h)) o << "  saved state differs at step " << step << "\n";
  }
  return o.str();
}

struct StateFile {
  std::string case_name;  // as in the digest
  std::string file;       // relative to tests/golden
  bool continues = true;  // false: saved before a deliberate change of results; it must restore and run on, not match
};

std::vector<StateFile> state_files(const fs::path& golden) {
  std::vector<StateFile> out;
  std::ifstream in(golden / "states.txt");
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto bar = line.find(" | ");
    if (bar == std::string::npos) throw std::runtime_error("tests/golden/states.txt: expected 'FILE | CASE': " + line);
    std::string case_name = line.substr(bar + 3);
    const auto second = case_name.find(" | ");
    bool continues = true;
    if (second != std::string::npos) {
      if (case_name.substr(second + 3) != "restores")
        throw std::runtime_error("tests/golden/states.txt: the third field may only be 'restores': " + line);
      continues = false;
      case_name.resize(second);
    }
    out.push_back({case_name, line.substr(0, bar), continues});
  }
  return out;
}

std::vector<std::uint8_t> read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

int usage() {
  std::cerr << "usage: golden_digest check|update SOURCE_DIR\n"
               "       golden_digest save-state SOURCE_DIR CASE_FILE ACTIVATION STEP OUT_FILE\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return usage();
  const std::string mode = argv[1];
  const fs::path source = argv[2];
  const fs::path golden = source / "tests" / "golden";
  const fs::path digest_file = golden / "scenarios.digest";
  try {
    const std::vector<Case> cases = all_cases(source);
    if (mode == "save-state") {
      if (argc != 7) return usage();
      for (const Case& c : cases)
        if ((c.option.empty() ? c.scenario : c.option) == argv[3] && c.activation == argv[4]) {
          std::vector<std::uint8_t> state;
          run_case(source, c, std::stoll(argv[5]), &state);
          std::ofstream out(argv[6], std::ios::binary);
          out.write(reinterpret_cast<const char*>(state.data()), static_cast<std::streamsize>(state.size()));
          std::cout << "wrote the state of " << c.name() << " at step " << argv[5] << " to " << argv[6] << "\n";
          return 0;
        }
      std::cerr << "no case " << argv[3] << " " << argv[4] << "\n";
      return 2;
    }
    if (mode != "check" && mode != "update") return usage();

    // Cases run in parallel, each isolated so a thread waiting inside one case's phases starts no other.
    std::vector<Digest> digests(cases.size());
    core::parallel_for(cases.size(), [&](std::size_t i) {
      tbb::this_task_arena::isolate([&] { digests[i] = run_case(source, cases[i]); });
    }, 1);

    if (mode == "update") {
      std::ofstream out(digest_file);
      out << "# Golden digests of every shipped scenario (tests/golden/golden_digest.cpp). Rewritten only by\n"
             "# scripts/golden.sh update, for a deliberate change of results; say why in the commit.\n";
      for (std::size_t i = 0; i < cases.size(); ++i) out << format(cases[i], digests[i]);
      std::cout << "updated " << digest_file.string() << " (" << cases.size() << " cases)\n";
      return 0;
    }

    std::ifstream in(digest_file);
    if (!in) {
      std::cerr << "no golden digest at " << digest_file.string() << ": run scripts/golden.sh update\n";
      return 1;
    }
    std::stringstream text;
    text << in.rdbuf();
    const std::map<std::string, Parsed> want = parse(text.str());
    int failures = 0;
    std::map<std::string, const Digest*> by_name;
    for (std::size_t i = 0; i < cases.size(); ++i) {
      by_name[cases[i].name()] = &digests[i];
      const auto it = want.find(cases[i].name());
      if (it == want.end()) {
        std::cout << "FAIL " << cases[i].name() << ": no golden digest for this case (a new scenario? run scripts/golden.sh update)\n";
        ++failures;
        continue;
      }
      const std::string diff = compare(it->second, digests[i]);
      if (!diff.empty()) {
        std::cout << "FAIL " << cases[i].name() << "\n" << diff;
        ++failures;
      }
    }
    for (const auto& [name, parsed] : want)
      if (!by_name.count(name)) std::cout << "note: the golden digest has a case no scenario gives any more: " << name << "\n";

    // Shipped states: restored and run on, they must continue as the digest says.
    for (const StateFile& sf : state_files(golden)) {
      const Case* found = nullptr;
      for (const Case& c : cases)
        if (c.name() == sf.case_name) found = &c;
      if (!found) throw std::runtime_error("tests/golden/states.txt names an unknown case: " + sf.case_name);
      const std::vector<std::uint8_t> bytes = read_bytes(golden / sf.file);
      const Digest resumed = run_case(source, *found, 0, nullptr, &bytes);
      if (!sf.continues) {
        std::cout << "ok   the older state " << sf.file << " restores and runs " << resumed.steps.size() << " steps on\n";
        continue;
      }
      // The resumed run hashes only the steps after the state's: they must match the tail of the digest.
      const Parsed& w = want.at(sf.case_name);
      const std::size_t tail = resumed.steps.size();
      bool same = tail > 0 && tail <= w.steps.size();
      for (std::size_t i = 0; same && i < tail; ++i) same = hex(resumed.steps[i]) == w.steps[w.steps.size() - tail + i];
      for (const auto& [step, h] : resumed.states) same = same && w.states.count(step) && w.states.at(step) == hex(h);
      if (!same) {
        std::cout << "FAIL the shipped state " << sf.file << " (" << sf.case_name << ") does not continue as the digest says\n";
        ++failures;
      } else {
        std::cout << "ok   the shipped state " << sf.file << " restores and continues " << tail << " steps identically\n";
      }
    }
    if (failures) {
      std::cout << failures << " case(s) differ from tests/golden/scenarios.digest. If the change of results is deliberate, run\n"
                   "scripts/golden.sh update and say why in the commit.\n";
      return 1;
    }
    std::cout << "all " << cases.size() << " cases match the golden digest\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "golden_digest: " << e.what() << "\n";
    return 1;
  }
}
