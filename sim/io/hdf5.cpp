#include "io/hdf5.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

#include <hdf5_hl.h>

namespace pocsim::io {

namespace {

// pocsim closes every file it completes, checking each step. A file it abandons after a failed write (a
// full disk) cannot be closed: HDF5 1.10 would retry, and crash, in its exit handler. Without the handler
// the operating system closes it, and the abandoned file has already been removed by then.
const bool no_exit_handler = [] { return H5dont_atexit() >= 0; }();

// The innermost message on HDF5's error stack: the one that names the cause ("... errno = 28, error message
// = 'No space left on device'" for a full disk), where the outer ones only repeat what was being done.
std::string innermost_error() {
  std::string message;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, [](unsigned n, const H5E_error2_t* e, void* out) -> herr_t {
    if (n == 0 && e->desc) *static_cast<std::string*>(out) = e->desc;
    return 0;
  }, &message);
  H5Eclear2(H5E_DEFAULT);
  // A failed system call's description is long (time, buffer, offsets): keep the system's own words.
  const std::string marker = "error message = '";
  if (const auto at = message.find(marker); at != std::string::npos) {
    const auto from = at + marker.size();
    message = message.substr(from, message.find('\'', from) - from);
  }
  return message;
}

[[noreturn]] void fail(const std::string& what) {
  const std::string cause = innermost_error();
  throw Hdf5Error("HDF5: cannot " + what + (cause.empty() ? "" : " (" + cause + ")"));
}

hid_t check(hid_t id, const std::string& what) {
  if (id < 0) fail(what);
  return id;
}
void check(herr_t rc, const std::string& what) {
  if (rc < 0) fail(what);
}

template <class T>
hid_t native_type();
template <>
hid_t native_type<std::int64_t>() { return H5T_NATIVE_INT64; }
template <>
hid_t native_type<double>() { return H5T_NATIVE_DOUBLE; }
template <>
hid_t native_type<std::uint8_t>() { return H5T_NATIVE_UINT8; }
template <>
hid_t native_type<float>() { return H5T_NATIVE_FLOAT; }

Handle utf8_string_type() {
  Handle t(check(H5Tcopy(H5T_C_S1), "copy string type"));
  check(H5Tset_size(t.id(), H5T_VARIABLE), "set string size");
  check(H5Tset_cset(t.id(), H5T_CSET_UTF8), "set string encoding");
  return t;
}

void write_scalar_attribute(hid_t obj, const std::string& name, hid_t type, const void* value) {
  if (H5Aexists(obj, name.c_str()) > 0) check(H5Adelete(obj, name.c_str()), "replace attribute " + name);
  Handle space(check(H5Screate(H5S_SCALAR), "create dataspace"));
  Handle attr(check(H5Acreate2(obj, name.c_str(), type, space.id(), H5P_DEFAULT, H5P_DEFAULT), "create attribute " + name));
  check(H5Awrite(attr.id(), type, value), "write attribute " + name);
}

template <class T>
std::vector<T> read_all(hid_t parent, const std::string& path, std::vector<hsize_t>* dims_out = nullptr) {
  Handle ds(check(H5Dopen2(parent, path.c_str(), H5P_DEFAULT), "open dataset " + path));
  Handle space(check(H5Dget_space(ds.id()), "get dataspace of " + path));
  const int rank = H5Sget_simple_extent_ndims(space.id());
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr);
  hsize_t n = 1;
  for (hsize_t d : dims) n *= d;
  std::vector<T> out(n);
  if (n) check(H5Dread(ds.id(), native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), "read " + path);
  if (dims_out) *dims_out = dims;
  return out;
}

}  // namespace

void check_status(herr_t rc, const std::string& what) { check(rc, what); }

Handle& Handle::operator=(Handle&& o) noexcept {
  if (this != &o) {
    close();
    id_ = o.id_;
    o.id_ = H5I_INVALID_HID;
  }
  return *this;
}

