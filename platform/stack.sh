# Shared by up.sh, down.sh and status.sh (sourced): where the embedded platform keeps its state
# and how the dev stack is reached through the real Pulumi engine.
#
# Env: PLATFORM_STATE_DIR (default <repo>/.platform) holds everything: pids, logs, etcd,
# containerd, volumes and the file backend (state/); another folder than .platform also holds
# its own copy of the stack's config (see STACK_CONFIG).
# PULUMI_CONFIG_PASSPHRASE (default empty): the dev stack's secrets passphrase.
# PLATFORM_REGISTRY_PORT (default 5000): the dev stack's config names 127.0.0.1:5000.

REPO=$(dirname "$PLATFORM_DIR")
# Resolved without creating it: platform/up.sh checks its prerequisites before changing anything.
STATE=$(realpath -m "${PLATFORM_STATE_DIR:-$REPO/.platform}")
STACK=dev
REGISTRY_PORT=${PLATFORM_REGISTRY_PORT:-5000}
REGISTRY=127.0.0.1:$REGISTRY_PORT
# The stack's config: the repository's Pulumi.dev.yaml, as Pulumi itself uses it, so
# `pulumi config set -s dev …` (plain and --secret) edits it the usual way and the next
# `npm run up` deploys it. Its committed encryptionsalt is for the empty passphrase, so every
# state folder (a new one per e2e run) opens the same secure values. A state folder other than
# .platform gets a copy, refreshed from the repository file on every run, that differs only in
# platform:local.kubeconfig (that folder's kubeconfig): the committed file is never rewritten.
if [[ $STATE == "$REPO/.platform" ]]; then
  STACK_CONFIG=$REPO/Pulumi.$STACK.yaml
else
  STACK_CONFIG=$STATE/Pulumi.$STACK.yaml
fi

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
