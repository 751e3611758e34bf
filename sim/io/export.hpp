#pragma once
// Any file pocsim writes as one tidy table (long format): a row per value, with the dataset, its units,
// its coordinate along each of its dimensions (read from the file's dimension scales, io/hdf5.hpp) and
// the value — what spreadsheets, R and pandas read without knowing HDF5. docs/outputs.md.
#include <string>
#include <vector>

namespace pocsim::io {

// The CSV: columns dataset, units, then every dimension name met (in order of first use), then value;
// a dimension a dataset does not have is left empty, as is a value that is NaN. Datasets that are
// coordinates are not rows. `groups` limits it to datasets under those groups ("" or "/" the whole file);
// empty: every group except /snapshots (the grid maps, a row per cell). Throws Hdf5Error for a file that
// cannot be read, std::invalid_argument for a group that is not in it.
std::string export_csv(const std::string& path, const std::vector<std::string>& groups);

}  // namespace pocsim::io
