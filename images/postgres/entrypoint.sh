#!/bin/sh
# Initialises the cluster on first start (user, password, database from the environment),
# then runs the server in the foreground. Safe to re-run: an existing PGDATA keeps its data (only
# its mode is set to 0700 again, as the server requires).
set -eu

# NAME_FILE (Docker secrets under /run/secrets) stands in for NAME; setting both is an error.
file_env() {
    name=$1
    eval "value=\${$name:-}"
    eval "file=\${${name}_FILE:-}"
    if [ -n "$value" ] && [ -n "$file" ]; then
        echo "postgres-entrypoint: set $name or ${name}_FILE, not both" >&2
        exit 1
    fi
    if [ -n "$file" ]; then
        [ -r "$file" ] || { echo "postgres-entrypoint: ${name}_FILE=$file is not readable" >&2; exit 1; }
        value=$(cat "$file")
        export "$name=$value"
        unset "${name}_FILE"
    fi
}
file_env POSTGRES_USER
file_env POSTGRES_PASSWORD
file_env POSTGRES_DB

: "${PGDATA:?PGDATA must be set}"
: "${POSTGRES_USER:?POSTGRES_USER must be set}"
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
: "${POSTGRES_DB:=app}"
# Where the server puts its unix socket and lock file; it must be writable. A read-only root
# with a tmpfs on /tmp sets POSTGRES_SOCKET_DIR=/tmp (a tmpfs over this folder would be root-owned).
: "${POSTGRES_SOCKET_DIR:=/var/run/postgresql}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    mkdir -p "$PGDATA"
    chmod 0700 "$PGDATA"
    pwfile=$(mktemp /tmp/pwfile.XXXXXX)
    printf '%s' "$POSTGRES_PASSWORD" > "$pwfile"
    # Local socket connections stay inside the container; network ones need the password.
    initdb --pgdata="$PGDATA" --username="$POSTGRES_USER" --pwfile="$pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 >/dev/null
    rm -f "$pwfile"
    echo "host all all 0.0.0.0/0 scram-sha-256" >> "$PGDATA/pg_hba.conf"
    pg_ctl --pgdata="$PGDATA" --wait --options="-c listen_addresses='' -c unix_socket_directories=$POSTGRES_SOCKET_DIR" start >/dev/null
    createdb --host="$POSTGRES_SOCKET_DIR" --username="$POSTGRES_USER" "$POSTGRES_DB"
    pg_ctl --pgdata="$PGDATA" --wait stop >/dev/null
fi

# PostgreSQL refuses a data directory that others can read ("has invalid permissions"). A volume
# whose mode was changed after initdb (an fsGroup walk by the kubelet on a remount, a restore, a
# copy) would stop the server on every start, so the mode is put back each time; this user owns it.
chmod 0700 "$PGDATA"

# The server needs no password; keep it out of its environment.
unset POSTGRES_PASSWORD
exec postgres -D "$PGDATA" -c listen_addresses='*' -c unix_socket_directories="$POSTGRES_SOCKET_DIR"
