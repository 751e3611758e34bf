// libFuzzer entry point: see harness.hpp and scripts/fuzz.sh.
#include "harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  pocsim::fuzz::sweep_input(data, size);
  return 0;
}
