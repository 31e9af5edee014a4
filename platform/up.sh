#!/usr/bin/env bash
# npm run up: the embedded local platform (private dockerd, registry, control plane, one real
# node with containerd, cluster DNS) and `pulumi up` of the dev stack on it, until the app answers.
#
#   platform/up.sh        # prints the app URL last; a second run finds everything up, no changes
#
# State: PLATFORM_STATE_DIR (default .platform/), see platform/stack.sh. First it checks the
# machine (platform/prereqs.sh) and stops, having changed nothing, with every problem and its fix.
# On a later failure it names the phase, shows the relevant log lines and stops what this run
# started (what ran before stays).
#
# PLATFORM_UP_MODE=start (platform/start.sh, npm run start): the same platform phases for a stack
# that exists, without npm run build and pulumi up, so nothing of the stack changes.
set -euo pipefail
MODE=${PLATFORM_UP_MODE:-up}
[[ $MODE == up || $MODE == start ]] || { echo "PLATFORM_UP_MODE must be up or start, not $MODE" >&2; exit 2; }
LOG_NAME=$MODE
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$PLATFORM_DIR/stack.sh"
source "$PLATFORM_DIR/prereqs.sh"
if [[ $MODE == start ]] && ! stack_exists; then
  die "no $STACK stack in $STATE/state to start: npm run up creates it"
fi

# What the toolchain phase builds (kwok, fake nodes, is not needed here: 9 min less cold).
TOOLCHAIN_STEPS=(pulumi kubernetes-provider random docker-build etcd k8s coredns pause metrics-server vpa)

phase "prerequisites (machine)"
# Go and build space matter only when a piece must be compiled (a machine with its own pulumi
# and plugins, and the rest cached, needs neither).
build_dir=""
# Captured first: `grep -q` closing the pipe early would fail the pipeline under pipefail.
plan=$("$REPO/tools/toolchain.sh" plan "${TOOLCHAIN_STEPS[@]}" 2>/dev/null || true)
if grep -q "would build" <<<"$plan"; then
  build_dir=$(go env GOCACHE 2>/dev/null || true)
  build_dir=${build_dir:-$PLATFORM_CACHE}
fi
app_port=$(sed -n 's/^ *nodePortBase: *\([0-9][0-9]*\).*/\1/p' "$REPO/Pulumi.$STACK.yaml" | head -n1)
check_prereqs "$REGISTRY_PORT" "${app_port:-30080}" "$STATE" "$build_dir" || exit 1
if [[ $(id -u) != 0 ]]; then
  # check_prereqs made sure sudo exists. The environment that selects state, caches and the
  # passphrase goes along; sudo asks for a password if its policy wants one.
  log "not root: running again as root with sudo (the platform creates a network bridge, iptables rules and containers)"
  keep=("PATH=$PATH" "HOME=$HOME")
  for v in $(compgen -e); do [[ $v =~ ^(PLATFORM_|PULUMI_|TOOLCHAIN_|GO|DOCKER_|KUBECONFIG) ]] && keep+=("$v=${!v}"); done
  exec sudo env "${keep[@]}" bash "$0" "$@"
fi
mkdir -p "$STATE/state"

STARTED=()
BASE_IMAGES_PID=""
on_exit() {
  local rc=$?
  ((rc == 0)) && return
  # A failure while the base images were still being pushed: that job ends with this run.
  if [[ -n $BASE_IMAGES_PID ]]; then pkill -P "$BASE_IMAGES_PID" 2>/dev/null || true; kill "$BASE_IMAGES_PID" 2>/dev/null || true; fi
  log "FAILED in phase: ${PHASE:-setup} (exit $rc); state and logs in $STATE"
  if [[ -n ${PLATFORM_KEEP_ON_FAILURE:-} ]]; then log "PLATFORM_KEEP_ON_FAILURE set: leaving it running (npm run down stops it)"; return; fi
  local i
  for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do
    log "stopping ${STARTED[i]} (started by this run)"
    case ${STARTED[i]} in
      node) "$PLATFORM_DIR/node.sh" stop "$STATE/node" "$STATE/controlplane" || true ;;
      controlplane) "$PLATFORM_DIR/controlplane.sh" stop "$STATE/controlplane" || true ;;
      registry) "$PLATFORM_DIR/registry.sh" stop "$STATE/registry" || true ;;
      buildkit) "$PLATFORM_DIR/buildkit.sh" stop "$STATE/buildkit" || true ;;
      docker) "$PLATFORM_DIR/docker.sh" stop "$STATE/docker" || true ;;
    esac
  done
}
trap on_exit EXIT

