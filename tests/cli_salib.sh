#!/usr/bin/env bash
# pocsim analyse --salib: a Sobol and a Morris sweep's samples and per-point outcomes in SALib's order,
# checked against the store, and SALib's own Sobol estimators (Saltelli 2010 first order, Jansen total,
# as SALib's sobol.analyze computes them) applied to the exported files give the indices pocsim analyse
# prints. An existing folder is refused.
set -euo pipefail
pocsim=$1
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sahel="$here/scenarios/mission/sahel_mandate.yaml"
for design in "{type: sobol, samples: 6}" "{type: morris, samples: 3, levels: 4}"; do
  kind=$(echo "$design" | sed 's/.*type: \([a-z]*\).*/\1/')
  cat > "$work/$kind.yaml" <<YAML
scenario: $sahel
replicates: 2
design: $design
parameters:
  - {key: citizens.legitimacy, min: 0.6, max: 0.9}
  - {key: citizens.moral_cost, min: 0.25, max: 1.0}
  - {key: police.paid_share, min: 0.2, max: 1.0}
outcomes: [violent_events, fighters]
YAML
  "$pocsim" sweep "$work/$kind.yaml" --set run.steps=15 -o "$work/$kind.h5" -q
  "$pocsim" analyse "$work/$kind.h5" --bootstrap 0 -o "$work/$kind.csv" --salib "$work/$kind.salib" > /dev/null
done

/usr/bin/python3 - "$work" <<'PY'
import sys
import h5py
import numpy as np
import pandas as pd

work = sys.argv[1]
k = 3


def store_means(path, outcome):
    with h5py.File(path, "r") as f:
        unit, point = f["design/unit"][...], f["runs/point"][...]
        role, group = f["design/role"][...], f["design/group"][...]
        y = f[f"outcomes/{outcome}"][...]
    means = np.array([np.nanmean(y[point == p]) for p in range(len(unit))])
    return unit, role, group, means


# Sobol: per base row A, AB_1..AB_k, B; every row a point of the store with its mean outcome.
X = np.loadtxt(f"{work}/sobol.salib/X.txt")
unit, role, group, _ = store_means(f"{work}/sobol.h5", "fighters")
assert X.shape == (6 * (k + 2), k), X.shape
for b in range(6):
    A, B = X[b * (k + 2)], X[b * (k + 2) + k + 1]
    for i in range(k):
        AB = X[b * (k + 2) + 1 + i]
        assert np.array_equal(np.delete(AB, i), np.delete(A, i)) and AB[i] == B[i], (b, i)
assert {tuple(r) for r in X} == {tuple(r) for r in unit}
problem = [line.split() for line in open(f"{work}/sobol.salib/problem.txt") if not line.startswith("#")]
assert problem == [["citizens.legitimacy", "0", "1"], ["citizens.moral_cost", "0", "1"], ["police.paid_share", "0", "1"]], problem
indices = pd.read_csv(f"{work}/sobol.csv")
for outcome in ("violent_events", "fighters"):
    Y = np.loadtxt(f"{work}/sobol.salib/Y_{outcome}.txt")
    unit, role, group, means = store_means(f"{work}/sobol.h5", outcome)
    # SALib's order from the store's roles: per base row A (-2), AB_i (i), B (-1).
    order = [p for g in sorted(set(group)) for r in [-2, *range(k), -1] for p in np.flatnonzero((group == g) & (role == r))]
    assert np.array_equal(X, unit[order])
    assert np.allclose(Y, means[order], equal_nan=True)
    # SALib's sobol.analyze (calc_second_order=False), on the exported files.
    Yr = Y.reshape(6, k + 2)
    A, B, AB = Yr[:, 0], Yr[:, -1], Yr[:, 1:-1]
    var = np.var(np.r_[A, B])
    for i, factor in enumerate(["citizens.legitimacy", "citizens.moral_cost", "police.paid_share"]):
        first = np.mean(B * (AB[:, i] - A)) / var
        total = 0.5 * np.mean((A - AB[:, i]) ** 2) / var
        row = indices[(indices.outcome == outcome) & (indices.factor == factor)].set_index("measure")["value"]
        assert np.isclose(row["first_order"], first, rtol=1e-9, equal_nan=True), (outcome, factor, row["first_order"], first)
        assert np.isclose(row["total"], total, rtol=1e-9, equal_nan=True), (outcome, factor, row["total"], total)

# Morris: trajectories of k + 1 points, each moving one factor from the one before.
X = np.loadtxt(f"{work}/morris.salib/X.txt")
assert X.shape == (3 * (k + 1), k), X.shape
for t in range(3):
    rows = X[t * (k + 1):(t + 1) * (k + 1)]
    moved = [int(np.sum(rows[j] != rows[j - 1])) for j in range(1, k + 1)]
    assert moved == [1] * k, (t, moved)
values = np.loadtxt(f"{work}/morris.salib/values.txt")
assert np.all((values[:, 0] >= 0.6) & (values[:, 0] <= 0.9)), values[:, 0]
print("SALib files: Sobol and Morris samples in SALib's order, outcomes per point, and SALib's Sobol estimators equal analyse's")
PY

set +e
"$pocsim" analyse "$work/sobol.h5" --salib "$work/sobol.salib" > /dev/null 2> "$work/err.txt"
rc=$?
set -e
[ $rc -eq 2 ] && grep -q "the folder $work/sobol.salib exists" "$work/err.txt" || { echo "an existing SALib folder: exit $rc"; cat "$work/err.txt"; exit 1; }
echo "salib ok"
