#include "io/checkpoint.hpp"

#include <filesystem>

#include "io/hdf5.hpp"

namespace pocsim::io {

namespace {
constexpr std::int64_t format_version = 1;
const char* const group_name = "checkpoint";
}  // namespace

void write_checkpoint_group(long long file_id, const RunCheckpoint& c) {
  const auto file = static_cast<hid_t>(file_id);
  Handle g = create_group(file, group_name);
  set_attribute(g.id(), "format_version", format_version);
  set_attribute(g.id(), "description",
                std::string("State to continue this run from: 'pocsim resume FILE'. The rest of the file is the run's output up to step ") +
                    std::to_string(c.step) + ".");
  set_attribute(g.id(), "output_path", c.output_path);
  set_attribute(g.id(), "scenario_path", c.scenario_path);
  set_attribute(g.id(), "option_path", c.option_path);
  set_attribute(g.id(), "overrides", c.overrides);
  set_attribute(g.id(), "parameters_resolved", c.parameters_resolved);
  set_attribute(g.id(), "step", c.step);
  set_attribute(g.id(), "steps", c.steps);
  set_attribute(g.id(), "checkpoint_every", c.checkpoint_every);
  write_bytes(g.id(), "model_state", c.model_state, "The model's state after 'step' (format: sim/model/checkpoint.cpp)");
  write_bytes(g.id(), "run_totals", c.run_totals, "The run command's running totals (sim/cli/commands.cpp)");
}

RunCheckpoint read_checkpoint(const std::string& path) {
  const std::lock_guard<std::mutex> lock(library_lock());
  if (!std::filesystem::exists(path)) throw CheckpointFileError(path + " does not exist");
  if (!std::filesystem::is_regular_file(path)) throw CheckpointFileError(path + " is not a regular file");
  Handle file;
  try {
    file = open_file_read(path);
  } catch (const Hdf5Error&) {
    throw CheckpointFileError(path + " is not an HDF5 file (a checkpoint is the <output>.checkpoint.h5 an interrupted run wrote)");
  }
  if (!has_object(file.id(), group_name))
    throw CheckpointFileError(path + " has no /checkpoint group: it is a run's output, not a checkpoint");
  try {
    Handle g = open_object(file.id(), group_name);
    if (get_int_attribute(g.id(), "format_version") != format_version)
      throw CheckpointFileError(path + " was written by a pocsim with another checkpoint format (" +
                                std::to_string(get_int_attribute(g.id(), "format_version")) + "; this one reads " +
                                std::to_string(format_version) + ")");
    RunCheckpoint c;
    c.output_path = get_string_attribute(g.id(), "output_path");
    c.scenario_path = get_string_attribute(g.id(), "scenario_path");
    c.option_path = get_string_attribute(g.id(), "option_path");
    c.overrides = get_string_list_attribute(g.id(), "overrides");
    c.parameters_resolved = get_string_attribute(g.id(), "parameters_resolved");
    c.step = get_int_attribute(g.id(), "step");
    c.steps = get_int_attribute(g.id(), "steps");
    c.checkpoint_every = get_int_attribute(g.id(), "checkpoint_every");
    c.model_state = read_uint8(g.id(), "model_state");
    c.run_totals = read_uint8(g.id(), "run_totals");
    return c;
  } catch (const Hdf5Error& e) {
    throw CheckpointFileError(path + " is damaged: " + e.what());
  }
}

void remove_checkpoint_group(long long file_id) {
  if (H5Ldelete(static_cast<hid_t>(file_id), group_name, H5P_DEFAULT) < 0)
    throw Hdf5Error("HDF5: cannot remove the checkpoint group");
}

std::string checkpoint_path_for(const std::string& output) {
  return std::filesystem::path(output).replace_extension(".checkpoint.h5").string();
}

}  // namespace pocsim::io
