#!/usr/bin/env bash
# npm run down: `pulumi destroy` of the dev stack, then platform/stop.sh stops the node, the
# control plane, buildkit, the registry and the docker engine (only pids recorded in the state
# folder). Data stays for the next up: etcd, images in the registry and containerd, the file backend.
#
#   platform/down.sh
set -euo pipefail
LOG_NAME=down
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$PLATFORM_DIR/stack.sh"
# shellcheck source=tools/env.sh
source "$REPO/tools/env.sh"
rc=0

phase "pulumi destroy -s $STACK"
if ! stack_exists; then
  log "no $STACK stack in $STATE/state; nothing to destroy"
elif ! "$PLATFORM_DIR/controlplane.sh" status "$STATE/controlplane" >/dev/null 2>&1; then
  log "the control plane is not running: destroy skipped (the stack's objects stay in etcd; npm run up brings them back)"
elif [[ ! -f $STACK_CONFIG ]]; then
  log "no $STACK_CONFIG (npm run up writes it): destroy skipped"; rc=1
else
  pulumi_stack destroy --yes --skip-preview --config-file "$STACK_CONFIG" 2>&1 | tee "$STATE/pulumi-destroy.log" ||
    { log "pulumi destroy failed (see $STATE/pulumi-destroy.log); stopping the platform anyway"; rc=1; }
fi

phase_summary
# The same stop as npm run stop (platform/stop.sh), now that the stack is gone.
LOG_NAME=down bash "$PLATFORM_DIR/stop.sh" || rc=1
exit $rc
