#pragma once
// Progress of a long run on stderr: a redrawn bar with rate and ETA on a terminal, a plain line every
// 10 % otherwise (logs, CI), nothing when quiet.
#include <chrono>
#include <cstdint>
#include <string>

namespace pocsim::cli {

class Progress {
 public:
  enum class Style { bar, lines, none };
  // `unit` names what is counted ("step", "run").
  Progress(std::int64_t total, Style style, std::string unit = "step");
  static Style style_for_stderr(bool quiet);

  // For a resumed run: `step` were done before this process started, and do not count toward its rate.
  void resumed_at(std::int64_t step);
  void update(std::int64_t step);
  void finish();

 private:
  void draw(std::int64_t step, bool final);
  std::int64_t total_;
  Style style_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
  int last_decile_ = 0;
  std::int64_t first_ = 0;
  std::string unit_;
};

std::string format_duration(double seconds);

}  // namespace pocsim::cli
