#include "io/run_writer.hpp"

#include <cstdio>
#include <stdexcept>
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

std::string group_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}
std::string child(const std::string& group, const std::string& name) { return group.empty() ? name : group + "/" + name; }

// A table's rows are numbered along a dimension named for one of them ('event' for violence/events).
std::string row_dimension(const std::string& table) {
  const std::string last = table.substr(table.rfind('/') + 1);
  return last.size() > 1 && last.back() == 's' ? last.substr(0, last.size() - 1) : "row";
}
}  // namespace

// Every dataset is attached to dimension scales (io/hdf5.hpp): each group of step series to its 'step'
// (timeseries/step is recorded anyway; the other groups get a copy of it), each labelled dimension to its
// labels, each table to its row numbers, the snapshots to their steps, rows and columns.
struct RunWriter::Scales {
  std::map<std::string, std::unique_ptr<Series<std::int64_t>>> steps;         // group -> the 'step' series written for it
  std::map<std::string, std::pair<Handle, std::vector<std::string>>> labels;  // "group/dimension" -> its scale and labels
  std::vector<std::int64_t> pending_steps;                                    // steps recorded since the last flush
  struct TableRows {
    std::unique_ptr<Series<std::int64_t>> index;
    std::int64_t pending = 0;  // rows appended since the last flush
  };
  std::map<std::string, TableRows> tables;
};

struct RunWriter::Datasets {
  std::map<std::string, Column> columns;
  std::vector<std::string> order;  // first-record order, for flushing deterministically
  std::unique_ptr<Series<std::int64_t>> snapshot_step;
  Handle snapshot_rows, snapshot_columns;  // the snapshots' y and x
  std::map<std::string, std::variant<std::unique_ptr<Series<std::uint8_t>>, std::unique_ptr<Series<float>>>> layers;
  // Tables: per "table/column" path, its dataset and the rows buffered since the last flush.
  std::map<std::string, std::pair<std::unique_ptr<Series<std::int64_t>>, std::vector<std::int64_t>>> table_columns;
  Scales scales;
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
  struct Fresh {
    const model::Quantity* quantity;
    hid_t id;
  };
  std::vector<Fresh> fresh;
  const model::Quantity* step = nullptr;
  for (const model::Quantity& q : quantities) {
    if (q.path == "timeseries/step") step = &q;
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
      fresh.push_back({&q, id});
    }
    Column& c = it->second;
    if (q.integer)
      for (double v : q.values) c.integers.push_back(static_cast<std::int64_t>(v));
    else
      c.reals.insert(c.reals.end(), q.values.begin(), q.values.end());
  }
  if (!step || step->values.size() != 1) throw std::logic_error("RunWriter::record: a record without timeseries/step");
  d_->scales.pending_steps.push_back(static_cast<std::int64_t>(step->values[0]));
  // After the loop: a group's own 'step' quantity may come after the others of its group.
  for (const Fresh& f : fresh) {
    attach_dimension_scale(f.id, step_scale_of(group_of(f.quantity->path)), 0);
    for (std::size_t k = 0; k < f.quantity->dims.size(); ++k)
      attach_dimension_scale(f.id, label_scale(group_of(f.quantity->path), f.quantity->dims[k], f.quantity->labels[k]),
                             static_cast<unsigned>(k + 1));
  }
  if (++pending_steps_ >= flush_every) flush();
}

hid_t RunWriter::step_scale_of(const std::string& group) {
  const std::string path = child(group, "step");
  if (const auto own = d_->columns.find(path); own != d_->columns.end()) {
    const hid_t id = std::visit([](const auto& s) { return s->id(); }, own->second.series);
    ensure_dimension_scale(id, "step");
    return id;
  }
  auto& written = d_->scales.steps[group];
  if (!written) {
    written = open_or_create<Series<std::int64_t>>(path, [&] {
      auto s = std::make_unique<Series<std::int64_t>>(file_.id(), path, std::vector<hsize_t>{}, "step",
                                                      "Step of each record (the same as timeseries/step)");
      // A run resumed from a checkpoint written before files had scales: the steps recorded before it.
      if (has_object(file_.id(), "timeseries/step")) s->append(read_int64(file_.id(), "timeseries/step"));
      return s;
    });
    ensure_dimension_scale(written->id(), "step");
  }
  return written->id();
}

