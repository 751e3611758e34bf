"""Figures from pocsim files. Every function returns a matplotlib Figure (save it with .savefig; a
notebook shows it in place). The backend is matplotlib's own choice: inline in Jupyter, a window on a
desktop, Agg (files only) where there is no display."""
import math

import matplotlib.pyplot as plt
from matplotlib.colors import ListedColormap
from matplotlib.patches import Circle, Rectangle
import numpy as np

COLOURS = ["#4d4d4d", "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d"]
CELL_COLOURS = ["#ffffff", "#9ecae1", "#de2d26", "#636363", "#08306b"]  # empty quiet active jailed cop


def t_quantile(p, dof):
    """Student's t quantile: exact for 1 and 2 degrees of freedom, Cornish-Fisher above (error < 0.005 at 3, < 1e-4 from 10)."""
    if dof == 1:
        return math.tan(math.pi * (p - 0.5))
    if dof == 2:
        a = 4 * p * (1 - p)
        return 2 * (p - 0.5) * math.sqrt(2 / a)
    z = _normal_quantile(p)
    g1 = (z ** 3 + z) / 4
    g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96
    g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384
    g4 = (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z) / 92160
    return z + g1 / dof + g2 / dof ** 2 + g3 / dof ** 3 + g4 / dof ** 4


def _normal_quantile(p):
    # Acklam's rational approximation, relative error < 1.2e-9.
    a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
         -3.066479806614716e+01, 2.506628277459239e+00]
    b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
         -1.328068155288572e+01]
    c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
         4.374664141464968e+00, 2.938163982698783e+00]
    d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
    if p < 0.02425:
        q = math.sqrt(-2 * math.log(p))
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    if p > 1 - 0.02425:
        return -_normal_quantile(1 - p)
    q = p - 0.5
    r = q * q
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)


def _mean_band(x):
    """Mean over axis 0 and its 95 % interval (Student's t), ignoring NaN."""
    n = np.sum(np.isfinite(x), axis=0)
    mean = np.nanmean(x, axis=0)
    if x.shape[0] < 2:
        return mean, mean, mean
    sd = np.nanstd(x, axis=0, ddof=1)
    half = t_quantile(0.975, max(int(n.min()) - 1, 1)) * sd / np.sqrt(np.maximum(n, 1))
    return mean, mean - half, mean + half


# ---- Comparisons --------------------------------------------------------------------------------------

def step_dates(params, n_steps):
    """The calendar date of each step (numpy datetime64) when the run has a start date, else None."""
    run = (params or {}).get("run", {})
    start = run.get("start_date")
    if not start:
        return None
    days = {"day": 1.0, "week": 7.0, "month": 365.25 / 12}.get(run.get("step_length", "week"), 7.0)
    offsets = np.round(np.arange(n_steps) * days).astype("timedelta64[D]")
    return np.datetime64(str(start), "D") + offsets


def outcome_bands(comparison, outcome):
    """An outcome over time for every option: mean over replicates and its 95 % band; the decision marked.
    Outcomes counted as totals (deaths, dollars) are shown cumulated from the decision; levels per step."""
    meta = comparison.meta[outcome]
    series = comparison.series(outcome)
    cumulative = meta.get("combine") == "total"
    if cumulative:
        series = np.cumsum(np.where(np.arange(series.shape[2]) >= comparison.decision, series, 0.0), axis=2)
    fig, ax = plt.subplots(figsize=(8, 3.6))
    # Dates where the scenario has a calendar: planners read "mid-2028", not "step 80".
    dates = step_dates(getattr(comparison, "params", None), series.shape[2])
    steps = dates if dates is not None else np.arange(series.shape[2])
    decision = steps[min(comparison.decision, len(steps) - 1)]
    for k, option in enumerate(comparison.options):
        runs = series[k][comparison.done[k]]
        if len(runs) == 0:
            continue
        mean, low, high = _mean_band(runs)
        colour = COLOURS[k % len(COLOURS)]
        ax.plot(steps, mean, color=colour, lw=1.3, label=option)
        ax.fill_between(steps, low, high, color=colour, alpha=0.18, lw=0)
    ax.axvline(decision, color="#999999", ls="--", lw=0.8)
    ax.text(decision, ax.get_ylim()[1], " decision", va="top", fontsize=8, color="#666666")
    ax.set_xlabel("date" if dates is not None else "step")
    if dates is not None:
        fig.autofmt_xdate()
    ax.set_ylabel(f"{meta['label']} ({meta['units']})")
    what = "since the decision, cumulated" if cumulative else "per step"
    runs_done = int(comparison.done.all(axis=0).sum())
    ax.set_title(f"{meta['label']} {what}: mean and 95 % band over {runs_done} runs", fontsize=10)
    ax.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    return fig


