#!/usr/bin/env bash
# Fault injection across the commands that write files: a disk that fills at random points of each
# (run, run with checkpoints, compare, sweep, explain, merge, analyse, report), kill -9 at random moments of
# compare and sweep, and two comparisons started on one output. Every time, what is left is either the
# complete new result or nothing under the final name — a comparison's or sweep's journal aside, which
# the same command then resumes to the result an uninterrupted command writes, bit for bit.
# (tests/cli_checkpoint.sh kills runs at random steps; tests/cli_no_clobber.sh races two runs.)
# The full disk is the file-size limit (ulimit -f, SIGXFSZ ignored): a write past it fails with EFBIG
# where a full disk fails with ENOSPC. The random points come from FAULTS_TEST_SEED (printed).
set -uo pipefail
pocsim=$1
here=$(cd "$(dirname "$0")/.." && pwd)
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
seed=${FAULTS_TEST_SEED:-$RANDOM}
echo "fault points seed $seed (set FAULTS_TEST_SEED to repeat)"
RANDOM=$seed
mali=$here/scenarios/library/mali
mkdir -p "$tmp/ref" "$tmp/in"
cat > "$tmp/in/sweep.yaml" <<YAML
scenario: $mali/base.yaml
seed: 5
replicates: 1
design: {type: latin_hypercube, samples: 24}
parameters:
  - {key: citizens.legitimacy, min: 0.6, max: 0.9}
