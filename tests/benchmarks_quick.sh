#!/usr/bin/env bash
# The benchmark command runs end to end (--quick: small sizes) and every row it writes carries the
# machine, compiler, flags, commit and thread count. Times are not checked: a slow machine is no failure.
set -euo pipefail
build=$1
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$root"
POCSIM_RESULTS=$out benchmarks/run.sh "$build" --quick >"$out/log" 2>&1 || { cat "$out/log"; exit 1; }
/usr/bin/python3 - "$out" <<'PY'
import csv, sys, os
out = sys.argv[1]
expect = {"stream.csv": 8, "epstein.csv": 8, "national.csv": 1, "sweep.csv": 1, "compare.csv": 1, "library.csv": 5}  # rows of one --quick run
for name, n in expect.items():
    rows = list(csv.DictReader(open(os.path.join(out, name))))
    assert len(rows) == n, f"{name}: {len(rows)} rows, expected {n}"
    for r in rows:
        for tag in ("date", "commit", "machine", "compiler", "build_type", "threads"):
            assert r[tag], f"{name}: empty {tag} in {r}"
        assert "flags" in r, f"{name}: no flags column"  # empty when the build sets none
epstein = list(csv.DictReader(open(os.path.join(out, "epstein.csv"))))
assert all("movement=" in r["phase_ms_per_step"] or "activation=" in r["phase_ms_per_step"] for r in epstein), epstein
assert all(float(r["updates_per_second"]) > 0 and float(r["stream_triad_gb_per_s"]) > 0 for r in epstein)
national = list(csv.DictReader(open(os.path.join(out, "national.csv"))))[0]
assert int(national["cells"]) == 1000000 and int(national["peak_rss_bytes"]) > 0 and "trafficking=" in national["phase_ms_per_step"]
sweep = list(csv.DictReader(open(os.path.join(out, "sweep.csv"))))[0]
assert sweep["runs"] == "100" and float(sweep["seconds"]) > 0
compare = list(csv.DictReader(open(os.path.join(out, "compare.csv"))))[0]
assert compare["runs"] == "16" and compare["draws"] == "2" and float(compare["seconds"]) > 0, compare
library = list(csv.DictReader(open(os.path.join(out, "library.csv"))))
assert [r["setting"] for r in library] == ["mali", "car", "drc_east", "libya", "guinea_bissau"], library
assert all(r["runs"] == "10" and float(r["runs_per_second"]) > 0 for r in library), library
print("benchmarks: 6 files, every row tagged")
PY