void Handle::close() {
  if (id_ < 0) return;
  switch (H5Iget_type(id_)) {
    case H5I_FILE: H5Fclose(id_); break;
    case H5I_GROUP: H5Gclose(id_); break;
    case H5I_DATASET: H5Dclose(id_); break;
    case H5I_DATASPACE: H5Sclose(id_); break;
    case H5I_DATATYPE: H5Tclose(id_); break;
    case H5I_ATTR: H5Aclose(id_); break;
    case H5I_GENPROP_LST: H5Pclose(id_); break;
    default: H5Idec_ref(id_); break;
  }
  id_ = H5I_INVALID_HID;
}

// HDF5 prints its own error stack to stderr by default; pocsim reports errors itself.
void silence_library_errors() {
  static const bool silenced = [] { return H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr) >= 0; }();
  (void)silenced;
}

Handle create_file(const std::string& path) {
  silence_library_errors();
  // The 1.8 file format at least: attributes larger than 64 KiB (a sweep's list of failed runs, a long
  // scenario) go to dense storage instead of failing. Every HDF5 1.8+ reader, h5py included, reads it.
  Handle access(check(H5Pcreate(H5P_FILE_ACCESS), "create file access properties"));
  check(H5Pset_libver_bounds(access.id(), H5F_LIBVER_V18, H5F_LIBVER_LATEST), "set the file format of " + path);
  return Handle(check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.id()), "create file " + path));
}

Handle open_file_read(const std::string& path) {
  silence_library_errors();
  return Handle(check(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open file " + path));
}

Handle open_file_write(const std::string& path) {
  silence_library_errors();
  return Handle(check(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), "open file " + path + " for writing"));
}

Handle create_group(hid_t parent, const std::string& name) {
  return Handle(check(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "create group " + name));
}

Handle open_object(hid_t parent, const std::string& path) {
  return Handle(check(H5Oopen(parent, path.c_str(), H5P_DEFAULT), "open " + path));
}

void set_attribute(hid_t obj, const std::string& name, const std::string& value) {
  const Handle type = utf8_string_type();
  const char* data = value.c_str();
  write_scalar_attribute(obj, name, type.id(), &data);
}

void set_attribute(hid_t obj, const std::string& name, std::int64_t value) {
  write_scalar_attribute(obj, name, H5T_NATIVE_INT64, &value);
}

void set_attribute(hid_t obj, const std::string& name, double value) {
  write_scalar_attribute(obj, name, H5T_NATIVE_DOUBLE, &value);
}

bool has_attribute(hid_t obj, const std::string& name) { return H5Aexists(obj, name.c_str()) > 0; }

std::string get_string_attribute(hid_t obj, const std::string& name) {
  Handle attr(check(H5Aopen(obj, name.c_str(), H5P_DEFAULT), "open attribute " + name));
  const Handle type = utf8_string_type();
  char* data = nullptr;
  check(H5Aread(attr.id(), type.id(), &data), "read attribute " + name);
  std::string out = data ? data : "";
  H5free_memory(data);
  return out;
}

std::int64_t get_int_attribute(hid_t obj, const std::string& name) {
  Handle attr(check(H5Aopen(obj, name.c_str(), H5P_DEFAULT), "open attribute " + name));
  std::int64_t v = 0;
  check(H5Aread(attr.id(), H5T_NATIVE_INT64, &v), "read attribute " + name);
  return v;
}

double get_double_attribute(hid_t obj, const std::string& name) {
  Handle attr(check(H5Aopen(obj, name.c_str(), H5P_DEFAULT), "open attribute " + name));
  double v = 0;
  check(H5Aread(attr.id(), H5T_NATIVE_DOUBLE, &v), "read attribute " + name);
  return v;
}

template <class T>
Series<T>::Series(hid_t parent, const std::string& path, std::vector<hsize_t> row_shape, const std::string& units,
                  const std::string& description, bool compress)
    : row_shape_(std::move(row_shape)) {
  for (hsize_t d : row_shape_) row_size_ *= d;
  std::vector<hsize_t> initial{0};
  std::vector<hsize_t> max{H5S_UNLIMITED};
  // At most 64 KiB and 1024 rows (the writer's flush block) per chunk, at least one row. A chunk is
  // written whole even when partly filled, so chunks much longer than a run would fill make every file
  // large: a scalar series of a short run holds one chunk of 8 KiB, not a mebibyte.
  const hsize_t bytes_per_row = std::max<hsize_t>(1, row_size_ * sizeof(T));
  std::vector<hsize_t> chunk{std::clamp<hsize_t>((64u << 10) / bytes_per_row, 1, 1024)};
  for (hsize_t d : row_shape_) {
    initial.push_back(d);
    max.push_back(d);
    chunk.push_back(std::max<hsize_t>(1, d));  // HDF5 chunk dimensions must be positive
  }
  if (bytes_per_row > (4u << 20) && row_shape_.size() >= 2) chunk[1] = std::max<hsize_t>(1, (4u << 20) / (bytes_per_row / row_shape_[0]));
  const int rank = static_cast<int>(initial.size());
  Handle space(check(H5Screate_simple(rank, initial.data(), max.data()), "create dataspace for " + path));
  Handle props(check(H5Pcreate(H5P_DATASET_CREATE), "create properties"));
  check(H5Pset_chunk(props.id(), rank, chunk.data()), "set chunking of " + path);
  if (compress && H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0) check(H5Pset_deflate(props.id(), 4), "enable compression");
  dataset_ = Handle(check(H5Dcreate2(parent, path.c_str(), native_type<T>(), space.id(), H5P_DEFAULT, props.id(), H5P_DEFAULT),
                          "create dataset " + path));
  set_attribute(dataset_.id(), "units", units);
  set_attribute(dataset_.id(), "description", description);
}

template <class T>
Series<T>::Series(hid_t parent, const std::string& path)
    : dataset_(check(H5Dopen2(parent, path.c_str(), H5P_DEFAULT), "open dataset " + path)) {
  Handle space(check(H5Dget_space(dataset_.id()), "get dataspace of " + path));
  const int rank = H5Sget_simple_extent_ndims(space.id());
  if (rank < 1) throw Hdf5Error("HDF5: " + path + " is not a series");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr);
  rows_ = dims[0];
  row_shape_.assign(dims.begin() + 1, dims.end());
  for (hsize_t d : row_shape_) row_size_ *= d;
}

