// A build without MPI: sweeps run in one process (threads) or in shards merged afterwards; a start under
// mpirun is refused, since every rank would run the whole sweep into the same store.
#include <cstdlib>
#include <stdexcept>

#include "ensemble/sweep.hpp"
#include "ensemble/sweep_run.hpp"

namespace pocsim::ensemble {

bool MpiSession::available() { return false; }

const char* MpiSession::library() { return ""; }

MpiSession::MpiSession() {
  if (launched_by_mpirun())
    throw MpiUnavailable("this pocsim was built without MPI, so its copies under mpirun cannot share a sweep");
}

void MpiSession::abort_all() { std::abort(); }  // never active: no other rank waits

MpiSession::~MpiSession() = default;

namespace detail {

// Unreachable: run_sweep asks for ranks only in a session that MPI started, which this build refuses.
void mpi_rank_and_size(int& rank, int& size) {
  rank = 0;
  size = 1;
}

void mpi_work(const SweepPlan&, const Design&, const std::function<bool()>&) {
  throw std::logic_error("mpi_work called in a build without MPI");
}

bool mpi_coordinate(const SweepPlan&, const std::vector<std::size_t>&, const std::function<bool()>&,
                    const std::function<void(const std::string&, bool)>&) {
  throw std::logic_error("mpi_coordinate called in a build without MPI");
}

}  // namespace detail

}  // namespace pocsim::ensemble
