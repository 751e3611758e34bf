#!/usr/bin/env bash
# Checkpoint and resume: a run killed with SIGKILL at a random step, or stopped with SIGINT, and resumed
# (with another thread count) writes the same output, bit for bit in every dataset and attribute, as a run
# that was never stopped; resuming refuses changed scenario files, damaged checkpoints and overwriting.
set -uo pipefail
pocsim=$1
here=$(cd "$(dirname "$0")/.." && pwd)
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# Waits until a run writing NAME.h5 has started writing (its temporary file exists, so its signal handlers
# are installed), then a little longer: a signal sent earlier would find the default handler.
wait_until_running() {
  for _ in $(seq 600); do compgen -G "$tmp/.$1.h5.partial-*" > /dev/null && break; sleep 0.05; done
  sleep 0.2
}
scenario=$here/scenarios/library/mali/base.yaml
option=$here/scenarios/library/mali/options/cvr_north_centre.yaml
[ -f "$option" ] || option=$(ls "$here"/scenarios/library/mali/options/*.yaml | head -1)
args=(--option "$option" --steps 400 --seed 11)
seed=${CHECKPOINT_TEST_SEED:-$RANDOM}
echo "random kill delay seed $seed (set CHECKPOINT_TEST_SEED to repeat)"
RANDOM=$seed

"$pocsim" run "$scenario" "${args[@]}" -o "$tmp/full.h5" --threads 2 -q || fail "uninterrupted run"

# 1. SIGKILL at a random point after the first checkpoint.
"$pocsim" run "$scenario" "${args[@]}" -o "$tmp/killed.h5" --threads 2 --checkpoint-every 7 -q &
pid=$!
for _ in $(seq 600); do [ -e "$tmp/killed.checkpoint.h5" ] && break; sleep 0.05; done
[ -e "$tmp/killed.checkpoint.h5" ] || fail "no checkpoint appeared"
sleep "0.$(printf '%02d' $((RANDOM % 60)))"
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
[ ! -e "$tmp/killed.h5" ] || echo "note: the run finished before the kill; resuming is then refused below"
if [ ! -e "$tmp/killed.h5" ]; then
  step=$($py -c "import h5py,sys; print(h5py.File(sys.argv[1],'r')['checkpoint'].attrs['step'])" "$tmp/killed.checkpoint.h5")
  echo "killed; last checkpoint at step $step"
  ls -A "$tmp" | grep -v partial | grep -q '^killed.h5$' && fail "a complete-looking file after SIGKILL"
  "$pocsim" resume "$tmp/killed.checkpoint.h5" --threads 1 -q || fail "resume after SIGKILL"
  $py "$here/tests/support/h5_equal.py" "$tmp/full.h5" "$tmp/killed.h5" --attributes || fail "resumed run differs from the uninterrupted one"
  [ ! -e "$tmp/killed.checkpoint.h5" ] || fail "checkpoint kept after the run completed"
  ls -A "$tmp" | grep -q partial && fail "a temporary file left behind"
  $py -c "import h5py,sys; r=h5py.File(sys.argv[1],'r').attrs['resumed']; assert len(r)==1 and 'after step' in r[0], r" "$tmp/killed.h5" \
    || fail "the resumed file does not say it was resumed"
fi

# 2. SIGINT without --checkpoint-every: a checkpoint is written on the way out; resumed twice over.
"$pocsim" run "$scenario" "${args[@]}" -o "$tmp/stopped.h5" --threads 1 -q &
pid=$!
wait_until_running stopped
kill -INT "$pid"
wait "$pid"
rc=$?
if [ "$rc" -eq 130 ]; then
  [ -e "$tmp/stopped.incomplete.h5" ] && [ -e "$tmp/stopped.checkpoint.h5" ] || fail "SIGINT left no incomplete file or checkpoint"
  "$pocsim" resume "$tmp/stopped.checkpoint.h5" --threads 2 -q || fail "resume after SIGINT"
  $py "$here/tests/support/h5_equal.py" "$tmp/full.h5" "$tmp/stopped.h5" --attributes || fail "resumed run differs after SIGINT"
  [ ! -e "$tmp/stopped.incomplete.h5" ] || fail "the incomplete file outlived the completed run"
else
  echo "note: the run ended before SIGINT (exit $rc)"
fi

# 2b. A checkpoint written before run files had dimension scales (made here by removing them) resumes to
# the same values, and the completed file has its scales: every group opens in xarray with named
# dimensions whose steps are the recorded ones.
"$pocsim" run "$scenario" "${args[@]}" -o "$tmp/old.h5" --threads 1 -q &
pid=$!
wait_until_running old
kill -INT "$pid"
wait "$pid"
if [ -e "$tmp/old.checkpoint.h5" ]; then
  $py - "$tmp/old.checkpoint.h5" <<'PY' || fail "could not remove the scales from a checkpoint"
import h5py, sys
with h5py.File(sys.argv[1], "a") as f:
    scales, data = [], []
    f.visititems(lambda n, o: (scales if h5py.h5ds.is_scale(o.id) else data).append(n) if isinstance(o, h5py.Dataset) else None)
    for name in data:
        for axis in f[name].dims:
            for scale in list(axis.values()):
                axis.detach_scale(scale)
    for name in scales:
        if name in ("timeseries/step", "snapshots/step"):
            for key in ("CLASS", "NAME", "REFERENCE_LIST"):
                if key in f[name].attrs:
                    del f[name].attrs[key]
        else:
            del f[name]
PY
  "$pocsim" resume "$tmp/old.checkpoint.h5" -q || fail "resume from a checkpoint without dimension scales"
  $py "$here/tests/support/h5_equal.py" "$tmp/full.h5" "$tmp/old.h5" || fail "resumed from a checkpoint without scales: the run differs"
  $py - "$tmp/old.h5" <<'PY' || fail "the run resumed from a checkpoint without scales does not open in xarray"
import h5py, sys, xarray as xr
with h5py.File(sys.argv[1], "r") as f:
    groups = []
    f.visititems(lambda n, o: groups.append(n) if isinstance(o, h5py.Group) else None)
    steps = f["timeseries/step"][...]
for g in groups:
    with xr.open_dataset(sys.argv[1], engine="h5netcdf", group=g) as ds:
        assert not [d for d in ds.dims if d.startswith("phony_dim")], g
        assert g == "snapshots" or "step" not in ds.dims or (ds["step"].values == steps).all(), g
PY
else
  echo "note: the run ended before SIGINT"
fi

# 3. Refusals, each exit code 2 with the reason.
expect_refusal() {  # pattern, command...
  local pattern=$1; shift
  out=$("$@" 2>&1); rc=$?
  [ "$rc" -eq 2 ] || fail "exit code $rc, expected 2, for: $* -> $out"
  grep -q "$pattern" <<< "$out" || fail "message without '$pattern': $out"
}
cp "$here/scenarios/epstein/run2.yaml" "$tmp/own.yaml"
"$pocsim" run "$tmp/own.yaml" -o "$tmp/own.h5" --steps 10000000 --set run.snapshot_every=0 -q &
pid=$!
wait_until_running own
kill -INT "$pid"; wait "$pid"
[ -e "$tmp/own.checkpoint.h5" ] || fail "no checkpoint for the edited-scenario case"
sed -i 's/^\(  *legitimacy:\).*/\1 0.55/' "$tmp/own.yaml"
expect_refusal "no longer gives the parameters" "$pocsim" resume "$tmp/own.checkpoint.h5"
expect_refusal "not a pocsim checkpoint\|no /checkpoint group" "$pocsim" resume "$tmp/full.h5"
head -c 3000 "$tmp/own.checkpoint.h5" > "$tmp/cut.checkpoint.h5"
expect_refusal "not an HDF5 file\|damaged" "$pocsim" resume "$tmp/cut.checkpoint.h5"
expect_refusal "does not exist" "$pocsim" resume "$tmp/none.checkpoint.h5"
cp "$tmp/own.yaml" "$tmp/again.yaml"
"$pocsim" run "$tmp/again.yaml" -o "$tmp/again.h5" --steps 10000000 --set run.snapshot_every=0 -q &
pid=$!
wait_until_running again
kill -INT "$pid"; wait "$pid"
cp "$tmp/again.checkpoint.h5" "$tmp/flipped.checkpoint.h5"
$py -c "import h5py,sys; d=h5py.File(sys.argv[1],'r+')['checkpoint/model_state']; d[200] ^= 0xFF" "$tmp/flipped.checkpoint.h5"
expect_refusal "checksum" "$pocsim" resume "$tmp/flipped.checkpoint.h5"
[ ! -e "$tmp/again.h5" ] || fail "a damaged checkpoint left an output file"
touch "$tmp/again.h5"
expect_refusal "exists" "$pocsim" resume "$tmp/again.checkpoint.h5"
echo "checkpoint and resume ok"