# ours NAME: remembers NAME (platform/NAME.sh, state in $STATE/NAME) as started by this run
# unless it already runs, so a failure stops only that.
ours() {
  "$PLATFORM_DIR/$1.sh" status "$STATE/$1" >/dev/null 2>&1 || STARTED+=("$1")
}

# show_logs FILE...: the last lines of each log that exists, for a failed phase.
show_logs() {
  local f
  for f in "$@"; do [[ -f $f ]] && { log "last lines of $f:"; tail -n 30 "$f" >&2; }; done
  return 0
}

phase "prerequisites (apt, npm ci, toolchain)"
apt_ensure docker.io docker-registry debootstrap containerd runc containernetworking-plugins conntrack iptables openssl curl
if [[ ! -d $REPO/node_modules/@pulumi/pulumi ]]; then (cd "$REPO" && npm ci --no-audit --no-fund); fi
# A first run compiles Go for most of an hour: one line per piece and a heartbeat every 30 s on
# the terminal, the compiler's output in the log. Your own pulumi and kubectl are used when they
# fit (tools/ambient.sh); the toolchain's lines say which.
log "toolchain log: $STATE/toolchain.log"
TOOLCHAIN_LOG=$STATE/toolchain.log "$REPO/tools/toolchain.sh" "${TOOLCHAIN_STEPS[@]}" >&2 ||
  { show_logs "$STATE/toolchain.log"; exit 1; }
# shellcheck source=tools/env.sh
source "$REPO/tools/env.sh"
log "pulumi: $PLATFORM_PULUMI (PULUMI_HOME ${PULUMI_HOME:-~/.pulumi}); kubectl: $(command -v kubectl)"

phase "docker engine"
ours docker
DOCKER_HOST=$("$PLATFORM_DIR/docker.sh" start "$STATE/docker") || { show_logs "$STATE/docker/dockerd.log"; exit 1; }
export DOCKER_HOST

phase "registry $REGISTRY"
ours registry
"$PLATFORM_DIR/registry.sh" start "$STATE/registry" "$REGISTRY_PORT" >/dev/null ||
  { show_logs "$STATE/registry/registry.log"; exit 1; }

phase "buildkit (buildx builder for the docker-build provider)"
ours buildkit
# The build cache is the machine's, like the toolchain: a new state folder (or the e2e's) builds
# images whose context did not change from cache. PLATFORM_BUILD_CACHE names another folder.
bk=$(BUILDKIT_ROOT=${PLATFORM_BUILD_CACHE:-$PLATFORM_CACHE/buildkit} "$PLATFORM_DIR/buildkit.sh" start "$STATE/buildkit" "$REGISTRY") || { show_logs "$STATE/buildkit/buildkitd.log"; exit 1; }
DOCKER_CONFIG=$(sed -n 's/^DOCKER_CONFIG=//p' <<<"$bk")
export DOCKER_CONFIG

phase "base images (started: pushed while the cluster starts)"
# Only the image builds need them, so the import and push (~13 s into an empty registry) run
# beside the control plane and node phases; the phase before npm run build waits for them.
"$PLATFORM_DIR/base-images.sh" "$REGISTRY" >"$STATE/base-images.log" 2>&1 &
BASE_IMAGES_PID=$!