template <class T>
void Series<T>::append(const std::vector<T>& values) {
  if (values.empty() || row_size_ == 0) return;  // rows of no values hold nothing to write
  if (values.size() % row_size_ != 0) throw Hdf5Error("HDF5: appended values do not fill whole rows");
  const hsize_t count_rows = values.size() / row_size_;
  std::vector<hsize_t> new_size{rows_ + count_rows};
  std::vector<hsize_t> start{rows_};
  std::vector<hsize_t> count{count_rows};
  for (hsize_t d : row_shape_) {
    new_size.push_back(d);
    start.push_back(0);
    count.push_back(d);
  }
  check(H5Dset_extent(dataset_.id(), new_size.data()), "extend dataset");
  Handle file_space(check(H5Dget_space(dataset_.id()), "get dataspace"));
  check(H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr), "select rows");
  Handle mem_space(check(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), "create memory dataspace"));
  check(H5Dwrite(dataset_.id(), native_type<T>(), mem_space.id(), file_space.id(), H5P_DEFAULT, values.data()),
        "write dataset");
  rows_ += count_rows;
}

template <class T>
Array<T>::Array(hid_t parent, const std::string& path, const std::vector<hsize_t>& shape, const std::vector<hsize_t>& chunk,
                T fill, const std::string& units, const std::string& description) {
  const int rank = static_cast<int>(shape.size());
  std::vector<hsize_t> chunk_dims(chunk);
  for (std::size_t i = 0; i < chunk_dims.size(); ++i) chunk_dims[i] = std::max<hsize_t>(1, std::min(chunk_dims[i], shape[i]));
  Handle space(check(H5Screate_simple(rank, shape.data(), nullptr), "create dataspace for " + path));
  Handle props(check(H5Pcreate(H5P_DATASET_CREATE), "create properties"));
  check(H5Pset_chunk(props.id(), rank, chunk_dims.data()), "set chunking of " + path);
  check(H5Pset_fill_value(props.id(), native_type<T>(), &fill), "set fill value of " + path);
  if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0) check(H5Pset_deflate(props.id(), 4), "enable compression");
  dataset_ = Handle(check(H5Dcreate2(parent, path.c_str(), native_type<T>(), space.id(), H5P_DEFAULT, props.id(), H5P_DEFAULT),
                          "create dataset " + path));
  set_attribute(dataset_.id(), "units", units);
  set_attribute(dataset_.id(), "description", description);
}

