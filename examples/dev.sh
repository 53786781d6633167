#!/usr/bin/env bash
# `npm run dev`: n8n with this package and the vendor sandbox, on this machine (see examples/dev.js).
#   npm run dev              start; Ctrl-C stops
#   npm run dev -- --check   start, run the onboarding example, check its answer, stop
set -euo pipefail
cd "$(dirname "$0")/.."
# Node 24 and n8n from the cache (installed on first use: several minutes)
NODE_HOME="$(KYC_N8N_VERSIONS="${KYC_DEV_N8N:-2.41.1}" bash test/e2e/install-n8n.sh)"
KYC_DEV_NODE_HOME="$NODE_HOME" exec "$NODE_HOME/bin/node" examples/dev.js "$@"
