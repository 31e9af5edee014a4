#!/usr/bin/env bash
# A private Docker engine for image builds, with its state in one folder.
#
#   platform/docker.sh start  <dir>   # prints the DOCKER_HOST value when ready
#   platform/docker.sh status <dir>
#   platform/docker.sh stop   <dir>
#
# Debian's docker.io (20.10) with the vfs storage driver (works on any file system), no bridge
# and no iptables rules: it never touches the host's networking or another engine, and builds
# use the host network to reach the package registries.
set -euo pipefail
LOG_NAME=docker
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -eq 2 ]] || { echo "usage: $0 start|stop|status <dir>" >&2; exit 2; }
DIR=$(mkdir -p "$2" && cd "$2" && pwd)
SOCK=$DIR/docker.sock
PIDFILE=$DIR/dockerd.pid
export DOCKER_HOST=unix://$SOCK

case $1 in
  start)
    if pid_matches "$PIDFILE" "dockerd" && docker info >/dev/null 2>&1; then echo "$DOCKER_HOST"; exit 0; fi
    apt_ensure docker.io
    mkdir -p "$DIR/root" "$DIR/exec"
    # The socket, pid file and mounts of a dockerd that died (a crash) are stale.
    if ! pid_matches "$PIDFILE" "dockerd"; then rm -f "$SOCK" "$DIR/dockerd.own.pid"; umount_under "$DIR"; fi
    # dockerd trusts the pid file of its own containerd: a pid that is alive counts as that
    # containerd, and dockerd waits for its socket until it gives up. After a crash the number
    # is often someone else's (pids wrap at 32768 here), so it goes unless it is still ours.
    ctrd=$DIR/exec/containerd
    if ! pid_matches "$ctrd/containerd.pid" "--config $ctrd/containerd.toml"; then rm -f "$ctrd"/containerd.pid "$ctrd"/containerd*.sock*; fi
    setsid dockerd --storage-driver=vfs --iptables=false --ip-masq=false --bridge=none \
      --data-root "$DIR/root" --exec-root "$DIR/exec" --pidfile "$DIR/dockerd.own.pid" \
      -H "$DOCKER_HOST" >"$DIR/dockerd.log" 2>&1 </dev/null &
    echo $! >"$PIDFILE"
    wait_until 60 "$DIR/dockerd.log" docker info || { "$0" stop "$DIR"; exit 1; }
    log "engine ready at $DOCKER_HOST"
    echo "$DOCKER_HOST"
    ;;
  status)
    if pid_matches "$PIDFILE" "dockerd" && docker info >/dev/null 2>&1; then echo "docker: running ($DOCKER_HOST)"; else echo "docker: stopped"; exit 1; fi
    ;;
  stop)
    stop_pidfile "$PIDFILE" "dockerd" dockerd
    rm -f "$SOCK" "$DIR/dockerd.own.pid"
    umount_under "$DIR"
    ;;
  *) echo "usage: $0 start|stop|status <dir>" >&2; exit 2 ;;
esac
