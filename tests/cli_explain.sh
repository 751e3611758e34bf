#!/usr/bin/env bash
# `pocsim explain` as a user runs it: a two-lever option and a one-lever option; the printed paragraph
# and table, the CSV whose parts add up to each effect, the analysis reader and the HTML report.
set -euo pipefail
pocsim=$1
source_dir=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/both.yaml" <<'YAML'
description: sanctions and CVR in the north
decision: 20
levers: [{lever: sanctions, start: 20, region: north, intensity: 1},
         {lever: cvr, start: 20, region: north, budget: 20000, intensity: 100}]
YAML
cat > "$work/cvr.yaml" <<'YAML'
decision: 20
levers: [{lever: cvr, start: 20, region: north, budget: 20000, intensity: 100}]
YAML
"$pocsim" explain "$source_dir/scenarios/mission/sahel_mandate.yaml" --options "$work/both.yaml" "$work/cvr.yaml" \
  --replicates 3 --steps 40 --threads 2 -o "$work/e.h5" > "$work/out.txt"
grep -q "== both (sanctions in north, cvr in north; exact)" "$work/out.txt"
grep -q "== cvr (cvr in north; exact)" "$work/out.txt"
grep -q "Raised mission cost by" "$work/out.txt"
test -s "$work/e.csv"
set +e
"$pocsim" explain "$source_dir/scenarios/mission/sahel_mandate.yaml" -o "$work/none.h5" 2> "$work/err.txt"
code=$?
set -e
test "$code" -eq 2 && grep -q "no option given" "$work/err.txt"
"$pocsim" report "$work/e.h5" -o "$work/e.html" > /dev/null
# Every group opens in xarray with named dimensions.
/usr/bin/python3 "$source_dir/tests/support/xarray_groups.py" "$work/e.h5" "=replicate" "runs=replicate" > /dev/null \
  || { /usr/bin/python3 "$source_dir/tests/support/xarray_groups.py" "$work/e.h5"; echo "the explanation does not open in xarray"; exit 1; }
grep -q "Why each option did what it did" "$work/e.html"
/usr/bin/python3 - "$source_dir" "$work" <<'PY'
import csv, sys
sys.path.insert(0, sys.argv[1])
from analysis import open_file
work = sys.argv[2]
rows = list(csv.DictReader(open(f"{work}/e.csv")))
groups = {}
for r in rows:
    groups.setdefault((r["option"], r["quantity"]), []).append(r)
for (option, quantity), rs in groups.items():
    total = float(next(r for r in rs if r["player"] == "(total)")["shapley"])
    parts = sum(float(r["shapley"]) for r in rs if not r["player"].startswith("("))
    assert abs(parts - total) <= 1e-9 * max(1.0, abs(total)), (option, quantity, parts, total)
e = open_file(f"{work}/e.h5")
assert e.options == ["both", "cvr"] and e.players["both"] == ["sanctions in north", "cvr in north"], (e.options, e.players)
frame = e.parts("both")
assert set(frame.player) == {"(total)", "sanctions in north", "cvr in north"}
print("explain: the parts add up to the effect in all", len(groups), "rows")
PY
