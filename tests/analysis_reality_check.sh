#!/usr/bin/env bash
# analysis/reality_check.py measures a run as the C++ run summary does (deaths per 100,000 people a year),
# per the citizens of a base and per the people a people.yaml overlay states, and sets every library
# setting and overlay beside its reference figures.
set -euo pipefail
pocsim=$1
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for scenario in car/base mali/people; do
  "$pocsim" run "$here/scenarios/library/$scenario.yaml" -o "$tmp/run.h5" --steps 60 --force > "$tmp/summary.txt"
  summary_rate=$(sed -n 's/.*; \([0-9.]*\) per 100,000 people a year/\1/p' "$tmp/summary.txt")
  [ -n "$summary_rate" ] || { echo "$scenario: the run summary gives no rate per 100,000"; cat "$tmp/summary.txt"; exit 1; }
  /usr/bin/python3 - "$here" "$tmp/run.h5" "$summary_rate" "$scenario" <<'PY'
import sys
sys.path.insert(0, sys.argv[1] + "/analysis")
import reality_check as rc
m = rc.measure(sys.argv[2])
printed, scenario = sys.argv[3], sys.argv[4]
decimals = len(printed.partition(".")[2])
# The summary rounds to its printed decimals; the file's figure must round to the same.
assert abs(m["fatality_rate"] - float(printed)) <= 0.5 * 10 ** -decimals + 1e-9, (scenario, m, printed)
assert 0 <= m["one_sided_share"] <= 1 and 0 <= m["active_share"] <= 1, m
if scenario.endswith("people"):
    assert m["fatality_rate"] < 100, m  # per 21 million people, not per 3,150 agents
PY
done
/usr/bin/python3 - "$here" <<'PY'
import sys
sys.path.insert(0, sys.argv[1] + "/analysis")
import reality_check as rc
refs = rc.read_references()
assert all(float(r["value"]) > 0 and r["source"] and r["kind"] in ("published", "derived", "upper_bound", "lower_bound")
           for r in refs.values()), refs
assert {s for s, _ in refs} == set(rc.SETTINGS), refs.keys()
PY
/usr/bin/python3 "$here/analysis/reality_check.py" --pocsim "$pocsim" --seeds 1 --steps 30 -o "$tmp/t.md" > /dev/null
for s in mali car drc_east libya guinea_bissau; do
  for row in "$s" "$s/people"; do
    grep -q "^| $row | deaths per 100,000 people a year | " "$tmp/t.md" || { echo "no row for $row"; cat "$tmp/t.md"; exit 1; }
  done
done
echo "reality_check ok"