phase "control plane"
ours controlplane
"$PLATFORM_DIR/controlplane.sh" start "$STATE/controlplane" >/dev/null ||
  { show_logs "$STATE"/controlplane/logs/*.log; exit 1; }
install -m 0600 "$STATE/controlplane/kubeconfig" "$STATE/kubeconfig"
export KUBECONFIG=$STATE/kubeconfig

phase "node (containerd, kubelet, kube-proxy, CoreDNS, metrics-server, VPA recommender)"
ours node
"$PLATFORM_DIR/node.sh" start "$STATE/node" "$STATE/controlplane" "$REGISTRY" ||
  { show_logs "$STATE"/node/logs/*.log; exit 1; }

phase "base images (pushed)"
wait "$BASE_IMAGES_PID" || { show_logs "$STATE/base-images.log"; exit 1; }
BASE_IMAGES_PID=""

if [[ $MODE == up ]]; then
  phase "npm run build"
  # `tsc -b` with the incremental build info in bin/: when no TypeScript changed (an app/src edit,
  # a rerun) it only compares timestamps and is done in well under a second, not a 6-9 s full tsc.
  (cd "$REPO" && nice -n 5 npm run --silent build) || exit 1

  phase "pulumi up -s $STACK"
  if ! stack_exists; then
    # The repository's Pulumi.dev.yaml carries the encryptionsalt, so Pulumi reuses it and leaves
    # the file as it is; a passphrase that does not fit the salt is refused here.
    pulumi stack init "$STACK" --cwd "$REPO" --non-interactive >"$STATE/stack-init.log" 2>&1 || {
      cat "$STATE/stack-init.log" >&2
      grep -q "incorrect passphrase" "$STATE/stack-init.log" &&
        log "PULUMI_CONFIG_PASSPHRASE does not open Pulumi.$STACK.yaml's encryptionsalt (committed for the empty passphrase): unset it, or see platform/README.md, \"Stack config and secrets\""
      exit 1
    }
  fi
  if [[ $STACK_CONFIG != "$REPO/Pulumi.$STACK.yaml" ]]; then
    # Another state folder than .platform: the repository's config with this folder's kubeconfig.
    # The scratch copy keeps the .yaml extension: Pulumi picks the file's format by its extension.
    scratch=${STACK_CONFIG%.yaml}.new.yaml
    cp "$REPO/Pulumi.$STACK.yaml" "$scratch"
    pulumi_stack config set --config-file "$scratch" --path platform:local.kubeconfig "$STATE/kubeconfig"
    mv "$scratch" "$STACK_CONFIG"
  fi
  # A stack made before issue 19 keeps its generated passwords under @pulumi/random (a state
  # edit, once; scripts/migratePasswords.ts says why the alias alone would replace them). The
  # grep spares every later run the export (~1 s).
  if grep -Eqs '"type": ?"pulumi-nodejs:dynamic/platform:RandomPassword"' "$STATE/state/.pulumi/stacks/platform/$STACK.json"; then
    node "$REPO/bin/scripts/migratePasswords.js" --stack "$STACK" --cwd "$REPO" || exit 1
  fi
  # Without DOCKER_HOST: the docker-build SDK records it as the provider's `host` input, so a
  # pulumi run from a shell without it (platform/README.md's `pulumi preview -s dev`, the e2e's
  # own pulumi commands) saw a changed host and replaced the provider and every image. The builds
  # go through the buildx builder in DOCKER_CONFIG; the private engine only serves base-images.sh.
  (unset DOCKER_HOST && pulumi_stack up --yes --skip-preview --config-file "$STACK_CONFIG") 2>&1 | tee "$STATE/pulumi-up.log" ||
    {
      log "pulumi up failed; pods in the cluster:"
      kubectl get pods -A -o wide >&2 || true
      exit 1
    }
fi

phase "app answers, metrics.k8s.io"
url=$(pulumi_stack stack output appUrl)
wait_until 180 "$STATE/pulumi-up.log" curl -fsS "$url/readyz" ||
  { kubectl -n app get pods -o wide >&2 || true; kubectl -n app logs deploy/web --tail 20 >&2 || true; exit 1; }
# The node phase started metrics-server without waiting for its first scrape; by now it has
# usually happened (the HPA's figures and npm run status need it).
"$PLATFORM_DIR/node.sh" metrics-ready "$STATE/node" "$STATE/controlplane" || exit 1
phase_summary
trap - EXIT
log "the app answers at $url (state in $STATE; npm run status, npm run down)"
echo "$url"
