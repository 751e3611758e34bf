#!/usr/bin/python3
"""Set each library setting's baseline beside the figures observed where it is set.

Usage: /usr/bin/python3 analysis/reality_check.py [--pocsim build/release/pocsim] [--seeds 10]
                                                  [--steps N] [--settings mali car ...] [-o TABLE.md]

Runs scenarios/library/<setting>/base.yaml (and each overlay named setting/overlay, e.g. mali/people:
scenarios/library/mali/people.yaml) for seeds 1..N, measures what the datasets measure (deaths
per 100,000 people a year, the one-sided share of deaths, the share of households the police met that
paid a bribe) and prints a Markdown table beside analysis/data/reference_figures.csv, with the ratio
model / observed and whether the model is within a factor of 3. docs/reality.md is this table, with
what it means. Needs Debian's python3-h5py and python3-numpy.
"""
import argparse
import csv
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SETTINGS = ["mali", "car", "drc_east", "libya", "guinea_bissau"]
# Overlays measured beside their base, named setting/overlay: the settings re-expressed in people so far.
VARIANTS = [s + "/people" for s in SETTINGS]
QUANTITIES = {
    "fatality_rate": "deaths per 100,000 people a year",
    "one_sided_share": "one-sided share of deaths",
    "household_bribery_rate": "households that met the police and paid a bribe",
    "active_share": "share of citizens openly active (unrest), mean",
}
STEPS_PER_YEAR = {"day": 365.25, "week": 365.25 / 7.0, "month": 12.0}


def read_references(path=os.path.join(HERE, "data", "reference_figures.csv")):
    with open(path, newline="") as f:
        rows = [r for r in csv.DictReader(line for line in f if not line.startswith("#"))]
    return {(r["setting"], r["quantity"]): r for r in rows}


def measure(path):
    """The run's figures in the datasets' units, from a file `pocsim run` wrote."""
    with h5py.File(path, "r") as f:
        ts = f["timeseries"]
        citizens = int(ts["quiet"][0] + ts["active"][0] + ts["jailed"][0])
        if "communities/fighters" in f:
            citizens += int(f["communities/fighters"][0] + f["communities/dead"][0])
        # A scenario stating geography.people stands for them; otherwise each citizen is one person.
        people = float(f["communities/people"][0]) if "communities/people" in f else float(citizens)
        steps = len(ts["step"]) - 1
        step_length = "week"
        for line in f.attrs["parameters_resolved"].splitlines():
            if line.strip().startswith("step_length:"):
                step_length = line.split(":", 1)[1].strip()
        years = steps / STEPS_PER_YEAR.get(step_length, STEPS_PER_YEAR["week"])
        out = {"active_share": float(np.mean(ts["active"][1:])) / citizens}
        if "violence/fatalities_by_type" in f:
            by_type = f["violence/fatalities_by_type"][1:].sum(axis=0)
            labels = [str(x) for x in f["violence/fatalities_by_type"].attrs["labels_violence_type"]]
            deaths = by_type.sum()
            out["fatality_rate"] = 1e5 * deaths / people / years
            out["one_sided_share"] = by_type[labels.index("one_sided")] / deaths if deaths > 0 else float("nan")
        else:
            out["fatality_rate"] = 0.0
        if "police/household_contacts" in f:
            met = f["police/household_contacts"][1:].sum()
            paid = f["police/extortions"][1:].sum()
            out["household_bribery_rate"] = paid / met if met > 0 else float("nan")
        return out


def run_setting(pocsim, setting, seeds, steps, work):
    base, _, overlay = setting.partition("/")
    scenario = os.path.join(ROOT, "scenarios", "library", base, (overlay or "base") + ".yaml")
    runs = []
    for seed in range(1, seeds + 1):
        out = os.path.join(work, f"{setting.replace('/', '-')}-{seed}.h5")
        cmd = [pocsim, "run", scenario, "-o", out, "--seed", str(seed), "-q", "--force"]
        if steps:
            cmd += ["--steps", str(steps)]
        subprocess.run(cmd, check=True)
        runs.append(measure(out))
    return runs


def verdict(model, observed, kind):
    """How the model stands against an observed figure: a ratio, or a side of a bound."""
    if np.isnan(model):
        return "not measured"
    if kind == "upper_bound":
        return f"{model / observed:.3g} x the bound ({'below' if model <= observed else 'ABOVE'} it)"
    if kind == "lower_bound":
        return f"{model / observed:.3g} x the bound ({'above' if model >= observed else 'BELOW'} it)"
    ratio = model / observed
    return f"{ratio:.3g} x ({'within' if 1 / 3 <= ratio <= 3 else 'OUTSIDE'} a factor of 3)"


def fmt(x):
    if np.isnan(x):
        return "-"
    return f"{x:.3g}" if abs(x) < 1000 else f"{x:,.0f}"


def table(results, refs, seeds, steps):
    lines = [
        "| setting | quantity | model: mean [min, max] over seeds | observed | period, area | kind | model / observed |",
        "|---|---|---|---|---|---|---|",
    ]
    for setting, runs in results.items():
        for q, label in QUANTITIES.items():
            ref = refs.get((setting.partition("/")[0], q))
            values = np.array([r.get(q, float("nan")) for r in runs], dtype=float)
            finite = values[~np.isnan(values)]
            if ref is None and finite.size == 0:
                continue
            model = float(finite.mean()) if finite.size else float("nan")
            span = f"{fmt(model)} [{fmt(finite.min())}, {fmt(finite.max())}]" if finite.size else "not measured"
            if ref is None:
                lines.append(f"| {setting} | {label} | {span} | no figure found | - | - | - |")
                continue
            observed = float(ref["value"])
            lines.append(f"| {setting} | {label} | {span} | {fmt(observed)} | {ref['period']}, {ref['area']} | "
                         f"{ref['kind']} | {verdict(model, observed, ref['kind'])} |")
    lines.append("")
    lines.append(f"{seeds} seeds per setting" + (f", {steps} steps" if steps else ", the whole run") +
                 "; sources and arithmetic of the observed figures: analysis/data/reference_figures.csv.")
    return "\n".join(lines) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pocsim", default=os.path.join(ROOT, "build", "release", "pocsim"))
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--steps", type=int, default=0, help="shorter runs (for a quick check); default: the whole run")
    ap.add_argument("--settings", nargs="+", default=SETTINGS + VARIANTS, choices=SETTINGS + VARIANTS)
    ap.add_argument("-o", "--output", help="write the table here as well as to standard output")
    a = ap.parse_args(argv)
    if a.seeds < 1:
        ap.error("--seeds must be at least 1")
    refs = read_references()
    with tempfile.TemporaryDirectory() as work:
        results = {s: run_setting(a.pocsim, s, a.seeds, a.steps, work) for s in a.settings}
    text = table(results, refs, a.seeds, a.steps)
    sys.stdout.write(text)
    if a.output:
        with open(a.output, "w") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
