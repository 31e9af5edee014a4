# Shared by up.sh, down.sh and status.sh (sourced): where the embedded platform keeps its state
# and how the dev stack is reached through the real Pulumi engine.
#
# Env: PLATFORM_STATE_DIR (default <repo>/.platform) holds everything: pids, logs, etcd,
# containerd, volumes, the file backend (state/) and the stack's config copy.
# PULUMI_CONFIG_PASSPHRASE (default empty): the dev stack's secrets passphrase.
# PLATFORM_REGISTRY_PORT (default 5000): the dev stack's config names 127.0.0.1:5000.

REPO=$(dirname "$PLATFORM_DIR")
STATE=${PLATFORM_STATE_DIR:-$REPO/.platform}
mkdir -p "$STATE/state"
STATE=$(cd "$STATE" && pwd)
STACK=dev
REGISTRY_PORT=${PLATFORM_REGISTRY_PORT:-5000}
REGISTRY=127.0.0.1:$REGISTRY_PORT
# The stack's config as the engine sees it: Pulumi.dev.yaml of the repo, refreshed on every run,
# plus this state folder's own secrets salt and kubeconfig path. The repo file stays untouched
# (stack creation would otherwise write an encryptionsalt into it).
STACK_CONFIG=$STATE/Pulumi.$STACK.yaml

export PULUMI_BACKEND_URL=file://$STATE/state
export PULUMI_CONFIG_PASSPHRASE=${PULUMI_CONFIG_PASSPHRASE-}
export CONTROLPLANE_NODES=0 CONTROLPLANE_CONTEXT=platform-local

# pulumi_stack ARGS...: the pulumi CLI on the dev stack of this state folder.
pulumi_stack() { pulumi "$@" --stack "$STACK" --cwd "$REPO" --non-interactive; }

stack_exists() { [[ -f $STATE/state/.pulumi/stacks/platform/$STACK.json ]]; }

# Phases ------------------------------------------------------------------------------------
PHASE="" PHASE_T0=$SECONDS
declare -a PHASE_TIMES=()
phase() {
  [[ -n $PHASE ]] && PHASE_TIMES+=("$PHASE=$((SECONDS - PHASE_T0))s")
  PHASE=$1 PHASE_T0=$SECONDS
  log "── $PHASE"
}
phase_summary() {
  [[ -n $PHASE ]] && PHASE_TIMES+=("$PHASE=$((SECONDS - PHASE_T0))s")
  PHASE=""
  log "phases: ${PHASE_TIMES[*]}"
}
