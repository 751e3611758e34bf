#!/usr/bin/env bash
# analysis/plot_run.py draws a figure from a file that pocsim just wrote, and refuses an incomplete one.
set -euo pipefail
pocsim=$1
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$pocsim" run "$here/scenarios/epstein/run2.yaml" -o "$tmp/r.h5" --steps 60 -q
/usr/bin/python3 "$here/analysis/plot_run.py" "$tmp/r.h5" -o "$tmp/r.png"
head -c 8 "$tmp/r.png" | od -An -c | grep -q "P   N   G" || { echo "not a PNG"; exit 1; }
[ "$(stat -c %s "$tmp/r.png")" -gt 20000 ] || { echo "figure suspiciously small"; exit 1; }
/usr/bin/python3 - "$tmp/r.h5" <<'PY'
import h5py, sys
with h5py.File(sys.argv[1], "r+") as f:
    f.attrs["complete"] = 0
PY
if /usr/bin/python3 "$here/analysis/plot_run.py" "$tmp/r.h5" -o "$tmp/x.png" 2>/dev/null; then
  echo "an incomplete run was plotted"; exit 1
fi
echo "plot_run ok"
