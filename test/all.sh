#!/usr/bin/env bash
# Every test: installs what it needs (Node 24 and the pinned n8n versions into a cache outside
# the clone, the dev dependencies), then typecheck, lint, unit tests, package contents, and the
# end-to-end tests inside real n8n 2.41.1 and 1.123.81 against the local vendor sandbox, and the
# queue-mode suite (installs Redis and PostgreSQL from Debian's packages the first time).
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_HOME=$(bash tools/n8n/install-n8n.sh | tail -n 1)
export PATH="$NODE_HOME/bin:$PATH"
echo "== node $(node --version), npm $(npm --version)"

# npm ci only when package-lock.json changed since the last install in this clone.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.kyc-lock-hash 2>/dev/null)" != "$lock_hash" ]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.kyc-lock-hash
fi

echo "== typecheck"
npx tsc --noEmit -p tsconfig.json
echo "== lint (n8n-node lint, strict mode, default config)"
npm run --silent lint
echo "== lint (the scanner's rule sets, no inline disables, zero warnings)"
npm run --silent lint:scanner
echo "== format (prettier, the n8n starter's settings)"
npm run --silent format:check
echo "== unit tests"
npx jest --ci --json --outputFile=.jest-results.json
node -e 'const r=require("./.jest-results.json");console.log(`unit: ${r.numPassedTests} passed, ${r.numFailedTests} failed`)'
rm -f .jest-results.json
echo "== build and package contents"
npm run --silent build
node test/pack-check.js
echo "== end-to-end tests in real n8n"
node test/e2e/run.js
echo "== queue mode: n8n 2.41.1 main + 2 workers + webhook processor on Redis and PostgreSQL"
node test/e2e/queue/run.js
