#pragma once
// Raster layers a scenario names: a CSV file (one row of comma-separated numbers per grid row, row 0
// first) or a 2-D dataset in an HDF5 file, written "file.h5:/path/to/dataset". Read whole into floats.
#include <stdexcept>
#include <string>
#include <vector>

namespace pocsim::io {

struct Raster {
  std::vector<float> values;  // row-major
  int rows = 0;
  int cols = 0;
};

// A problem with a raster: where (file, file:line or file:line:column) and what, with a fix.
class RasterError : public std::runtime_error {
 public:
  RasterError(std::string where, const std::string& message, std::string hint)
      : std::runtime_error(message), where_(std::move(where)), hint_(std::move(hint)) {}
  [[nodiscard]] const std::string& where() const { return where_; }
  [[nodiscard]] const std::string& hint() const { return hint_; }

 private:
  std::string where_;
  std::string hint_;
};

// `source` is "path.csv" or "path.h5:/dataset"; a relative path is taken relative to `base_dir`.
// Every value must be finite; CSV rows must all have the same length.
Raster read_raster(const std::string& source, const std::string& base_dir);

}  // namespace pocsim::io
