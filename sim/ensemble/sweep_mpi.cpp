// MPI, initialised only when the program was started by mpirun.
#include <cstdlib>

#include <mpi.h>

#include "ensemble/sweep.hpp"

namespace pocsim::ensemble {

bool MpiSession::launched_by_mpirun() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK");
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

}  // namespace pocsim::ensemble
