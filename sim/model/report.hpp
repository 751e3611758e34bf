#pragma once
// What a run records: every quantity by path, with units, description and the labels of its dimensions.
// Reporters read the model and never change it; the writer in sim/io stores whatever they return, so a
// new output is added here alone (and described in docs/outputs.md).
#include <cstdint>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "model/observables.hpp"

namespace pocsim::model {

struct Quantity {
  std::string path;                             // e.g. "economy/revenue"
  std::string units;
  std::string description;
  std::vector<std::string> dims;                // names of the dimensions after time, e.g. {"commodity", "recipient"}
  std::vector<std::vector<std::string>> labels; // labels along each of those dimensions
  std::vector<double> values;                   // row-major; integer quantities hold whole numbers
  bool integer = false;
};

// One step's record of everything; `counts` is measure(m), passed in by callers that need it too.
std::vector<Quantity> report(const Model& m, const StepRecord& counts);
inline std::vector<Quantity> report(const Model& m) { return report(m, measure(m)); }

// A table that grows by a variable number of rows each step (events): one column per field, all of one length.
struct TableColumn {
  std::string name;
  std::string units;
  std::string description;
  std::vector<std::int64_t> values;  // this step's rows
};
struct Table {
  std::string path;                  // group holding one dataset per column, e.g. "violence/events"
  std::string description;
  std::vector<TableColumn> columns;
};
// This step's rows of every table (the violence events, when there are armed groups).
std::vector<Table> tables(const Model& m);

// Grid layers for snapshots (each [height, width]): cell states, and the flow map when there is an economy.
struct Layer {
  std::string path;
  std::string units;
  std::string description;
  std::vector<std::uint8_t> codes;  // for integer-coded layers
  std::vector<float> values;        // for continuous layers
};
std::vector<Layer> snapshot_layers(const Model& m);

}  // namespace pocsim::model
