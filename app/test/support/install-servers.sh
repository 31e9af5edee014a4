#!/usr/bin/env bash
# Makes sure the real Redis and PostgreSQL that the integration tests start on loopback are
# installed, and a Compose CLI, which validates compose.yaml (`docker compose config`).
# Found where test/support/binaries.ts looks: PATH, /usr/bin, /usr/local/bin for Redis; PATH,
# /usr/lib/postgresql/<major>/bin (Debian, Ubuntu), /usr/local/pgsql/bin for PostgreSQL.
# Installs what is missing with apt-get, as root or through sudo; where it cannot, it stops with
# a message naming what is missing (the tests never skip silently). Idempotent.
set -euo pipefail

found_together() { # found_together NAME... : all NAMEs in one folder of PATH or of the fallbacks
  local dir name ok
  local IFS=:
  for dir in $PATH /usr/bin /usr/local/bin /usr/lib/postgresql/*/bin /usr/local/pgsql/bin; do
    ok=1
    for name in "$@"; do [[ -x $dir/$name ]] || ok=""; done
    [[ -z $ok ]] || return 0
  done
  return 1
}

missing=()
found_together redis-server redis-cli || missing+=(redis-server)
found_together initdb postgres || missing+=(postgresql)
{ docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null 2>&1; } || missing+=(docker-compose)

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-servers: redis-server, postgresql and a Compose CLI already installed"
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    echo "install-servers: the app's tests need ${missing[*]} (Debian/Ubuntu packages), which are not installed, and this user is neither root nor allowed to sudo without a password: install them (sudo apt-get install ${missing[*]}) and run npm test again" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-servers: the app's tests need ${missing[*]}, which are not installed, and there is no apt-get here: install Redis, PostgreSQL and docker compose with this system's package manager (PATH must find redis-server, initdb and postgres)" >&2
  exit 1
fi

echo "install-servers: installing ${missing[*]}${as_root:+ with sudo}"
# --no-install-recommends keeps it small; the tests start their own servers, so the packaged
# services are neither needed nor wanted.
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-servers: done"
