"""The comparison table recomputed from a comparison file's raw outcomes, independently of pocsim.

    from analysis import open_file, decisions
    c = open_file("results/mali-comparison.h5")
    table = decisions.recompute(c)         # the same rows and columns as c.table

Every statistic is over worlds: parameter draws (each the mean of its replicates) when the comparison drew
parameters, replicates otherwise; only columns every option finished count (docs/comparing.md).
"""
import math

import numpy as np
import pandas as pd
from scipy import stats


def worlds(c):
    """The finished columns grouped by world: a list of column index arrays."""
    finished = np.flatnonzero(c.done.all(axis=0))
    if not c.draws:
        return [np.array([r]) for r in finished]
    groups = {}
    for r in finished:
        groups.setdefault(r // c.replicates, []).append(r)
    return [np.array(groups[d]) for d in sorted(groups)]


def by_world(values, groups):
    """[option, column] values to [option, world] means."""
    return np.stack([values[:, g].mean(axis=1) for g in groups], axis=1) if groups else np.zeros((values.shape[0], 0))


def mean_interval(x, confidence):
    n = len(x)
    if n == 0:
        return math.nan, math.nan, math.nan
    m = float(np.mean(x))
    if n < 2:
        return m, math.nan, math.nan
    half = stats.t.ppf(0.5 + confidence / 2, n - 1) * float(np.std(x, ddof=1)) / math.sqrt(n)
    return m, m - half, m + half


def fieller(d, cost, confidence):
    """Fieller's interval for mean(d) / mean(cost), per $1,000,000 (NaN when unbounded)."""
    n = len(d)
    if n < 2:
        return math.nan, math.nan
    dm, cm = np.mean(d), np.mean(cost)
    sdd, scc = np.var(d, ddof=1), np.var(cost, ddof=1)
    sdc = np.sum((d - dm) * (cost - cm)) / (n - 1)
    q = stats.t.ppf(0.5 + confidence / 2, n - 1) ** 2 / n
    a, b, k = cm * cm - q * scc, dm * cm - q * sdc, dm * dm - q * sdd
    if not a > 0:
        return math.nan, math.nan
    root = math.sqrt(max(0.0, b * b - a * k))
    return 1e6 * (b - root) / a, 1e6 * (b + root) / a


def weighted_score(c, groups):
    """Each run's weighted score from the criteria in the file ("name=weight"), [option, column]."""
    finished = np.concatenate(groups) if groups else np.array([], dtype=int)
    score = np.zeros_like(c.values(c.outcomes[0]))
    for item in c.criteria:
        name, weight = item.split("=")
        x = c.values(name)
        scale = abs(x[0, finished].mean()) if len(finished) else 0.0
        scale = scale or 1.0
        sign = -1.0 if c.meta[name]["better"] == "lower" else 1.0
        score = score + float(weight) * sign * x / scale
    return score


def _rows(c, groups, name, x, meta, cost):
    nan = math.nan
    better = meta.get("better", "neither")
    sign = {"lower": -1.0, "higher": 1.0}.get(better, 0.0)
    v, cw = by_world(x, groups), by_world(cost, groups)
    n_worlds = v.shape[1]
    finished = np.concatenate(groups) if groups else np.array([], dtype=int)
    rows = []
    for k, option in enumerate(c.options):
        row = dict.fromkeys(("difference", "difference_low", "difference_high", "extra_cost", "per_million",
                             "per_million_low", "per_million_high", "p_better", "p_tie", "p_worse", "p_best",
                             "p_best_tied", "regret", "share_parameters", "p_happened", "first_step"), nan)
        row.update(option=option, outcome=name, replicates=float(n_worlds))
        mean, low, high = mean_interval(v[k], c.confidence)
        lo, hi = meta.get("lowest", -math.inf), meta.get("highest", math.inf)
        if not math.isnan(low):
            low, high = min(max(low, lo), hi), min(max(high, lo), hi)
        row.update(mean=mean, low=low, high=high)
        if sign != 0 and n_worlds:
            s = sign * v
            top = s.max(axis=0)
            at_top = s[k] == top
            alone = at_top & ((s == top).sum(axis=0) == 1)
            row.update(p_best=alone.mean(), p_best_tied=(at_top & ~alone).mean(), regret=float(np.mean(top - s[k])))
            if k > 0:
                row.update(p_better=float(np.mean(s[k] > s[0])), p_tie=float(np.mean(v[k] == v[0])))
                row["p_worse"] = 1.0 - row["p_better"] - row["p_tie"]
        if c.draws and c.replicates >= 2 and n_worlds >= 2:
            within = [np.var(x[k, g], ddof=1) for g in groups if len(g) >= 2]
            if within:
                w = float(np.mean(within))
                between = max(0.0, float(np.var(v[k], ddof=1)) - w / c.replicates)
                row["share_parameters"] = between / (between + w) if between + w > 0 else 0.0
        if meta.get("event", 0) and len(finished):
            happened = [r for r in finished if x[k, r] > 0]
            row["p_happened"] = len(happened) / len(finished)
            if happened:
                series = c.series(name)[k]
                firsts = [c.decision + int(np.argmax(series[r, c.decision:] > 0)) for r in happened]
                row["first_step"] = float(np.mean(firsts))
        if k > 0:
            d, e = v[k] - v[0], cw[k] - cw[0]
            mean_d, low_d, high_d = mean_interval(d, c.confidence)
            row.update(difference=mean_d, difference_low=low_d, difference_high=high_d, extra_cost=float(np.mean(e)))
            if row["extra_cost"] > 0 and name != "mission_cost":
                row["per_million"] = mean_d / (row["extra_cost"] / 1e6)
                row["per_million_low"], row["per_million_high"] = fieller(d, e, c.confidence)
        rows.append(row)
    return rows


def recompute(c):
    """The comparison's table, computed here from its raw outcomes: a data frame like `c.table`."""
    groups = worlds(c)
    cost = c.values("mission_cost")
    rows = []
    for name in c.outcomes:
        rows += _rows(c, groups, name, c.values(name), c.meta[name], cost)
    if c.criteria:
        rows += _rows(c, groups, "weighted_score", weighted_score(c, groups), {"better": "higher"}, cost)
    return pd.DataFrame(rows)


def pareto_shares(c):
    """Per option, the share of worlds in which no other option is at least as good on every outcome of the
    file's Pareto set and better on one."""
    groups = worlds(c)
    signed = [by_world(c.values(n), groups) * (-1.0 if c.meta[n]["better"] == "lower" else 1.0) for n in c.pareto]
    n_options, n_worlds = len(c.options), len(groups)
    share = np.zeros(n_options)
    for i in range(n_worlds):
        for k in range(n_options):
            dominated = any(all(s[j, i] >= s[k, i] for s in signed) and any(s[j, i] > s[k, i] for s in signed)
                            for j in range(n_options) if j != k)
            share[k] += not dominated
    return share / n_worlds if n_worlds else share * math.nan


def pairwise(c):
    """[outcome, row option, column option]: the share of worlds in which the row option beats the column option
    by the outcome's direction (NaN without one, and on the diagonal), over the table's outcomes."""
    groups = worlds(c)
    names = list(c.outcomes) + (["weighted_score"] if c.criteria else [])
    out = np.full((len(names), len(c.options), len(c.options)), math.nan)
    for o, name in enumerate(names):
        better = "higher" if name == "weighted_score" else c.meta[name].get("better", "neither")
        sign = {"lower": -1.0, "higher": 1.0}.get(better, 0.0)
        if sign == 0 or not groups:
            continue
        x = weighted_score(c, groups) if name == "weighted_score" else c.values(name)
        v = sign * by_world(x, groups)
        for k in range(len(c.options)):
            for j in range(len(c.options)):
                if j != k:
                    out[o, k, j] = float(np.mean(v[k] > v[j]))
    return out
