#!/usr/bin/env bash
# A disk that fills up, and an output path that cannot be written: each gives a clear error naming the
# cause, exit code 1, and leaves no file behind (no output, no temporary, no checkpoint) — except a
# comparison's journal, which keeps the runs finished before the disk filled so the same command resumes
# (tests/cli_compare_resume.sh resumes one).
# The full disk is made with the file-size limit (ulimit -f) and SIGXFSZ ignored: a write past the limit
# then fails with EFBIG exactly where a full disk fails with ENOSPC, without needing root to mount anything.
set -uo pipefail
pocsim=$1
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

expect_failure_leaving_nothing() {  # label, pattern, KiB the disk holds, command...
  local label=$1 pattern=$2 kib=$3; shift 3
  out=$( (trap '' XFSZ; ulimit -f "$kib"; exec "$@") 2>&1 ); rc=$?
  [ "$rc" -eq 1 ] || fail "$label: exit code $rc, expected 1: $out"
  grep -q "$pattern" <<< "$out" || fail "$label: the message does not say why ('$pattern'): $out"
  left=$(ls -A "$tmp")
  [ -z "$left" ] || fail "$label: files left behind: $left"
  echo "$label: $(echo "$out" | grep 'error' | head -1)"
}

mali=$here/scenarios/library/mali/base.yaml
expect_failure_leaving_nothing "run, disk full" "File too large" 300 \
  "$pocsim" run "$mali" -o "$tmp/run.h5" --steps 300 -q
expect_failure_leaving_nothing "run with checkpoints, disk full" "File too large" 300 \
  "$pocsim" run "$mali" -o "$tmp/run.h5" --steps 300 --checkpoint-every 5 -q
out=$( (trap '' XFSZ; ulimit -f 100; exec "$pocsim" compare "$mali" --options "$here"/scenarios/library/mali/options/*.yaml \
         --replicates 6 --steps 150 -o "$tmp/cmp.h5" -q) 2>&1 ); rc=$?
[ "$rc" -eq 1 ] || fail "compare, disk full: exit code $rc, expected 1: $out"
grep -q "File too large" <<< "$out" || fail "compare, disk full: the message does not say why: $out"
left=$(ls -A "$tmp")
[ "$left" = "cmp.h5.journal" ] || fail "compare, disk full: expected only the journal to be left, found: $left"
echo "compare, disk full: $(echo "$out" | grep 'error' | head -1); its journal kept"
rm -f "$tmp/cmp.h5.journal"

# The text and HTML outputs are written whole or not at all too: a sensitivity table and a report on a disk
# with no room leave nothing under their names (their inputs are made first, elsewhere).
inputs=$(mktemp -d)
trap 'rm -rf "$tmp" "$inputs"' EXIT
"$pocsim" sweep "$here/scenarios/sweeps/epstein_lhs_10000.yaml" --shard 0/1000 --set run.steps=20 -o "$inputs/s.h5" -q
expect_failure_leaving_nothing "analyse -o, disk full" "cannot write $tmp/sens.csv: File too large" 0 \
  "$pocsim" analyse "$inputs/s.h5" -o "$tmp/sens.csv"
"$pocsim" run "$here/scenarios/epstein/run2.yaml" -o "$inputs/r.h5" --steps 20 -q
expect_failure_leaving_nothing "report, disk full" "cannot write $tmp/r.html: File too large" 0 \
  "$pocsim" report "$inputs/r.h5" -o "$tmp/r.html"

# Unwritable places (root may write anywhere on disk, but not under /proc).
out=$("$pocsim" run "$here/scenarios/epstein/run2.yaml" -o /proc/pocsim-test.h5 -q 2>&1); rc=$?
[ "$rc" -eq 1 ] || fail "unwritable output: exit code $rc: $out"
grep -q "cannot create file /proc/" <<< "$out" || fail "unwritable output: unclear message: $out"
echo "unwritable output: $(echo "$out" | head -1)"
echo "full disk and unwritable output ok"
