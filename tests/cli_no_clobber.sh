#!/usr/bin/env bash
# Two runs to one output without --force: one result lands, the other is never lost — it is refused at the
# start (the file exists: exit 2), or, when both were already writing, kept under its temporary name and
# reported (exit 1). With --force a run replaces a file that was there when it started. A sweep's journal
# left beside its finished store lets the same command complete it.
set -uo pipefail
pocsim=$1
source_dir=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
scenario=$source_dir/scenarios/library/mali/base.yaml
"$pocsim" run "$scenario" -o out.h5 -q --threads 1 --steps 120 2> e1.txt & a=$!
"$pocsim" run "$scenario" -o out.h5 -q --threads 1 --steps 120 --seed 2 2> e2.txt & b=$!
wait $a; code_a=$?
wait $b; code_b=$?
codes=$(printf '%s\n' "$code_a" "$code_b" | sort | tr '\n' ' ')
case $codes in
  "0 1 ")
    grep -q "appeared while this command was writing it (another run wrote it meanwhile); it was left as it is, and this result is kept as .out.h5.partial-" e1.txt e2.txt
    kept=$(ls -a | grep '^\.out\.h5\.partial-')
    /usr/bin/python3 -c "import h5py, sys; f = h5py.File(sys.argv[1]); assert f.attrs['complete'] == 1" "$kept" ;;
  "0 2 ")
    grep -q "exists" e1.txt e2.txt ;;
  *) echo "unexpected exit codes: $codes"; cat e1.txt e2.txt; exit 1 ;;
esac
/usr/bin/python3 -c "import h5py; f = h5py.File('out.h5'); assert f.attrs['complete'] == 1"
# --force replaces what was there at the start.
before=$(stat -c %Y.%i out.h5)
"$pocsim" run "$scenario" -o out.h5 -q --threads 1 --steps 10 --force
test "$(stat -c %Y.%i out.h5)" != "$before"
# A journal beside a finished result (a sweep killed after moving its store into place, before removing its
# journal): the same command again completes from the journal and replaces the store without --force.
sweep=$source_dir/scenarios/sweeps/epstein_lhs_10000.yaml
sweep_args=(sweep "$sweep" --set run.steps=50 --shard 0/100 --threads 1 -q)
"$pocsim" "${sweep_args[@]}" -o whole.h5
"$pocsim" "${sweep_args[@]}" -o left.h5 & pid=$!
for _ in $(seq 1 400); do [ -s left.h5.journal ] && break; sleep 0.01; done
kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
test -s left.h5.journal || { echo "the sweep left no journal to test with"; exit 1; }
rm -f left.h5 .left.h5.partial-*
cp whole.h5 left.h5
"$pocsim" "${sweep_args[@]}" -o left.h5 || { echo "a journal beside a finished store: the sweep again failed"; exit 1; }
test ! -e left.h5.journal || { echo "the journal was left after the sweep completed"; exit 1; }
/usr/bin/python3 "$source_dir/tests/support/h5_equal.py" whole.h5 left.h5 > /dev/null || { echo "the completed store differs"; exit 1; }
# Without a journal an existing store is still refused.
"$pocsim" "${sweep_args[@]}" -o left.h5 2> refused.txt; code=$?
test "$code" = 2 && grep -q "exists" refused.txt || { echo "an existing store without a journal was not refused (exit $code)"; exit 1; }
echo "no clobbering: exit codes $codes; a journal beside a finished store completes it"
