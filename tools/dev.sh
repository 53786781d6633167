#!/usr/bin/env bash
# `npm run dev`: n8n with this package and the vendor sandbox, on this machine (see tools/dev.js).
#   npm run dev              start; Ctrl-C stops
#   npm run dev -- --check   start, run the onboarding example, check its answer, stop
set -euo pipefail
cd "$(dirname "$0")/.."
# Node 24 and n8n from the cache (installed on first use: several minutes). In the background,
# in a process group of its own, so that a SIGINT/SIGTERM to this script stops it at once (bash
# would run the trap only after a foreground command ends).
installed="$(mktemp)"
set -m
KYC_N8N_VERSIONS="${KYC_DEV_N8N:-2.41.1}" bash tools/n8n/install-n8n.sh >"$installed" &
installer=$!
set +m
trap 'kill -TERM -- "-$installer" 2>/dev/null; rm -f "$installed"; exit 130' INT TERM
wait "$installer"
trap - INT TERM
NODE_HOME="$(cat "$installed")"
rm -f "$installed"
# node replaces this shell (exec): signals reach dev.js, which stops n8n and the sandbox
KYC_DEV_NODE_HOME="$NODE_HOME" exec "$NODE_HOME/bin/node" tools/dev.js "$@"
