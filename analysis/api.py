"""Driving pocsim from Python: scenarios as dictionaries, validated by pocsim's own loader; runs,
comparisons and sweeps by the pocsim program, read back with the readers; and a Simulation stepped
in-process, steered between steps as in the live view, its state read as numpy arrays without copies.

    import pocsim
    mali = pocsim.Scenario.load("scenarios/library/mali/base.yaml")
    mali["citizens.legitimacy"] = 0.7           # dotted keys, as --set takes them
    mali.validate()                             # pocsim.ScenarioError with file:line, key, why and fix
    run = mali.run(steps=104, seed=3)           # a pocsim.Run (readers), its file open in xarray with run.dataset("economy")
    sim = mali.simulation()
    sim.step(52); sim.lever_on("cvr", "north", budget=20000, intensity=60); sim.step(52)
    sim.cells()                                 # numpy view of the map [y, x]; sim.timeseries() a DataFrame

docs/python.md describes it; the notebooks in analysis/notebooks/ use it.
"""
import atexit
import copy
import os
import re
import shutil
import subprocess
import tempfile

import pandas as pd
import yaml

from .readers import open_file

try:
    from . import _core
except ImportError:  # the source tree, without the extension module built into it
    _core = None


class ScenarioError(ValueError):
    """A scenario pocsim refuses: the message lists every problem as the command line does (where, key,
    what is wrong, how to fix it)."""


if _core is not None:
    ScenarioError = _core.ScenarioError  # noqa: F811 (the extension raises it)


def _core_module():
    if _core is None:
        raise ImportError("pocsim's extension module is not built: install the package with 'pip install .' "
                          "from the repository (README: Python), which builds it")
    return _core


# ---- YAML as pocsim reads it -----------------------------------------------------------------------------

