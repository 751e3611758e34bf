#!/usr/bin/env bash
# pocsim's one entry point for building, running and testing on Debian 12.
#
#   ./build.sh run     install what is missing, build (Release), run the default scenario
#   ./build.sh test    install what is missing, build, run the whole test suite (ctest), build the Debian
#                      package and install it (tests/package.sh), then run the fast tests again built
#                      without MPI and with AddressSanitizer + UndefinedBehaviorSanitizer, then the tests
#                      of the parallel engine and the ensemble runner built with ThreadSanitizer
#   ./build.sh deps    only install what is missing (apt-get; quick when everything is present)
#   ./build.sh build   only build (Release) into build/release
#   ./build.sh bench   build and run the benchmarks (see benchmarks/README.md)
#   ./build.sh package build the Debian package into build/release (README: installing)
#
# Environment: JOBS (parallel build jobs, default: number of cores); POCSIM_WERROR=ON makes warnings errors
# (on by default where CI is set, as CI systems do). Builds go through ccache, so a rebuild after a small
# change, or a second CI run on one machine, compiles only what changed.
set -euo pipefail
cd "$(dirname "$0")"

JOBS=${JOBS:-$(nproc)}
DEFAULT_SCENARIO=scenarios/epstein/run2.yaml

# Every build, run and test dependency, as Debian 12 package names.
PACKAGES=(
  cmake g++ make git pkg-config clang libclang-rt-14-dev ccache dpkg-dev file
  libboost-program-options-dev libboost-dev libtbb-dev libhdf5-dev libyaml-cpp-dev catch2 librandom123-dev
  libopenmpi-dev openmpi-bin
  python3 python3-h5py python3-numpy python3-matplotlib python3-pandas python3-scipy python3-yaml
  python3-xarray python3-h5netcdf python3-jsonschema python3-dev pybind11-dev python3-venv python3-pip python3-setuptools python3-wheel
  python3-nbclient python3-nbformat python3-ipykernel
  chromium nodejs
)

say() { printf '\n==> %s\n' "$*"; }

deps() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  # npm fetches the browser driver for the live view's test; some Node.js builds bundle it.
  command -v npm > /dev/null || missing+=(npm)
  if [ ${#missing[@]} -eq 0 ]; then
    echo "dependencies: all ${#PACKAGES[@]} packages present"
    return
  fi
  say "installing ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

WERROR=${POCSIM_WERROR:-${CI:+ON}}

configure_and_build() {  # dir, extra cmake args... (TARGET: build only this target)
  local dir=$1; shift
  local cache=()
  command -v ccache > /dev/null && cache=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  mkdir -p "$(dirname "$dir")"
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DPOCSIM_WERROR="${WERROR:-OFF}" "${cache[@]}" "$@" > "$dir.configure.log" 2>&1 \
    || { mkdir -p "$dir"; cat "$dir.configure.log"; echo "cmake configure failed (log: $dir.configure.log)" >&2; exit 1; }
  cmake --build "$dir" -j "$JOBS" ${TARGET:+--target "$TARGET"}
}


build() {
  mkdir -p build
  say "building Release into build/release"
  configure_and_build build/release
}

run_default() {
  say "running $DEFAULT_SCENARIO"
  mkdir -p results
  build/release/pocsim run "$DEFAULT_SCENARIO" -o results/run2.h5 --force
  echo
  echo "Next: look at the time series with"
  echo "  /usr/bin/python3 analysis/plot_run.py results/run2.h5 -o results/run2.png"
}

run_tests() {
  say "running the whole test suite (Release)"
  (cd build/release && ctest --output-on-failure -j "$JOBS")
  say "packaging: the Debian package, unpacked, linked against and installed (tests/package.sh)"
  JOBS=$JOBS tests/package.sh build/release
  # Without MPI, as on a laptop that has none: everything builds, and the sweep test checks that mpirun is
  # refused with an explanation.
  say "building without MPI, with AddressSanitizer + UndefinedBehaviorSanitizer, into build/asan"
  configure_and_build build/asan -DPOCSIM_SANITIZE=ON -DPOCSIM_BUILD_BENCHMARKS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPOCSIM_MPI=OFF
  # The fast tests: the statistical behaviour tests and the golden digests are about results, which the
  # sanitizers do not change; they run in the Release build above.
  say "running the fast tests again under the sanitizers"
  (cd build/asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
     ctest --output-on-failure -j "$JOBS" -L fast)
  say "building the tests that run threads with ThreadSanitizer (clang) into build/tsan"
  TARGET=thread_tests configure_and_build build/tsan -DPOCSIM_SANITIZE=thread -DPOCSIM_BUILD_BENCHMARKS=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++
  say "running the parallel engine's and the ensemble runner's tests under ThreadSanitizer"
  local tsan_options="halt_on_error=1:exitcode=66:second_deadlock_stack=1:suppressions=$PWD/tests/tsan.supp"
  TSAN_OPTIONS="$tsan_options" build/tsan/tests/thread_tests
  # A canary: a deliberate race must be reported, or ThreadSanitizer has gone blind.
  if TSAN_OPTIONS="$tsan_options" build/tsan/tests/thread_tests "[race-canary]" > build/tsan/canary.log 2>&1 \
     || ! grep -q "ThreadSanitizer: data race" build/tsan/canary.log; then
    echo "ThreadSanitizer did not report the deliberate race in tests/core/test_parallel.cpp (log: build/tsan/canary.log)" >&2
    exit 1
  fi
  echo "ThreadSanitizer reported the deliberate race (canary): it sees races in parallel loops"
}

case "${1:-}" in
  run) deps; build; run_default ;;
  test) deps; build; run_tests ;;
  deps) deps ;;
  build) deps; build ;;
  bench) deps; build; benchmarks/run.sh build/release ;;
  package) deps; build; (cd build/release && cpack -G DEB) ;;
  *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
