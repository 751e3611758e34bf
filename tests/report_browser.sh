#!/usr/bin/env bash
# A comparison's HTML report in headless Chromium: figures load, nothing overlaps at two page widths, the
# brief comes first, and it prints to PDF (tests/browser/report.test.mjs). Leaves report.pdf in the
# working directory.
# Usage: tests/report_browser.sh POCSIM_BINARY
set -euo pipefail
pocsim=${1:?usage: tests/report_browser.sh POCSIM_BINARY}
source_dir=$(cd "$(dirname "$0")/.." && pwd)
test_name=report_browser
source "$source_dir/tests/browser/playwright.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sahel="$source_dir/scenarios/mission/sahel_mandate.yaml"
printf 'description: sanctions\ndecision: 15\nlevers: [{lever: sanctions, start: 15, region: north, intensity: 1}]\n' > "$work/sanctions.yaml"
printf 'description: CVR\ndecision: 15\nlevers: [{lever: cvr, start: 15, region: north, budget: 20000, intensity: 100}]\n' > "$work/cvr.yaml"
"$pocsim" compare "$sahel" --options "$work/sanctions.yaml" "$work/cvr.yaml" -n 3 --steps 30 -o "$work/comparison.h5" -q
"$pocsim" report "$work/comparison.h5" -o "$work/comparison.html" > /dev/null
PLAYWRIGHT_CORE=$entry NODE_PATH=$cache/node_modules CHROMIUM=$chromium node "$source_dir/tests/browser/report.test.mjs" \
  "$work/comparison.html" "$work/report.pdf"
cp "$work/report.pdf" "$PWD/report.pdf"