template <class T>
void Array<T>::write(const std::vector<hsize_t>& start, const std::vector<hsize_t>& count, const std::vector<T>& values) {
  hsize_t size = 1;
  for (hsize_t c : count) size *= c;
  if (values.size() != size) throw Hdf5Error("HDF5: a block's values do not match its shape");
  Handle file_space(check(H5Dget_space(dataset_.id()), "get dataspace"));
  check(H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr), "select block");
  Handle mem_space(check(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), "create memory dataspace"));
  check(H5Dwrite(dataset_.id(), native_type<T>(), mem_space.id(), file_space.id(), H5P_DEFAULT, values.data()),
        "write dataset");
}

template class Array<double>;
template class Array<std::uint8_t>;
template class Array<std::int64_t>;

template class Series<std::int64_t>;
template class Series<double>;
template class Series<float>;
template class Series<std::uint8_t>;

void make_dimension_scale(hid_t dataset, const std::string& name) {
  check(H5DSset_scale(dataset, name.c_str()), "make " + name + " a dimension scale");
}

void attach_dimension_scale(hid_t dataset, hid_t scale, unsigned axis) {
  if (dataset == scale || H5DSis_attached(dataset, scale, axis) > 0) return;  // a coordinate is its own scale
  check(H5DSattach_scale(dataset, scale, axis), "attach a dimension scale to axis " + std::to_string(axis));
}

bool is_dimension_scale(hid_t dataset) { return H5DSis_scale(dataset) > 0; }

void ensure_dimension_scale(hid_t dataset, const std::string& name) {
  if (!is_dimension_scale(dataset)) make_dimension_scale(dataset, name);
}

