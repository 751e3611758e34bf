"""Readers for pocsim's three kinds of HDF5 file (docs/outputs.md, docs/comparing.md, docs/sweeps.md).

Every reader keeps the file's numbers as they are (float64 or int64 arrays) and offers pandas data frames
for tables. The provenance attributes of the file are in `.attrs`; the parameters in force, parsed from
`parameters_resolved`, in `.params`.
"""
import h5py
import numpy as np
import pandas as pd
import yaml


def _attrs(f):
    out = {}
    for key, value in f.attrs.items():
        if isinstance(value, bytes):
            value = value.decode()
        elif isinstance(value, np.ndarray) and value.dtype.kind in "OSU":
            value = [v.decode() if isinstance(v, bytes) else str(v) for v in value]
        elif isinstance(value, np.generic):
            value = value.item()
        out[key] = value
    return out


def _text_list(values):
    return [v.decode() if isinstance(v, bytes) else str(v) for v in values]


def lever_table(f):
    """The lever table a file carries (/levers), as {name: {label, intensity, reach, cost, intrusive, ...}},
    in the order of every 'lever' dimension; {} for a file written before pocsim wrote it."""
    if "levers" not in f:
        return {}
    a = _attrs(f["levers"])
    names = a.get("name", [])
    return {n: {k: (v[i] if isinstance(v, (list, np.ndarray)) else v) for k, v in a.items() if k not in ("name", "description")}
            for i, n in enumerate(names)}


class _File:
    kind = None

    def __init__(self, path):
        self.path = str(path)
        with h5py.File(self.path, "r") as f:
            self.attrs = _attrs(f)
            self.levers = lever_table(f)
            self._read(f)
        self.complete = self.attrs.get("complete", 0) == 1
        self.params = yaml.safe_load(self.attrs.get("parameters_resolved", "")) or {}

    def dataset(self, group=None):
        """One group of the file as an xarray Dataset with named dimensions and coordinates (xarray's
        h5netcdf engine; docs/outputs.md). Without a group: the root, with the file's provenance."""
        import xarray as xr
        return xr.open_dataset(self.path, engine="h5netcdf", group=group)

    def lever_label(self, name):
        """What reports call a lever: its label in the file's lever table, else its name."""
        return self.levers.get(name, {}).get("label", name)

    @property
    def description(self):
        """The scenario's description, as its author wrote it."""
        scenario = yaml.safe_load(self.attrs.get("scenario_yaml", "")) or {}
        text = scenario.get("description") if isinstance(scenario, dict) else None
        if not text and self.attrs.get("scenario_bases"):
            for part in self.attrs["scenario_bases"].split("# ---- ")[1:]:
                body = yaml.safe_load(part.split("\n", 1)[1]) or {}
                text = text or body.get("description")
        return (text or "").strip()

    def _read(self, f):
        raise NotImplementedError


class Run(_File):
    """One run: every recorded quantity per step, the grid snapshots, the violent events."""

    kind = "run"

    def _read(self, f):
        self.quantities = {}
        self.dims = {}
        self.labels = {}
        self.units = {}

        def visit(name, obj):
            if not isinstance(obj, h5py.Dataset) or name.startswith("snapshots/"):
                return
            # Coordinates the writer adds for netCDF readers (a group's steps, a dimension's labels, a
            # table's row numbers) are not quantities; timeseries/step is both.
            if h5py.h5ds.is_scale(obj.id) and name != "timeseries/step":
                return
            self.quantities[name] = obj[...]
            self.units[name] = obj.attrs.get("units", b"")
            if isinstance(self.units[name], bytes):
                self.units[name] = self.units[name].decode()
            if "dimensions" in obj.attrs:
                dims = _text_list(obj.attrs["dimensions"])
                self.dims[name] = dims
                self.labels[name] = {d: _text_list(obj.attrs["labels_" + d]) for d in dims[1:] if "labels_" + d in obj.attrs}

        f.visititems(visit)
        self.steps = self.quantities.get("timeseries/step", np.arange(0))
        self.snapshot_steps = f["snapshots/step"][...] if "snapshots/step" in f else np.arange(0)
        self.layers = {name: f["snapshots/" + name][...] for name in f.get("snapshots", {})
                       if not h5py.h5ds.is_scale(f["snapshots/" + name].id)}

    def quantity(self, path):
        """(values [step, ...], dimension names, labels per dimension) of a recorded quantity."""
        return self.quantities[path], self.dims.get(path, ["step"]), self.labels.get(path, {})

    def timeseries(self):
        """Every scalar series of /timeseries as a data frame indexed by step."""
        cols = {k.split("/", 1)[1]: v for k, v in self.quantities.items() if k.startswith("timeseries/") and v.ndim == 1}
        return pd.DataFrame(cols).set_index("step")

    def layer(self, name, step):
        """The snapshot layer `name` ([height, width]) at the snapshot nearest `step`."""
        i = int(np.argmin(np.abs(self.snapshot_steps - step)))
        return self.layers[name][i], int(self.snapshot_steps[i])


