#include "model/observables.hpp"

#include "core/parallel.hpp"
#include "model/population/rebellion.hpp"

namespace pocsim::model {

namespace {
struct Tally {
  std::int64_t quiet = 0;
  std::int64_t active = 0;
  std::int64_t jailed = 0;
  std::int64_t fighters = 0;
  std::int64_t dead = 0;
  double hardship = 0;
  Tally& operator+=(const Tally& o) {
    quiet += o.quiet;
    active += o.active;
    jailed += o.jailed;
    fighters += o.fighters;
    dead += o.dead;
    hardship += o.hardship;
    return *this;
  }
};
}  // namespace

StepRecord measure(const Model& m) {
  const Citizens& c = m.citizens();
  const Tally t = core::deterministic_sum<Tally>(c.size(), [&](std::size_t i) {
    Tally one;
    one.quiet = c.state[i] == CitizenState::quiet;
    one.active = c.state[i] == CitizenState::active;
    one.jailed = c.state[i] == CitizenState::jailed;
    one.fighters = c.state[i] == CitizenState::fighter;
    one.dead = c.state[i] == CitizenState::dead;
    one.hardship = c.hardship[i];
    return one;
  });
  StepRecord r;
  r.step = m.current_step();
  r.quiet = t.quiet;
  r.active = t.active;
  r.jailed = t.jailed;
  r.fighters = t.fighters;
  r.dead = t.dead;
  r.cops_on_duty = static_cast<std::int64_t>(m.cops_on_duty());
  r.legitimacy = m.legitimacy();
  // Mean of G = H (1 - L) over all citizens, jailed included.
  r.mean_grievance = c.size() ? grievance(t.hardship / static_cast<double>(c.size()), m.legitimacy()) : 0.0;
  return r;
}

std::vector<std::uint8_t> cell_codes(const Model& m) {
  const auto& code = m.cells().code;
  std::vector<std::uint8_t> out(code.size());
  core::parallel_for(code.size(), [&](std::size_t i) { out[i] = static_cast<std::uint8_t>(code[i]); });
  return out;
}

}  // namespace pocsim::model
