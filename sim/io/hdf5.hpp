#pragma once
// A thin RAII layer over the HDF5 C API: just what pocsim writes and reads back (scalar and string
// attributes, appendable 1-D series, appendable compressed 3-D stacks, whole-dataset reads).
// Every failure throws Hdf5Error naming the object and the operation.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <hdf5.h>

namespace pocsim::io {

class Hdf5Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

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
Handle create_group(hid_t parent, const std::string& name);
Handle open_object(hid_t parent, const std::string& path);

void set_attribute(hid_t obj, const std::string& name, const std::string& value);
void set_attribute(hid_t obj, const std::string& name, std::int64_t value);
void set_attribute(hid_t obj, const std::string& name, double value);
std::string get_string_attribute(hid_t obj, const std::string& name);
std::int64_t get_int_attribute(hid_t obj, const std::string& name);
bool has_attribute(hid_t obj, const std::string& name);

// A 1-D dataset that grows as values are appended.
template <class T>
class Series {
 public:
  Series(hid_t parent, const std::string& name, const std::string& units, const std::string& description);
  void append(const std::vector<T>& values);
  [[nodiscard]] hid_t id() const { return dataset_.id(); }

 private:
  Handle dataset_;
  hsize_t size_ = 0;
};

// A stack of 2-D byte layers [n, height, width], chunked one layer at a time and deflate-compressed.
class LayerStack {
 public:
  LayerStack(hid_t parent, const std::string& name, int height, int width, const std::string& description);
  void append(const std::vector<std::uint8_t>& layer);
  [[nodiscard]] hid_t id() const { return dataset_.id(); }

 private:
  Handle dataset_;
  hsize_t layers_ = 0;
  hsize_t height_;
  hsize_t width_;
};

std::vector<std::int64_t> read_int64(hid_t parent, const std::string& path);
std::vector<double> read_double(hid_t parent, const std::string& path);
std::vector<std::uint8_t> read_uint8(hid_t parent, const std::string& path, std::vector<hsize_t>* dims = nullptr);

std::string hdf5_library_version();

}  // namespace pocsim::io
