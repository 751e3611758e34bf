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
# Another interpreter through POCSIM_PYTHON; a wrong one is a usage error that names it.
POCSIM_PYTHON=/usr/bin/python3 "$pocsim" report "$work/comparison.h5" -o "$work/via_env.html" > /dev/null
set +e
POCSIM_PYTHON=/nonexistent/python "$pocsim" report "$work/comparison.h5" -o "$work/never.html" > /dev/null 2> "$work/err.txt"
rc=$?
set -e
{ [ $rc -eq 2 ] && grep -q "/nonexistent/python is missing or cannot be run" "$work/err.txt" && grep -q "POCSIM_PYTHON" "$work/err.txt" \
  && [ ! -e "$work/never.html" ]; } || { echo "POCSIM_PYTHON to a missing interpreter: exit $rc"; cat "$work/err.txt"; exit 1; }
# The plots leave the backend to matplotlib (inline in a notebook): importing them does not force one.
PYTHONPATH="$here" /usr/bin/python3 -c "
import matplotlib; matplotlib.use('svg')
import analysis.plots
assert matplotlib.get_backend() == 'svg', matplotlib.get_backend()"

# Damaged and foreign files: every one an error with exit 2 and a message, never a traceback, no report left.
/usr/bin/python3 - "$work" <<'PY'
import h5py, os, random, shutil, sys
work = sys.argv[1]
rng = random.Random(7)
with open(f"{work}/damaged.txt", "w") as listing:
    for name in ("run", "comparison", "sweep"):
        src = f"{work}/{name}.h5"
        data = open(src, "rb").read()
        open(f"{work}/bad-{name}-truncated.h5", "wb").write(data[: len(data) // 2])
        flipped = bytearray(data)
        for _ in range(60):
            flipped[rng.randrange(len(flipped))] ^= 0xFF
        open(f"{work}/bad-{name}-flipped.h5", "wb").write(flipped)
        with h5py.File(src, "r") as f:
            attributes = sorted(f.attrs)
            objects = []
            f.visit(objects.append)
        cases = [(f"attribute-{a}", a, None) for a in rng.sample(attributes, 3)] + \
                [(f"deleted-{o.replace('/', '_')}", None, o) for o in rng.sample(sorted(objects), 3)]
        for label, attribute, obj in cases:
            dst = f"{work}/bad-{name}-{label}.h5"
            shutil.copy(src, dst)
            with h5py.File(dst, "a") as f:
                if attribute:
                    f.attrs[attribute] = 12345  # a number where text or a list was written
                elif obj in f:
                    del f[obj]
        listing.write("\n".join(sorted(p for p in os.listdir(work) if p.startswith(f"bad-{name}-"))) + "\n")
PY
checked=0
while read -r bad; do
  set +e
  "$pocsim" report "$work/$bad" -o "$work/$bad.html" > /dev/null 2> "$work/err.txt"
  rc=$?
  set -e
  # A change the report does not read may leave a readable file: then it reports normally.
  if [ $rc -ne 0 ]; then
    { [ $rc -eq 2 ] && ! grep -q Traceback "$work/err.txt" && grep -q "error: .*$bad" "$work/err.txt" && [ ! -e "$work/$bad.html" ]; } \
      || { echo "report on $bad: exit $rc"; cat "$work/err.txt"; exit 1; }
  fi
  checked=$((checked + 1))
  case $bad in bad-run-*)
    set +e
    PYTHONPATH="$here" /usr/bin/python3 "$here/analysis/plot_run.py" "$work/$bad" -o "$work/$bad.png" > /dev/null 2> "$work/err.txt"
    rc=$?
    set -e
    [ $rc -eq 0 ] || { [ $rc -eq 2 ] && ! grep -q Traceback "$work/err.txt"; } || { echo "plot_run on $bad: exit $rc"; cat "$work/err.txt"; exit 1; }
  esac
done < "$work/damaged.txt"
[ "$checked" -ge 20 ] || { echo "only $checked damaged files checked"; exit 1; }
echo "analysis: readers, plots and reports ok; $checked damaged files refused with exit 2 and no traceback"