# Every column of a comparison's /table, [option, outcome] (docs/comparing.md).
TABLE_COLUMNS = ("replicates", "mean", "low", "high", "difference", "difference_low", "difference_high", "extra_cost",
                 "per_million", "p_better", "p_tie", "p_worse", "p_best", "p_best_tied", "per_million_low",
                 "per_million_high", "regret", "share_parameters", "p_happened", "first_step")


class Comparison(_File):
    """A comparison of mandate options (pocsim compare): outcomes per option and replicate, and the table."""

    kind = "comparison"

    def _read(self, f):
        self.options = _text_list(f.attrs["options"])
        self.outcomes = _text_list(f.attrs["outcomes"])
        self.replicates = int(f.attrs["replicates"])  # per parameter draw when the comparison drew parameters
        self.draws = int(f.attrs.get("draws", 0))
        self.decision = int(f.attrs["decision_step"])
        self.steps = int(f.attrs["steps"])
        self.confidence = float(f.attrs.get("confidence", 0.95))
        self.criteria = _text_list(f.attrs.get("criteria", []))
        self.pareto = _text_list(f.attrs.get("pareto", []))
        self.seeds = f["seeds"][...]
        self.done = f["runs/done"][...].astype(bool)
        self.columns = self.done.shape[1]
        # The parameter draws: their keys, [draw, parameter] values, and where they came from.
        self.parameters, self.parameter_values, self.parameter_source = [], np.zeros((0, 0)), ""
        if "draws" in f:
            self.parameters = _text_list(f["draws"].attrs["parameters"])
            self.parameter_values = f["draws/values"][...]
            source = f["draws"].attrs["source"]
            self.parameter_source = source.decode() if isinstance(source, bytes) else str(source)
        self._values = {o: f["outcomes/" + o][...] for o in self.outcomes}
        self._series = {o: f["series/" + o][...] for o in self.outcomes}
        self.meta = {}
        for o in self.outcomes:
            a = f["outcomes/" + o].attrs
            self.meta[o] = {k: (a[k].decode() if isinstance(a[k], bytes) else str(a[k])) for k in ("units", "label", "description", "combine")}
            for k in ("better",):
                if k in a:
                    self.meta[o][k] = a[k].decode() if isinstance(a[k], bytes) else str(a[k])
            for k in ("lowest", "highest", "event"):
                if k in a:
                    self.meta[o][k] = float(a[k])
        self.option_info = {"baseline": {"description": "the scenario as it is, without any option", "path": ""}}
        for name in self.options[1:]:
            self.option_info[name] = _attrs(f["options/" + name])
        self.table = None
        self.p_pareto = None
        self.p_beats = None
        if "table" in f:
            g = f["table"]
            # The table's own outcomes: the file's, then weighted_score when criteria were given.
            table_outcomes = _text_list(g.attrs["outcomes"]) if "outcomes" in g.attrs else self.outcomes
            rows = []
            for k, option in enumerate(self.options):
                for j, outcome in enumerate(table_outcomes):
                    meta = self.meta.get(outcome, {"label": "weighted score", "units": "baseline levels"})
                    row = {"option": option, "outcome": outcome, "label": meta["label"], "units": meta["units"]}
                    for column in TABLE_COLUMNS:
                        # Files written before a column existed lack it.
                        row[column] = float(g[column][k, j]) if column in g else float("nan")
                    rows.append(row)
            self.table = pd.DataFrame(rows)
            if "p_pareto" in g:
                self.p_pareto = g["p_pareto"][...]
            # [outcome, row option, column option] over the table's outcomes
            self.p_beats = g["p_beats"][...] if "p_beats" in g else None

    def values(self, outcome):
        """Each run's outcome over the window, [option, replicate] (NaN where a run did not finish)."""
        return self._values[outcome]

    def series(self, outcome):
        """Each run's outcome per step, [option, replicate, step]."""
        return self._series[outcome]

    def runs(self):
        """Every finished run's outcomes as a long data frame (option, column, draw, replicate, seed, the draw's
        parameter values, outcome columns)."""
        per_draw = self.replicates if self.draws else 1
        rows = []
        for k, option in enumerate(self.options):
            for r in range(self.columns):
                if not self.done[k, r]:
                    continue
                row = {"option": option, "column": r, "draw": r // per_draw if self.draws else -1,
                       "replicate": r % per_draw if self.draws else r, "seed": int(self.seeds[r])}
                if self.draws:
                    row.update({p: float(self.parameter_values[r // per_draw, i]) for i, p in enumerate(self.parameters)})
                row.update({o: float(self._values[o][k, r]) for o in self.outcomes})
                rows.append(row)
        return pd.DataFrame(rows)


class Sweep(_File):
    """A sweep store (pocsim sweep / merge): the design and each run's outcomes."""

    kind = "sweep"

    def _read(self, f):
        self.factors = _text_list(f["design"].attrs["factors"])
        self.design_type = f["design"].attrs["type"]
        if isinstance(self.design_type, bytes):
            self.design_type = self.design_type.decode()
        self.outcomes = _text_list(f.attrs["outcomes"])
        self.values = f["design/values"][...]
        self.unit = f["design/unit"][...]
        self.point = f["runs/point"][...]
        self.replicate = f["runs/replicate"][...]
        self.seed = f["runs/seed"][...]
        self.status = f["runs/status"][...]
        self.errors = _text_list(f["runs"].attrs.get("errors", []))
        self._outcomes = {o: f["outcomes/" + o][...] for o in self.outcomes}
        self._series = {o: f["series/" + o][...] for o in self.outcomes if "series/" + o in f}

    def design(self):
        """The design table: one row per point, one column per parameter."""
        return pd.DataFrame(self.values, columns=self.factors).rename_axis("point")

    def runs(self):
        """One row per run: point, replicate, seed, status, the parameters' values and the outcomes."""
        frame = pd.DataFrame({"point": self.point, "replicate": self.replicate, "seed": self.seed, "status": self.status})
        for i, factor in enumerate(self.factors):
            frame[factor] = self.values[self.point, i]
        for o in self.outcomes:
            frame[o] = self._outcomes[o]
        return frame

    def series(self, outcome):
        return self._series[outcome]


class Explanation(_File):
    """An explanation of options (pocsim explain): each option's effect per replicate, and each lever entry's
    Shapley value (its part of the effect) and effect alone, for every outcome and intermediate quantity."""

    kind = "explanation"

    def _read(self, f):
        self.options = _text_list(f.attrs["options"])
        self.quantities = _text_list(f.attrs["quantities"])
        self.labels = dict(zip(self.quantities, _text_list(f.attrs["labels"])))
        self.units = dict(zip(self.quantities, _text_list(f.attrs["units"])))
        self.quantity_kinds = dict(zip(self.quantities, _text_list(f.attrs["quantity_kinds"])))
        self.decision = int(f.attrs["decision_step"])
        self.steps = int(f.attrs["steps"])
        self.done = f["runs/done"][...].astype(bool)
        self.players, self.methods, self.total, self.shapley, self.alone = {}, {}, {}, {}, {}
        for o in self.options:
            g = f["options/" + o]
            self.players[o] = _text_list(g.attrs["players"])
            method = g.attrs["method"]
            self.methods[o] = method.decode() if isinstance(method, bytes) else str(method)
            self.total[o] = g["total"][...]      # [quantity, replicate]
            self.shapley[o] = g["shapley"][...]  # [player, quantity, replicate]
            self.alone[o] = g["alone"][...]

    def parts(self, option):
        """A long data frame: quantity, player, and the mean over finished replicates of its Shapley value and
        of its effect alone; the player "(total)" holds the option's effect."""
        rows = []
        done = self.done
        for j, q in enumerate(self.quantities):
            rows.append({"quantity": q, "player": "(total)", "shapley": float(self.total[option][j, done].mean()), "alone": float("nan")})
            for i, p in enumerate(self.players[option]):
                rows.append({"quantity": q, "player": p, "shapley": float(self.shapley[option][i, j, done].mean()),
                             "alone": float(self.alone[option][i, j, done].mean())})
        return pd.DataFrame(rows)


def open_file(path):
    """A Run, Comparison, Sweep or Explanation, according to what the file holds."""
    with h5py.File(str(path), "r") as f:
        kind = f.attrs.get("kind", b"run")
    kind = kind.decode() if isinstance(kind, bytes) else str(kind)
    return {"comparison": Comparison, "sweep": Sweep, "explanation": Explanation}.get(kind, Run)(path)