namespace {
Handle write_whole(hid_t parent, const std::string& path, hid_t type, hsize_t n, const void* data, const std::string& units,
                   const std::string& description) {
  Handle space(check(H5Screate_simple(1, &n, nullptr), "create dataspace for " + path));
  Handle ds(check(H5Dcreate2(parent, path.c_str(), type, space.id(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                  "create dataset " + path));
  if (n) check(H5Dwrite(ds.id(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "write " + path);
  set_attribute(ds.id(), "units", units);
  set_attribute(ds.id(), "description", description);
  return ds;
}
}  // namespace

Handle write_strings(hid_t parent, const std::string& path, const std::vector<std::string>& values, const std::string& units,
                     const std::string& description) {
  const Handle type = utf8_string_type();
  std::vector<const char*> data;
  for (const std::string& v : values) data.push_back(v.c_str());
  return write_whole(parent, path, type.id(), data.size(), data.data(), units, description);
}

Handle write_int64(hid_t parent, const std::string& path, const std::vector<std::int64_t>& values, const std::string& units,
                   const std::string& description) {
  return write_whole(parent, path, H5T_NATIVE_INT64, values.size(), values.data(), units, description);
}

void Axes::add(const std::string& group, const std::string& name, const std::function<Handle(const std::string&)>& write) {
  const std::string path = group.empty() ? name : group + "/" + name;
  if (scales_.count(path)) return;
  Handle scale = write(path);
  make_dimension_scale(scale.id(), name);
  scales_.emplace(path, std::move(scale));
}

void Axes::labels(const std::string& group, const std::string& name, const std::vector<std::string>& values) {
  add(group, name, [&](const std::string& path) { return write_strings(file_, path, values, "label", "Labels along the dimension '" + name + "'"); });
}

void Axes::numbers(const std::string& group, const std::string& name, const std::vector<std::int64_t>& values) {
  add(group, name, [&](const std::string& path) { return write_int64(file_, path, values, "", "Index along the dimension '" + name + "'"); });
}

void Axes::count(const std::string& group, const std::string& name, std::size_t n) {
  std::vector<std::int64_t> values(n);
  for (std::size_t i = 0; i < n; ++i) values[i] = static_cast<std::int64_t>(i);
  numbers(group, name, values);
}

void Axes::attach(hid_t dataset, const std::string& group, const std::vector<std::string>& names) {
  for (std::size_t axis = 0; axis < names.size(); ++axis) {
    const std::string path = group.empty() ? names[axis] : group + "/" + names[axis];
    const auto it = scales_.find(path);
    if (it == scales_.end()) throw std::logic_error("io::Axes: no coordinate " + path);
    attach_dimension_scale(dataset, it->second.id(), static_cast<unsigned>(axis));
  }
}

bool has_object(hid_t parent, const std::string& path) {
  // H5Lexists fails rather than answering when a group on the way is missing: test each prefix.
  for (auto slash = path.find('/'); ; slash = path.find('/', slash + 1)) {
    const std::string prefix = path.substr(0, slash);
    if (H5Lexists(parent, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
    if (slash == std::string::npos) return true;
  }
}

void write_bytes(hid_t parent, const std::string& path, const std::vector<std::uint8_t>& bytes, const std::string& description) {
  const hsize_t n = bytes.size();
  Handle space(check(H5Screate_simple(1, &n, nullptr), "create dataspace for " + path));
  Handle ds(check(H5Dcreate2(parent, path.c_str(), H5T_NATIVE_UINT8, space.id(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                  "create dataset " + path));
  if (n) check(H5Dwrite(ds.id(), H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()), "write " + path);
  set_attribute(ds.id(), "description", description);
}

void ensure_parent_groups(hid_t file, const std::string& path) {
  for (auto slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1)) {
    const std::string group = path.substr(0, slash);
    if (H5Lexists(file, group.c_str(), H5P_DEFAULT) <= 0) create_group(file, group);
  }
}

void set_attribute(hid_t obj, const std::string& name, const std::vector<std::string>& values) {
  if (H5Aexists(obj, name.c_str()) > 0) check(H5Adelete(obj, name.c_str()), "replace attribute " + name);
  const Handle type = utf8_string_type();
  std::vector<const char*> data;
  for (const std::string& v : values) data.push_back(v.c_str());
  const hsize_t n = data.size();
  Handle space(check(H5Screate_simple(1, &n, nullptr), "create dataspace"));
  Handle attr(check(H5Acreate2(obj, name.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT), "create attribute " + name));
  if (n) check(H5Awrite(attr.id(), type.id(), data.data()), "write attribute " + name);
}

void set_attribute(hid_t obj, const std::string& name, const std::vector<double>& values) {
  if (H5Aexists(obj, name.c_str()) > 0) check(H5Adelete(obj, name.c_str()), "replace attribute " + name);
  const hsize_t n = values.size();
  Handle space(check(H5Screate_simple(1, &n, nullptr), "create dataspace"));
  Handle attr(check(H5Acreate2(obj, name.c_str(), H5T_NATIVE_DOUBLE, space.id(), H5P_DEFAULT, H5P_DEFAULT), "create attribute " + name));
  if (n) check(H5Awrite(attr.id(), H5T_NATIVE_DOUBLE, values.data()), "write attribute " + name);
}

std::vector<std::string> get_string_list_attribute(hid_t obj, const std::string& name) {
  Handle attr(check(H5Aopen(obj, name.c_str(), H5P_DEFAULT), "open attribute " + name));
  Handle space(check(H5Aget_space(attr.id()), "get dataspace of attribute " + name));
  const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.id()));
  const Handle type = utf8_string_type();
  std::vector<char*> data(n, nullptr);
  if (n) check(H5Aread(attr.id(), type.id(), data.data()), "read attribute " + name);
  std::vector<std::string> out;
  for (char* d : data) {
    out.emplace_back(d ? d : "");
    H5free_memory(d);
  }
  return out;
}

std::vector<std::int64_t> read_int64(hid_t parent, const std::string& path) { return read_all<std::int64_t>(parent, path); }
std::vector<double> read_double(hid_t parent, const std::string& path, std::vector<hsize_t>* dims) {
  return read_all<double>(parent, path, dims);
}
std::vector<std::uint8_t> read_uint8(hid_t parent, const std::string& path, std::vector<hsize_t>* dims) {
  return read_all<std::uint8_t>(parent, path, dims);
}

std::mutex& library_lock() {
  static std::mutex lock;
  return lock;
}

std::string hdf5_library_version() {
  unsigned major = 0;
  unsigned minor = 0;
  unsigned release = 0;
  H5get_libversion(&major, &minor, &release);
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(release);
}

}  // namespace pocsim::io
