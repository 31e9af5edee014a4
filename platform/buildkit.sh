#!/usr/bin/env bash
# A BuildKit daemon for image builds, with its state in one folder. The docker-build provider
# builds through buildx "remote" builders only (it does not support the Docker engine's
# built-in builder, and its default docker-container builder would pull moby/buildkit), so this
# runs buildkitd (built by tools/toolchain.sh) with Debian's runc and registers it as a buildx
# builder in a private Docker config folder.
#
#   platform/buildkit.sh start  <dir> [insecure registry host:port ...]
#       prints two lines: DOCKER_CONFIG=<dir>/docker-config and BUILDER=platform
#   platform/buildkit.sh status <dir>
#   platform/buildkit.sh stop   <dir>
#
# BUILDKIT_ROOT: where buildkitd keeps its cache (default <dir>/root). platform/up.sh points it
# at the machine's cache ($PLATFORM_CACHE/buildkit), so a new state folder builds unchanged images
# from cache; when another buildkitd holds that folder, this one falls back to <dir>/root.
#
# RUN steps use the host network (no CNI set-up needed, and the package registries are reached
# the way the host reaches them); pushes and pulls to the named registries use plain HTTP.
set -euo pipefail
LOG_NAME=buildkit
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -ge 2 ]] || { echo "usage: $0 start|stop|status <dir> [registry ...]" >&2; exit 2; }
CMD=$1
DIR=$(mkdir -p "$2" && cd "$2" && pwd)
shift 2
SOCK=$DIR/buildkitd.sock
PIDFILE=$DIR/buildkitd.pid
BUILDER=platform
DOCKER_CONFIG_DIR=$DIR/docker-config

source "$PLATFORM_DIR/../tools/versions.env"
BIN=$PLATFORM_CACHE/toolchain/pulumi-docker-build-$PULUMI_DOCKER_BUILD_VERSION/bin/buildkitd

ready() { [[ -S $SOCK ]] && pid_matches "$PIDFILE" buildkitd; }

case $CMD in
  start)
    if ready; then printf 'DOCKER_CONFIG=%s\nBUILDER=%s\n' "$DOCKER_CONFIG_DIR" "$BUILDER"; exit 0; fi
    [[ -x $BIN ]] || "$PLATFORM_DIR/../tools/toolchain.sh" docker-build >&2
    apt_ensure runc
    root=${BUILDKIT_ROOT:-$DIR/root}
    mkdir -p "$root"
    # buildkitd takes an exclusive flock on <root>/buildkitd.lock; a held one means another
    # daemon (another platform, a test's builder) uses that cache now.
    if ! flock -n "$root/buildkitd.lock" true; then
      log "build cache $root is in use by another buildkitd: this one keeps its own in $DIR/root"
      root=$DIR/root
      mkdir -p "$root"
    fi
    # A socket left by a buildkitd that died (a crash) would pass the readiness wait below at once.
    pid_matches "$PIDFILE" buildkitd || rm -f "$SOCK"
    {
      echo "[worker.oci]"
      echo "  enabled = true"
      echo "  gc = true"
      # A kept cache stays bounded: collected down to this when it grows past it.
      echo "  maxUsedSpace = \"${BUILDKIT_MAX_CACHE:-6GB}\""
      echo "[worker.containerd]"
      echo "  enabled = false"
      for registry in "$@"; do
        echo "[registry.\"$registry\"]"
        echo "  http = true"
        echo "  insecure = true"
      done
    } >"$DIR/buildkitd.toml"
    setsid "$BIN" --config "$DIR/buildkitd.toml" --root "$root" --addr "unix://$SOCK" \
      --oci-worker-net host --allow-insecure-entitlement network.host --oci-worker-binary "$(command -v runc)" >"$DIR/buildkitd.log" 2>&1 </dev/null &
    echo $! >"$PIDFILE"
    wait_until 60 "$DIR/buildkitd.log" test -S "$SOCK" || { "$0" stop "$DIR"; exit 1; }
    # A buildx "remote" builder pointing at the socket, in buildx's store format.
    mkdir -p "$DOCKER_CONFIG_DIR/buildx/instances"
    cat >"$DOCKER_CONFIG_DIR/buildx/instances/$BUILDER" <<JSON
{"Name":"$BUILDER","Driver":"remote","Nodes":[{"Name":"${BUILDER}0","Endpoint":"unix://$SOCK","Platforms":null,"DriverOpts":null,"Flags":null,"Files":null}],"Dynamic":false}
JSON
    [[ -f $DOCKER_CONFIG_DIR/config.json ]] || echo '{}' >"$DOCKER_CONFIG_DIR/config.json"
    log "buildkitd ready at unix://$SOCK (buildx builder \"$BUILDER\", cache $root)"
    printf 'DOCKER_CONFIG=%s\nBUILDER=%s\n' "$DOCKER_CONFIG_DIR" "$BUILDER"
    ;;
  status)
    if ready; then echo "buildkit: running (unix://$SOCK)"; else echo "buildkit: stopped"; exit 1; fi
    ;;
  stop)
    stop_pidfile "$PIDFILE" buildkitd buildkitd
    rm -f "$SOCK"
    ;;
  *) echo "usage: $0 start|stop|status <dir> [registry ...]" >&2; exit 2 ;;
esac
