#!/usr/bin/env bash
# Two runs to one output without --force: one result lands, the other is never lost — it is refused at the
# start (the file exists: exit 2), or, when both were already writing, kept under its temporary name and
# reported (exit 1). With --force a run replaces a file that was there when it started.
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
echo "no clobbering: exit codes $codes"
