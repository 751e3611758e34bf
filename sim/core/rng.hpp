#pragma once
// Counter-based random numbers keyed by meaning, not by thread.
//
// A RandomStream is Philox4x32-10 (Random123) with a key derived from (run seed, stream name). A draw
// is addressed by the counter (step, entity id, block), so the numbers an agent gets for a decision do
// not depend on how many threads run, in which order agents are visited, or which other decisions
// exist. Two scenarios with the same seed draw the same numbers for the same events (common random
// numbers), which is what makes paired comparisons of options meaningful.
#include <cstdint>
#include <string_view>

#include <Random123/philox.h>

namespace pocsim::core {

using Philox = r123::Philox4x32_R<10>;

// 64-bit FNV-1a of a stream name; stable across platforms and compilers.
constexpr std::uint64_t fnv1a64(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

// SplitMix64 finaliser: spreads a 64-bit value over all bits.
constexpr std::uint64_t mix64(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// The draws of one (stream, step, entity): a sequence of 32-bit words, four per Philox block.
// Cheap to create; use one per agent decision and let it go out of scope.
class Draws {
 public:
  Draws(Philox::key_type key, std::uint32_t step, std::uint64_t entity) : key_(key) {
    ctr_[0] = step;
    ctr_[1] = static_cast<std::uint32_t>(entity);
    ctr_[2] = static_cast<std::uint32_t>(entity >> 32);
    ctr_[3] = 0;
  }

  std::uint32_t next_u32() {
    if (used_ == 4) refill();
    return block_[used_++];
  }

  std::uint64_t next_u64() {
    const std::uint64_t hi = next_u32();
    return (hi << 32) | next_u32();
  }

  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

 private:
  void refill() {
    block_ = Philox{}(ctr_, key_);
    ++ctr_[3];
    used_ = 0;
  }
  Philox::key_type key_;
  Philox::ctr_type ctr_{};
  Philox::ctr_type block_{};
  int used_ = 4;
};

class RandomStream {
 public:
  RandomStream(std::uint64_t seed, std::string_view name) {
    const std::uint64_t k = mix64(mix64(seed) ^ fnv1a64(name));
    key_[0] = static_cast<std::uint32_t>(k);
    key_[1] = static_cast<std::uint32_t>(k >> 32);
  }

  [[nodiscard]] Draws at(std::uint32_t step, std::uint64_t entity) const { return Draws(key_, step, entity); }
  [[nodiscard]] Philox::key_type key() const { return key_; }

 private:
  Philox::key_type key_{};
};

// The seed of run `index` of an ensemble (a replicate, a sweep point) drawn from the ensemble's seed: a
// fixed function of the two, below 2^53 so that it can be written in a scenario (`--seed`) exactly.
inline std::uint64_t derived_seed(std::uint64_t seed, std::uint64_t index) {
  return RandomStream(seed, "ensemble.run_seed").at(0, index).next_u64() >> 11;
}

}  // namespace pocsim::core
