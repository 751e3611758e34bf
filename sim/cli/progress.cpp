#include "cli/progress.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <unistd.h>

namespace pocsim::cli {

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "--:--";
  const auto s = static_cast<long long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
  return buf;
}

Progress::Progress(std::int64_t total, Style style, std::string unit)
    : total_(total), style_(style), start_(std::chrono::steady_clock::now()), last_draw_(start_), unit_(std::move(unit)) {}

Progress::Style Progress::style_for_stderr(bool quiet) {
  if (quiet) return Style::none;
  return isatty(STDERR_FILENO) ? Style::bar : Style::lines;
}

void Progress::resumed_at(std::int64_t step) {
  first_ = step;
  last_decile_ = static_cast<int>(10 * step / std::max<std::int64_t>(total_, 1));
}

void Progress::update(std::int64_t step) {
  if (style_ == Style::none) return;
  const auto now = std::chrono::steady_clock::now();
  if (style_ == Style::bar) {
    if (now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    draw(step, false);
  } else {
    const int decile = static_cast<int>(10 * step / std::max<std::int64_t>(total_, 1));
    if (decile > last_decile_) {
      last_decile_ = decile;
      draw(step, false);
    }
  }
}

void Progress::finish() {
  if (style_ == Style::bar) draw(total_, true);
}

void Progress::draw(std::int64_t step, bool final) {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(step - first_) / elapsed : 0.0;
  const double eta = rate > 0 ? static_cast<double>(total_ - step) / rate : NAN;
  const double frac = total_ > 0 ? static_cast<double>(step) / static_cast<double>(total_) : 1.0;
  if (style_ == Style::bar) {
    constexpr int width = 30;
    const int filled = static_cast<int>(frac * width);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.append(static_cast<std::size_t>(width - filled), '.');
    std::fprintf(stderr, "\r[%s] %3d%%  %s %lld/%lld  %.3g %ss/s  ETA %s%s", bar.c_str(), static_cast<int>(frac * 100),
                 unit_.c_str(), static_cast<long long>(step), static_cast<long long>(total_), rate, unit_.c_str(),
                 format_duration(eta).c_str(), final ? "\n" : "");
  } else {
    std::fprintf(stderr, "progress: %3d%%  %s %lld/%lld  %.3g %ss/s  ETA %s\n", static_cast<int>(frac * 100), unit_.c_str(),
                 static_cast<long long>(step), static_cast<long long>(total_), rate, unit_.c_str(), format_duration(eta).c_str());
  }
  std::fflush(stderr);
}

}  // namespace pocsim::cli
