#!/usr/bin/env bash
# SIGINT and SIGTERM stop a run cleanly: the current step finishes, the steps done are kept in
# <stem>.incomplete.h5 marked complete = 0 and the state in <stem>.checkpoint.h5, nothing is left under the
# final name, exit code 130. (tests/cli_checkpoint.sh resumes such runs.)
set -uo pipefail
pocsim=$1
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for signal in INT TERM; do
  "$pocsim" run "$here/scenarios/epstein/run2.yaml" -o "$tmp/r.h5" --steps 10000000 --set run.snapshot_every=0 -q &
  pid=$!
  sleep 1.5
  kill -s "$signal" "$pid"
  wait "$pid"
  rc=$?
  [ "$rc" -eq 130 ] || { echo "SIG$signal: exit code $rc, expected 130"; exit 1; }
  [ ! -e "$tmp/r.h5" ] || { echo "SIG$signal: a file under the final name was left"; exit 1; }
  /usr/bin/python3 - "$tmp/r.incomplete.h5" <<'PY' || exit 1
import sys, h5py
f = h5py.File(sys.argv[1], "r")
steps = f["timeseries/step"][:]
assert f.attrs["complete"] == 0, "not marked incomplete"
assert len(steps) > 10 and steps[-1] == len(steps) - 1, "steps missing"
PY
  [ -s "$tmp/r.checkpoint.h5" ] || { echo "SIG$signal: no checkpoint written"; exit 1; }
  ls -A "$tmp" | grep -q partial && { echo "SIG$signal: temporary file left"; exit 1; }
  rm -f "$tmp/r.incomplete.h5" "$tmp/r.checkpoint.h5"
done
echo "interruption ok"
