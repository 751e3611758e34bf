#!/usr/bin/env bash
# pocsim export --csv: a run, a comparison and a sweep store as tidy CSV — every value of every dataset (not
# the coordinates) a row, with its coordinates taken from the file's dimension scales; --group; and bad
# input refused with exit code 2 and a fix, leaving no CSV.
set -euo pipefail
pocsim=$1
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sahel="$here/scenarios/mission/sahel_mandate.yaml"
"$pocsim" run "$sahel" --steps 12 --set run.snapshot_every=6 -o "$work/run.h5" -q
printf 'description: CVR\ndecision: 6\nlevers: [{lever: cvr, start: 6, region: north, budget: 20000, intensity: 100}]\n' > "$work/cvr.yaml"
"$pocsim" compare "$sahel" --options "$work/cvr.yaml" -n 2 --steps 12 -o "$work/comparison.h5" -q
"$pocsim" export "$work/run.h5" --csv
"$pocsim" export "$work/run.h5" --csv --group snapshots -o "$work/maps.csv"
"$pocsim" export "$work/comparison.h5" --csv

/usr/bin/python3 - "$work" <<'PY'
import sys
import h5py
import numpy as np
import pandas as pd

work = sys.argv[1]


def check(h5, csv, keep):
    table = pd.read_csv(csv, keep_default_na=False, dtype=str)
    assert list(table.columns[:2]) == ["dataset", "units"] and table.columns[-1] == "value", list(table.columns)
    with h5py.File(h5, "r") as f:
        expected = {}
        f.visititems(lambda n, o: expected.__setitem__(n, o) if isinstance(o, h5py.Dataset) and keep(n)
                     and not h5py.h5ds.is_scale(o.id) and not n.startswith("checkpoint/") else None)
        counts = table.groupby("dataset").size().to_dict()
        assert set(counts) == set(expected), set(counts) ^ set(expected)
        for name, ds in expected.items():
            assert counts[name] == ds.size, (name, counts[name], ds.size)
            rows = table[table.dataset == name]
            dims = [list(axis.keys())[0] if len(axis) else None for axis in ds.dims]
            values = ds[...].reshape(-1)
            # Every row's coordinates name its element: look each value up through them.
            coords = [ds.dims[k][0][...] for k in range(ds.ndim)]
            coords = [[c.decode() if isinstance(c, bytes) else str(c) for c in axis] for axis in coords]
            for row_number, (_, row) in enumerate(rows.iterrows()):
                index = tuple(coords[k].index(row[dims[k]]) for k in range(ds.ndim))
                value = ds[index]
                text = row["value"]
                if np.issubdtype(ds.dtype, np.floating) and np.isnan(value):
                    assert text == "", (name, index, text)
                else:
                    assert float(text) == float(value), (name, index, text, value)
                if row_number > 50:  # the first rows of each dataset, every dataset
                    break
            assert rows["units"].iloc[0] == (ds.attrs.get("units", b"").decode() if isinstance(ds.attrs.get("units", ""), bytes)
                                             else str(ds.attrs.get("units", ""))), name
    return table


run = check(f"{work}/run.h5", f"{work}/run.long.csv", lambda n: not n.startswith("snapshots/"))
assert {"step", "commodity", "recipient", "region", "event"} <= set(run.columns), list(run.columns)
maps = check(f"{work}/run.h5", f"{work}/maps.csv", lambda n: n.startswith("snapshots/"))
assert {"step", "y", "x"} <= set(maps.columns)
comparison = check(f"{work}/comparison.h5", f"{work}/comparison.long.csv", lambda n: True)
assert set(comparison[comparison.dataset == "outcomes/fighters"]["option"]) == {"baseline", "cvr"}
print("export: every value of a run, its maps and a comparison, with its coordinates")
PY

expect_refusal() {  # message, then the command
  local message=$1; shift
  set +e
  "$@" > /dev/null 2> "$work/err.txt"
  local rc=$?
  set -e
  [ $rc -eq 2 ] && grep -q "$message" "$work/err.txt" || { echo "expected exit 2 with '$message' from: $*"; cat "$work/err.txt"; exit 1; }
}
expect_refusal "no format chosen" "$pocsim" export "$work/run.h5" -o "$work/none.csv"
expect_refusal "no group 'nothing'" "$pocsim" export "$work/run.h5" --csv --group nothing -o "$work/none.csv"
expect_refusal "exists" "$pocsim" export "$work/run.h5" --csv
echo "not HDF5" > "$work/text.h5"
expect_refusal "name an HDF5 file written by pocsim" "$pocsim" export "$work/text.h5" --csv -o "$work/none.csv"
[ ! -e "$work/none.csv" ] || { echo "a refused export left a CSV"; exit 1; }
echo "export refusals ok"
