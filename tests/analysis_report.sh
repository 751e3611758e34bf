#!/usr/bin/env bash
# The analysis package (readers, plots, HTML report) on a run, a comparison and a sweep written by pocsim
# here and now; then `pocsim report`, which runs the same package.
set -euo pipefail
pocsim=$1
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sahel="$here/scenarios/mission/sahel_mandate.yaml"
"$pocsim" run "$sahel" --steps 30 --set run.snapshot_every=10 \
  --set 'levers=[{lever: cvr, start: 5, region: north, budget: 5000, intensity: 100}]' -o "$work/run.h5" -q
printf 'description: sanctions\ndecision: 15\nlevers: [{lever: sanctions, start: 15, region: north, intensity: 1}]\n' > "$work/sanctions.yaml"
printf 'description: CVR\ndecision: 15\nlevers: [{lever: cvr, start: 15, region: north, budget: 20000, intensity: 100}]\n' > "$work/cvr.yaml"
"$pocsim" compare "$sahel" --options "$work/sanctions.yaml" "$work/cvr.yaml" -n 3 --steps 30 -o "$work/comparison.h5" -q
cat > "$work/sweep.yaml" <<YAML
scenario: $sahel
replicates: 2
design: {type: morris, samples: 3}
parameters:
  - {key: citizens.legitimacy, min: 0.6, max: 0.9}
  - {key: police.paid_share, min: 0.2, max: 1.0}
outcomes: [violent_events, fighters]
series: true
YAML
"$pocsim" sweep "$work/sweep.yaml" --set run.steps=20 -o "$work/sweep.h5" -q
"$pocsim" analyse "$work/sweep.h5" --bootstrap 50 -o "$work/sensitivity.csv" > /dev/null
cd "$here"
RUN="$work/run.h5" COMPARISON="$work/comparison.h5" SWEEP="$work/sweep.h5" SENSITIVITY="$work/sensitivity.csv" OUT="$work" \
  PYTHONPATH="$here" /usr/bin/python3 "$here/tests/analysis/test_analysis.py" 2>&1
"$pocsim" report "$work/comparison.h5" -o "$work/via_pocsim.html" > /dev/null
grep -q "Headline table" "$work/via_pocsim.html"
if "$pocsim" report "$work/nothing.h5" 2> /dev/null; then echo "a missing file was reported on" >&2; exit 1; fi
echo "analysis: readers, plots and reports ok"
