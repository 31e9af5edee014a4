#!/usr/bin/env bash
# A throwaway Kubernetes control plane on loopback, for tests that need a real API server.
#
#   platform/controlplane.sh start  <dir>   # prints the kubeconfig path when ready
#   platform/controlplane.sh status <dir>
#   platform/controlplane.sh stop   <dir>   # kills only the pids this script started in <dir>
#
# etcd, kube-apiserver, kube-controller-manager and kube-scheduler are the real binaries built
# by tools/toolchain.sh; kwok plays the kubelets, so Nodes and Pods become Ready without
# containers (Deployments get Available, Services get endpoints from the fake pod IPs).
# Everything lives in <dir>: certificates, etcd data, logs, pid files and <dir>/kubeconfig
# (admin, certificates embedded). Ports are picked free at start and kept in <dir>/ports.env.
#
# Env: CONTROLPLANE_NODES (default 1) fake Nodes to register (and the VPA CRDs); 0 = no kwok, no StorageClass and no CRDs,
# for a real node that brings its own (platform/node.sh). CONTROLPLANE_CONTEXT (default "local")
# names the kubeconfig's context. PLATFORM_CACHE as in tools/.
# Ports are reused from <dir>/ports.env when it exists and they are free, so a restarted control
# plane keeps its kubeconfig (a changed server URL would make Pulumi's provider see a new cluster).
# PersistentVolumeClaims of the default StorageClass "standard" are provisioned by the
# controller manager's hostPath provisioner (testing-only, in-process), so StatefulSets with
# volumeClaimTemplates become ready.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")

# Start order; stop goes in reverse.
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)
NODES=${CONTROLPLANE_NODES:-1}
CONTEXT=${CONTROLPLANE_CONTEXT:-local}
[[ $NODES == 0 ]] && COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler)

usage() { echo "usage: $0 start|stop|status <dir>" >&2; exit 2; }
LOG_NAME=controlplane
# shellcheck source=platform/lib.sh
source "$HERE/lib.sh"

