#pragma once
// Deterministic parallel loops on oneTBB.
//
// The contract every phase relies on: a parallel loop body writes only to slots owned by its own
// index, and every reduction combines fixed blocks in a fixed order. Results are then identical for
// any thread count and any scheduling; no floating-point atomics are used anywhere.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#if defined(__SANITIZE_THREAD__)
#define POCSIM_THREAD_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define POCSIM_THREAD_SANITIZER 1
#endif
#endif
#ifdef POCSIM_THREAD_SANITIZER
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#endif

namespace pocsim::core {

// ThreadSanitizer cannot see the synchronisation inside libtbb, a library not built with it. The fork and
// join of every parallel region are declared to it with these, so it reports races between a region's
// own tasks (what the determinism contract forbids) rather than TBB's hand-offs. No-ops otherwise.
inline void fork_join_release([[maybe_unused]] void* sync) {
#ifdef POCSIM_THREAD_SANITIZER
  __tsan_release(sync);
#endif
}
inline void fork_join_acquire([[maybe_unused]] void* sync) {
#ifdef POCSIM_THREAD_SANITIZER
  __tsan_acquire(sync);
#endif
}

// Calls body(i) for i in [0, n) on the current task arena.
template <class Body>
void parallel_for(std::size_t n, Body&& body, std::size_t grain = 1024) {
  char fork = 0, join = 0;  // only their addresses matter: ThreadSanitizer's synchronisation objects
  fork_join_release(&fork);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, grain), [&](const tbb::blocked_range<std::size_t>& r) {
    fork_join_acquire(&fork);
    for (std::size_t i = r.begin(); i != r.end(); ++i) body(i);
    fork_join_release(&join);
  });
  fork_join_acquire(&join);
}

// Block size of deterministic reductions: part of the result's definition (floating-point sums depend
// on it), so it is a constant, not a tuning knob.
inline constexpr std::size_t reduction_block = 4096;

// Sum of term(i) for i in [0, n): fixed blocks summed in parallel, then the partial sums added in block
// order. The same n gives the same bits for any thread count.
template <class T, class Term>
T deterministic_sum(std::size_t n, Term&& term) {
  const std::size_t blocks = (n + reduction_block - 1) / reduction_block;
  std::vector<T> partial(blocks, T{});
  parallel_for(blocks, [&](std::size_t b) {
    T s{};
    const std::size_t end = std::min(n, (b + 1) * reduction_block);
    for (std::size_t i = b * reduction_block; i < end; ++i) s += term(i);
    partial[b] = s;
  }, 1);
  T total{};
  for (const T& p : partial) total += p;
  return total;
}

// Runs work with at most `threads` worker threads (0 = all hardware threads). Everything pocsim runs
// in parallel goes through parallel_for above, which uses the arena this installs.
class ThreadLimit {
 public:
  explicit ThreadLimit(int threads);
  ~ThreadLimit();
  ThreadLimit(const ThreadLimit&) = delete;
  ThreadLimit& operator=(const ThreadLimit&) = delete;

  template <class F>
  void run(F&& f);

  [[nodiscard]] int threads() const { return threads_; }

 private:
  struct Impl;
  int threads_;
  std::unique_ptr<Impl> impl_;
  void execute(void (*fn)(void*), void* ctx);
};

template <class F>
void ThreadLimit::run(F&& f) {
  execute([](void* ctx) { (*static_cast<std::remove_reference_t<F>*>(ctx))(); }, &f);
}

// Resolves many claimants wanting one slot (an empty cell, a suspect) without depending on the order in
// which threads arrive: each claim is a 64-bit key (random priority in the high half, claimant id in the
// low half) and the slot keeps the smallest. Minimum is commutative, so the winner is a function of the
// claims alone.
class ClaimBoard {
 public:
  explicit ClaimBoard(std::size_t slots);
  // Claims never outlive the phase that made them, so a copy is a clear board of the same size.
  ClaimBoard(const ClaimBoard& other) : ClaimBoard(other.size_) {}
  ClaimBoard& operator=(const ClaimBoard&) = delete;

  static std::uint64_t key(std::uint32_t priority, std::uint32_t claimant) {
    return (static_cast<std::uint64_t>(priority) << 32) | claimant;
  }

  void claim(std::size_t slot, std::uint64_t k) {
    std::uint64_t cur = slots_[slot].load(std::memory_order_relaxed);
    while (k < cur && !slots_[slot].compare_exchange_weak(cur, k, std::memory_order_relaxed)) {
    }
  }
  // Whether `claimant` holds the slot. Claimant ids are unique among one phase's claims, so the id alone
  // identifies the winning key: no need to draw the priority again.
  [[nodiscard]] bool won_by(std::size_t slot, std::uint32_t claimant) const {
    const std::uint64_t k = slots_[slot].load(std::memory_order_relaxed);
    return k != unclaimed && static_cast<std::uint32_t>(k) == claimant;
  }
  // Asks the cache for a slot that will be claimed or read soon (a hint: any slot number is allowed).
  void prefetch(std::size_t slot) const {
    if (slot < size_) __builtin_prefetch(&slots_[slot], 1);
  }
  // Claims must be cleared by the caller (per slot it claimed) before the board is used again;
  // clearing only claimed slots keeps a phase's cost proportional to its claimants, not to the grid.
  void clear(std::size_t slot) { slots_[slot].store(unclaimed, std::memory_order_relaxed); }

  static constexpr std::uint64_t unclaimed = UINT64_MAX;

 private:
  std::size_t size_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> slots_;
};

}  // namespace pocsim::core
