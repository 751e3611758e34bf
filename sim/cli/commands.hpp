#pragma once
// The pocsim command line. Exit codes: 0 success; 1 the run failed (output could not be written, an
// internal error); 2 bad input (scenario, options) — nothing was run and no output was left behind.
#include <string>
#include <vector>

namespace pocsim::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;
inline constexpr int exit_bad_input = 2;
inline constexpr int exit_interrupted = 130;  // SIGINT or SIGTERM: partial output kept as *.incomplete.h5

// Entry point of the `pocsim` executable: args excludes the program name.
int run_main(const std::vector<std::string>& args);

}  // namespace pocsim::cli
