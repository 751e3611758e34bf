// pocsim._core: the model in-process for Python (the package is analysis/, installed as `pocsim`).
// Scenarios are validated by the same loader as the command line (the same messages), a Simulation
// steps one model and is steered between steps through the live view's one path (serve::apply_steering),
// and its state is read as numpy arrays over the model's own columns, without copies. docs/python.md.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <type_traits>
#include <string>
#include <vector>

#include "core/parallel.hpp"
#include "model/model.hpp"
#include "model/report.hpp"
#include "pocsim/build_info.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/loader.hpp"
#include "serve/session.hpp"

namespace py = pybind11;
using namespace pocsim;

namespace {

class Simulation {
 public:
  Simulation(const std::string& text, const std::string& name, const std::vector<std::string>& overrides, int threads)
      : scenario_(scenario::parse_scenario(text, name, overrides)), limit_(threads) {
    limit_.run([&] { model_ = std::make_unique<model::Model>(scenario_.params()); });
  }

  // Steps until `n` more steps are done or the run's end; the GIL is released meanwhile.
  std::int64_t step(std::int64_t n) {
    if (n < 0) throw py::value_error("step(n): n is a number of steps, at least 0");
    py::gil_scoped_release unlocked;
    std::int64_t done = 0;
    limit_.run([&] {
      for (; done < n && model_->current_step() < last_step(); ++done) model_->step();
    });
    return done;
  }

  [[nodiscard]] std::int64_t current_step() const { return model_->current_step(); }
  [[nodiscard]] std::int64_t last_step() const { return model_->params().run.steps; }

  // Every quantity a run file records at this step: {path: (values, dims, labels, units, description)}.
  [[nodiscard]] py::dict record() const {
    py::dict out;
    for (const model::Quantity& q : model::report(*model_)) {
      std::vector<py::ssize_t> shape;
      for (const auto& l : q.labels) shape.push_back(static_cast<py::ssize_t>(l.size()));
      py::array_t<double> values(shape);
      std::copy(q.values.begin(), q.values.end(), values.mutable_data());
      py::dict labels;
      for (std::size_t k = 0; k < q.dims.size(); ++k) labels[py::str(q.dims[k])] = q.labels[k];
      out[py::str(q.path)] = py::make_tuple(shape.empty() ? py::object(py::float_(q.values.at(0))) : py::object(values),
                                            q.dims, labels, q.units, q.description);
    }
    return out;
  }

  // The change a trainer makes in the live view, from the next step on.
  void steer(serve::SteeringEntry e) {
    e.step = model_->current_step() + 1;
    try {
      serve::check_steering_entry(e, model_->params());
    } catch (const std::invalid_argument& ex) {
      throw py::value_error(ex.what());
    }
    serve::apply_steering(*model_, e);
    steering_.push_back(e);
  }
  [[nodiscard]] std::string steering() const { return serve::to_json(steering_); }

  // A column of the model as a read-only numpy array over its memory (no copy), which keeps `owner` (the
  // Python Simulation) alive; enums as their underlying integers.
  template <class T>
  static py::array view(const std::vector<T>& column, std::vector<py::ssize_t> shape, py::handle owner) {
    using Element = typename std::conditional_t<std::is_enum_v<T>, std::underlying_type<T>, std::type_identity<T>>::type;
    static_assert(sizeof(Element) == sizeof(T));
    if (column.empty()) std::fill(shape.begin(), shape.end(), 0);  // a mechanism the scenario does not have
    py::array a(py::dtype::of<Element>(), std::move(shape), {}, reinterpret_cast<const Element*>(column.data()), owner);
    py::detail::array_proxy(a.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
    return a;
  }
  [[nodiscard]] std::vector<py::ssize_t> grid_shape() const {
    return {model_->grid().height(), model_->grid().width()};
  }
  [[nodiscard]] py::ssize_t citizens() const { return static_cast<py::ssize_t>(model_->citizens().size()); }

  [[nodiscard]] const model::Model& model() const { return *model_; }
  [[nodiscard]] const scenario::Scenario& scenario() const { return scenario_; }

 private:
  scenario::Scenario scenario_;
  core::ThreadLimit limit_;
  std::unique_ptr<model::Model> model_;
  std::vector<serve::SteeringEntry> steering_;
};

enum class Along { cells, citizens };

// Defines the method `name`, which returns the column `column(model)` as a view (Simulation::view).
template <class Column>
void def_column(py::class_<Simulation>& simulation, const char* name, Along along, Column column, const char* doc) {
  simulation.def(name, [along, column](py::object self) {
    const Simulation& s = self.cast<const Simulation&>();
    return Simulation::view(column(s.model()), along == Along::cells ? s.grid_shape() : std::vector<py::ssize_t>{s.citizens()}, self);
  }, doc);
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "pocsim's model in-process: scenarios validated as the command line does, a Simulation to step, steer and read.";
  m.attr("version") = build_info::version;
  m.attr("git_commit") = build_info::git_commit;
  static py::exception<scenario::ScenarioError> scenario_error(m, "ScenarioError", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const scenario::ScenarioError& e) {
      const std::size_t n = e.diagnostics().size();
      scenario_error((std::string(e.what()) + std::to_string(n) + (n == 1 ? " error" : " errors")).c_str());
    }
  });

