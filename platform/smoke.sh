#!/usr/bin/env bash
# End-to-end smoke of the local toolchain: the real Pulumi engine, our Node.js language host and
# the Kubernetes provider create, re-preview and destroy a Deployment, a Service and a
# StatefulSet with a volume claim on a throwaway control plane.
#
#   platform/smoke.sh [workdir]     # default: a fresh mktemp dir, removed on success
#
# Needs network access to the npm registry only for the two SDK packages (pinned from
# tools/versions.env).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
WORK=${1:-$(mktemp -d /tmp/platform-smoke.XXXXXX)}
mkdir -p "$WORK"
START=$SECONDS
log() { printf '[%4ss] smoke: %s\n' "$((SECONDS - START))" "$*"; }

"$REPO/tools/toolchain.sh" pulumi kubernetes-provider etcd k8s kwok
# shellcheck source=tools/env.sh
source "$REPO/tools/env.sh"

log "program in $WORK/program"
mkdir -p "$WORK/program" "$WORK/state"
cp "$HERE/smoke/index.js" "$HERE/smoke/Pulumi.yaml" "$WORK/program/"
cd "$WORK/program"
cat >package.json <<EOF
{"name": "platform-smoke", "private": true, "main": "index.js",
 "dependencies": {"@pulumi/pulumi": "$PULUMI_VERSION", "@pulumi/kubernetes": "$PULUMI_KUBERNETES_VERSION"}}
EOF
[[ -d node_modules/@pulumi/kubernetes ]] || npm install --no-audit --no-fund --loglevel=error >/dev/null

cleanup() { "$REPO/platform/controlplane.sh" stop "$WORK/cp" || true; }
trap cleanup EXIT
log "starting control plane"
KUBECONFIG_FILE=$("$REPO/platform/controlplane.sh" start "$WORK/cp")

export PULUMI_BACKEND_URL="file://$WORK/state" PULUMI_CONFIG_PASSPHRASE=smoke
pulumi stack init smoke --non-interactive >/dev/null
pulumi config set --secret kubeconfig <"$KUBECONFIG_FILE"
log "pulumi up"
pulumi up --yes --non-interactive --skip-preview
log "outputs: $(pulumi stack output --json | tr -d ' \n')"
[[ $(pulumi stack output deploymentReady) == 2 ]] || { log "deployment not available"; exit 1; }
[[ $(pulumi stack output statefulSetReady) == 1 ]] || { log "statefulset not ready"; exit 1; }
log "pulumi preview --expect-no-changes"
pulumi preview --expect-no-changes --non-interactive >/dev/null
log "pulumi destroy"
pulumi destroy --yes --non-interactive --skip-preview >/dev/null
pulumi stack rm --yes smoke >/dev/null
log "passed"
# Stop before removing $WORK: the pid files that tell stop what to kill live there.
cleanup
trap - EXIT
[[ $# -gt 0 ]] || rm -rf "$WORK"
