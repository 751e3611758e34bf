#pragma once
// Checkpoints: a model's dynamic state as bytes, to stop a run and resume it later, bit for bit.
//
// What is saved is what a Model built from the same Params cannot rebuild: everything its phases change.
// The grid, geography, neighbourhoods and random streams are rebuilt from Params, and random numbers are
// counter-based (keyed by seed, stream, step and entity), so there is no generator state to save.
//
// Layout (numbers in the machine's byte order, which the byte-order mark records):
//   "POCSIMST" | format version u32 | byte-order mark u32 | step i64 | payload length u64 | payload | CRC-32 u32
// The CRC-32 covers every byte before it. The payload is the fields Model::visit_state lists, in order:
// numbers as their raw bytes, containers as a u64 length and their elements.
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "model/model.hpp"

namespace pocsim::model {

class CheckpointError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Version 2 (exact levers) adds the places and trials the levers offered each step and drops the donor
// pay and extra trials the levers phase sets and the same step uses; version 3 (real units) adds the
// households the police met this step; version 4 (comparisons' regime events) the groups that joined and
// left the peace process this step; version 5 (people per fighter) the people serving with each fighter
// agent, in a scenario stating geography.people. Earlier states still restore (those counts as 0 for the
// step saved, and no bands).
inline constexpr std::uint32_t checkpoint_format_version = 5;
inline constexpr std::uint32_t oldest_readable_checkpoint_version = 1;

// Every part of a model's state that changes as it runs, as bytes: restore_state on a Model freshly built
// from the same Params makes it continue exactly (bit for bit) as the saved one would.
std::vector<std::uint8_t> save_state(const Model& m);

// Throws CheckpointError, saying what is wrong (not a pocsim state, another format version, truncated,
// checksum mismatch, sizes that do not fit this scenario's model, another seed), and leaves `m` unchanged
// when it does. The levers are restored with the state, so a branch (Model::branch) resumes as a branch.
void restore_state(Model& m, const std::vector<std::uint8_t>& bytes);

}  // namespace pocsim::model
