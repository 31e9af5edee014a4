#!/usr/bin/env bash
# npm run status: what of the embedded local platform runs (from the pids in the state folder),
# the node's pods, the app's autoscalers (HPA state, VPA recommendation) and the app URL. Exit 0 when everything runs and the app answers.
set -uo pipefail
LOG_NAME=status
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$PLATFORM_DIR/stack.sh"
# shellcheck source=tools/env.sh
source "$REPO/tools/env.sh"
rc=0

# autoscaler_status: per app service the HPA's state and the VPA's recommendation, formatted by
# scripts/autoscalerStatus.ts from the two lists (tested there). A cluster without the VPA CRD
# shows the HPAs and says so; this never changes the exit code.
autoscaler_status() {
  local script=$REPO/bin/scripts/autoscalerStatus.js selector=app.kubernetes.io/part-of=platform
  local kube=(kubectl --kubeconfig "$STATE/kubeconfig") dir vpa=-
  if [[ ! -f $script ]]; then echo "autoscalers: not shown until npm run build"; return 0; fi
  dir=$(mktemp -d)
  if ! "${kube[@]}" get horizontalpodautoscalers.autoscaling -A -l "$selector" -o json >"$dir/hpa.json"; then
    echo "autoscalers: cannot list the HorizontalPodAutoscalers"; rm -rf "$dir"; return 0
  fi
  if "${kube[@]}" get crd verticalpodautoscalers.autoscaling.k8s.io >/dev/null 2>&1; then
    if ! "${kube[@]}" get verticalpodautoscalers.autoscaling.k8s.io -A -l "$selector" -o json >"$dir/vpa.json"; then
      echo "autoscalers: cannot list the VerticalPodAutoscalers"; rm -rf "$dir"; return 0
    fi
    vpa=$dir/vpa.json
  fi
  node "$script" "$dir/hpa.json" "$vpa" || echo "autoscalers: could not format the kubectl lists"
  rm -rf "$dir"
}

echo "state: $STATE"
DOCKER_HOST=unix://$STATE/docker/docker.sock "$PLATFORM_DIR/docker.sh" status "$STATE/docker" || rc=1
"$PLATFORM_DIR/registry.sh" status "$STATE/registry" || rc=1
"$PLATFORM_DIR/buildkit.sh" status "$STATE/buildkit" || rc=1
"$PLATFORM_DIR/controlplane.sh" status "$STATE/controlplane" || rc=1
"$PLATFORM_DIR/node.sh" status "$STATE/node" || rc=1
if ((rc == 0)); then
  kubectl --kubeconfig "$STATE/kubeconfig" get nodes -o wide
  kubectl --kubeconfig "$STATE/kubeconfig" get pods -A -o wide
  autoscaler_status
fi
if stack_exists && url=$(pulumi_stack stack output appUrl 2>/dev/null) && [[ -n $url ]]; then
  if curl -fsS -m 3 "$url/readyz" >/dev/null 2>&1; then echo "app: answers at $url"; else echo "app: not answering at $url"; rc=1; fi
else
  echo "app: not deployed"; rc=1
fi
exit $rc
