#include "core/parallel.hpp"

#include <tbb/global_control.h>
#include <tbb/task_arena.h>

namespace pocsim::core {

struct ThreadLimit::Impl {
  // global_control lifts the process-wide cap (which may exceed the core count, so tests can run four
  // threads on a two-core machine); the arena pins this run's work to exactly that many threads.
  tbb::global_control control;
  tbb::task_arena arena;
  explicit Impl(int n) : control(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(n)), arena(n) {}
};

ThreadLimit::ThreadLimit(int threads)
    : threads_(threads > 0 ? threads : tbb::this_task_arena::max_concurrency()),
      impl_(std::make_unique<Impl>(threads_)) {}

ThreadLimit::~ThreadLimit() = default;

void ThreadLimit::execute(void (*fn)(void*), void* ctx) {
  char fork = 0, join = 0;  // see fork_join_release
  fork_join_release(&fork);
  impl_->arena.execute([&] {
    fork_join_acquire(&fork);
    fn(ctx);
    fork_join_release(&join);
  });
  fork_join_acquire(&join);
}

ClaimBoard::ClaimBoard(std::size_t slots) : size_(slots), slots_(std::make_unique<std::atomic<std::uint64_t>[]>(slots)) {
  for (std::size_t i = 0; i < slots; ++i) slots_[i].store(unclaimed, std::memory_order_relaxed);
}

}  // namespace pocsim::core
