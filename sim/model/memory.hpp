#pragma once
#include <cstdint>

#include "model/params.hpp"

namespace pocsim::model {

// Upper estimate of the bytes a Model of these parameters holds at its peak (state columns, working
// memory, the construction-time placement arrays), so a scenario that cannot fit is refused up front.
std::uint64_t estimate_memory_bytes(const Params& p);

}  // namespace pocsim::model
