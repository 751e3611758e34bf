#!/usr/bin/env bash
# Sweeps as users run them: one process, mpirun with two ranks, two shards merged, and a sweep killed
# with SIGKILL midway and run again. Every store must hold the same design, runs and outcomes, bit for
# bit; the resumed sweep must keep every finished run and repeat none. Then the store is analysed.
set -euo pipefail
pocsim=$1
source_dir=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/sweep.yaml" <<YAML
description: a small sweep for the tests
scenario: $source_dir/scenarios/library/mali/base.yaml
seed: 5
replicates: 2
design: {type: latin_hypercube, samples: 12}
parameters:
  - {key: citizens.density, min: 0.3, max: 0.96}
  - {key: police.density, min: 0.005, max: 0.2}
  - {key: mission.contracts, min: 0, max: 40000}
outcomes: [violent_events, fighters, bribery_rate]
from: 8
series: true
YAML
run() { "$pocsim" sweep "$work/sweep.yaml" --set run.steps=16 -q "$@"; }

run -o "$work/whole.h5" --threads 2
# Dense citizens with many police overfill the grid: those runs fail, are recorded, and the sweep goes on.
/usr/bin/python3 - "$work/whole.h5" <<'PY'
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    status = f["runs/status"][...]
    assert f.attrs["complete"] == 1 and len(status) == 24, status
    errors = list(f["runs"].attrs["errors"])
    assert (status == 2).sum() == len(errors) >= 1, (status, errors)
    assert (status == 1).sum() >= 12, status
    assert "exceeds 1" in errors[0], errors[0]
PY

with_mpi=1
"$pocsim" --version | grep -q "without MPI" && with_mpi=0
if command -v mpirun > /dev/null; then
  [ "$(id -u)" -ne 0 ] || export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
  if [ $with_mpi = 1 ]; then
    mpirun -n 2 --oversubscribe --bind-to none "$pocsim" sweep "$work/sweep.yaml" --set run.steps=16 -q -o "$work/mpi.h5" --threads 1
  else
    # A build without MPI refuses to run under mpirun (each copy would run the whole sweep into one store).
    if mpirun -n 2 --oversubscribe --bind-to none "$pocsim" sweep "$work/sweep.yaml" --set run.steps=16 -q -o "$work/mpi.h5" \
         --threads 1 > "$work/mpi.txt" 2>&1; then
      echo "a build without MPI ran a sweep under mpirun" >&2; exit 1
    fi
    grep -q "this pocsim was built without MPI, so its copies under mpirun cannot share a sweep" "$work/mpi.txt" \
      && grep -q "split it among jobs with --shard I/N" "$work/mpi.txt" || { cat "$work/mpi.txt"; exit 1; }
    [ ! -e "$work/mpi.h5" ] && [ ! -e "$work/mpi.h5.journal" ] || { echo "the refused sweep left files" >&2; exit 1; }
  fi
else
  echo "sweep.sh: mpirun not found (install openmpi-bin: ./build.sh deps)" >&2
  exit 1
fi

run -o "$work/shard0.h5" --shard 0/2
if "$pocsim" merge "$work/shard0.h5" -o "$work/half.h5" 2> "$work/merge.txt"; then echo "merged half a sweep" >&2; exit 1; fi
grep -q "the sweep has 2 shards, 1 given: merge every shard" "$work/merge.txt" || { cat "$work/merge.txt"; exit 1; }
run -o "$work/shard1.h5" --shard 1/2 --threads 1
"$pocsim" merge "$work/shard1.h5" "$work/shard0.h5" -o "$work/merged.h5" > /dev/null

# Killed midway: SIGKILL once some runs are in the journal, then the same command again.
cat > "$work/long.yaml" <<YAML
scenario: $source_dir/scenarios/library/mali/base.yaml
seed: 5
replicates: 1
design: {type: latin_hypercube, samples: 60}
parameters:
  - {key: citizens.legitimacy, min: 0.6, max: 0.9}