  m.def("resolve", [](const std::string& text, const std::string& name, const std::vector<std::string>& overrides) {
        return scenario::parse_scenario(text, name, overrides).resolved_yaml;
      }, py::arg("text"), py::arg("name"), py::arg("overrides") = std::vector<std::string>{},
      "Validates scenario text as the file `name` (relative paths are relative to it) with overrides ('key=value'), and "
      "returns every parameter in force as YAML. Raises ScenarioError with the command line's messages.");
  m.def("steerable_keys", &serve::steerable_keys, "Parameters a Simulation may change between steps.");
  m.def("steerable_levers", &serve::steerable_levers, "Levers a Simulation may switch on and off between steps.");

  py::class_<Simulation> simulation(m, "Simulation");
  simulation
      .def(py::init<const std::string&, const std::string&, const std::vector<std::string>&, int>(), py::arg("text"),
           py::arg("name"), py::arg("overrides") = std::vector<std::string>{}, py::arg("threads") = 1)
      .def("step", &Simulation::step, py::arg("n") = 1, "Steps n times (fewer at the run's end); returns the steps done.")
      .def_property_readonly("current_step", &Simulation::current_step)
      .def_property_readonly("last_step", &Simulation::last_step)
      .def("record", &Simulation::record, "Every quantity a run file records, at the current step.")
      .def("lever_on", [](Simulation& s, const std::string& kind, const std::string& region, std::optional<double> budget,
                          std::optional<double> intensity) {
             serve::SteeringEntry e;
             e.action = "lever_on";
             e.kind = kind;
             e.region = region;
             if (budget) e.budget = *budget;
             if (intensity) e.intensity = *intensity;
             s.steer(e);
           }, py::arg("kind"), py::arg("region") = "", py::arg("budget") = py::none(), py::arg("intensity") = py::none())
      .def("lever_off", [](Simulation& s, const std::string& kind, const std::string& region) {
             serve::SteeringEntry e;
             e.action = "lever_off";
             e.kind = kind;
             e.region = region;
             s.steer(e);
           }, py::arg("kind"), py::arg("region") = "")
      .def("set", [](Simulation& s, const std::string& key, double value) {
             serve::SteeringEntry e;
             e.action = "slider";
             e.key = key;
             e.value = value;
             s.steer(e);
           }, py::arg("key"), py::arg("value"))
      .def_property_readonly("steering", &Simulation::steering, "The changes made, as the live view records them (JSON).")
      .def_property_readonly("resolved_yaml", [](const Simulation& s) { return s.scenario().resolved_yaml; })
      .def_property_readonly("grid_shape", [](const Simulation& s) { return py::tuple(py::cast(s.grid_shape())); });

  // The model's columns, per cell [y, x] or per citizen.
  def_column(simulation, "cells", Along::cells, [](const model::Model& model) -> auto& { return model.cells().code; },
             "Per cell [y, x]: 0 empty, 1 quiet citizen, 2 active, 3 jailed holding its cell, 4 cop.");
  def_column(simulation, "control", Along::cells, [](const model::Model& model) -> auto& { return model.conflict().owner; },
             "Per cell [y, x]: the armed group controlling it, or -1 (empty without armed groups).");
  def_column(simulation, "troops", Along::cells, [](const model::Model& model) -> auto& { return model.mission().troops; },
             "Per cell [y, x]: peacekeepers this step (empty without a mission).");
  def_column(simulation, "citizen_state", Along::citizens, [](const model::Model& model) -> auto& { return model.citizens().state; },
             "Per citizen: 0 quiet, 1 active, 2 jailed, 3 fighter, 4 dead.");
  def_column(simulation, "citizen_cell", Along::citizens, [](const model::Model& model) -> auto& { return model.citizens().cell; },
             "Per citizen: its cell (y * width + x), or its home while off the grid.");
  def_column(simulation, "citizen_hardship", Along::citizens, [](const model::Model& model) -> auto& { return model.citizens().hardship; },
             "Per citizen: hardship H, fixed.");
  def_column(simulation, "citizen_illicit_income", Along::citizens,
             [](const model::Model& model) -> auto& { return model.citizens().illicit_income; }, "Per citizen: $ received from crime this step.");
}
