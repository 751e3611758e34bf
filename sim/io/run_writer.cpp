#include "io/run_writer.hpp"

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

RunWriter::~RunWriter() = default;  // without finish(): the pending file removes itself

void RunWriter::record(const std::vector<model::Quantity>& quantities) {
  for (const model::Quantity& q : quantities) {
    auto it = d_->columns.find(q.path);
    if (it == d_->columns.end()) {
      std::vector<hsize_t> shape;
      for (const auto& labels : q.labels) shape.push_back(labels.size());
      ensure_parent_groups(file_.id(), q.path);
      Column c;
      hid_t id = 0;
      if (q.integer) {
        auto s = std::make_unique<Series<std::int64_t>>(file_.id(), q.path, shape, q.units, q.description);
        id = s->id();
        c.series = std::move(s);
      } else {
        auto s = std::make_unique<Series<double>>(file_.id(), q.path, shape, q.units, q.description);
        id = s->id();
        c.series = std::move(s);
      }
      if (!q.dims.empty()) {
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
        ensure_parent_groups(file_.id(), path);
        auto series = std::make_unique<Series<std::int64_t>>(file_.id(), path, std::vector<hsize_t>{}, c.units, c.description, true);
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
  if (!d_->snapshot_step) {
    ensure_parent_groups(file_.id(), "snapshots/step");
    d_->snapshot_step = std::make_unique<Series<std::int64_t>>(file_.id(), "snapshots/step", std::vector<hsize_t>{}, "step",
                                                               "Step of each snapshot layer");
  }
  d_->snapshot_step->append({step});
  const std::vector<hsize_t> shape{static_cast<hsize_t>(height_), static_cast<hsize_t>(width_)};
  for (const model::Layer& layer : layers) {
    auto it = d_->layers.find(layer.path);
    if (it == d_->layers.end()) {
      ensure_parent_groups(file_.id(), layer.path);
      if (!layer.codes.empty())
        it = d_->layers.emplace(layer.path, std::make_unique<Series<std::uint8_t>>(file_.id(), layer.path, shape, layer.units,
                                                                                  layer.description, true)).first;
      else
        it = d_->layers.emplace(layer.path, std::make_unique<Series<float>>(file_.id(), layer.path, shape, layer.units,
                                                                           layer.description, true)).first;
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
