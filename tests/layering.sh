#!/usr/bin/env bash
# An #include against the direction of the libraries does not compile: each library's include root holds
# only its own headers and those of the libraries it depends on (cmake/PocsimLibrary.cmake).
#
#   layering.sh COMPILER pass|fail HEADER INCLUDE_DIR...
# compiles a file that includes HEADER with only INCLUDE_DIRs on the include path, and checks that it
# compiles (pass) or fails because the header cannot be found (fail).
set -uo pipefail
cxx=$1 want=$2 header=$3
shift 3
flags=()
for dir in "$@"; do flags+=("-I$dir"); done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '#include "%s"\nint main() { return 0; }\n' "$header" > "$tmp/probe.cpp"
if "$cxx" -std=c++20 -fsyntax-only "${flags[@]}" "$tmp/probe.cpp" > "$tmp/log" 2>&1; then
  [ "$want" = pass ] && { echo "ok: $header is visible, as it should be"; exit 0; }
  echo "FAIL: $header compiled with include path ${flags[*]}, against the direction of the libraries" >&2
  exit 1
fi
if [ "$want" = fail ]; then
  grep -q "No such file or directory\|file not found" "$tmp/log" || { cat "$tmp/log" >&2; echo "FAIL: $header failed for another reason" >&2; exit 1; }
  echo "ok: $header is out of reach, as it should be"
  exit 0
fi
cat "$tmp/log" >&2
echo "FAIL: $header did not compile with include path ${flags[*]}" >&2
exit 1
