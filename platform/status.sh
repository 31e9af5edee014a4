#!/usr/bin/env bash
# npm run status: what of the embedded local platform runs (from the pids in the state folder),
# the node's pods and the app URL. Exit 0 when everything runs and the app answers.
set -uo pipefail
LOG_NAME=status
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$PLATFORM_DIR/stack.sh"
# shellcheck source=tools/env.sh
source "$REPO/tools/env.sh"
rc=0
echo "state: $STATE"
DOCKER_HOST=unix://$STATE/docker/docker.sock "$PLATFORM_DIR/docker.sh" status "$STATE/docker" || rc=1
"$PLATFORM_DIR/registry.sh" status "$STATE/registry" || rc=1
"$PLATFORM_DIR/buildkit.sh" status "$STATE/buildkit" || rc=1
"$PLATFORM_DIR/controlplane.sh" status "$STATE/controlplane" || rc=1
"$PLATFORM_DIR/node.sh" status "$STATE/node" || rc=1
if ((rc == 0)); then
  kubectl --kubeconfig "$STATE/kubeconfig" get nodes -o wide
  kubectl --kubeconfig "$STATE/kubeconfig" get pods -A -o wide
fi
if stack_exists && url=$(pulumi_stack stack output appUrl 2>/dev/null) && [[ -n $url ]]; then
  if curl -fsS -m 3 "$url/readyz" >/dev/null 2>&1; then echo "app: answers at $url"; else echo "app: not answering at $url"; rc=1; fi
else
  echo "app: not deployed"; rc=1
fi
exit $rc
