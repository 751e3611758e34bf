#include "io/run_writer.hpp"

#include <cstdio>
#include <filesystem>

#include <unistd.h>

#include "io/hdf5.hpp"

namespace pocsim::io {

namespace {
constexpr std::size_t flush_every = 1024;  // steps buffered before an append
}

struct RunWriter::Datasets {
  Handle file;
  Handle series_group;
  Handle snapshot_group;
  Series<std::int64_t> step, quiet, active, jailed, cops;
  Series<double> legitimacy, grievance;
  Series<std::int64_t> snapshot_step;
  LayerStack cells;

  Datasets(Handle f, int height, int width)
      : file(std::move(f)),
        series_group(create_group(file.id(), "timeseries")),
        snapshot_group(create_group(file.id(), "snapshots")),
        step(series_group.id(), "step", "step", "Step of each record; 0 is the initial state"),
        quiet(series_group.id(), "quiet", "citizens", "Citizens free and not active"),
        active(series_group.id(), "active", "citizens", "Citizens in open rebellion (Epstein's actives)"),
        jailed(series_group.id(), "jailed", "citizens", "Citizens serving a jail term"),
        cops(series_group.id(), "cops_on_duty", "cops", "Cops deployed on the grid"),
        legitimacy(series_group.id(), "legitimacy", "1", "Legitimacy L in force during the step"),
        grievance(series_group.id(), "mean_grievance", "1", "Mean grievance H (1 - L) over all citizens"),
        snapshot_step(snapshot_group.id(), "step", "step", "Step of each snapshot layer"),
        cells(snapshot_group.id(), "cells", height, width,
              "Cell state [snapshot, y, x]: 0 empty, 1 quiet citizen, 2 active citizen, 3 jailed citizen holding "
              "its cell, 4 cop") {}
};

RunWriter::RunWriter(std::string path, const RunProvenance& provenance, int grid_height, int grid_width)
    : path_(std::move(path)) {
  const std::filesystem::path target(path_);
  // Hidden, beside the target (so the rename cannot cross file systems), unique to this process.
  std::string temp_name = ".";  // built by appending: GCC 12 warns falsely (-Wrestrict) on "." + string
  temp_name += target.filename().string();
  temp_name += ".partial-" + std::to_string(getpid());
  temp_path_ = (target.parent_path() / temp_name).string();
  Handle file = create_file(temp_path_);
  try {
    write_provenance(file.id(), provenance);
    set_attribute(file.id(), "complete", std::int64_t{0});
    d_ = std::make_unique<Datasets>(std::move(file), grid_height, grid_width);
  } catch (...) {
    file.close();
    std::remove(temp_path_.c_str());
    throw;
  }
}

RunWriter::~RunWriter() {
  if (finished_) return;
  d_.reset();
  std::remove(temp_path_.c_str());
}

void RunWriter::record(const model::StepRecord& r) {
  pending_.push_back(r);
  if (pending_.size() >= flush_every) flush();
}

void RunWriter::flush() {
  if (pending_.empty()) return;
  auto column = [&](auto member) {
    std::vector<std::remove_cvref_t<decltype(pending_[0].*member)>> v;
    v.reserve(pending_.size());
    for (const auto& r : pending_) v.push_back(r.*member);
    return v;
  };
  d_->step.append(column(&model::StepRecord::step));
  d_->quiet.append(column(&model::StepRecord::quiet));
  d_->active.append(column(&model::StepRecord::active));
  d_->jailed.append(column(&model::StepRecord::jailed));
  d_->cops.append(column(&model::StepRecord::cops_on_duty));
  d_->legitimacy.append(column(&model::StepRecord::legitimacy));
  d_->grievance.append(column(&model::StepRecord::mean_grievance));
  pending_.clear();
}

void RunWriter::snapshot(std::int64_t step, const std::vector<std::uint8_t>& cell_codes) {
  d_->snapshot_step.append({step});
  d_->cells.append(cell_codes);
}

void RunWriter::finish(double wall_seconds) {
  flush();
  set_attribute(d_->file.id(), "end_time", utc_now_iso8601());
  set_attribute(d_->file.id(), "wall_seconds", wall_seconds);
  set_attribute(d_->file.id(), "complete", std::int64_t{1});
  if (H5Fflush(d_->file.id(), H5F_SCOPE_GLOBAL) < 0) throw Hdf5Error("HDF5: cannot flush " + temp_path_);
  d_.reset();
  std::error_code ec;
  std::filesystem::rename(temp_path_, path_, ec);
  if (ec) throw Hdf5Error("cannot move the finished output into place at " + path_ + ": " + ec.message());
  finished_ = true;
}

}  // namespace pocsim::io
