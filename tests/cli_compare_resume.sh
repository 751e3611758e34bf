#!/usr/bin/env bash
# A comparison killed (SIGKILL) or interrupted (SIGINT) part-way resumes from its journal: the same
# command run again takes the journalled runs, runs the rest, and writes a file bit for bit the one an
# uninterrupted comparison writes; the journal goes once the file is complete. A journal of another
# comparison is refused with the fix, and a full disk stops the comparison keeping what was journalled.
set -uo pipefail
pocsim=$1
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
s=$here/scenarios/library/mali
args=("$s/base.yaml" --options "$s"/options/*.yaml --replicates 6 --steps 150 --threads 2 -q)
"$pocsim" compare "${args[@]}" -o full.h5 || { echo "the uninterrupted comparison failed"; exit 1; }
[ ! -e full.h5.journal ] || { echo "a complete comparison left its journal"; exit 1; }

journal_runs() { [ -e "$1" ] && echo $(($(wc -l < "$1") - 1)) || echo 0; }
for signal in KILL INT; do
  rm -f res.h5 res.csv res.md res.incomplete.h5 res.h5.journal
  "$pocsim" compare "${args[@]}" -o res.h5 & pid=$!
  # Stop it once a few runs are journalled, well before the 24 it has to do.
  for _ in $(seq 1 300); do [ "$(journal_runs res.h5.journal)" -ge 5 ] && break; sleep 0.05; done
  kill -s "$signal" "$pid"; wait "$pid"
  kept=$(journal_runs res.h5.journal)
  { [ "$kept" -ge 5 ] && [ "$kept" -lt 24 ]; } || { echo "SIG$signal: $kept runs journalled, expected some but not all"; exit 1; }
  [ ! -e res.h5 ] || { echo "SIG$signal: a file under the final name after the stop"; exit 1; }
  "$pocsim" compare "${args[@]}" -o res.h5 > out.txt 2>&1 || { echo "SIG$signal: the resumed comparison failed"; cat out.txt; exit 1; }
  /usr/bin/python3 "$here/tests/support/h5_equal.py" full.h5 res.h5 || { echo "SIG$signal: the resumed file differs"; exit 1; }
  [ ! -e res.h5.journal ] || { echo "SIG$signal: the journal was left after completion"; exit 1; }
  [ ! -e res.incomplete.h5 ] || { echo "SIG$signal: the interrupted attempt's file was left after completion"; exit 1; }
  grep -q partial <<< "$(ls -A)" && { echo "SIG$signal: a temporary file was left"; exit 1; }
done

# Another comparison's journal (here: other replicates) is refused, and kept.
"$pocsim" compare "${args[@]}" -o other.h5 & pid=$!
for _ in $(seq 1 300); do [ "$(journal_runs other.h5.journal)" -ge 2 ] && break; sleep 0.05; done
kill -s KILL "$pid"; wait "$pid"
"$pocsim" compare "$s/base.yaml" --options "$s"/options/*.yaml --replicates 7 --steps 150 -q -o other.h5 > err.txt 2>&1
rc=$?
[ "$rc" -eq 2 ] || { echo "a foreign journal: exit code $rc, expected 2"; cat err.txt; exit 1; }
grep -q "this journal belongs to another comparison" err.txt && grep -q "remove it" err.txt ||
  { echo "a foreign journal: no clear error"; cat err.txt; exit 1; }
[ -e other.h5.journal ] || { echo "the foreign journal was removed"; exit 1; }

# A full disk (the file-size limit, as tests/cli_disk_full.sh makes it) stops the comparison at the run
# that meets it, keeping the runs journalled before; once there is room, the same command finishes it.
rm -f res.h5 res.csv res.md res.incomplete.h5
out=$( (trap '' XFSZ; ulimit -f 120; exec "$pocsim" compare "${args[@]}" -o res.h5) 2>&1 ); rc=$?
kept=$(journal_runs res.h5.journal)
[ "$rc" -eq 1 ] || { echo "a full disk: exit code $rc, expected 1: $out"; exit 1; }
grep -q "res.h5" <<< "$out" || { echo "a full disk: the error does not name the output: $out"; exit 1; }
{ [ "$kept" -ge 1 ] && [ "$kept" -lt 24 ]; } || { echo "a full disk: $kept runs journalled, expected some but not all: $out"; exit 1; }
"$pocsim" compare "${args[@]}" -o res.h5 > out.txt 2>&1 || { echo "after a full disk: the resumed comparison failed"; cat out.txt; exit 1; }
/usr/bin/python3 "$here/tests/support/h5_equal.py" full.h5 res.h5 || { echo "after a full disk: the resumed file differs"; exit 1; }
echo "compare resume ok"
