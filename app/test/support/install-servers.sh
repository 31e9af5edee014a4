#!/usr/bin/env bash
# Installs the real Redis and PostgreSQL 15 that the integration tests start on loopback, and
# Debian's docker-compose, which validates compose.yaml (`docker-compose config`).
# Idempotent: does nothing when all are already installed. Debian 12 packages; needs root.
set -euo pipefail

PG_BIN=/usr/lib/postgresql/15/bin

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x "$PG_BIN/postgres" ] && [ -x "$PG_BIN/initdb" ] || missing+=(postgresql-15)
{ docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null 2>&1; } || missing+=(docker-compose)

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-servers: redis-server, postgresql-15 and a Compose CLI already installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-servers: need root to install ${missing[*]}" >&2
  exit 1
fi

echo "install-servers: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# --no-install-recommends keeps it small; the tests start their own servers, so the packaged
# services are neither needed nor wanted.
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-servers: done"