def forest(comparison, outcomes=None):
    """Paired differences from the baseline with their 95 % intervals: one panel per outcome, one row per option."""
    table = comparison.table
    outcomes = outcomes or comparison.outcomes
    options = comparison.options[1:]
    cols = 3
    rows = math.ceil(len(outcomes) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(11, 1.0 + 1.25 * rows * max(1, len(options)) / 2 + 0.6 * rows), squeeze=False)
    for ax, outcome in zip(axes.flat, outcomes):
        sub = table[(table.outcome == outcome) & (table.option != "baseline")].set_index("option").loc[options]
        y = np.arange(len(options))[::-1]
        ax.errorbar(sub["difference"], y, xerr=[sub["difference"] - sub["difference_low"], sub["difference_high"] - sub["difference"]],
                    fmt="o", color="#333333", ecolor="#777777", capsize=3, ms=4)
        ax.axvline(0, color="#d62728", lw=0.8)
        ax.set_yticks(y)
        ax.set_yticklabels(options, fontsize=8)
        ax.set_title(f"{comparison.meta[outcome]['label']} ({comparison.meta[outcome]['units']})", fontsize=9)
        ax.tick_params(axis="x", labelsize=7)
    for ax in list(axes.flat)[len(outcomes):]:
        ax.axis("off")
    fig.suptitle("Difference from the baseline (paired, 95 % interval)", fontsize=11)
    fig.tight_layout()
    return fig


# ---- Runs -----------------------------------------------------------------------------------------------

LAYER_TITLES = {"control": "control by armed group", "fatalities": "deaths in violence", "flow": "illicit flow",
                "cells": "citizens and police"}


def draw_geography(ax, params):
    """Regions, roads, named places and mission bases of a scenario, over a map drawn with imshow."""
    geo = params.get("geography", {}) or {}
    for region in geo.get("regions", []) or []:
        if "rect" in region:
            x0, y0, x1, y1 = region["rect"]
            ax.add_patch(Rectangle((x0 - 0.5, y0 - 0.5), x1 - x0 + 1, y1 - y0 + 1, fill=False, ec="#555555", lw=0.6, ls=":"))
            ax.text(x0 + 0.5, y0 + 1.5, region["name"], fontsize=6, color="#555555")
    for road in geo.get("roads", []) or []:
        path = np.array(road.get("path", []))
        if len(path):
            ax.plot(path[:, 0], path[:, 1], color="#8c6d31", lw=1.0)
    markers = {"border_crossing": ("X", "#000000"), "mine": ("^", "#b8860b"), "town": ("o", "#000000"), "market": ("s", "#000000")}
    for point in geo.get("points", []) or []:
        marker, colour = markers.get(point.get("kind"), ("o", "#000000"))
        x, y = point["at"]
        ax.plot(x, y, marker=marker, color=colour, ms=5, mec="white", mew=0.5)
        ax.text(x + 1, y - 1, point["name"], fontsize=6)
    for base in (params.get("mission", {}) or {}).get("bases", []) or []:
        x, y = base["at"]
        ax.add_patch(Circle((x, y), base.get("radius", 5), fill=False, ec="#1f78b4", lw=1.0))
        ax.plot(x, y, marker="P", color="#1f78b4", ms=7, mec="white", mew=0.5)
        ax.text(x + 1, y + 2, base["name"], fontsize=6, color="#1f78b4")


