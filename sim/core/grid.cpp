#include "core/grid.hpp"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

namespace pocsim::core {

namespace {
bool inside(NeighbourhoodShape shape, int dx, int dy, int r) {
  switch (shape) {
    case NeighbourhoodShape::moore: return std::max(std::abs(dx), std::abs(dy)) <= r;
    case NeighbourhoodShape::von_neumann: return std::abs(dx) + std::abs(dy) <= r;
    case NeighbourhoodShape::euclidean: return dx * dx + dy * dy <= r * r;
  }
  return false;
}
}  // namespace

Neighbourhood::Neighbourhood(NeighbourhoodShape shape, int radius) : shape_(shape), radius_(radius) {
  if (radius < 0) throw std::invalid_argument("neighbourhood radius must be >= 0");
  for (int dy = -radius; dy <= radius; ++dy) {
    int lo = radius + 1;
    int hi = -radius - 1;
    for (int dx = -radius; dx <= radius; ++dx) {
      if (!inside(shape, dx, dy, radius)) continue;
      lo = std::min(lo, dx);
      hi = std::max(hi, dx);
      if (dx != 0 || dy != 0) offsets_.push_back({dx, dy});
    }
    if (lo <= hi) rows_.push_back({dy, lo, hi});
  }
}

Grid::Grid(int width, int height, Topology topology) : width_(width), height_(height), topology_(topology) {
  if (width <= 0 || height <= 0) throw std::invalid_argument("grid dimensions must be positive");
}

std::optional<CellIndex> Grid::shifted(CellIndex c, int dx, int dy) const {
  int nx = x_of(c) + dx;
  int ny = y_of(c) + dy;
  if (topology_ == Topology::torus) {
    nx = wrap(nx, width_);
    ny = wrap(ny, height_);
  } else if (nx < 0 || ny < 0 || nx >= width_ || ny >= height_) {
    return std::nullopt;
  }
  return index(nx, ny);
}

bool Grid::fits_without_overlap(int radius) const {
  if (topology_ == Topology::bounded) return true;
  return 2 * radius + 1 <= width_ && 2 * radius + 1 <= height_;
}

}  // namespace pocsim::core
