#!/usr/bin/env bash
# Installing pocsim as its users would, from a Release build folder:
#   1. the Debian package (cpack) holds the command, the analysis package, the scenario library, the docs
#      and the engine's CMake package;
#   2. unpacked anywhere (dpkg-deb -x), its pocsim runs a shipped scenario from a home folder and its
#      report finds the analysis package beside the command, not in this source tree;
#   3. another CMake project finds the installed engine (find_package(pocsim)), links it, and gets the
#      numbers pocsim itself records;
#   4. as root, on a machine where pocsim is not installed already: dpkg -i, run a scenario and a report
#      from a home folder with the installed /usr/bin/pocsim, dpkg -r, and nothing of it is left.
# Usage: tests/package.sh BUILD_DIR   (after the build; ./build.sh test runs it)
set -euo pipefail
build=$(cd "$1" && pwd)
source_dir=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
installed_here=0
cleanup() {
  if [ $installed_here = 1 ]; then dpkg -r pocsim > /dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
say() { printf 'package.sh: %s\n' "$*"; }
fail() { printf 'package.sh: FAILED: %s\n' "$*" >&2; exit 1; }

# 1. The package.
(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/pkg" > cpack.log 2>&1) || { cat "$work/cpack.log"; fail "cpack"; }
deb=$(ls "$work"/pkg/pocsim_*.deb)
say "built $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB)"
dpkg-deb -c "$deb" > "$work/contents.txt"
for f in ./usr/bin/pocsim ./usr/share/pocsim/analysis/report.py ./usr/share/pocsim/scenarios/library/mali/base.yaml \
         ./usr/share/pocsim/scenarios/library/mali/options/cvr_north_centre.yaml ./usr/share/doc/pocsim/README.md ./usr/share/doc/pocsim/odd.md \
         ./usr/include/pocsim/model/model.hpp ./usr/include/pocsim/scenario/loader.hpp ./usr/include/pocsim/core/grid.hpp; do
  grep -q " $f\$" "$work/contents.txt" || fail "the package lacks $f"
done
grep -Eq " ./usr/lib/([a-z0-9_]+-linux-gnu/)?cmake/pocsim/pocsimConfig.cmake\$" "$work/contents.txt" || fail "the package lacks the CMake package"
dpkg-deb -f "$deb" Depends | grep -q "libtbb" || fail "the package does not depend on oneTBB: $(dpkg-deb -f "$deb" Depends)"
dpkg-deb -f "$deb" Depends | grep -q "python3-h5py" || fail "the package does not depend on python3-h5py"

# 2. Unpacked elsewhere, run from a home folder.
dpkg-deb -x "$deb" "$work/root"
mkdir -p "$work/home"
prefix="$work/root/usr"
(cd "$work/home" && env -u POCSIM_ANALYSIS_ROOT "$prefix/bin/pocsim" run "$prefix/share/pocsim/scenarios/library/mali/base.yaml" \
   --set run.steps=20 -q -o mali.h5 && env -u POCSIM_ANALYSIS_ROOT "$prefix/bin/pocsim" report mali.h5 -o mali.html > report.log 2>&1) \
  || { cat "$work/home/report.log" 2>/dev/null; fail "the unpacked pocsim could not run a shipped scenario and its report"; }
grep -q "analysis package</th><td class='name'>$prefix/share/pocsim/analysis" "$work/home/mali.html" \
  || fail "the unpacked pocsim's report did not use the analysis package beside it ($prefix/share/pocsim/analysis)"
# A folder named by POCSIM_ANALYSIS_ROOT that holds no analysis package is bad input, said so.
set +e
POCSIM_ANALYSIS_ROOT="$work/home" "$prefix/bin/pocsim" report "$work/home/mali.h5" -o "$work/home/none.html" 2> "$work/home/root.txt"
rc=$?
set -e
[ $rc -eq 2 ] && grep -q "POCSIM_ANALYSIS_ROOT is $work/home, which holds no analysis/report.py" "$work/home/root.txt" \
  && [ ! -e "$work/home/none.html" ] || { cat "$work/home/root.txt"; fail "a wrong POCSIM_ANALYSIS_ROOT gave exit $rc"; }
say "unpacked in $prefix: ran the Mali setting and its report from a home folder"

# 3. Another project links the installed engine.
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log" 2>&1 || { cat "$work/install.log"; fail "cmake --install"; }
launcher=()
command -v ccache > /dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$source_dir/tests/package/consumer" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release \
  "${launcher[@]}" > "$work/consumer.log" 2>&1 && cmake --build "$work/consumer" -j "${JOBS:-2}" >> "$work/consumer.log" 2>&1 \
  || { cat "$work/consumer.log"; fail "a project using find_package(pocsim) did not build"; }
scenario="$source_dir/scenarios/library/mali/base.yaml"
"$work/consumer/consumer" "$scenario" 30 > "$work/consumer.txt"
"$build/pocsim" run "$scenario" --set run.steps=30 -q -o "$work/reference.h5"
/usr/bin/python3 - "$work/consumer.txt" "$work/reference.h5" <<'PY'
import sys, h5py, numpy as np
got = dict(line.split("\t") for line in open(sys.argv[1]).read().splitlines())
with h5py.File(sys.argv[2], "r") as f:
    v = f["violence"]
    events = sum(np.asarray(v[k][1:]).sum() for k in ("clashes", "state_operations", "attacks_on_civilians"))
assert float(got["violent_events"]) == events, (got["violent_events"], events)
assert events > 0, "no violence in 30 steps of the Mali setting: the comparison says nothing"
print(f"package.sh: a project linking the installed engine counts {events:g} violent events in 30 steps, as pocsim run records")
PY

# 4. Installed for real.
if [ "$(id -u)" -ne 0 ]; then
  say "not root: dpkg -i skipped (steps 1-3 passed)"
  exit 0
fi
if dpkg-query -W -f='${Status}' pocsim 2>/dev/null | grep -q "install ok installed"; then
  say "a pocsim package is installed on this machine already: dpkg -i skipped rather than replace it (steps 1-3 passed)"
  exit 0
fi
installed_here=1
dpkg -i "$deb" > "$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; fail "dpkg -i (dependencies missing? ./build.sh deps)"; }
(cd "$work/home" && env -u POCSIM_ANALYSIS_ROOT PATH=/usr/bin:/bin pocsim run /usr/share/pocsim/scenarios/library/guinea_bissau/base.yaml \
   --set run.steps=20 -q -o gb.h5 && env -u POCSIM_ANALYSIS_ROOT PATH=/usr/bin:/bin pocsim report gb.h5 -o gb.html > dpkg-report.log 2>&1) \
  || { cat "$work/home/dpkg-report.log" 2>/dev/null; fail "the installed pocsim could not run a shipped scenario and its report"; }
grep -q "analysis package</th><td class='name'>/usr/share/pocsim/analysis" "$work/home/gb.html" || fail "the installed report did not use /usr/share/pocsim/analysis"
dpkg -r pocsim > "$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; fail "dpkg -r"; }
installed_here=0
[ ! -e /usr/bin/pocsim ] && [ ! -e /usr/share/pocsim ] || fail "dpkg -r left files behind"
say "installed with dpkg, ran the Guinea-Bissau setting and its report from a home folder as /usr/bin/pocsim, removed"
