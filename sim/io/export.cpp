#include "io/export.hpp"

#include <hdf5_hl.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <map>
#include <stdexcept>

#include "core/text.hpp"
#include "io/hdf5.hpp"

namespace pocsim::io {

namespace {

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// A dataset's values as text, row-major: integers whole, reals shortest, NaN empty, strings as they are.
std::vector<std::string> values_as_text(hid_t dataset, const std::string& name) {
  Handle type(H5Dget_type(dataset));
  Handle space(H5Dget_space(dataset));
  const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.id()));
  std::vector<std::string> out;
  out.reserve(n);
  if (n == 0) return out;
  const H5T_class_t kind = H5Tget_class(type.id());
  if (kind == H5T_INTEGER) {
    std::vector<std::int64_t> v(n);
    check_status(H5Dread(dataset, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "read " + name);
    for (std::int64_t x : v) out.push_back(std::to_string(x));
  } else if (kind == H5T_FLOAT) {
    std::vector<double> v(n);
    check_status(H5Dread(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "read " + name);
    for (double x : v) out.push_back(std::isnan(x) ? std::string() : core::shortest(x));
  } else if (kind == H5T_STRING) {
    Handle text(H5Tcopy(H5T_C_S1));
    H5Tset_size(text.id(), H5T_VARIABLE);
    H5Tset_cset(text.id(), H5T_CSET_UTF8);
    std::vector<char*> v(n, nullptr);
    check_status(H5Dread(dataset, text.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), "read " + name);
    for (char* x : v) out.emplace_back(x ? x : "");
    H5Dvlen_reclaim(text.id(), space.id(), H5P_DEFAULT, v.data());
  } else {
    throw std::invalid_argument(name + " holds neither numbers nor text");
  }
  return out;
}

struct Axis {
  std::string name;
  std::vector<std::string> coordinates;
};

// The dimension scale attached to each axis: its name and values, or axis_<k> and 0, 1, ... without one.
std::vector<Axis> axes_of(hid_t dataset, const std::string& name) {
  Handle space(H5Dget_space(dataset));
  const int rank = H5Sget_simple_extent_ndims(space.id());
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr);
  std::vector<Axis> axes;
  for (int k = 0; k < rank; ++k) {
    Axis axis{"axis_" + std::to_string(k), {}};
    hid_t scale = -1;
    if (H5DSget_num_scales(dataset, static_cast<unsigned>(k)) > 0)
      H5DSiterate_scales(dataset, static_cast<unsigned>(k), nullptr, [](hid_t, unsigned, hid_t found, void* out) -> herr_t {
        H5Iinc_ref(found);  // the library closes its own reference when the iteration ends
        *static_cast<hid_t*>(out) = found;
        return 1;  // the first scale
      }, &scale);
    if (scale >= 0) {
      Handle owned(scale);
      char label[256] = {};
      if (H5DSget_scale_name(scale, label, sizeof label) > 0) axis.name = label;
      axis.coordinates = values_as_text(scale, name + " (its scale along axis " + std::to_string(k) + ")");
    }
    if (axis.coordinates.size() != dims[static_cast<std::size_t>(k)]) {
      axis.coordinates.clear();
      for (hsize_t i = 0; i < dims[static_cast<std::size_t>(k)]; ++i) axis.coordinates.push_back(std::to_string(i));
    }
    axes.push_back(std::move(axis));
  }
  return axes;
}

// A group as given ("/economy", "economy", "/") as a path inside the file ("economy", "").
std::string group_path(const std::string& given) { return given.substr(std::min(given.find_first_not_of('/'), given.size())); }

bool wanted(const std::string& path, const std::vector<std::string>& groups) {
  if (groups.empty()) return path.rfind("snapshots/", 0) != 0;
  for (const std::string& given : groups) {
    const std::string g = group_path(given);
    if (g.empty() || path.rfind(g + "/", 0) == 0) return true;
  }
  return false;
}

}  // namespace

std::string export_csv(const std::string& path, const std::vector<std::string>& groups) {
  const std::lock_guard<std::mutex> lock(library_lock());
  Handle file = open_file_read(path);
  for (const std::string& given : groups) {
    const std::string g = group_path(given);
    if (!g.empty() && !has_object(file.id(), g))
      throw std::invalid_argument("no group '" + g + "' in " + path);
  }
  std::vector<std::string> names;
  check_status(H5Ovisit(file.id(), H5_INDEX_NAME, H5_ITER_INC, [](hid_t, const char* name, const H5O_info_t* info, void* out) -> herr_t {
    if (info->type == H5O_TYPE_DATASET) static_cast<std::vector<std::string>*>(out)->push_back(name);
    return 0;
  }, &names), "list the datasets of " + path);

  struct Table {
    std::string name, units;
    std::vector<Axis> axes;
    std::vector<std::string> values;
  };
  std::vector<Table> tables;
  std::vector<std::string> columns;  // every dimension name, in order of first use
  for (const std::string& name : names) {
    if (!wanted(name, groups) || name.rfind("checkpoint/", 0) == 0) continue;
    Handle ds = open_object(file.id(), name);
    if (is_dimension_scale(ds.id())) continue;
    Table t{name, has_attribute(ds.id(), "units") ? get_string_attribute(ds.id(), "units") : "", axes_of(ds.id(), name),
            values_as_text(ds.id(), name)};
    for (const Axis& a : t.axes)
      if (std::find(columns.begin(), columns.end(), a.name) == columns.end()) columns.push_back(a.name);
    tables.push_back(std::move(t));
  }

  std::string out = "dataset,units";
  for (const std::string& c : columns) out += "," + csv_field(c);
  out += ",value\n";
  for (const Table& t : tables) {
    std::vector<std::size_t> at(columns.size(), columns.size());  // column -> the table's axis, or none
    for (std::size_t a = 0; a < t.axes.size(); ++a)
      at[static_cast<std::size_t>(std::find(columns.begin(), columns.end(), t.axes[a].name) - columns.begin())] = a;
    std::vector<std::size_t> index(t.axes.size(), 0);
    for (const std::string& value : t.values) {
      out += csv_field(t.name) + "," + csv_field(t.units);
      for (std::size_t c = 0; c < columns.size(); ++c)
        out += "," + (at[c] < t.axes.size() ? csv_field(t.axes[at[c]].coordinates[index[at[c]]]) : std::string());
      out += "," + csv_field(value) + "\n";
      for (std::size_t a = t.axes.size(); a-- > 0;) {  // row-major: the last axis moves fastest
        if (++index[a] < t.axes[a].coordinates.size()) break;
        index[a] = 0;
      }
    }
  }
  return out;
}

}  // namespace pocsim::io
