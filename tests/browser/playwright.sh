# Sourced by the browser tests: checks for node, npm and Debian's Chromium, installs playwright-core (which
# drives that Chromium and downloads no browser of its own) into a cache on first use, and sets
#   chromium  the browser    cache  the node_modules prefix    entry  playwright-core's module to import
# Environment: POCSIM_NODE_CACHE (default ~/.cache/pocsim-node), CHROMIUM (default /usr/bin/chromium).
# The caller sets `test_name` for messages.
chromium=${CHROMIUM:-/usr/bin/chromium}
missing() {
  echo "$test_name: $1 not found: install Debian's package '$2' (apt-get install $2)" >&2
  exit 1
}
command -v node > /dev/null || missing node nodejs
command -v npm > /dev/null || missing npm npm
[ -x "$chromium" ] || missing "$chromium" chromium

# 1.61 is the newest release that still runs on Node 18 (Debian 12's nodejs).
playwright_version=1.61.1
cache=${POCSIM_NODE_CACHE:-${HOME:-/tmp}/.cache/pocsim-node}
module=$cache/node_modules/playwright-core
mkdir -p "$cache"
# Two browser tests may start at once: one installs while the other waits.
exec 9> "$cache/.install.lock"
flock 9
installed=$(node -p "require('$module/package.json').version" 2> /dev/null || true)
if [ "$installed" != "$playwright_version" ]; then
  echo "$test_name: installing playwright-core $playwright_version into $cache"
  npm install --no-audit --no-fund --loglevel=error --prefix "$cache" "playwright-core@$playwright_version"
fi
flock -u 9
exec 9>&-
entry=$module/index.mjs
[ -f "$entry" ] || entry=$module/index.js
