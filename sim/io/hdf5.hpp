#pragma once
// A thin RAII layer over the HDF5 C API: just what pocsim writes and reads back (scalar and string
// attributes, appendable 1-D series, appendable compressed 3-D stacks, whole-dataset reads).
// Every failure throws Hdf5Error naming the object and the operation.
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <hdf5.h>

namespace pocsim::io {

class Hdf5Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The output's name was taken by another process while this one was writing: nothing is wrong with the
// disk, and the result is kept under another name (the message says which).
class OutputTakenError : public Hdf5Error {
 public:
  using Hdf5Error::Hdf5Error;
};

// Throws Hdf5Error "HDF5: cannot <what> (<the cause HDF5 recorded>)" when an HDF5 call returned an error.
void check_status(herr_t rc, const std::string& what);

// Owns one HDF5 identifier and closes it with the right function.
class Handle {
 public:
  Handle() = default;
  explicit Handle(hid_t id) : id_(id) {}
  Handle(Handle&& o) noexcept : id_(o.id_) { o.id_ = H5I_INVALID_HID; }
  Handle& operator=(Handle&& o) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { close(); }
  void close();
  [[nodiscard]] hid_t id() const { return id_; }
  [[nodiscard]] bool valid() const { return id_ >= 0; }

 private:
  hid_t id_ = H5I_INVALID_HID;
};

Handle create_file(const std::string& path);
Handle open_file_read(const std::string& path);
Handle open_file_write(const std::string& path);  // an existing file, to add to it
Handle create_group(hid_t parent, const std::string& name);
Handle open_object(hid_t parent, const std::string& path);

void set_attribute(hid_t obj, const std::string& name, const std::string& value);
void set_attribute(hid_t obj, const std::string& name, std::int64_t value);
void set_attribute(hid_t obj, const std::string& name, double value);
void set_attribute(hid_t obj, const std::string& name, const std::vector<std::string>& values);
void set_attribute(hid_t obj, const std::string& name, const std::vector<double>& values);
std::vector<std::string> get_string_list_attribute(hid_t obj, const std::string& name);
std::string get_string_attribute(hid_t obj, const std::string& name);
std::int64_t get_int_attribute(hid_t obj, const std::string& name);
double get_double_attribute(hid_t obj, const std::string& name);
bool has_attribute(hid_t obj, const std::string& name);

// A dataset of shape [n, row_shape...] that grows by whole rows along its first dimension: a time
// series when row_shape is empty, a series of vectors or matrices otherwise. Chunked, and
// deflate-compressed when `compress`.
template <class T>
class Series {
 public:
  Series(hid_t parent, const std::string& path, std::vector<hsize_t> row_shape, const std::string& units,
         const std::string& description, bool compress = false);
  // A series already in the file (a resumed run's): appends continue after its last row.
  Series(hid_t parent, const std::string& path);
  // Appends rows; values.size() must be a multiple of the row size.
  void append(const std::vector<T>& values);
  [[nodiscard]] hid_t id() const { return dataset_.id(); }
  [[nodiscard]] std::size_t row_size() const { return row_size_; }
  [[nodiscard]] std::int64_t rows() const { return static_cast<std::int64_t>(rows_); }

 private:
  Handle dataset_;
  std::vector<hsize_t> row_shape_;
  std::size_t row_size_ = 1;
  hsize_t rows_ = 0;
};

// A dataset of fixed shape written block by block in any order (an ensemble's runs as they finish).
// Chunked by `chunk`; unwritten elements read as `fill`.
template <class T>
class Array {
 public:
  Array(hid_t parent, const std::string& path, const std::vector<hsize_t>& shape, const std::vector<hsize_t>& chunk,
        T fill, const std::string& units, const std::string& description);
  // Writes the block of shape `count` at `start`; `values` holds it row-major.
  void write(const std::vector<hsize_t>& start, const std::vector<hsize_t>& count, const std::vector<T>& values);
  [[nodiscard]] hid_t id() const { return dataset_.id(); }

 private:
  Handle dataset_;
};

// Dimension scales (HDF5's high-level library; the netCDF-4 convention): a coordinate dataset names a
// dimension and holds its values, and the datasets along that dimension are attached to it, so netCDF
// readers (xarray's h5netcdf engine) give named dimensions with their labels instead of phony ones.
void make_dimension_scale(hid_t dataset, const std::string& name);
// The same, unless it is one already (a file begun earlier, resumed).
void ensure_dimension_scale(hid_t dataset, const std::string& name);
// Nothing if already attached, or if `dataset` is `scale` itself (a coordinate such as timeseries/step).
void attach_dimension_scale(hid_t dataset, hid_t scale, unsigned axis);
bool is_dimension_scale(hid_t dataset);
// A fixed 1-D dataset of UTF-8 strings (the labels along a dimension), written whole.
Handle write_strings(hid_t parent, const std::string& path, const std::vector<std::string>& values, const std::string& units,
                     const std::string& description);
// A fixed 1-D dataset of integers, written whole.
Handle write_int64(hid_t parent, const std::string& path, const std::vector<std::int64_t>& values, const std::string& units,
                   const std::string& description);

// Names the axes of fixed-shape datasets (comparisons, sweep stores, explanations) for netCDF readers:
// each axis name has one coordinate per group, `<group>/<name>`, made on first use from labels or numbers
// and made a dimension scale; attach() gives a dataset's axes those names, in order.
class Axes {
 public:
  explicit Axes(hid_t file) : file_(file) {}
  void labels(const std::string& group, const std::string& name, const std::vector<std::string>& values);
  void numbers(const std::string& group, const std::string& name, const std::vector<std::int64_t>& values);
  void count(const std::string& group, const std::string& name, std::size_t n);  // numbers 0 .. n - 1
  // Throws std::logic_error when a name has no coordinate in the dataset's group.
  void attach(hid_t dataset, const std::string& group, const std::vector<std::string>& names);

 private:
  // Makes `<group>/<name>` with `write` (given the path) unless it exists, and makes it a scale.
  void add(const std::string& group, const std::string& name, const std::function<Handle(const std::string&)>& write);
  hid_t file_;
  std::map<std::string, Handle> scales_;  // "group/name"
};

// Whether `path` ("a/b/c") names an object under `parent`.
bool has_object(hid_t parent, const std::string& path);

// A 1-D dataset of opaque bytes (a checkpoint's model state), written whole.
void write_bytes(hid_t parent, const std::string& path, const std::vector<std::uint8_t>& bytes, const std::string& description);

// Creates the groups on the way to `path` ("a/b/c" creates a and a/b) that do not exist yet.
void ensure_parent_groups(hid_t file, const std::string& path);

std::vector<std::int64_t> read_int64(hid_t parent, const std::string& path);
std::vector<double> read_double(hid_t parent, const std::string& path, std::vector<hsize_t>* dims = nullptr);
std::vector<std::uint8_t> read_uint8(hid_t parent, const std::string& path, std::vector<hsize_t>* dims = nullptr);

std::string hdf5_library_version();

// HDF5 as Debian builds it is not thread-safe: code that may call it while other threads might (reading a
// raster while loading scenarios in parallel, writing an ensemble's results) holds this lock.
std::mutex& library_lock();

}  // namespace pocsim::io