outcomes: [violent_events, fighters]
series: true
YAML
compare_args=("$mali/base.yaml" --options "$mali"/options/*.yaml --replicates 6 --steps 150 --threads 2 -q)
sweep_args=("$tmp/in/sweep.yaml" --set run.steps=60 --threads 2 -q)

# Each command, writing OUT (a path without extension) — as a function so a limit can wrap it.
cmd_run()         { "$pocsim" run "$mali/base.yaml" --steps 200 -q -o "$1.h5"; }
cmd_checkpoints() { "$pocsim" run "$mali/base.yaml" --steps 200 --checkpoint-every 20 -q -o "$1.h5"; }
cmd_compare()     { "$pocsim" compare "${compare_args[@]}" -o "$1.h5"; }
cmd_sweep()       { "$pocsim" sweep "${sweep_args[@]}" -o "$1.h5"; }
cmd_explain()     { "$pocsim" explain "$mali/base.yaml" --options "$mali/options/police_pay_capacity.yaml" --replicates 3 --steps 120 -q -o "$1.h5"; }
cmd_merge()       { "$pocsim" merge "$tmp/in/shard0.h5" "$tmp/in/shard1.h5" -o "$1.h5"; }
cmd_analyse()     { "$pocsim" analyse "$tmp/ref/sweep.h5" -o "$1.csv" > /dev/null; }
cmd_report()      { "$pocsim" report "$tmp/in/run.h5" -o "$1.html"; }
"$pocsim" sweep "${sweep_args[@]}" --shard 0/2 -o "$tmp/in/shard0.h5" || fail "shard 0"
"$pocsim" sweep "${sweep_args[@]}" --shard 1/2 -o "$tmp/in/shard1.h5" || fail "shard 1"
"$pocsim" run "$mali/base.yaml" --steps 60 -q -o "$tmp/in/run.h5" || fail "the report's input"

commands=(run checkpoints compare sweep explain merge analyse report)
declare -A took_ms  # how long each reference took, to kill within it
for c in "${commands[@]}"; do
  t0=$(date +%s%N)
  "cmd_$c" "$tmp/ref/$c" > /dev/null || fail "reference $c"
  took_ms[$c]=$(( ($(date +%s%N) - t0) / 1000000 ))
done
# The main output of each, for the bit-for-bit comparison after a resume.
main_of() { case $1 in analyse) echo "$2.csv" ;; report) echo "$2.html" ;; *) echo "$2.h5" ;; esac; }

# 1. The disk fills at random points: below the size of the largest file the command writes.
for c in "${commands[@]}"; do
  largest=$(find "$tmp/ref" -maxdepth 1 -name "$c*" -printf '%s\n' | sort -n | tail -1)
  kib=$(( (largest + 1023) / 1024 ))
  for attempt in 1 2 3; do
    # First a disk with no room at all (the output cannot even be created), then two random points.
    limit=$(( attempt == 1 ? 0 : RANDOM % kib ))
    rm -rf "$tmp/f" && mkdir "$tmp/f"
    out=$( (trap '' XFSZ; ulimit -f "$limit"; "cmd_$c" "$tmp/f/$c") 2>&1 ); rc=$?
    [ "$rc" -eq 1 ] || fail "$c, disk full at $limit KiB: exit code $rc, expected 1: $out"
    grep -q "File too large" <<< "$out" || fail "$c, disk full at $limit KiB: the message does not say why: $out"
    left=$(ls -A "$tmp/f" | tr '\n' ' ')
    case $c in
      compare|sweep) [ -z "$left" ] || [ "$left" = "$c.h5.journal " ] || fail "$c, disk full at $limit KiB: left $left" ;;
      *) [ -z "$left" ] || fail "$c, disk full at $limit KiB: left $left" ;;
    esac
    if [ -n "$left" ]; then
      # Room again: the same command takes what the journal kept and finishes the same result.
      out=$("cmd_$c" "$tmp/f/$c" 2>&1) || fail "$c, after a full disk at $limit KiB: the resumed command failed: $out"
      $py "$here/tests/support/h5_equal.py" "$tmp/ref/$c.h5" "$tmp/f/$c.h5" > /dev/null ||
        fail "$c, after a full disk at $limit KiB: the resumed result differs"
      [ ! -e "$tmp/f/$c.h5.journal" ] || fail "$c: the journal was left after the resumed command completed"
    fi
    echo "$c, disk full at $limit of $kib KiB: exit 1, ${left:-nothing} left$([ -n "$left" ] && echo ', resumed to the same result')"
  done
done

# 2. kill -9 at random moments of compare and sweep (within the time each took uninterrupted); the same
# command again gives the same result.
for c in compare sweep; do
  for attempt in 1 2; do
    rm -rf "$tmp/f" && mkdir "$tmp/f"
    "cmd_$c" "$tmp/f/$c" > /dev/null 2>&1 & pid=$!
    ms=$(( RANDOM % took_ms[$c] ))
    delay="$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
    sleep "$delay"
    # The command runs in a subshell (a function in the background): kill pocsim itself, then the subshell,
    # and wait until pocsim is gone (as it is when a user runs the command again).
    child=$(pgrep -P "$pid")
    kill -9 $child "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    for _ in $(seq 1 200); do [ -n "$child" ] && kill -0 $child 2>/dev/null || break; sleep 0.05; done
    kept=0
    [ -e "$tmp/f/$c.h5.journal" ] && kept=$(grep -c $'\tok' "$tmp/f/$c.h5.journal")
    if [ -e "$tmp/f/$c.h5" ] && [ -e "$tmp/f/$c.h5.journal" ]; then
      # Killed after the result was moved into place but before its journal went: the same command again
      # completes from the journal, replacing the result with the same one, and removes the journal.
      out=$("cmd_$c" "$tmp/f/$c" 2>&1) || fail "$c, killed at ${delay} s beside a finished result: the command again failed: $out"
      echo "$c: killed at ${delay} s after its result was in place, before its journal went; completed again"
    elif [ -e "$tmp/f/$c.h5" ]; then
      echo "$c: finished before the kill at ${delay} s"
    else
      others=$(ls -A "$tmp/f" | grep -v -e "^$c.h5.journal$" -e "^\.$c.h5.partial-" || true)
      [ -z "$others" ] || fail "$c, killed at ${delay} s: left $others"
      out=$("cmd_$c" "$tmp/f/$c" 2>&1) || fail "$c, killed at ${delay} s: the resumed command failed: $out"
      echo "$c: killed at ${delay} s with $kept runs journalled, resumed"
    fi
    $py "$here/tests/support/h5_equal.py" "$tmp/ref/$c.h5" "$tmp/f/$c.h5" > /dev/null || fail "$c, killed at ${delay} s: the result differs"
    grep -q -e partial -e journal <<< "$(ls -A "$tmp/f")" && fail "$c: a temporary file or journal left at the end: $(ls -A "$tmp/f")"
  done
done

# 3. Two comparisons on one output: the second is refused while the first writes, and the first completes.
rm -rf "$tmp/f" && mkdir "$tmp/f"
cmd_compare "$tmp/f/two" & pid=$!
for _ in $(seq 1 300); do [ -s "$tmp/f/two.h5.journal" ] && break; sleep 0.05; done
out=$("$pocsim" compare "${compare_args[@]}" -o "$tmp/f/two.h5" 2>&1); rc=$?
wait "$pid" || fail "the first of two comparisons on one output failed"
[ "$rc" -eq 2 ] && grep -q "another pocsim compare is writing this comparison" <<< "$out" ||
  fail "the second of two comparisons on one output: exit $rc: $out"
$py "$here/tests/support/h5_equal.py" "$tmp/ref/compare.h5" "$tmp/f/two.h5" > /dev/null || fail "the first comparison's result differs"
echo "two comparisons on one output: the second refused (exit 2), the first complete"
echo "fault injection ok"
