#!/usr/bin/env bash
# Regenerates docs/parameters.md from the parameter table (each mechanism's rows: sim/model/*/parameters.cpp).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
pocsim=${1:-$here/build/release/pocsim}
"$pocsim" schema --markdown > "$here/docs/parameters.md"
echo "wrote docs/parameters.md"
