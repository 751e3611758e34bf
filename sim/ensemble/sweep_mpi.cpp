// MPI, initialised only when the program was started by mpirun; and a sweep shared among its ranks.
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include <mpi.h>
#include <tbb/task_arena.h>

#include "core/parallel.hpp"
#include "ensemble/sweep.hpp"
#include "ensemble/sweep_run.hpp"

namespace pocsim::ensemble {

bool MpiSession::available() { return true; }

const char* MpiSession::library() {
#if defined(OPEN_MPI)
  return "Open MPI";
#elif defined(MPICH_VERSION)
  return "MPICH";
#else
  return "MPI";
#endif
}

MpiSession::MpiSession() {
  if (!launched_by_mpirun()) return;
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  active_ = true;
}

void MpiSession::abort_all() {
  std::fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, 1);
  std::abort();  // MPI_Abort does not return; this keeps the promise if it did
}

MpiSession::~MpiSession() {
  if (active_) MPI_Finalize();
}

namespace detail {

namespace {
// Messages: a worker says it is ready (with its thread count), gets a batch of run indices (empty: no
// more), sends the batch's journal lines back (tag_last when it was interrupted and stops).
constexpr int tag_ready = 1, tag_result = 2, tag_work = 3, tag_last = 4;
}  // namespace

void mpi_rank_and_size(int& rank, int& size) {
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
}

void mpi_work(const SweepPlan& plan, const Design& design, const std::function<bool()>& stopped) {
  const int slots = std::max(1, tbb::this_task_arena::max_concurrency());
  MPI_Send(&slots, static_cast<int>(sizeof slots), MPI_CHAR, 0, tag_ready, MPI_COMM_WORLD);
  while (true) {
    MPI_Status st;
    MPI_Probe(0, tag_work, MPI_COMM_WORLD, &st);
    int count = 0;
    MPI_Get_count(&st, MPI_LONG_LONG, &count);
    std::vector<long long> batch(static_cast<std::size_t>(count));
    MPI_Recv(batch.data(), count, MPI_LONG_LONG, 0, tag_work, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (batch.empty()) break;
    std::vector<std::optional<RunResult>> results(batch.size());
    core::parallel_for(batch.size(), [&](std::size_t i) {
      tbb::this_task_arena::isolate([&] { results[i] = run_one(plan, design, static_cast<std::size_t>(batch[i]), stopped); });
    }, 1);
    std::string lines;
    bool stopping = false;
    for (const auto& r : results) {
      if (r) lines += journal_line(*r);
      else stopping = true;  // interrupted: the finished runs of the batch still count
    }
    MPI_Send(lines.data(), static_cast<int>(lines.size()), MPI_CHAR, 0, stopping ? tag_last : tag_result, MPI_COMM_WORLD);
    if (stopping) break;
  }
  MPI_Barrier(MPI_COMM_WORLD);
}

bool mpi_coordinate(const SweepPlan& plan, const std::vector<std::size_t>& pending, const std::function<bool()>& stopped,
                    const std::function<void(const std::string& journal_line, bool ok)>& record) {
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  bool interrupted = false;
  std::size_t next = 0;
  int workers = size - 1;
  std::string buffer;
  while (workers > 0) {
    // Polled with a pause rather than a blocking probe, which in Open MPI spins and would take a core
    // from the ranks doing the work.
    MPI_Status st;
    for (int arrived = 0; !arrived;) {
      MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &arrived, &st);
      if (!arrived) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    int count = 0;
    MPI_Get_count(&st, MPI_CHAR, &count);
    buffer.resize(static_cast<std::size_t>(count));
    MPI_Recv(buffer.data(), count, MPI_CHAR, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    int slots = 1;
    if (st.MPI_TAG == tag_ready && buffer.size() == sizeof slots) std::memcpy(&slots, buffer.data(), sizeof slots);
    if (st.MPI_TAG == tag_result || st.MPI_TAG == tag_last) {
      slots = 0;
      for (std::size_t start = 0, nl = buffer.find('\n'); nl != std::string::npos; start = nl + 1, nl = buffer.find('\n', start)) {
        const std::string line = buffer.substr(start, nl - start + 1);
        const auto r = parse_journal_line(line.substr(0, line.size() - 1), plan.outcomes.size());
        record(line, r && r->ok);
        ++slots;
      }
    }
    if (st.MPI_TAG == tag_last) {
      interrupted = true;
      --workers;
      continue;
    }
    std::vector<long long> batch;
    while (!stopped() && next < pending.size() && static_cast<int>(batch.size()) < std::max(1, slots))
      batch.push_back(static_cast<long long>(pending[next++]));
    interrupted |= stopped();
    MPI_Send(batch.data(), static_cast<int>(batch.size()), MPI_LONG_LONG, st.MPI_SOURCE, tag_work, MPI_COMM_WORLD);
    if (batch.empty()) --workers;
  }
  interrupted |= next < pending.size();
  MPI_Barrier(MPI_COMM_WORLD);
  return interrupted;
}

}  // namespace detail

}  // namespace pocsim::ensemble
