#!/usr/bin/env bash
# A local OCI registry (Debian's docker-registry) that images are pushed to and nodes pull
# from, as they would with ECR or ACR.
#
#   platform/registry.sh start  <dir> [port]   # port default 5000; prints host:port when ready
#   platform/registry.sh status <dir>
#   platform/registry.sh stop   <dir>
set -euo pipefail
LOG_NAME=registry
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -ge 2 ]] || { echo "usage: $0 start|stop|status <dir> [port]" >&2; exit 2; }
DIR=$(mkdir -p "$2" && cd "$2" && pwd)
PIDFILE=$DIR/registry.pid

case $1 in
  start)
    PORT=${3:-5000}
    ADDR=127.0.0.1:$PORT
    if pid_matches "$PIDFILE" "docker-registry" && curl -fsS "http://$ADDR/v2/" >/dev/null 2>&1; then echo "$ADDR"; exit 0; fi
    apt_ensure docker-registry curl
    mkdir -p "$DIR/data"
    cat >"$DIR/config.yml" <<YAML
version: 0.1
log: {level: warn}
storage:
  filesystem: {rootdirectory: $DIR/data}
  delete: {enabled: true}
http:
  addr: $ADDR
YAML
    setsid docker-registry serve "$DIR/config.yml" >"$DIR/registry.log" 2>&1 </dev/null &
    echo $! >"$PIDFILE"
    echo "$ADDR" >"$DIR/address"
    wait_until 30 "$DIR/registry.log" curl -fsS "http://$ADDR/v2/" || { "$0" stop "$DIR"; exit 1; }
    log "registry ready at $ADDR"
    echo "$ADDR"
    ;;
  status)
    if pid_matches "$PIDFILE" "docker-registry"; then echo "registry: running ($(<"$DIR/address"))"; else echo "registry: stopped"; exit 1; fi
    ;;
  stop)
    stop_pidfile "$PIDFILE" "docker-registry" docker-registry
    ;;
  *) echo "usage: $0 start|stop|status <dir> [port]" >&2; exit 2 ;;
esac
