#!/usr/bin/env bash
# `pocsim compare` as a user runs it: two options, a few replicates; then the HDF5 file, read with h5py,
# must reproduce every number of the CSV table (means, intervals, paired differences, cost per $1M).
set -euo pipefail
pocsim=$1
source_dir=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/sanctions.yaml" <<'YAML'
description: sanctions on the northern front's leaders
decision: 20
levers: [{lever: sanctions, start: 20, region: north, intensity: 1}]
YAML
cat > "$work/cvr.yaml" <<'YAML'
description: CVR in the north
decision: 20
levers: [{lever: cvr, start: 20, region: north, budget: 20000, intensity: 100}]
YAML
"$pocsim" compare "$source_dir/scenarios/mission/sahel_mandate.yaml" --options "$work/sanctions.yaml" "$work/cvr.yaml" \
  --replicates 3 --steps 40 --threads 2 -o "$work/c.h5" > "$work/stdout.txt"
grep -q "difference from baseline" "$work/stdout.txt"
grep -q "WARNING: only 3 replicates" "$work/stdout.txt"
test -s "$work/c.md"
/usr/bin/python3 - "$work/c.h5" "$work/c.csv" <<'PY'
import csv, math, sys
import h5py, numpy as np
h5, table = sys.argv[1], sys.argv[2]
t975 = {2: 4.302652729911275}  # Student's t quantile 0.975 with n - 1 = 2 degrees of freedom
with h5py.File(h5, "r") as f:
    assert f.attrs["complete"] == 1
    options = list(f.attrs["options"])
    assert options == ["baseline", "sanctions", "cvr"], options
    done = f["runs/done"][...]
    assert done.all()
    cost = f["outcomes/mission_cost"][...]
    rows = list(csv.DictReader(open(table)))
    assert len(rows) == len(options) * len(f.attrs["outcomes"])
    for row in rows:
        k = options.index(row["option"])
        x = f["outcomes/" + row["outcome"]][...]
        n = x.shape[1]
        # `scale`: the size of the terms a bound is the sum of, whose rounding a small bound inherits.
        def close(a, b, scale=0.0):
            return (a == "" and b is None) or abs(float(a) - b) <= 1e-9 * max(1.0, abs(b), scale)
        half = lambda v: t975[n - 1] * np.std(v, ddof=1) / math.sqrt(n)
        assert close(row["mean"], x[k].mean()), row
        # A level's interval is clipped to the outcome's support (attributes lowest, highest).
        attrs = f["outcomes/" + row["outcome"]].attrs
        low = min(max(x[k].mean() - half(x[k]), attrs["lowest"]), attrs["highest"])
        high = min(max(x[k].mean() + half(x[k]), attrs["lowest"]), attrs["highest"])
        assert close(row["low"], low, abs(x[k].mean()) + half(x[k])), row
        assert close(row["high"], high, abs(x[k].mean()) + half(x[k])), row
        # Probabilities by the outcome's declared direction: from the replicates alone.
        better = f["outcomes/" + row["outcome"]].attrs["better"]
        better = better.decode() if isinstance(better, bytes) else str(better)
        assert row["better"] == better, row
        if better == "neither":
            assert row["p_best"] == "" and row["p_better"] == "", row
        else:
            sign = -1.0 if better == "lower" else 1.0
            s = sign * x  # [option, replicate], higher is better
            top = s.max(axis=0)
            alone = (s[k] == top) & ((s == top).sum(axis=0) == 1)
            assert close(row["p_best"], alone.mean()), row
            assert close(row["p_best_tied"], ((s[k] == top) & ~alone).mean()), row
            if k > 0:
                assert close(row["p_better"], (s[k] > s[0]).mean()), row
                assert close(row["p_tie"], (x[k] == x[0]).mean()), row
        if k == 0:
            assert row["p_better"] == "", row
            assert row["difference"] == "" and row["per_million"] == "", row
            continue
        d = x[k] - x[0]
        assert close(row["difference"], d.mean()), row
        assert close(row["difference_high"], d.mean() + half(d), abs(d.mean()) + half(d)), row
        extra = (cost[k] - cost[0]).mean()
        assert close(row["extra_cost"], extra), row
        if extra > 0 and row["outcome"] != "mission_cost":
            assert close(row["per_million"], d.mean() / (extra / 1e6)), row
        else:
            assert row["per_million"] == "", row
print("compare: the file reproduces all", len(rows), "rows of the table")
PY
