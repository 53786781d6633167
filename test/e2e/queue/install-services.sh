#!/usr/bin/env bash
# Redis and PostgreSQL for the queue-mode suite, from Debian's packages, the way CI can: as root
# with apt-get, once (a later run finds the binaries and returns at once). Nothing is started
# here, and the packages' own services are kept from starting (policy-rc.d): the suite runs its
# own servers on free ports in temporary folders. Prints the PostgreSQL bin folder last.
set -euo pipefail

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
have() { command -v redis-server >/dev/null && command -v redis-cli >/dev/null && [ -x "$(pg_bin)/initdb" ] && [ -x "$(pg_bin)/pg_ctl" ]; }

if ! have; then
  if [ "$(id -u)" != 0 ]; then
    echo "install-services.sh: redis-server and postgresql are missing; run as root (apt-get) or install them" >&2
    exit 1
  fi
  policy=/usr/sbin/policy-rc.d
  own_policy=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy"
    own_policy=1
  fi
  trap '[ -n "$own_policy" ] && rm -f "$policy"' EXIT
  echo "== apt-get install redis-server postgresql" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends redis-server redis-tools postgresql >&2
  have || { echo "install-services.sh: redis-server or PostgreSQL still missing after apt-get" >&2; exit 1; }
fi
pg_bin