[[ $# -eq 2 ]] || usage
CMD=$1
DIR=$(mkdir -p "$2" && cd "$2" && pwd)
RUN=$DIR/run
LOGS=$DIR/logs
PKI=$DIR/pki


stop_all() {
  local i name pid
  for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do
    name=${COMPONENTS[i]}
    if process_alive "$name"; then
      pid=$(<"$RUN/$name.pid")
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -KILL "$pid" 2>/dev/null || true
      log "stopped $name (pid $pid)"
    fi
    rm -f "$RUN/$name.pid"
  done
}

status() {
  local name rc=0
  for name in "${COMPONENTS[@]}"; do
    if process_alive "$name"; then echo "$name: running (pid $(<"$RUN/$name.pid"))"; else echo "$name: stopped"; rc=1; fi
  done
  if [[ $rc -eq 0 ]] && kubectl --kubeconfig "$DIR/kubeconfig" get --raw /readyz >/dev/null 2>&1; then
    echo "api: ready ($DIR/kubeconfig)"
  else
    echo "api: not ready"; rc=1
  fi
  return $rc
}

# Binds port 0 a few times to let the kernel pick free loopback ports.
free_ports() {
  node -e '
    const net = require("net"); const n = +process.argv[1]; const servers = [];
    (async () => {
      for (let i = 0; i < n; i++) {
        const s = net.createServer(); servers.push(s);
        await new Promise((r) => s.listen(0, "127.0.0.1", r));
      }
      console.log(servers.map((s) => s.address().port).join(" "));
      servers.forEach((s) => s.close());
    })();' "$1"
}

# reuse_ports: the ports of the previous start, when all three are still free.
reuse_ports() {
  [[ -f $DIR/ports.env ]] || return 1
  # shellcheck disable=SC1091
  source "$DIR/ports.env"
  local p
  for p in "$ETCD_PORT" "$ETCD_PEER_PORT" "$API_PORT"; do
    [[ $p =~ ^[0-9]+$ ]] || return 1
    ss -Htln "sport = :$p" | grep -q . && return 1
  done
  return 0
}

# issue NAME CN ORG EXT: a P-256 key and a certificate signed by our CA.
issue() {
  local name=$1 cn=$2 org=$3 ext=$4 subj="/CN=$2"
  [[ -n $org ]] && subj="/O=$org/CN=$cn"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "$subj" \
    -keyout "$PKI/$name.key" -out "$PKI/$name.csr" 2>/dev/null
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -days 3650 -out "$PKI/$name.crt" -extfile <(printf '%b' "$ext") 2>/dev/null
}

make_pki() {
  mkdir -p "$PKI"
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
    -subj "/CN=platform-test-ca" -keyout "$PKI/ca.key" -out "$PKI/ca.crt" 2>/dev/null
  local server="basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
  server+="subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,"
  server+="DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\n"
  local client="basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n"
  issue apiserver kube-apiserver "" "$server"
  issue admin admin system:masters "$client"
  issue kcm system:kube-controller-manager "" "$client"
  issue scheduler system:kube-scheduler "" "$client"
  issue apiserver-kubelet-client kube-apiserver-kubelet-client system:masters "$client"
  # Service-account tokens are signed with RSA (what every client library verifies).
  openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
  openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
}

# The aggregation layer (metrics.k8s.io is served by metrics-server behind the API server): a CA
# of its own for the front proxy, so a client certificate of the cluster CA can never pose as the
# proxy and set X-Remote-User, and the one client certificate the API server proxies with.
make_front_proxy_pki() {
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
    -subj "/CN=platform-front-proxy-ca" -keyout "$PKI/front-proxy-ca.key" -out "$PKI/front-proxy-ca.crt" 2>/dev/null
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=front-proxy-client" \
    -keyout "$PKI/front-proxy-client.key" -out "$PKI/front-proxy-client.csr" 2>/dev/null
  openssl x509 -req -in "$PKI/front-proxy-client.csr" -CA "$PKI/front-proxy-ca.crt" -CAkey "$PKI/front-proxy-ca.key" \
    -CAcreateserial -days 3650 -out "$PKI/front-proxy-client.crt" \
    -extfile <(printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n') 2>/dev/null
}

# kubeconfig FILE USER: a self-contained kubeconfig (certificates embedded).
kubeconfig() {
  local file=$1 user=$2
  kubectl config set-cluster local --kubeconfig "$file" --server "https://127.0.0.1:$API_PORT" \
    --certificate-authority "$PKI/ca.crt" --embed-certs >/dev/null
  kubectl config set-credentials "$user" --kubeconfig "$file" \
    --client-certificate "$PKI/$user.crt" --client-key "$PKI/$user.key" --embed-certs >/dev/null
  kubectl config set-context "$CONTEXT" --kubeconfig "$file" --cluster local --user "$user" >/dev/null
  kubectl config use-context "$CONTEXT" --kubeconfig "$file" >/dev/null
}

manifests() {
  [[ $NODES == 0 ]] && return 0
  default_storage_class kubernetes.io/host-path Delete Immediate
  local i
  for ((i = 0; i < NODES; i++)); do
    cat <<EOF
---
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    kubernetes.io/arch: amd64
    kubernetes.io/os: linux
    kubernetes.io/hostname: kwok-node-$i
    type: kwok
status:
  capacity: {cpu: "32", memory: 256Gi, pods: "110", ephemeral-storage: 1Ti}
  allocatable: {cpu: "32", memory: 256Gi, pods: "110", ephemeral-storage: 1Ti}
EOF
  done
}

start() {
  [[ $NODES =~ ^[0-9]+$ ]] || die "CONTROLPLANE_NODES must be a non-negative integer"
  # shellcheck source=tools/env.sh
  source "$REPO/tools/env.sh"
  local c running=0
  for c in "${COMPONENTS[@]}"; do process_alive "$c" && running=$((running + 1)); done
  if ((running == ${#COMPONENTS[@]})); then
    log "already running"; echo "$DIR/kubeconfig"; return
  fi
  stop_all # leftovers of a half-started run
  if [[ $NODES == 0 ]]; then "$REPO/tools/toolchain.sh" etcd k8s >&2; else "$REPO/tools/toolchain.sh" etcd k8s kwok vpa >&2; fi
  # openssl makes the certificates, curl probes etcd; both are in Debian base images but guard anyway.
  command -v openssl >/dev/null && command -v curl >/dev/null ||
    { apt-get update -qq && apt-get install -y -qq openssl curl >/dev/null; }

  mkdir -p "$RUN" "$LOGS"
  [[ -f $PKI/sa.key ]] || make_pki
  [[ -f $PKI/apiserver-kubelet-client.crt ]] ||
    issue apiserver-kubelet-client kube-apiserver-kubelet-client system:masters \
      "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n"
  [[ -f $PKI/front-proxy-client.crt ]] || make_front_proxy_pki
  if ! reuse_ports; then read -r ETCD_PORT ETCD_PEER_PORT API_PORT < <(free_ports 3); fi
  printf 'ETCD_PORT=%s\nETCD_PEER_PORT=%s\nAPI_PORT=%s\n' "$ETCD_PORT" "$ETCD_PEER_PORT" "$API_PORT" >"$DIR/ports.env"
  kubeconfig "$DIR/kubeconfig.tmp" admin && mv "$DIR/kubeconfig.tmp" "$DIR/kubeconfig"
  kubeconfig "$DIR/kcm.kubeconfig" kcm
  kubeconfig "$DIR/scheduler.kubeconfig" scheduler
  # Any failure from here on (set -e, die) stops exactly what this start spawned.
  trap 'if (($? != 0)); then log "start failed; stopping what was started (logs in $LOGS)"; stop_all; fi' EXIT

  # Data is throwaway: skip fsync, it is the slowest part of etcd on shared disks.
  spawn etcd --name cp --data-dir "$DIR/etcd" --unsafe-no-fsync \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "cp=http://127.0.0.1:$ETCD_PEER_PORT"
  ready_for etcd 30 curl -fsS "http://127.0.0.1:$ETCD_PORT/health"

  spawn kube-apiserver --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$API_PORT" \
    --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
    --client-ca-file "$PKI/ca.crt" --authorization-mode Node,RBAC --allow-privileged \
    --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
    --service-account-issuer https://kubernetes.default.svc --service-cluster-ip-range 10.96.0.0/16 \
    --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt" \
    --kubelet-client-key "$PKI/apiserver-kubelet-client.key" --kubelet-certificate-authority "$PKI/ca.crt" \
    --kubelet-preferred-address-types InternalIP \
    --requestheader-client-ca-file "$PKI/front-proxy-ca.crt" --requestheader-allowed-names front-proxy-client \
    --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
    --requestheader-extra-headers-prefix X-Remote-Extra- \
    --proxy-client-cert-file "$PKI/front-proxy-client.crt" --proxy-client-key-file "$PKI/front-proxy-client.key" \
    --enable-aggregator-routing=true \
    --profiling=false
  ready_for kube-apiserver 90 kubectl --kubeconfig "$DIR/kubeconfig" get --raw /readyz

  # --secure-port 0: no serving endpoints needed, one port less to collide on.
  spawn kube-controller-manager --kubeconfig "$DIR/kcm.kubeconfig" --secure-port 0 --leader-elect=false \
    --use-service-account-credentials --service-account-private-key-file "$PKI/sa.key" \
    --root-ca-file "$PKI/ca.crt" --cluster-signing-cert-file "$PKI/ca.crt" \
    --cluster-signing-key-file "$PKI/ca.key" --enable-hostpath-provisioner --profiling=false
  spawn kube-scheduler --kubeconfig "$DIR/scheduler.kubeconfig" --secure-port 0 --leader-elect=false \
    --profiling=false

  if ((NODES > 0)); then
    manifests | kubectl --kubeconfig "$DIR/kubeconfig" apply -f - >/dev/null
    # The VerticalPodAutoscaler API, as on the real node, so a stack's VPA objects are accepted
    # (with fake kubelets nothing reports usage, so no recommendation ever appears here).
    kubectl --kubeconfig "$DIR/kubeconfig" apply --server-side -f "$PLATFORM_CACHE/toolchain/vpa-$VPA_VERSION/crds/vpa-v1-crd-gen.yaml" >/dev/null
    local stages=() f
    for f in "$KWOK_STAGES_DIR"/*.yaml; do stages+=(--config "$f"); done
    spawn kwok --kubeconfig "$DIR/kubeconfig" --manage-all-nodes --cidr 10.244.0.0/16 \
      --node-ip 127.0.0.1 --node-lease-duration-seconds 40 "${stages[@]}"
    ready_for kwok 60 kubectl --kubeconfig "$DIR/kubeconfig" wait --for condition=Ready node --all --timeout 1s
  fi
  # Pods cannot be admitted until the token controller made the namespace's service account.
  ready_for kube-controller-manager 60 kubectl --kubeconfig "$DIR/kubeconfig" get serviceaccount default
  trap - EXIT
  log "ready: API https://127.0.0.1:$API_PORT, $NODES fake node(s)"
  echo "$DIR/kubeconfig"
}

case $CMD in
  start) start ;;
  stop) stop_all ;;
  status) status ;;
  *) usage ;;
esac