def grid_map(run, layer, step):
    """A snapshot layer at the snapshot nearest `step`, with the scenario's geography drawn on it."""
    values, at = run.layer(layer, step)
    fig, ax = plt.subplots(figsize=(7, 7 * values.shape[0] / max(values.shape[1], 1) + 0.6))
    if layer == "cells":
        image = ax.imshow(values, cmap=ListedColormap(CELL_COLOURS), vmin=-0.5, vmax=4.5, interpolation="nearest")
    elif layer == "control":
        groups = [g["name"] for g in (run.params.get("armed_groups", {}) or {}).get("groups", []) or []]
        cmap = ListedColormap(["#ffffff"] + COLOURS[1:] * 40)
        image = ax.imshow(values, cmap=cmap, vmin=-0.5, vmax=cmap.N - 0.5, interpolation="nearest")
        # Slots 0..G-1 are the scenario's groups; higher slots are splinter groups split off during the run.
        present = sorted(int(v) - 1 for v in np.unique(values) if v > 0)
        names = {i: g for i, g in enumerate(groups)}
        handles = [plt.Line2D([], [], marker="s", ls="", color=COLOURS[1:][i % 7], label=names.get(i, f"splinter group (slot {i})"))
                   for i in sorted(set(range(len(groups))) | set(present))]
        if handles:
            ax.legend(handles=handles, fontsize=7, loc="lower right", framealpha=0.8)
    else:
        image = ax.imshow(values, cmap="magma_r", interpolation="nearest")
        fig.colorbar(image, ax=ax, shrink=0.7, label=run.units.get("snapshots/" + layer, ""))
    draw_geography(ax, run.params)
    ax.set_xlim(-0.5, values.shape[1] - 0.5)
    ax.set_ylim(values.shape[0] - 0.5, -0.5)
    ax.set_title(f"{LAYER_TITLES.get(layer, layer)} at step {at}", fontsize=10)
    ax.set_xlabel("x (cells)")
    ax.set_ylabel("y (cells)")
    fig.tight_layout()
    return fig


def corruption_map(run):
    """Bribes taken by police in each region over the whole run, as a map, with the police posts marked."""
    from matplotlib.path import Path

    bribes = run.quantities["regions/bribes"].sum(axis=0)
    geo = run.params.get("geography", {}) or {}
    height, width = run.params["grid"]["height"], run.params["grid"]["width"]
    values = np.full((height, width), np.nan)
    ys, xs = np.mgrid[0:height, 0:width]
    centres = np.column_stack([xs.ravel(), ys.ravel()])
    for i, region in enumerate(geo.get("regions", []) or []):
        if "rect" in region:
            x0, y0, x1, y1 = region["rect"]
            inside = (xs >= x0) & (xs <= x1) & (ys >= y0) & (ys <= y1)
        else:
            inside = Path(np.array(region["polygon"])).contains_points(centres).reshape(height, width)
        values[inside & np.isnan(values)] = bribes[i]
    fig, ax = plt.subplots(figsize=(7, 7 * height / max(width, 1) + 0.6))
    image = ax.imshow(values, cmap="Oranges", interpolation="nearest")
    fig.colorbar(image, ax=ax, shrink=0.7, label="bribes taken over the run")
    for post in (run.params.get("police", {}) or {}).get("posts", []) or []:
        x, y = post["at"]
        ax.plot(x, y, marker="D", color="#08306b", ms=5, mec="white", mew=0.5)
        ax.text(x + 1, y + 2, post["name"], fontsize=6, color="#08306b")
    draw_geography(ax, run.params)
    ax.set_xlim(-0.5, width - 0.5)
    ax.set_ylim(height - 0.5, -0.5)
    ax.set_title("Corruption: bribes taken by police, by region", fontsize=10)
    ax.set_xlabel("x (cells)")
    ax.set_ylabel("y (cells)")
    fig.tight_layout()
    return fig


