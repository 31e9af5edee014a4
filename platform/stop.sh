#!/usr/bin/env bash
# npm run stop: stops the embedded local platform and keeps the stack. The node (its pods are
# deleted first, so PostgreSQL and Redis shut down cleanly), the control plane, buildkit, the
# registry and the docker engine stop (only pids recorded in the state folder); etcd keeps every
# object of the dev stack, the volumes keep the data, the file backend keeps the stack's state.
# `npm run start` brings it all back as it was.
#
#   platform/stop.sh
set -euo pipefail
LOG_NAME=${LOG_NAME:-stop}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$PLATFORM_DIR/stack.sh"
# shellcheck source=tools/env.sh
source "$REPO/tools/env.sh"
rc=0

phase "stop node, control plane, buildkit, registry, docker"
"$PLATFORM_DIR/node.sh" stop "$STATE/node" "$STATE/controlplane" || rc=1
"$PLATFORM_DIR/controlplane.sh" stop "$STATE/controlplane" || rc=1
"$PLATFORM_DIR/buildkit.sh" stop "$STATE/buildkit" || rc=1
"$PLATFORM_DIR/registry.sh" stop "$STATE/registry" || rc=1
"$PLATFORM_DIR/docker.sh" stop "$STATE/docker" || rc=1
phase_summary
[[ $LOG_NAME == stop ]] && ((rc == 0)) && stack_exists && log "stopped; the $STACK stack and its data stay (npm run start brings them back, npm run down destroys them)"
exit $rc
