#!/usr/bin/env bash
# A comparison under parameter uncertainty as a planner runs it — draws from an uncertain block and from a
# posterior table, a weighted score and a Pareto set, the adaptive mode — and then every number of its
# table recomputed from the raw outcomes with the analysis package (analysis/decisions.py), which shares
# no code with pocsim.
set -euo pipefail
pocsim=$1
source_dir=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/unsure.yaml" <<YAML
base: $source_dir/scenarios/mission/sahel_mandate.yaml
uncertain:
  - {key: citizens.moral_cost, distribution: uniform, min: 0.25, max: 1.0, source: assumed}
  - {key: armed_groups.civilian_targeting, distribution: lognormal, median: 0.01, sigma: 0.35, min: 0.005, max: 0.02}
YAML
cat > "$work/sanctions.yaml" <<'YAML'
decision: 20
levers: [{lever: sanctions, start: 20, region: north, intensity: 1}]
YAML
cat > "$work/cvr.yaml" <<'YAML'
decision: 20
levers: [{lever: cvr, start: 20, region: north, budget: 20000, intensity: 100}]
YAML
cat > "$work/idle.yaml" <<'YAML'
decision: 20
levers: [{lever: cvr, start: 20, region: north, budget: 0, intensity: 0}]
YAML
options=("$work/sanctions.yaml" "$work/cvr.yaml" "$work/idle.yaml")
"$pocsim" compare "$work/unsure.yaml" --options "${options[@]}" --draws 8 --replicates 2 --steps 40 --threads 2 \
  --criteria fatalities=1,mission_cost=0.5 --pareto fatalities,mission_cost,revenue_armed_groups -o "$work/d.h5" > "$work/d.txt"
grep -q "8 parameter draws x 2 replicates" "$work/d.txt"
grep -q "WARNING: only 8 parameter draws" "$work/d.txt"
grep -q "Pareto set on fatalities, mission_cost, revenue_armed_groups" "$work/d.txt"
grep -q "variation between runs due to the parameters" "$work/d.txt"

# A posterior table: its rows are the draws, in order.
printf 'citizens.moral_cost,armed_groups.civilian_targeting\n0.3,0.006\n0.9,0.015\n0.5,0.01\n' > "$work/posterior.csv"
"$pocsim" compare "$work/unsure.yaml" --options "${options[@]}" --posterior "$work/posterior.csv" --replicates 2 --steps 40 \
  --threads 2 -q -o "$work/p.h5"

# The adaptive mode on a clear case (CVR costs more in every world) stops after its first batch.
"$pocsim" compare "$work/unsure.yaml" --options "$work/cvr.yaml" --adaptive --decide-on mission_cost --max-worlds 40 \
  --steps 40 --threads 2 -o "$work/a.h5" > "$work/a.txt"
grep -q "Adaptive: stopped: baseline better than every other option on mission_cost (paired 95% intervals) after 10 worlds" "$work/a.txt"

# Draws from a scenario that declares no uncertainty: refused, exit code 2, nothing written.
set +e
"$pocsim" compare "$source_dir/scenarios/mission/sahel_mandate.yaml" --options "$work/cvr.yaml" --draws 3 -o "$work/none.h5" 2> "$work/none.txt"
code=$?
set -e
test "$code" -eq 2
grep -q "error: uncertain: --draws asks for parameter draws, but the scenario declares no uncertain parameters" "$work/none.txt"
test ! -e "$work/none.h5"

/usr/bin/python3 - "$source_dir" "$work" <<'PY'
import csv, math, sys
import numpy as np
sys.path.insert(0, sys.argv[1])
from analysis import decisions, open_file
from analysis.readers import TABLE_COLUMNS
work = sys.argv[2]

def agree(stored, mine, scale):
    if math.isnan(stored) or math.isnan(mine):
        return math.isnan(stored) and math.isnan(mine)
    # Student's t quantiles from Boost and from SciPy agree to about 1e-10 of the half-width.
    return abs(stored - mine) <= 1e-7 * max(1.0, abs(stored), scale)

for name in ("d.h5", "p.h5", "a.h5"):
    c = open_file(f"{work}/{name}")
    mine = decisions.recompute(c).set_index(["option", "outcome"])
    table = c.table.set_index(["option", "outcome"])
    assert len(mine) == len(table), (name, len(mine), len(table))
    for key in table.index:
        scale = abs(table.loc[key, "mean"]) + abs(table.loc[key, "high"] - table.loc[key, "low"]) if not math.isnan(table.loc[key, "low"]) else 0.0
        scale = max(scale, abs(table.loc[key, "difference_high"] - table.loc[key, "difference_low"]) if not math.isnan(table.loc[key, "difference_low"]) else 0.0)
        for column in TABLE_COLUMNS:
            assert agree(table.loc[key, column], mine.loc[key, column], scale), (name, key, column, table.loc[key, column], mine.loc[key, column])
    # The CSV beside the file holds the same numbers, exactly.
    with open(f"{work}/{name[:-3]}.csv") as f:
        for row in csv.DictReader(f):
            for column in TABLE_COLUMNS:
                if column == "replicates":
                    continue
                stored = table.loc[(row["option"], row["outcome"]), column]
                assert (row[column] == "" and math.isnan(stored)) or float(row[column]) == stored, (name, row["option"], row["outcome"], column)
    if c.pareto:
        assert all(abs(a - b) < 1e-12 for a, b in zip(decisions.pareto_shares(c), c.p_pareto)), name
    assert np.array_equal(decisions.pairwise(c), c.p_beats, equal_nan=True), name
    # P(better than the baseline) is the baseline column of who-beats-whom.
    for o, outcome in enumerate(table.index.get_level_values(1).unique()):
        for k, option in enumerate(c.options[1:], start=1):
            p = table.loc[(option, outcome), "p_better"]
            assert (math.isnan(p) and math.isnan(c.p_beats[o, k, 0])) or p == c.p_beats[o, k, 0], (name, option, outcome)
    # The idle option is the baseline: it ties in every world.
    if "idle" in c.options:
        for outcome in c.outcomes:
            assert table.loc[("idle", outcome), "difference"] == 0.0, outcome
            if c.meta[outcome].get("better", "neither") != "neither":
                assert table.loc[("idle", outcome), "p_tie"] == 1.0, outcome

d = open_file(f"{work}/d.h5")
assert d.draws == 8 and d.replicates == 2 and d.columns == 16, (d.draws, d.replicates, d.columns)
assert d.parameters == ["citizens.moral_cost", "armed_groups.civilian_targeting"]
assert ((d.parameter_values[:, 0] >= 0.25) & (d.parameter_values[:, 0] <= 1.0)).all()
assert ((d.parameter_values[:, 1] >= 0.005) & (d.parameter_values[:, 1] <= 0.02)).all()
assert "weighted_score" in set(d.table["outcome"])
runs = d.runs()
assert set(runs["draw"]) == set(range(8)) and len(runs) == 4 * 16
p = open_file(f"{work}/p.h5")
assert p.parameter_values.tolist() == [[0.3, 0.006], [0.9, 0.015], [0.5, 0.01]], p.parameter_values
assert p.parameter_source.startswith("posterior "), p.parameter_source
a = open_file(f"{work}/a.h5")
assert int(a.done.all(axis=0).sum()) == 10 and a.columns == 40, (a.done.sum(), a.columns)
print("decisions: every number of", len(d.table), "+", len(p.table), "+", len(a.table), "rows recomputed from the raw outcomes")
PY