def spending(run):
    """The mission's spending on each lever per step (stacked), in dollars."""
    values, dims, labels = run.quantity("mission/spending")
    levers = labels.get("lever", [str(i) for i in range(values.shape[1])])
    dollars = values / 100.0
    used = [i for i in range(dollars.shape[1]) if dollars[:, i].any()]
    fig, ax = plt.subplots(figsize=(8, 3.4))
    if used:
        ax.stackplot(run.steps, *[dollars[:, i] for i in used], labels=[run.lever_label(levers[i]) for i in used],
                     colors=[COLOURS[(j + 1) % len(COLOURS)] for j in range(len(used))], alpha=0.85)
        ax.legend(frameon=False, fontsize=8, loc="upper left")
    ax.set_xlabel("step")
    ax.set_ylabel("$ per step")
    ax.set_title("Mission spending by lever", fontsize=10)
    fig.tight_layout()
    return fig


def time_series(run, paths):
    """Recorded quantities over time (each summed over its other dimensions)."""
    fig, ax = plt.subplots(figsize=(8, 3.4))
    for i, path in enumerate(paths):
        values = run.quantities[path]
        values = values.reshape(len(values), -1).sum(axis=1) if values.ndim > 1 else values
        ax.plot(run.steps, values, color=COLOURS[i % len(COLOURS)], lw=1.2, label=f"{path} ({run.units.get(path, '')})")
    ax.set_xlabel("step")
    ax.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    return fig


# ---- Sweeps ---------------------------------------------------------------------------------------------

def sweep_scatter(sweep, outcome):
    """An outcome against each swept parameter, one point per finished run."""
    runs = sweep.runs()
    runs = runs[runs.status == 1]
    k = len(sweep.factors)
    fig, axes = plt.subplots(1, k, figsize=(3.0 * k, 2.9), squeeze=False, sharey=True)
    for ax, factor in zip(axes[0], sweep.factors):
        ax.scatter(runs[factor], runs[outcome], s=8, color="#1b9e77", alpha=0.7)
        ax.set_xlabel(factor, fontsize=8)
        ax.tick_params(labelsize=7)
    axes[0][0].set_ylabel(outcome)
    fig.tight_layout()
    return fig


def morris(sensitivity, outcome):
    """Morris screening: mu* against sigma for each parameter (a data frame as `pocsim analyse -o` writes)."""
    sub = sensitivity[sensitivity.outcome == outcome].pivot(index="factor", columns="measure", values="value")
    fig, ax = plt.subplots(figsize=(5.5, 4))
    ax.scatter(sub["mu_star"], sub["sigma"], color="#d95f02")
    for factor, row in sub.iterrows():
        ax.annotate(factor, (row["mu_star"], row["sigma"]), fontsize=7, xytext=(3, 3), textcoords="offset points")
    ax.set_xlabel("mu* (mean |elementary effect|)")
    ax.set_ylabel("sigma")
    ax.set_title(f"Morris screening: {outcome}", fontsize=10)
    fig.tight_layout()
    return fig


def sobol(sensitivity, outcome):
    """Sobol first-order and total indices with their bootstrap intervals."""
    sub = sensitivity[sensitivity.outcome == outcome]
    factors = list(dict.fromkeys(sub.factor))
    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    x = np.arange(len(factors))
    for shift, measure, colour in ((-0.2, "first_order", "#7570b3"), (0.2, "total", "#1b9e77")):
        rows = sub[sub.measure == measure].set_index("factor").loc[factors]
        ax.bar(x + shift, rows["value"], width=0.4, color=colour, label=measure.replace("_", " "),
               yerr=[rows["value"] - rows["low"], rows["high"] - rows["value"]], capsize=3)
    ax.set_xticks(x)
    ax.set_xticklabels(factors, fontsize=7, rotation=20, ha="right")
    ax.set_ylabel("Sobol index")
    ax.set_title(f"Sobol indices: {outcome}", fontsize=10)
    ax.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    return fig
