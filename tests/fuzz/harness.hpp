#pragma once
// What the fuzz targets do with one input, shared by the libFuzzer binaries (POCSIM_FUZZ=ON) and by the
// regression test that replays every input ever found to crash (tests/fuzz/regressions), so a finding
// stays fixed in the ordinary build.
#include <cstddef>
#include <cstdint>

namespace pocsim::fuzz {

// Scenario text: loaded and validated; when it validates and is small, a model is built from it and
// stepped, because a scenario the validator accepts must never crash the model.
void scenario_input(const std::uint8_t* data, std::size_t size);

// Sweep file text, written beside a link to the scenario library so the shipped sweeps' relative
// scenario paths resolve: loaded and validated.
void sweep_input(const std::uint8_t* data, std::size_t size);

}  // namespace pocsim::fuzz
