#include "io/raster.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "io/hdf5.hpp"

namespace pocsim::io {

namespace {
namespace fs = std::filesystem;

bool parse_number(std::string text, double& out) {
  text.erase(0, text.find_first_not_of(" \t\r"));
  text.erase(text.find_last_not_of(" \t\r") + 1);
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (begin != end && *begin == '+') ++begin;
  const auto [ptr, ec] = std::from_chars(begin, end, out);
  return ec == std::errc() && ptr == end && std::isfinite(out);
}

// What a message may quote of a cell: a short value, not a line of some other file named by mistake.
std::string quoted_cell(const std::string& cell) {
  const bool printable = std::all_of(cell.begin(), cell.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
  if (cell.size() <= 16 && printable) return "'" + cell + "'";
  return "a value of " + std::to_string(cell.size()) + " characters";
}

// CSV rasters larger than this are refused before reading: a grid of that size belongs in HDF5.
constexpr std::uintmax_t max_csv_raster_bytes = std::uintmax_t{1} << 30;

Raster read_csv(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    throw RasterError(path.string(), fs::exists(path, ec) ? "is not a regular file" : "cannot read the raster file",
                      "give a CSV file path relative to the scenario file");
  if (fs::file_size(path, ec) > max_csv_raster_bytes)
    throw RasterError(path.string(), "is larger than 1 GiB", "store a raster this large as an HDF5 dataset (FILE.h5:DATASET)");
  std::ifstream in(path);
  if (!in) throw RasterError(path.string(), "cannot read the raster file", "give a CSV file path relative to the scenario file");
  Raster r;
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string at = path.string() + ":" + std::to_string(line_number);
    std::stringstream cells(line);
    std::string cell;
    int col = 0;
    while (std::getline(cells, cell, ',')) {
      ++col;
      double v = 0;
      if (!parse_number(cell, v))
        throw RasterError(at + ":" + std::to_string(col), quoted_cell(cell) + " is not a finite number", "write one number per cell");
      r.values.push_back(static_cast<float>(v));
    }
    if (r.rows == 0) r.cols = col;
    if (col != r.cols)
      throw RasterError(at, "this row has " + std::to_string(col) + " values, the first row " + std::to_string(r.cols),
                        "give every row the same number of values");
    ++r.rows;
  }
  return r;
}

Raster read_hdf5(const fs::path& path, const std::string& dataset) {
  const std::string where = path.string() + ":" + dataset;
  if (!fs::is_regular_file(path)) throw RasterError(where, "cannot read the raster file", "check the path of the HDF5 file");
  const std::lock_guard<std::mutex> lock(library_lock());
  try {
    const Handle file = open_file_read(path.string());
    std::vector<hsize_t> dims;
    const std::vector<double> values = read_double(file.id(), dataset, &dims);
    if (dims.size() != 2)
      throw RasterError(where, "the dataset has " + std::to_string(dims.size()) + " dimensions, not 2",
                        "store the raster as a [rows, columns] array");
    Raster r;
    r.rows = static_cast<int>(dims[0]);
    r.cols = static_cast<int>(dims[1]);
    for (double v : values) {
      if (!std::isfinite(v)) throw RasterError(where, "the dataset holds a value that is not finite", "replace NaN and infinities");
      r.values.push_back(static_cast<float>(v));
    }
    return r;
  } catch (const Hdf5Error&) {
    throw RasterError(where, "cannot read the dataset", "check the dataset path inside the file (h5ls -r FILE lists them)");
  }
}
}  // namespace

Raster read_raster(const std::string& source, const std::string& base_dir) {
  const auto h5 = source.find(".h5:");
  if (h5 != std::string::npos) return read_hdf5(fs::path(base_dir) / source.substr(0, h5 + 3), source.substr(h5 + 4));
  return read_csv(fs::path(base_dir) / source);
}

}  // namespace pocsim::io