hid_t RunWriter::label_scale(const std::string& group, const std::string& dimension, const std::vector<std::string>& labels) {
  const std::string path = child(group, dimension);
  auto it = d_->scales.labels.find(path);
  if (it == d_->scales.labels.end()) {
    Handle scale;
    if (has_object(file_.id(), path))
      scale = open_object(file_.id(), path);  // a resumed run's, already attached to its quantities
    else
      scale = write_strings(file_.id(), path, labels, "label", "Labels along the dimension '" + dimension + "'");
    ensure_dimension_scale(scale.id(), dimension);
    it = d_->scales.labels.emplace(path, std::make_pair(std::move(scale), labels)).first;
  }
  if (it->second.second != labels)
    throw std::logic_error("RunWriter: quantities of " + group + " label the dimension '" + dimension + "' differently");
  return it->second.first.id();
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
        attach_row_scale(t.path, *it->second.first);
      }
      it->second.second.insert(it->second.second.end(), c.values.begin(), c.values.end());
    }
    if (!t.columns.empty()) d_->scales.tables[t.path].pending += static_cast<std::int64_t>(t.columns.front().values.size());
  }
}

void RunWriter::attach_row_scale(const std::string& table, const Series<std::int64_t>& column) {
  auto& rows = d_->scales.tables[table];
  const std::string path = table + "/" + row_dimension(table);
  if (!rows.index) {
    if (has_object(file_.id(), path)) {
      rows.index = std::make_unique<Series<std::int64_t>>(file_.id(), path);
    } else {
      rows.index = std::make_unique<Series<std::int64_t>>(file_.id(), path, std::vector<hsize_t>{}, "row",
                                                          "Number of each row of the table, from 0", true);
      // A run resumed from a checkpoint written before files had scales: the rows written before it.
      std::vector<std::int64_t> before(static_cast<std::size_t>(column.rows()));
      for (std::size_t k = 0; k < before.size(); ++k) before[k] = static_cast<std::int64_t>(k);
      rows.index->append(before);
    }
    ensure_dimension_scale(rows.index->id(), row_dimension(table));
  }
  attach_dimension_scale(column.id(), rows.index->id(), 0);
}

void RunWriter::flush() {
  for (auto& [path, column] : d_->table_columns) {
    column.first->append(column.second);
    column.second.clear();
  }
  for (auto& [table, rows] : d_->scales.tables) {
    std::vector<std::int64_t> numbers(static_cast<std::size_t>(rows.pending));
    for (std::size_t k = 0; k < numbers.size(); ++k) numbers[k] = rows.index->rows() + static_cast<std::int64_t>(k);
    rows.index->append(numbers);
    rows.pending = 0;
  }
  for (auto& [group, steps] : d_->scales.steps) steps->append(d_->scales.pending_steps);
  d_->scales.pending_steps.clear();
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
    d_->snapshot_step = open_or_create<Series<std::int64_t>>("snapshots/step", [&] {
      return std::make_unique<Series<std::int64_t>>(file_.id(), "snapshots/step", std::vector<hsize_t>{}, "step",
                                                    "Step of each snapshot layer");
    });
    ensure_dimension_scale(d_->snapshot_step->id(), "step");
    const auto cell_numbers = [&](const char* path, int n, const char* what) {
      if (has_object(file_.id(), path)) return open_object(file_.id(), path);
      std::vector<std::int64_t> numbers(static_cast<std::size_t>(n));
      for (int k = 0; k < n; ++k) numbers[static_cast<std::size_t>(k)] = k;
      Handle scale = write_int64(file_.id(), path, numbers, "cell", what);
      ensure_dimension_scale(scale.id(), std::string(path).substr(std::string("snapshots/").size()));
      return scale;
    };
    d_->snapshot_rows = cell_numbers("snapshots/y", height_, "Row of the grid (y), from 0 at the top");
    d_->snapshot_columns = cell_numbers("snapshots/x", width_, "Column of the grid (x), from 0 at the left");
  }
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
      const hid_t id = std::visit([](const auto& series) { return series->id(); }, it->second);
      attach_dimension_scale(id, d_->snapshot_step->id(), 0);
      attach_dimension_scale(id, d_->snapshot_rows.id(), 1);
      attach_dimension_scale(id, d_->snapshot_columns.id(), 2);
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
