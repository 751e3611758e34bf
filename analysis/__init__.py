"""pocsim from Python: scenarios, runs, comparisons and sweeps (api.py), a Simulation stepped in-process,
and reading and plotting pocsim's HDF5 files: single runs, option comparisons and sweep stores.

Installed with `pip install .` from the repository, this folder is the package `pocsim` (docs/python.md);
in the source tree it is `analysis`, which `pocsim report` runs.

    from analysis import open_file, plots
    comparison = open_file("results/mali-comparison.h5")
    comparison.table                     # a pandas DataFrame: the headline table, exactly as the file holds it
    plots.outcome_bands(comparison, "fighters").savefig("fighters.png")

Run with Debian's /usr/bin/python3 (python3-h5py, -numpy, -matplotlib, -pandas, -yaml; installed by
./build.sh). `python3 -m analysis.report FILE -o report.html` writes a self-contained report.
"""
from .readers import Comparison, Explanation, Run, Sweep, open_file  # noqa: F401
from . import decisions, plots  # noqa: F401
from .api import (ScenarioError, Scenario, Simulation, analyse, compare, executable, load_yaml,  # noqa: F401
                  steerable_keys, steerable_levers, sweep)
