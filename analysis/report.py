"""A self-contained HTML report of a pocsim file, written for a planner who does not read code.

    /usr/bin/python3 -m analysis.report FILE -o report.html [--sensitivity SENSITIVITY.csv] [--pocsim PATH]

FILE is a comparison (pocsim compare), a run (pocsim run) or a sweep store (pocsim sweep). Figures are
embedded as images: the file opens in any browser without a network. For a sweep, the sensitivity table
is read from --sensitivity (pocsim analyse -o) or computed by running `pocsim analyse` (--pocsim, $POCSIM,
or build/release/pocsim beside this package).
"""
import argparse
import base64
import datetime
import html
import io
import math
import os
import subprocess
import sys
import tempfile

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from . import plots
from .readers import Comparison, Explanation, Run, Sweep, open_file

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 2em; }
table { border-collapse: collapse; font-size: 0.9em; margin: 0.5em 0 1em; }
@media screen { table { display: block; overflow-x: auto; max-width: 100%; } }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: right; } th { background: #f4f4f4; }
td.name, th.name { text-align: left; } tr.baseline td { background: #fafafa; color: #555; }
td.better { color: #1a7f37; } td.worse { color: #b42318; } td.unclear { color: #777; }
.warning { background: #fff4e5; border-left: 4px solid #b54708; padding: 0.5em 0.8em; }
@media print { body { max-width: none; margin: 0; font-size: 10pt; } table { font-size: 0.75em; } h2, h3 { break-after: avoid; }
  img, tr { break-inside: avoid; } pre { white-space: pre-wrap; } }
pre { background: #f7f7f7; padding: 0.8em; overflow-x: auto; font-size: 0.8em; }
.note { color: #555; font-size: 0.9em; } img { max-width: 100%; }
"""


def readable(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "&ndash;"
    if abs(v) >= 1e4:
        return f"{v:,.0f}"
    return f"{v:.4g}"


def cell(v, css=""):
    """A table cell: readable, with the exact value the file holds in data-value."""
    exact = "" if v is None or (isinstance(v, float) and math.isnan(v)) else repr(float(v))
    return f'<td class="{css}" data-value="{exact}">{readable(v)}</td>'


def figure(fig, alt):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode()
    return f'<p><img alt="{html.escape(alt)}" src="data:image/png;base64,{data}"></p>'


def step_date(params, step):
    dates = plots.step_dates(params, step + 1)
    return f"step {step}" if dates is None else f"step {step} ({dates[-1]})"


def provenance(f):
    a = f.attrs
    rows = "".join(f"<tr><th class='name'>{html.escape(k)}</th><td class='name'>{html.escape(str(a.get(k, '')))}</td></tr>"
                   for k in ("pocsim_version", "git_commit", "git_dirty", "build_type", "compiler", "hostname", "command_line",
                             "seed", "threads", "start_time", "end_time", "hdf5_version", "rng"))
    # Which analysis code drew this report: an installed package or a source tree.
    rows += f"<tr><th class='name'>analysis package</th><td class='name'>{html.escape(os.path.dirname(os.path.abspath(__file__)))}</td></tr>"
    out = f"<h2>Provenance</h2><table>{rows}</table>"
    out += f"<h3>Scenario ({html.escape(str(a.get('scenario_path', '')))})</h3><pre>{html.escape(a.get('scenario_yaml', ''))}</pre>"
    if a.get("scenario_bases"):
        out += f"<h3>Files it builds on</h3><pre>{html.escape(a['scenario_bases'])}</pre>"
    if a.get("option_yaml"):
        out += f"<h3>Option ({html.escape(a.get('option_path', ''))})</h3><pre>{html.escape(a['option_yaml'])}</pre>"
    if a.get("sweep_yaml"):
        out += f"<h3>Sweep file ({html.escape(a.get('sweep_path', ''))})</h3><pre>{html.escape(a['sweep_yaml'])}</pre>"
    return out


def scenario_title(f):
    """The scenario's name for a title: its folder and file (library/mali/base.yaml -> mali/base), not where
    it lay on the machine that ran it (that is in the provenance)."""
    parts = [p for p in os.path.normpath(str(f.attrs.get("scenario_path", ""))).split(os.sep) if p and p != "."]
    return os.path.splitext("/".join(parts[-2:]))[0] if parts else "a scenario"


def money(v):
    return "&ndash;" if v is None or (isinstance(v, float) and math.isnan(v)) else f"${v:,.0f}"


def decision_brief(c):
    """The decision in plain words: per outcome that declares a direction, which option does best and which
    differ from the baseline clearly (the interval of the paired difference excludes zero) for better or
    worse; what each option costs on top of the baseline; and the regime events (host consent withdrawn,
    peace joins and exits, splits, capture) per option, consent withdrawn said first since it stops the mission."""
    table = c.table
    if table is None or table.empty:
        return ""
    options = [o for o in c.options if o != "baseline"]
    parts = ["<h2>The decision in brief</h2>"]
    events = [o for o in c.outcomes if c.meta.get(o, {}).get("event") == 1.0]
    if "consent_withdrawn" in c.outcomes:
        rows = table[table.outcome == "consent_withdrawn"]
        lost = [(r.option, r.p_happened) for _, r in rows.iterrows() if not math.isnan(r.p_happened) and r.p_happened > 0]
        if lost:
            said = "; ".join(f"{html.escape(o)}: in {p:.0%} of runs" for o, p in lost)
            parts.append(f"<p class='warning'><b>The host withdrew its consent</b> ({said}). From then on every lever and the "
                         f"peacekeepers stop: read those options' other numbers as what follows a mission's end.</p>")
    parts.append("<table><tr><th class='name'>outcome (better if)</th><th class='name'>best option</th>"
                 "<th class='name'>clearly better than the baseline</th><th class='name'>clearly worse</th>"
                 "<th class='name'>no clear difference</th></tr>")
    for o in c.outcomes:
        meta = c.meta.get(o, {})
        direction = meta.get("better")
        if direction not in ("lower", "higher") or o in events:
            continue
        rows = table[table.outcome == o]
        sign = -1.0 if direction == "lower" else 1.0
        verdicts = {"better": [], "worse": [], "unclear": []}
        for _, r in rows.iterrows():
            if r.option == "baseline":
                continue
            clear = not math.isnan(r.difference_low) and (r.difference_low > 0 or r.difference_high < 0)
            verdicts[("better" if sign * r.difference > 0 else "worse") if clear else "unclear"].append(r.option)
        # Best: the option most often alone best across worlds; by the mean where there is no such share.
        indexed = rows.set_index("option")
        shares = indexed["p_best"].dropna()
        if len(shares) and shares.max() > 0:
            best = shares.idxmax()
            best_text = f"{html.escape(best)} (alone best in {shares.max():.0%} of worlds)"
        elif len(shares):
            best_text = "none alone: the options tie in every world"
        elif indexed["mean"].notna().any():
            best_text = html.escape(indexed["mean"].idxmin() if direction == "lower" else indexed["mean"].idxmax()) + " (by the mean)"
        else:
            best_text = "&ndash;"
        parts.append(f"<tr><td class='name'>{html.escape(meta.get('label', o))} ({direction})</td><td class='name'>{best_text}</td>" +
                     "".join(f"<td class='name {css}'>{html.escape(', '.join(verdicts[css])) or '&ndash;'}</td>"
                             for css in ("better", "worse", "unclear")) + "</tr>")
    parts.append("</table>")
    costs = table[table.option != "baseline"].groupby("option")["extra_cost"].first()
    if len(costs):
        parts.append("<p>Cost on top of the baseline, over the compared period: " +
                     "; ".join(f"{html.escape(o)} {money(float(costs.get(o, float('nan'))))}" for o in options) + ".</p>")
    if events:
        parts.append("<table><tr><th class='name'>regime event: share of runs in which it happened</th>" +
                     "".join(f"<th>{html.escape(o)}</th>" for o in c.options) + "</tr>")
        for o in events:
            rows = table[table.outcome == o].set_index("option")
            parts.append(f"<tr><td class='name'>{html.escape(c.meta[o].get('label', o))}</td>" +
                         "".join(cell(float(rows["p_happened"].get(opt, float("nan")))) for opt in c.options) + "</tr>")
        parts.append("</table>")
    return "".join(parts)


def comparison_report(c):
    parts = [f"<h1>Comparing mandate options: {html.escape(scenario_title(c))}</h1>",
             f"<p>{html.escape(c.description)}</p>"]
    if not c.complete or c.table is None:
        parts.append("<p class='note'><b>This comparison did not finish</b>: the numbers below come from the replicates "
                     "every option completed.</p>")
    parts.append(decision_brief(c))
    parts.append("<h2>What was compared</h2><table><tr><th class='name'>option</th><th class='name'>what it does</th></tr>")
    for name in c.options:
        info = c.option_info.get(name, {})
        parts.append(f"<tr><td class='name'>{html.escape(name)}</td><td class='name'>{html.escape(str(info.get('description', '')))}</td></tr>")
    parts.append("</table>")
    if c.draws:
        parts.append(f"<p>The options were compared in {c.draws} worlds: draws of the parameters the scenario declares "
                     f"uncertain ({html.escape(c.parameter_source)}), each run {c.replicates} times (replicates) for every "
                     f"option. In each draw every option branched from the same state of the baseline at the decision date, "
                     f"{html.escape(step_date(c.params, c.decision))}, and met the same random events (common random "
                     f"numbers). Every statistic below is over the draws, each the mean of its replicates: a probability is "
                     f"the share of worlds in which something holds. Outcomes are counted from the decision to the end of "
                     f"the run, {html.escape(step_date(c.params, c.steps))}.</p>")
        parts.append("<table><tr><th class='name'>uncertain parameter</th><th>lowest drawn</th><th>median</th><th>highest drawn</th></tr>")
        for i, key in enumerate(c.parameters):
            v = c.parameter_values[:, i]
            parts.append(f"<tr><td class='name'>{html.escape(key)}</td>" + cell(float(v.min())) + cell(float(np.median(v))) +
                         cell(float(v.max())) + "</tr>")
        parts.append("</table>")
    else:
        parts.append(f"<p>Each option was run {int(c.done.all(axis=0).sum())} times (replicates), each time from the same state of the baseline at "
                     f"the decision date, {html.escape(step_date(c.params, c.decision))}, and with the same random events as the "
                     f"baseline's replicate (common random numbers), so a difference between an option and the baseline is the "
                     f"option's doing. Outcomes are counted from the decision to the end of the run, "
                     f"{html.escape(step_date(c.params, c.steps))}.</p>")
    if c.attrs.get("stopped_because"):
        parts.append(f"<p class='note'>Adaptive: stopped: {html.escape(str(c.attrs['stopped_because']))}.</p>")
    unit = "parameter draws" if c.draws else "replicates"
    parts.append(f"<h2>Headline table</h2><p class='note'>Mean over {unit} with its 95&nbsp;% interval; difference from the "
                 "baseline, world by world, with its 95&nbsp;% interval (an interval that excludes zero is a difference "
                 "the worlds agree on); that difference per $1,000,000 the option costs on top of the baseline, with its "
                 "interval (Fieller's); by the direction each outcome declares (green where the interval agrees the option "
                 "is better, red where it agrees it is worse), the share of worlds in which the option "
                 "beats the baseline (P better) and in which it alone is best of all options (P best); its regret (how far "
                 "short of the best option, on average); for regime events, the share of runs in which it happened and the "
                 "mean step it first did. Each cell's exact value is in its <code>data-value</code> attribute.</p>")
    table = c.table if c.table is not None else None
    if table is not None:
        # One small table per outcome (options as rows), rather than one long one of every outcome and option.
        header = ("<tr><th class='name'>option</th><th>mean</th><th>low</th><th>high</th>"
                  "<th>difference</th><th>low</th><th>high</th><th>extra cost ($)</th><th>per $1M extra</th><th>low</th>"
                  "<th>high</th><th>P better</th><th>P best</th><th>regret</th><th>happened in</th><th>first step</th></tr>")
        for outcome in table.outcome.unique():
            rows = table[table.outcome == outcome]
            first = rows.iloc[0]
            # Coloured by the direction the outcome declares, where the interval agrees on a side.
            direction = c.meta.get(outcome, {}).get("better", "higher" if outcome == "weighted_score" else "neither")
            sign = {"lower": -1.0, "higher": 1.0}.get(direction, 0.0)
            said = {"lower": "lower is better", "higher": "higher is better"}.get(direction, "no better direction")
            parts.append(f"<h3>{html.escape(first.label)} ({html.escape(first.units)}; {said})</h3><table>{header}")
            for _, r in rows.iterrows():
                baseline = r.option == "baseline"
                agreed = not baseline and sign != 0 and not math.isnan(r.difference_low) and (r.difference_low > 0 or r.difference_high < 0)
                verdict = ("better" if sign * r.difference > 0 else "worse") if agreed else ""
                css = "baseline" if baseline else ""
                parts.append(f"<tr class='{css}'><td class='name'>{html.escape(r.option)}</td>" + cell(r["mean"]) + cell(r.low) +
                             cell(r.high) + cell(r.difference, verdict) + cell(r.difference_low) + cell(r.difference_high) +
                             cell(r.extra_cost) + cell(r.per_million) + cell(r.per_million_low) + cell(r.per_million_high) +
                             cell(r.p_better) + cell(r.p_best) + cell(r.regret) + cell(r.p_happened) + cell(r.first_step) + "</tr>")
            parts.append("</table>")
        if c.draws and "share_parameters" in table:
            parts.append("<p class='note'>Share of each option's variation between runs due to the uncertain parameters "
                         "(the rest is chance), per outcome:</p><table><tr><th class='name'>outcome</th>" +
                         "".join(f"<th>{html.escape(o)}</th>" for o in c.options) + "</tr>")
            for outcome in c.outcomes:
                rows = table[table.outcome == outcome]
                parts.append(f"<tr><td class='name'>{html.escape(outcome)}</td>" +
                             "".join(cell(float(v)) for v in rows.share_parameters) + "</tr>")
            parts.append("</table>")
        if c.p_pareto is not None:
            parts.append(f"<h2>Pareto set</h2><p class='note'>Share of worlds in which no other option is at least as good "
                         f"on all of {html.escape(', '.join(c.pareto))} and better on one.</p><table>" +
                         "".join(f"<tr><td class='name'>{html.escape(o)}</td>{cell(float(p))}</tr>" for o, p in zip(c.options, c.p_pareto)) +
                         "</table>")
        parts.append("<h2>Differences at a glance</h2>" + figure(plots.forest(c), "differences from the baseline"))
    parts.append("<h2>Over time</h2><p class='note'>Each line is the mean over replicates, the band its 95&nbsp;% interval; "
                 "before the decision the options are the baseline.</p>")
    for outcome in ("civilian_fatalities", "fatalities", "revenue_armed_groups", "fighters", "bribery_rate", "mission_cost"):
        if outcome in c.outcomes:
            parts.append(figure(plots.outcome_bands(c, outcome), outcome))
    parts.append(provenance(c))
    for name in c.options[1:]:
        info = c.option_info.get(name, {})
        parts.append(f"<h3>Option {html.escape(name)} ({html.escape(str(info.get('path', '')))})</h3>"
                     f"<pre>{html.escape(str(info.get('option_yaml', '')))}</pre>")
    return parts


def run_report(r):
    parts = [f"<h1>A pocsim run: {html.escape(scenario_title(r))}</h1>", f"<p>{html.escape(r.description)}</p>"]
    if not r.complete:
        parts.append("<p class='note'><b>This run did not finish</b>: it holds the steps done before it stopped.</p>")
    ts = r.timeseries()
    parts.append(f"<h2>Summary</h2><p>{len(ts) - 1} steps from {html.escape(step_date(r.params, 0))} to "
                 f"{html.escape(step_date(r.params, int(ts.index[-1])))}, seed {r.attrs.get('seed')}.</p>")
    parts.append(figure(plots.time_series(r, [p for p in ("timeseries/active", "timeseries/jailed", "timeseries/fighters")
                                              if p in r.quantities]), "citizens over time"))
    if "mission/spending" in r.quantities:
        parts.append("<h2>Mission spending</h2>" + figure(plots.spending(r), "mission spending"))
    if len(r.snapshot_steps):
        parts.append("<h2>Maps at the last snapshot</h2>")
        last = int(r.snapshot_steps[-1])
        for layer in ("control", "fatalities", "flow", "cells"):
            if layer in r.layers:
                parts.append(figure(plots.grid_map(r, layer, last), layer))
    if "regions/bribes" in r.quantities and r.params.get("geography", {}).get("regions"):
        parts.append(figure(plots.corruption_map(r), "corruption by region"))
    parts.append(provenance(r))
    return parts


def find_pocsim(given):
    for candidate in (given, os.environ.get("POCSIM"),
                      os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "build", "release", "pocsim")):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def sweep_report(s, sensitivity_csv, pocsim):
    parts = [f"<h1>A parameter sweep: {html.escape(str(s.attrs.get('sweep_path', '')))}</h1>"]
    import yaml
    sweep = yaml.safe_load(s.attrs.get("sweep_yaml", "")) or {}
    parts.append(f"<p>{html.escape(str(sweep.get('description', '')).strip())}</p>")
    failed = int((s.status == 2).sum())
    parts.append(f"<h2>Design</h2><p>{html.escape(s.design_type)} design: {len(s.values)} points &times; "
                 f"{s.attrs.get('replicates')} replicates = {len(s.status)} runs ({failed} failed). Parameters:</p>")
    design = s.design()
    # The ranges the sweep file declares, beside the values the design happened to sample within them.
    declared = {str(p.get("key")): p for p in sweep.get("parameters", []) if isinstance(p, dict)}
    def bound(k, which):
        v = declared.get(k, {}).get(which)
        return cell(float(v)) if isinstance(v, (int, float)) else cell(None)
    parts.append("<table><tr><th class='name'>parameter</th><th>range from</th><th>to</th><th>lowest sampled</th>"
                 "<th>highest sampled</th></tr>" + "".join(
        f"<tr><td class='name'>{html.escape(k)}</td>{bound(k, 'min')}{bound(k, 'max')}{cell(design[k].min())}{cell(design[k].max())}</tr>"
        for k in s.factors) + "</table>")
    frame = None
    if sensitivity_csv:
        frame = pd.read_csv(sensitivity_csv)
    elif find_pocsim(pocsim):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "s.csv")
            subprocess.run([find_pocsim(pocsim), "analyse", s.path, "-o", out, "--bootstrap", "500"], check=True,
                           stdout=subprocess.DEVNULL)
            frame = pd.read_csv(out)
    for outcome in s.outcomes:
        parts.append(f"<h2>{html.escape(outcome)}</h2>" + figure(plots.sweep_scatter(s, outcome), outcome))
        if frame is None:
            continue
        if s.design_type == "morris":
            parts.append(figure(plots.morris(frame, outcome), "Morris " + outcome))
        if s.design_type == "sobol":
            parts.append(figure(plots.sobol(frame, outcome), "Sobol " + outcome))
        sub = frame[frame.outcome == outcome]
        parts.append("<table><tr><th class='name'>parameter</th><th class='name'>measure</th><th>value</th><th>low</th><th>high</th></tr>" +
                     "".join(f"<tr><td class='name'>{html.escape(r.factor)}</td><td class='name'>{html.escape(r.measure)}</td>"
                             f"{cell(r.value)}{cell(r.low)}{cell(r.high)}</tr>" for r in sub.itertuples()) + "</table>")
    if frame is None:
        parts.append("<p class='note'>No sensitivity table: give --sensitivity (from pocsim analyse -o) or --pocsim.</p>")
    parts.append(provenance(s))
    return parts


def explanation_report(e):
    parts = [f"<h1>Why each option did what it did: {html.escape(scenario_title(e))}</h1>",
             f"<p>{html.escape(e.description)}</p>",
             f"<p>Each option's effect (option minus baseline, from step {e.decision}, the decision, to step {e.steps}; "
             f"{int(e.done.sum())} replicates with common random numbers) is split among its lever entries by their Shapley "
             "values: each entry's average marginal effect over every order in which the entries could be added, so the "
             "parts add up to the effect. 'Alone' is the entry's effect on its own; what the entries do together beyond the "
             "sum of their effects alone is their interaction. Intermediate quantities (recruits, desertions, seizures, "
             "bribes, convictions, grievance...) show the chain between levers and outcomes.</p>"]
    for o in e.options:
        frame = e.parts(o)
        parts.append(f"<h2>{html.escape(o)}</h2><p class='note'>Lever entries: {html.escape(', '.join(e.players[o]))} "
                     f"({html.escape(e.methods[o])}). Means over replicates.</p>")
        players = e.players[o]
        parts.append("<table><tr><th class='name'>quantity</th><th>effect</th>" +
                     "".join(f"<th>{html.escape(p)}</th>" for p in players) + "</tr>")
        for q in e.quantities:
            sub = frame[frame.quantity == q].set_index("player")
            if sub.loc["(total)", "shapley"] == 0 and all(sub.loc[p, "shapley"] == 0 for p in players):
                continue
            parts.append(f"<tr><td class='name'>{html.escape(e.labels[q])} ({html.escape(e.units[q])})</td>" +
                         cell(float(sub.loc["(total)", "shapley"])) + "".join(cell(float(sub.loc[p, "shapley"])) for p in players) + "</tr>")
        parts.append("</table>")
    parts.append(provenance(e))
    return parts


def write_report(path, out, sensitivity=None, pocsim=None):
    f = open_file(path)
    if isinstance(f, Comparison):
        parts = comparison_report(f)
    elif isinstance(f, Explanation):
        parts = explanation_report(f)
    elif isinstance(f, Sweep):
        parts = sweep_report(f, sensitivity, pocsim)
    else:
        parts = run_report(f)
    title = html.escape(f"pocsim report: {scenario_title(f)}" if not isinstance(f, Sweep) else f"pocsim report: {os.path.basename(path)}")
    generated = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    document = (f"<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n<title>{title}</title>\n"
                f"<style>{STYLE}</style>\n</head>\n<body>\n" + "\n".join(parts) +
                f"\n<p class='note'>Written {generated} from {html.escape(os.path.abspath(path))} by analysis.report. "
                "Stylised scenarios are not forecasts: read differences between options, not levels.</p>\n</body>\n</html>\n")
    # Whole or not at all: a temporary file beside the report, synced, then renamed over it, so a full disk
    # never leaves a truncated report under its name.
    try:
        directory = os.path.dirname(os.path.abspath(out))
        handle, temporary = tempfile.mkstemp(prefix="." + os.path.basename(out) + ".partial-", dir=directory)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(document)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, 0o644)
            os.replace(temporary, out)
        except BaseException:
            if os.path.exists(temporary):
                os.remove(temporary)
            raise
        directory_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(directory_fd)
        finally:
            os.close(directory_fd)
    except OSError as e:
        raise OutputError(f"cannot write {out}: {e.strerror or e}") from e


class OutputError(Exception):
    """The report could not be written (the input was fine)."""


def damaged_input(path, error):
    """The message for a file that cannot be read as pocsim wrote it: what failed, and what to do."""
    kind = "" if isinstance(error, (OSError, KeyError)) else f"{type(error).__name__}: "
    return (f"analysis.report: error: {path} cannot be read as a file pocsim writes ({kind}{error})\n"
            f"  hint: give a complete file written by pocsim; if the file is intact, this is a bug in the analysis "
            f"package: run again with POCSIM_DEBUG=1 for the traceback and report it")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m analysis.report", description=__doc__.split("\n\n")[0])
    parser.add_argument("file", help="a pocsim run, comparison or sweep store (HDF5)")
    parser.add_argument("-o", "--output", help="the HTML file (default: FILE with .html)")
    parser.add_argument("--sensitivity", help="a sweep's sensitivity table (pocsim analyse -o)")
    parser.add_argument("--pocsim", help="the pocsim program, to compute a sweep's sensitivity")
    args = parser.parse_args(argv)
    if not os.path.isfile(args.file):
        print(f"analysis.report: error: {args.file}: no such file", file=sys.stderr)
        return 2
    out = args.output or os.path.splitext(args.file)[0] + ".html"
    try:
        write_report(args.file, out, args.sensitivity, args.pocsim)
    except OutputError as e:
        print(f"analysis.report: error: {e}\n  hint: check that the output directory is writable and has space", file=sys.stderr)
        return 1
    except Exception as e:  # noqa: BLE001 -- any other failure comes from what the file holds
        if os.environ.get("POCSIM_DEBUG"):
            raise
        print(damaged_input(args.file, e), file=sys.stderr)
        return 2
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
