#include "io/run_writer.hpp"

#include <cstdio>
#include <filesystem>
#include <variant>


#include "io/hdf5.hpp"

namespace pocsim::io {

namespace {
constexpr std::size_t flush_every = 1024;  // steps buffered before an append

struct Column {
  std::variant<std::unique_ptr<Series<std::int64_t>>, std::unique_ptr<Series<double>>> series;
  std::vector<std::int64_t> integers;  // buffered rows
  std::vector<double> reals;
};
}  // namespace

struct RunWriter::Datasets {
  std::map<std::string, Column> columns;
  std::vector<std::string> order;  // first-record order, for flushing deterministically
  std::unique_ptr<Series<std::int64_t>> snapshot_step;
  std::map<std::string, std::variant<std::unique_ptr<Series<std::uint8_t>>, std::unique_ptr<Series<float>>>> layers;
  // Tables: per "table/column" path, its dataset and the rows buffered since the last flush.
  std::map<std::string, std::pair<std::unique_ptr<Series<std::int64_t>>, std::vector<std::int64_t>>> table_columns;
};

RunWriter::RunWriter(std::string path, const RunProvenance& provenance, int grid_height, int grid_width)
    : file_(std::move(path)), height_(grid_height), width_(grid_width) {
  write_provenance(file_.id(), provenance);
  d_ = std::make_unique<Datasets>();
}

RunWriter::RunWriter(std::string path, const std::string& checkpoint, int grid_height, int grid_width)
    : file_(std::move(path), checkpoint), height_(grid_height), width_(grid_width) {
  remove_checkpoint_group(file_.id());
  d_ = std::make_unique<Datasets>();
}

RunWriter::~RunWriter() = default;

template <class S, class Create>
std::unique_ptr<S> RunWriter::open_or_create(const std::string& path, Create&& create) {
  if (has_object(file_.id(), path)) return std::make_unique<S>(file_.id(), path);
  ensure_parent_groups(file_.id(), path);
  return create();
}

void RunWriter::set_steering(const std::string& steering_json, std::int64_t saved_at_step) {
  set_attribute(file_.id(), "steering", steering_json);
  set_attribute(file_.id(), "steered_steps", saved_at_step);
}

void RunWriter::note_resumed(const std::string& command, std::int64_t step) {
  std::vector<std::string> resumed;
  if (has_attribute(file_.id(), "resumed")) resumed = get_string_list_attribute(file_.id(), "resumed");
  resumed.push_back("after step " + std::to_string(step) + " at " + utc_now_iso8601() + " by: " + command);
  set_attribute(file_.id(), "resumed", resumed);
}

void RunWriter::checkpoint(const std::string& checkpoint_path, const RunCheckpoint& state) {
  flush();
  const std::string temp = temporary_path_for(checkpoint_path);
  try {
    file_.flush_and_copy_to(temp);
    {
      Handle copy = open_file_write(temp);
      write_checkpoint_group(copy.id(), state);
    }
    std::filesystem::rename(temp, checkpoint_path);
  } catch (...) {
    std::remove(temp.c_str());
    throw;
  }
}  // without finish(): the pending file removes itself

void RunWriter::record(const std::vector<model::Quantity>& quantities) {
  for (const model::Quantity& q : quantities) {
    auto it = d_->columns.find(q.path);
    if (it == d_->columns.end()) {
      std::vector<hsize_t> shape;
      for (const auto& labels : q.labels) shape.push_back(labels.size());
      const bool resumed = has_object(file_.id(), q.path);
      Column c;
      hid_t id = 0;
      if (q.integer) {
        auto s = open_or_create<Series<std::int64_t>>(q.path, [&] {
          return std::make_unique<Series<std::int64_t>>(file_.id(), q.path, shape, q.units, q.description);
        });
        id = s->id();
        c.series = std::move(s);
      } else {
        auto s = open_or_create<Series<double>>(q.path, [&] {
          return std::make_unique<Series<double>>(file_.id(), q.path, shape, q.units, q.description);
        });
        id = s->id();
        c.series = std::move(s);
      }
      if (!q.dims.empty() && !resumed) {
        set_attribute(id, "dimensions", [&] {
          std::vector<std::string> dims{"step"};
          dims.insert(dims.end(), q.dims.begin(), q.dims.end());
          return dims;
        }());
        for (std::size_t k = 0; k < q.dims.size(); ++k) set_attribute(id, "labels_" + q.dims[k], q.labels[k]);
      }
      it = d_->columns.emplace(q.path, std::move(c)).first;
      d_->order.push_back(q.path);
    }
    Column& c = it->second;
    if (q.integer)
      for (double v : q.values) c.integers.push_back(static_cast<std::int64_t>(v));
    else
      c.reals.insert(c.reals.end(), q.values.begin(), q.values.end());
  }
  if (++pending_steps_ >= flush_every) flush();
}

void RunWriter::append_rows(const std::vector<model::Table>& tables) {
  for (const model::Table& t : tables) {
    for (const model::TableColumn& c : t.columns) {
      const std::string path = t.path + "/" + c.name;
      auto it = d_->table_columns.find(path);
      if (it == d_->table_columns.end()) {
        auto series = open_or_create<Series<std::int64_t>>(path, [&] {
          return std::make_unique<Series<std::int64_t>>(file_.id(), path, std::vector<hsize_t>{}, c.units, c.description, true);
        });
        it = d_->table_columns.emplace(path, std::make_pair(std::move(series), std::vector<std::int64_t>{})).first;
        Handle group = open_object(file_.id(), t.path);
        if (!has_attribute(group.id(), "description")) set_attribute(group.id(), "description", t.description);
      }
      it->second.second.insert(it->second.second.end(), c.values.begin(), c.values.end());
    }
  }
}

void RunWriter::flush() {
  for (auto& [path, column] : d_->table_columns) {
    column.first->append(column.second);
    column.second.clear();
  }
  for (const std::string& path : d_->order) {
    Column& c = d_->columns.at(path);
    if (auto* s = std::get_if<std::unique_ptr<Series<std::int64_t>>>(&c.series)) (*s)->append(c.integers);
    if (auto* s = std::get_if<std::unique_ptr<Series<double>>>(&c.series)) (*s)->append(c.reals);
    c.integers.clear();
    c.reals.clear();
  }
  pending_steps_ = 0;
}

void RunWriter::snapshot(std::int64_t step, const std::vector<model::Layer>& layers) {
  if (!d_->snapshot_step)
    d_->snapshot_step = open_or_create<Series<std::int64_t>>("snapshots/step", [&] {
      return std::make_unique<Series<std::int64_t>>(file_.id(), "snapshots/step", std::vector<hsize_t>{}, "step",
                                                    "Step of each snapshot layer");
    });
  d_->snapshot_step->append({step});
  const std::vector<hsize_t> shape{static_cast<hsize_t>(height_), static_cast<hsize_t>(width_)};
  for (const model::Layer& layer : layers) {
    auto it = d_->layers.find(layer.path);
    if (it == d_->layers.end()) {
      if (!layer.codes.empty())
        it = d_->layers.emplace(layer.path, open_or_create<Series<std::uint8_t>>(layer.path, [&] {
               return std::make_unique<Series<std::uint8_t>>(file_.id(), layer.path, shape, layer.units, layer.description, true);
             })).first;
      else
        it = d_->layers.emplace(layer.path, open_or_create<Series<float>>(layer.path, [&] {
               return std::make_unique<Series<float>>(file_.id(), layer.path, shape, layer.units, layer.description, true);
             })).first;
    }
    if (auto* s = std::get_if<std::unique_ptr<Series<std::uint8_t>>>(&it->second)) (*s)->append(layer.codes);
    if (auto* s = std::get_if<std::unique_ptr<Series<float>>>(&it->second)) (*s)->append(layer.values);
  }
}

void RunWriter::finish(double wall_seconds) {
  flush();
  d_.reset();
  file_.close_complete(wall_seconds);
}

std::string RunWriter::finish_incomplete(double wall_seconds) {
  flush();
  d_.reset();
  return file_.close_incomplete(wall_seconds);
}

}  // namespace pocsim::io
