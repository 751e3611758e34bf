#!/usr/bin/env bash
# Regenerates docs/parameters.md and docs/scenario.schema.json from the parameter table (each mechanism's
# rows: sim/model/*/parameters.cpp).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
pocsim=${1:-$here/build/release/pocsim}
"$pocsim" schema --markdown > "$here/docs/parameters.md"
"$pocsim" schema --json > "$here/docs/scenario.schema.json"
echo "wrote docs/parameters.md and docs/scenario.schema.json"