class _Yaml12Loader(yaml.SafeLoader):
    """YAML 1.2's core schema, as yaml-cpp (pocsim) and editors read it: dates and words such as 'yes' or
    'off' stay text, where PyYAML's YAML 1.1 rules would make them dates and booleans."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


def load_yaml(text):
    """A YAML document read as pocsim reads it."""
    return yaml.load(text, Loader=_Yaml12Loader)


def dump_yaml(data):
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)


# ---- The pocsim program ----------------------------------------------------------------------------------

def executable():
    """The pocsim program: $POCSIM_EXECUTABLE, else the one installed with this package, else 'pocsim' on PATH."""
    chosen = os.environ.get("POCSIM_EXECUTABLE")
    if chosen:
        return chosen
    bundled = os.path.join(os.path.dirname(__file__), "bin", "pocsim")
    if os.access(bundled, os.X_OK):
        return bundled
    found = shutil.which("pocsim")
    if found:
        return found
    raise FileNotFoundError("the pocsim program was not found: install the package (pip install .), put pocsim on "
                            "PATH, or set POCSIM_EXECUTABLE to its path")


_scratch = []


def _scratch_dir():
    """A folder for files no one asked to keep, removed when Python exits."""
    if not _scratch:
        _scratch.append(tempfile.mkdtemp(prefix="pocsim-"))
        atexit.register(shutil.rmtree, _scratch[0], True)
    return tempfile.mkdtemp(dir=_scratch[0])


def _pocsim(*args):
    """Runs pocsim; bad input (exit code 2) raises ScenarioError with its message, any other failure RuntimeError."""
    done = subprocess.run([executable(), *map(str, args)], capture_output=True, text=True)
    if done.returncode == 2:
        raise ScenarioError(done.stderr.strip())
    if done.returncode != 0:
        raise RuntimeError(f"pocsim {args[0]} failed (exit code {done.returncode}): {done.stderr.strip()}")
    return done.stdout


def _overrides(steps, seed, overrides):
    out = list(overrides)
    if steps is not None:
        out.append(f"run.steps={steps}")
    if seed is not None:
        out.append(f"run.seed={seed}")
    return out


# ---- Scenarios -------------------------------------------------------------------------------------------

class Scenario:
    """A scenario (or a mandate option) as a dictionary of its YAML. Keys may be read and set dotted
    (scenario["mission.budget"]); relative paths in it (base:, rasters) stay relative to the file it was
    loaded from."""

    def __init__(self, data=None, path=None):
        self.data = copy.deepcopy(data) if data is not None else {}
        self.path = os.path.abspath(path) if path else None

    @classmethod
    def load(cls, path):
        with open(path) as f:
            return cls(load_yaml(f.read()) or {}, path)

    @property
    def name(self):
        return os.path.splitext(os.path.basename(self.path))[0] if self.path else "scenario"

    def copy(self):
        return Scenario(self.data, self.path)

    def __getitem__(self, key):
        node = self.data
        for part in key.split("."):
            node = node[part]
        return node

    def __setitem__(self, key, value):
        *sections, last = key.split(".")
        node = self.data
        for part in sections:
            node = node.setdefault(part, {})
        node[last] = value

    def __contains__(self, key):
        try:
            self[key]
            return True
        except (KeyError, TypeError):
            return False

    def to_yaml(self):
        return dump_yaml(self.data)

    def _origin(self):
        """The file this text stands for: relative paths resolve beside it."""
        return self.path or os.path.join(os.getcwd(), "scenario.yaml")

    def validate(self, overrides=()):
        """Checks the scenario as `pocsim validate` does; returns every parameter in force (a dictionary).
        Raises ScenarioError listing every problem."""
        return load_yaml(_core_module().resolve(self.to_yaml(), self._origin(), list(overrides)))

    def write(self, path):
        """Writes the scenario as a YAML file that means the same wherever it is: relative paths (base:,
        rasters) are made absolute."""
        data = copy.deepcopy(self.data)
        here = os.path.dirname(self._origin())

        def absolute(p):
            file, sep, dataset = p.partition(".h5:")  # an HDF5 raster: file.h5:/dataset
            return os.path.join(here, file) + sep + dataset if file and not os.path.isabs(file) else p

        if isinstance(data.get("base"), str):
            data["base"] = absolute(data["base"])
        geography = data.get("geography")
        if isinstance(geography, dict):
            for key, value in geography.items():
                if key.endswith("_raster") and isinstance(value, str) and value:
                    geography[key] = absolute(value)
        with open(path, "w") as f:
            f.write(dump_yaml(data))
        return path

    def simulation(self, threads=1, overrides=()):
        """A Simulation of this scenario, in this process."""
        return Simulation(self, threads=threads, overrides=overrides)

    def run(self, output=None, steps=None, seed=None, threads=0, overrides=(), option=None):
        """Runs the scenario with `pocsim run` (with a mandate option's levers when `option` is given) and
        returns the run (analysis.readers.Run). Without `output` the file goes to a folder removed at exit."""
        folder = _scratch_dir()
        scenario = self.write(os.path.join(folder, f"{self.name}.yaml"))
        output = output or os.path.join(folder, f"{self.name}.h5")
        args = ["run", scenario, "-o", output, "--quiet", "--force", "--threads", threads]
        if option is not None:
            args += ["--option", _as_option_file(option, folder, 0)]
        for o in _overrides(steps, seed, overrides):
            args += ["--set", o]
        _pocsim(*args)
        return open_file(output)


def _as_option_file(option, folder, index):
    if isinstance(option, (str, os.PathLike)):
        return str(option)
    option = option if isinstance(option, Scenario) else Scenario(option)
    name = option.data.get("name") or f"option{index + 1}"
    return option.write(os.path.join(folder, f"{name}.yaml"))


def compare(scenario, options, replicates=10, output=None, steps=None, seed=None, threads=0, overrides=(), extra=()):
    """`pocsim compare`: the scenario against each option (Scenario, dictionary or file path) with common
    random numbers; returns the comparison (analysis.readers.Comparison). `extra`: further command-line
    arguments (e.g. ["--draws", 20])."""
    folder = _scratch_dir()
    scenario = scenario if isinstance(scenario, Scenario) else Scenario.load(scenario)
    path = scenario.write(os.path.join(folder, f"{scenario.name}.yaml"))
    output = output or os.path.join(folder, f"{scenario.name}-comparison.h5")
    args = ["compare", path, "--options", *[_as_option_file(o, folder, i) for i, o in enumerate(options)],
            "--replicates", replicates, "-o", output, "--quiet", "--force", "--threads", threads, *extra]
    for o in _overrides(steps, seed, overrides):
        args += ["--set", o]
    _pocsim(*args)
    return open_file(output)


def sweep(plan, output=None, threads=0, overrides=()):
    """`pocsim sweep`: a plan as in a sweep file (a dictionary; its 'scenario' may be a Scenario or a
    path); returns the sweep store (analysis.readers.Sweep)."""
    folder = _scratch_dir()
    plan = copy.deepcopy(plan)
    scenario = plan.get("scenario")
    if isinstance(scenario, Scenario):
        plan["scenario"] = scenario.write(os.path.join(folder, f"{scenario.name}.yaml"))
    elif isinstance(scenario, (str, os.PathLike)):
        plan["scenario"] = os.path.abspath(scenario)
    path = os.path.join(folder, "sweep.yaml")
    with open(path, "w") as f:
        f.write(dump_yaml(plan))
    output = output or os.path.join(folder, "sweep.h5")
    args = ["sweep", path, "-o", output, "--quiet", "--force", "--threads", threads]
    for o in overrides:
        args += ["--set", o]
    _pocsim(*args)
    return open_file(output)


def analyse(store, bootstrap=None):
    """`pocsim analyse`: the sensitivity table of a sweep store (a path or a Sweep) as a DataFrame with the
    columns `pocsim analyse -o` writes (outcome, factor, measure, value, low, high)."""
    path = store.path if hasattr(store, "path") else str(store)
    output = os.path.join(_scratch_dir(), "sensitivity.csv")
    args = ["analyse", path, "-o", output]
    if bootstrap is not None:
        args += ["--bootstrap", bootstrap]
    _pocsim(*args)
    return pd.read_csv(output)


# ---- In-process ------------------------------------------------------------------------------------------

class Simulation:
    """One model stepped in this process. step() advances it; lever_on(), lever_off() and set() change it
    from the next step on, exactly as the live view does (its steering record is .steering); record() is
    every quantity a run file holds at the current step, and timeseries() the scalar ones at every step
    taken. cells(), control(), troops() and the citizen_* columns are the model's own memory as read-only
    numpy arrays: they change as the model steps."""

    def __init__(self, scenario, threads=1, overrides=()):
        scenario = scenario if isinstance(scenario, Scenario) else Scenario.load(scenario)
        self.scenario = scenario
        self._sim = _core_module().Simulation(scenario.to_yaml(), scenario._origin(), list(overrides), threads)
        self._rows = [self._scalars()]

    def _scalars(self):
        return {path: values for path, (values, dims, *_rest) in self._sim.record().items() if not dims}

    def step(self, n=1, record=True):
        """Advances n steps (fewer at the run's end); returns the steps done. With record=False the steps
        are not kept for timeseries() (quicker at national scale, where recording costs a copy of every
        quantity): timeseries() then has only the steps recorded, indexed by step."""
        if not record:
            return self._sim.step(n)
        done = 0
        for _ in range(n):
            if self._sim.step(1) == 0:
                break
            self._rows.append(self._scalars())
            done += 1
        return done

    def run(self):
        """Steps to the end of the run."""
        return self.step(self.last_step - self.current_step)

    def timeseries(self):
        """Every scalar quantity at every step taken (a DataFrame indexed by step)."""
        return pd.DataFrame(self._rows).set_index("timeseries/step").rename_axis("step")

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._sim, name)


def steerable_keys():
    """Parameters a Simulation may change between steps (set())."""
    return list(_core_module().steerable_keys())


def steerable_levers():
    """Levers a Simulation may switch on and off between steps (lever_on(), lever_off())."""
    return list(_core_module().steerable_levers())
