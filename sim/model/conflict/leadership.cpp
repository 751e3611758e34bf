// Leadership: scripted leader removals and the successions they start; the peace process
// (docs/odd.md 7.19 and 7.20).
#include "model/conflict/conflict.hpp"

namespace pocsim::model {

void Conflict::lead(const ConflictParams& p, std::int64_t step, Ledger& books) {
  if (!active) return;
  const ArmedGroupParams& a = p.armed_groups;
  for (std::size_t g = 0; g < a.groups.size(); ++g)
    if (a.groups[g].remove_leader_at == step && groups[g].exists) {
      core::Draws d = rng_.succession.at(static_cast<std::uint32_t>(step), g);
      remove_leader(a, step, g, d, books);
    }
  // Splinters rejoin their parent, at reunification_rate a step once both have a leader. The draw's entity
  // is kept apart from the removals' (group index) by the high word.
  for (std::size_t s = a.groups.size(); s < groups.size() && a.reunification_rate > 0; ++s) {
    const GroupState& splinter = groups[s];
    if (!splinter.exists || splinter.parent == no_group) continue;
    const auto parent = static_cast<std::size_t>(splinter.parent);
    if (!groups[parent].exists || leaderless(parent, step) || leaderless(s, step)) continue;
    if (rng_.succession.at(static_cast<std::uint32_t>(step), (std::uint64_t{1} << 32) | s).uniform() >= a.reunification_rate) continue;
    rejoin(s, parent, books);
  }
  // Peace process: a group joins when the dividend beats what its sites are worth per fighter, and
  // defects when crime pays more again. A leaderless group cannot commit either way.
  const double dividend = a.peace_dividend.value_at(step);
  const double margin = 1.0 + a.peace_hysteresis;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    GroupState& gs = groups[g];
    if (!gs.exists || leaderless(g, step)) continue;
    if (gs.peace == PeaceStatus::joined) {
      if (gs.rent_per_fighter > dividend * margin) {
        gs.peace = PeaceStatus::defected;
        ++now.peace_left;
      }
    } else if (dividend > 0 && dividend > gs.rent_per_fighter * margin) {
      gs.peace = PeaceStatus::joined;
      ++now.peace_joined;
    }
  }
}

}  // namespace pocsim::model
