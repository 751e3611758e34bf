"""The analysis package on files the test suite has just written with pocsim (tests/analysis_report.sh sets
RUN, COMPARISON, SWEEP and SENSITIVITY to their paths)."""
import html.parser
import io
import os
import unittest

import h5py
import numpy as np
import pandas as pd

from analysis import open_file, plots
from analysis.readers import Comparison, Run, Sweep
from analysis.report import write_report

RUN, COMPARISON, SWEEP, SENSITIVITY = (os.environ[k] for k in ("RUN", "COMPARISON", "SWEEP", "SENSITIVITY"))
OUT = os.environ.get("OUT", "/tmp")


def png_bytes(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plots.plt.close(fig)
    return buffer.getvalue()


class Readers(unittest.TestCase):
    def test_run(self):
        r = open_file(RUN)
        self.assertIsInstance(r, Run)
        self.assertTrue(r.complete)
        self.assertEqual(list(r.steps), list(range(31)))
        frame = r.timeseries()
        self.assertIn("active", frame.columns)
        self.assertEqual(frame.index.name, "step")
        values, dims, labels = r.quantity("mission/spending")
        self.assertEqual(values.shape[0], 31)
        self.assertEqual(dims, ["step", "lever"])
        self.assertIn("cvr", labels["lever"])
        layer, at = r.layer("control", 30)
        self.assertEqual(layer.shape, (60, 80))
        self.assertIn("Sahel", r.description)

    def test_run_in_xarray(self):
        # Every group opens in xarray's netCDF reader with named dimensions (no phony_dim_*) whose
        # coordinates are the recorded steps and the labels the file's attributes give.
        import xarray as xr
        with h5py.File(RUN, "r") as f:
            groups = []
            f.visititems(lambda name, obj: groups.append(name) if isinstance(obj, h5py.Group) else None)
            steps = f["timeseries/step"][...]
            quantities = {}
            f.visititems(lambda name, obj: quantities.__setitem__(name, obj[...])
                         if isinstance(obj, h5py.Dataset) and "dimensions" in obj.attrs else None)
            labels = {name: {d: [str(x) for x in f[name].attrs["labels_" + d]]
                             for d in [str(x) for x in f[name].attrs["dimensions"]][1:]} for name in quantities}
        self.assertIn("violence/events", groups)
        seen = set()
        for group in groups:
            with xr.open_dataset(RUN, engine="h5netcdf", group=group) as ds:
                self.assertFalse([d for d in ds.dims if d.startswith("phony_dim")], group)
                if "step" in ds.dims and group != "snapshots":
                    self.assertEqual(ds["step"].values.tolist(), steps.tolist(), group)
                for name, variable in ds.data_vars.items():
                    path = f"{group}/{name}"
                    self.assertIn("units", variable.attrs, path)
                    if path in quantities:
                        self.assertEqual(variable.dims[0], "step", path)
                        np.testing.assert_array_equal(variable.values, quantities[path])
                        for d, expected in labels[path].items():
                            self.assertEqual(ds[d].values.tolist(), expected, path)
                        seen.add(path)
        self.assertEqual(seen, set(quantities))
        with xr.open_dataset(RUN, engine="h5netcdf", group="economy") as ds:
            self.assertEqual(ds["revenue"].dims, ("step", "commodity", "recipient"))
            self.assertEqual(int(ds["sales"].sel(step=30, commodity=ds["commodity"].values[0])),
                             int(quantities["economy/sales"][30, 0]))
        with xr.open_dataset(RUN, engine="h5netcdf", group="snapshots") as ds:
            self.assertEqual(ds["control"].dims, ("step", "y", "x"))
            self.assertEqual(ds["step"].values.tolist(), [0, 10, 20, 30])
            self.assertEqual(ds["control"].sel(step=30).shape, (60, 80))
        with xr.open_dataset(RUN, engine="h5netcdf", group="violence/events") as ds:
            self.assertEqual(ds["type"].dims, ("event",))
            self.assertEqual(ds["event"].values.tolist(), list(range(ds.dims["event"])))

    def test_comparison_and_sweep_in_xarray(self):
        # Comparisons and sweep stores open group by group in xarray with named dimensions and labels.
        import subprocess
        import sys
        import xarray as xr
        here = os.path.dirname(os.path.abspath(__file__))
        check = os.path.join(here, "..", "support", "xarray_groups.py")
        for path, dims in ((COMPARISON, ["=column", "outcomes=column,option", "series=column,option,step", "runs=column,option",
                                         "table=option,other_option,outcome"]),
                           (SWEEP, ["design=factor,point", "runs=run", "outcomes=run", "series=run,step"])):
            done = subprocess.run([sys.executable, check, path, *dims], capture_output=True, text=True)
            self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        c = open_file(COMPARISON)
        with xr.open_dataset(COMPARISON, engine="h5netcdf", group="outcomes") as ds:
            self.assertEqual(ds["option"].values.tolist(), c.options)
            np.testing.assert_array_equal(ds["fighters"].values, c.values("fighters"))
        with xr.open_dataset(COMPARISON, engine="h5netcdf", group="table") as ds:
            self.assertEqual(float(ds["mean"].sel(option="baseline", outcome="fighters")),
                             float(c.table[(c.table.option == "baseline") & (c.table.outcome == "fighters")]["mean"].iloc[0]))
        s = open_file(SWEEP)
        with xr.open_dataset(SWEEP, engine="h5netcdf", group="design") as ds:
            self.assertEqual(ds["factor"].values.tolist(), s.factors)

    def test_lever_table(self):
        # Every file carries the lever table, in the order of its 'lever' dimensions; reports label by it.
        for path in (RUN, COMPARISON, SWEEP):
            f = open_file(path)
            self.assertEqual(len(f.levers), 13, path)
            self.assertEqual(f.lever_label("cvr"), "community violence reduction")
            self.assertEqual(f.levers["sanctions"]["intrusive"], 1.0)
            self.assertEqual(f.levers["cvr"]["intrusive"], 0.0)
        r = open_file(RUN)
        _, _, labels = r.quantity("mission/spending")
        self.assertEqual(labels["lever"], list(r.levers))

    def test_comparison(self):
        c = open_file(COMPARISON)
        self.assertIsInstance(c, Comparison)
        self.assertEqual(c.options, ["baseline", "sanctions", "cvr"])
        self.assertEqual(c.values("fighters").shape, (3, 3))
        self.assertEqual(c.series("fighters").shape, (3, 3, 31))
        self.assertEqual(len(c.runs()), 9)
        with h5py.File(COMPARISON, "r") as f:  # the table exactly as the file holds it
            for k, option in enumerate(c.options):
                for j, outcome in enumerate(c.outcomes):
                    row = c.table[(c.table.option == option) & (c.table.outcome == outcome)].iloc[0]
                    for column in ("mean", "low", "difference_high", "per_million"):
                        stored = f["table/" + column][k, j]
                        self.assertTrue(row[column] == stored or (np.isnan(row[column]) and np.isnan(stored)))

    def test_sweep(self):
        s = open_file(SWEEP)
        self.assertIsInstance(s, Sweep)
        self.assertEqual(s.design_type, "morris")
        self.assertEqual(list(s.design().columns), ["citizens.legitimacy", "police.paid_share"])
        runs = s.runs()
        self.assertEqual(len(runs), 2 * 3 * 3)
        self.assertIn("fighters", runs.columns)
        self.assertEqual(s.series("fighters").shape[0], 18)


class Plots(unittest.TestCase):
    def check(self, fig, xlabel=None, title=None, size=8000):
        axes = fig.axes
        self.assertTrue(axes)
        if xlabel:
            self.assertIn(xlabel, [a.get_xlabel() for a in axes])
        if title:
            self.assertTrue(any(title in a.get_title() for a in axes) or title in (fig._suptitle.get_text() if fig._suptitle else ""))
        self.assertGreater(len(png_bytes(fig)), size)

    def test_comparison_plots(self):
        c = open_file(COMPARISON)
        # The scenario has a calendar: time axes in dates, the first at its start date.
        self.assertTrue(c.params["run"].get("start_date"))
        self.check(plots.outcome_bands(c, "civilian_fatalities"), "date", "civilian deaths since the decision")
        fig = plots.outcome_bands(c, "fighters")
        self.check(fig, "date", "armed-group fighters per step")
        dates = plots.step_dates(c.params, 3)
        self.assertEqual(str(dates[0]), str(c.params["run"]["start_date"]))
        self.assertEqual(int((dates[2] - dates[0]) / np.timedelta64(1, "D")),
                         {"day": 2, "week": 14, "month": 61}[c.params["run"].get("step_length", "week")])
        self.check(plots.forest(c), None, "Difference from the baseline")

    def test_run_plots(self):
        r = open_file(RUN)
        for layer in ("control", "fatalities", "flow", "cells"):
            self.check(plots.grid_map(r, layer, 30), "x (cells)", "at step 30")
        self.check(plots.corruption_map(r), "x (cells)", "Corruption")
        self.check(plots.spending(r), "step", "Mission spending")
        self.check(plots.time_series(r, ["timeseries/active"]), "step")

    def test_sweep_plots(self):
        s = open_file(SWEEP)
        sensitivity = pd.read_csv(SENSITIVITY)
        self.check(plots.sweep_scatter(s, "fighters"), "police.paid_share")
        self.check(plots.morris(sensitivity, "fighters"), "mu* (mean |elementary effect|)", "Morris screening")
        sobol_rows = pd.DataFrame([{"outcome": "y", "factor": f, "measure": m, "value": v, "low": v - 0.1, "high": v + 0.1}
                                   for f in ("a", "b") for m, v in (("first_order", 0.3), ("total", 0.5))])
        self.check(plots.sobol(sobol_rows, "y"), None, "Sobol indices")

    def test_t_quantile(self):
        for dof, exact in ((1, 12.7062047361747), (2, 4.30265272974946), (5, 2.57058183563631), (19, 2.09302405440831)):
            self.assertAlmostEqual(plots.t_quantile(0.975, dof), exact, delta=5e-4)


class Tags(html.parser.HTMLParser):
    VOID = {"meta", "img", "br", "hr", "link", "input"}

    def __init__(self):
        super().__init__()
        self.stack, self.problems, self.values, self.images = [], [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "td" and attrs.get("data-value"):
            self.values.append(attrs["data-value"])
        if tag == "img":
            self.images.append(attrs.get("src", ""))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.problems.append(tag)


class Report(unittest.TestCase):
    def parse(self, path):
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        self.assertTrue(text.startswith("<!DOCTYPE html>"))
        tags = Tags()
        tags.feed(text)
        self.assertEqual(tags.problems, [])
        self.assertEqual(tags.stack, [])
        self.assertTrue(tags.images)
        self.assertTrue(all(src.startswith("data:image/png;base64,") for src in tags.images))  # nothing from a network
        return text, tags

    def test_comparison_report(self):
        out = os.path.join(OUT, "comparison.html")
        write_report(COMPARISON, out)
        text, tags = self.parse(out)
        values = set(tags.values)
        with h5py.File(COMPARISON, "r") as f:
            for column in ("mean", "low", "high", "difference", "difference_low", "difference_high", "extra_cost", "per_million"):
                for v in f["table/" + column][...].ravel():
                    if not np.isnan(v):
                        self.assertIn(repr(float(v)), values, column)
        for needle in ("Headline table", "sanctions", "Provenance", "civilian deaths", "decision", "The decision in brief",
                       "clearly better than the baseline", "Cost on top of the baseline", "host consent withdrawn"):
            self.assertIn(needle, text)
        # The title names the scenario, not the path it lay at; the brief comes before the tables.
        self.assertIn("<h1>Comparing mandate options: mission/sahel_mandate</h1>", text)
        self.assertLess(text.index("The decision in brief"), text.index("Headline table"))
        # Every outcome with a direction has a row in the brief, coloured by its verdict where there is one.
        c = open_file(COMPARISON)
        brief = text[text.index("The decision in brief"):text.index("What was compared")]
        for o in c.outcomes:
            meta = c.meta[o]
            if meta.get("better") in ("lower", "higher") and meta.get("event") != 1.0:
                self.assertIn(f"{meta['label']} ({meta['better']})", brief, o)

    def test_run_and_sweep_reports(self):
        for path, needle in ((RUN, "Maps at the last snapshot"), (SWEEP, "morris design")):
            out = os.path.join(OUT, os.path.basename(path) + ".html")
            write_report(path, out, sensitivity=SENSITIVITY)
            text, tags = self.parse(out)
            self.assertIn(needle, text)
        # The sweep's ranges as its file declares them (police.paid_share from 0.2 to 1.0), not only as sampled.
        self.assertIn("range from", text)
        self.assertIn(repr(0.2), tags.values)
        self.assertIn(repr(1.0), tags.values)


if __name__ == "__main__":
    unittest.main()