outcomes: [violent_events, fighters]
YAML
long() { "$pocsim" sweep "$work/long.yaml" --set run.steps=40 -q -o "$work/$1" --threads 1; }
long uninterrupted.h5
"$pocsim" sweep "$work/long.yaml" --set run.steps=40 -q -o "$work/resumed.h5" --threads 1 & pid=$!
for _ in $(seq 1 200); do
  [ -f "$work/resumed.h5.journal" ] && [ "$(grep -vc '^#' "$work/resumed.h5.journal" || true)" -ge 5 ] && break
  sleep 0.05
done
kill -9 $pid; wait $pid 2>/dev/null || true
[ ! -f "$work/resumed.h5" ] || { echo "a killed sweep left a store that looks complete" >&2; exit 1; }
done_before=$(grep -c $'\tok' "$work/resumed.h5.journal" || true)
# A line cut short by the kill (here: made so) is dropped, not glued to the next one.
printf '59\tok\t12' >> "$work/resumed.h5.journal"
[ "$done_before" -ge 5 ] && [ "$done_before" -lt 60 ] || { echo "kill came at the wrong time: $done_before runs done" >&2; exit 1; }
"$pocsim" sweep "$work/long.yaml" --set run.steps=40 -o "$work/resumed.h5" --threads 1 > "$work/resume.txt" 2>/dev/null
grep -q "$((60 - done_before)) run now, $done_before from an earlier attempt" "$work/resume.txt" || { echo "expected $done_before runs kept:"; cat "$work/resume.txt"; tail -c 300 "$work/resumed.h5.journal" | od -c | tail -5; exit 1; }
[ ! -f "$work/resumed.h5.journal" ]
# Two processes never share one journal: a second sweep on a store in progress is refused.
"$pocsim" sweep "$work/long.yaml" --set run.steps=40 -q -o "$work/busy.h5" --threads 1 & pid=$!
for _ in $(seq 1 200); do [ -s "$work/busy.h5.journal" ] && break; sleep 0.05; done
set +e
"$pocsim" sweep "$work/long.yaml" --set run.steps=40 -q -o "$work/busy.h5" --threads 1 2> "$work/busy.txt"
rc=$?
set -e
kill -9 $pid; wait $pid 2>/dev/null || true
[ $rc -eq 2 ] && grep -q "another pocsim sweep is running on this store" "$work/busy.txt" || { cat "$work/busy.txt"; exit 1; }

/usr/bin/python3 - "$work" "$with_mpi" <<'PY'
import sys, h5py, numpy as np
work, with_mpi = sys.argv[1], sys.argv[2] == "1"
def datasets(path):
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out[name] = obj[...]
        f.visititems(visit)
        out["runs.errors"] = list(f["runs"].attrs["errors"])
    return out
def same(a, b):
    A, B = datasets(a), datasets(b)
    assert A.keys() == B.keys(), (a, b, A.keys() ^ B.keys())
    for k in A:
        x, y = np.asarray(A[k]), np.asarray(B[k])
        if x.dtype == object:  # labels: their bytes are pointers
            assert x.tolist() == y.tolist(), (a, b, k)
            continue
        assert x.shape == y.shape and x.tobytes() == y.tobytes(), (a, b, k)
if with_mpi:  # a build without MPI refused mpirun above
    same(f"{work}/whole.h5", f"{work}/mpi.h5")
same(f"{work}/whole.h5", f"{work}/merged.h5")
same(f"{work}/uninterrupted.h5", f"{work}/resumed.h5")
print("sweep: single process, mpirun -n 2 (or its refusal without MPI), merged shards and a killed-and-resumed sweep agree bit for bit")
PY
"$pocsim" analyse "$work/whole.h5" --bootstrap 50 -o "$work/s.csv" > /dev/null
grep -q "^fighters,police.density,spearman," "$work/s.csv"
# An unreadable shard is bad input: exit 2, the shard named, nothing written.
echo "not a store" > "$work/garbage.h5"
set +e
"$pocsim" merge "$work/whole.h5" "$work/garbage.h5" -o "$work/merged_bad.h5" 2> "$work/merge_err.txt"
code=$?
set -e
test "$code" -eq 2
grep -q "the shard $work/garbage.h5 cannot be read as HDF5" "$work/merge_err.txt"
test ! -e "$work/merged_bad.h5"
