#!/usr/bin/env bash
# One real Kubernetes node beside platform/controlplane.sh: containerd (Debian's 1.6) + runc,
# the kubelet and kube-proxy built by tools/toolchain.sh, a CNI bridge, cluster DNS (CoreDNS as
# a pod in kube-system), resource metrics and VPA recommendations (platform/metrics.sh) and a
# default StorageClass of local volumes.
#
#   platform/node.sh start  <dir> <controlplane dir> <registry host:port>
#   platform/node.sh status <dir>
#   platform/node.sh stop   <dir> [controlplane dir]   # drains pods first when the API answers
#   platform/node.sh metrics-ready <dir> <controlplane dir>   # waits for metrics.k8s.io (after start)
#
# Everything lives in <dir>: containerd's config/root/state/socket, CNI config and IPAM data,
# kubelet/kube-proxy configs and certificates, volumes, logs and pid files. stop kills only the
# pids recorded there (plus the container shims whose pid files containerd keeps under <dir>).
#
# Host-wide effects (one real node per machine): the bridge $NODE_BRIDGE with $NODE_IP, kube-proxy's
# KUBE-* iptables chains (removed again by stop with kube-proxy --cleanup), route_localnet=1
# (what makes NodePorts answer on 127.0.0.1), network namespaces under /run/netns.
#
# Needs DOCKER_HOST (the private engine of platform/docker.sh): the pause and CoreDNS images are
# made from the toolchain's binaries and pushed to the registry, which containerd pulls from
# over plain HTTP.
set -euo pipefail
LOG_NAME=node
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
REPO=$(dirname "$PLATFORM_DIR")
source "$PLATFORM_DIR/metrics.sh"

NODE_NAME=${NODE_NAME:-platform-node}
NODE_BRIDGE=${NODE_BRIDGE:-platform0}
POD_SUBNET=${NODE_POD_SUBNET:-10.245.0.0/24}
NODE_IP=${NODE_IP:-10.245.0.1}
SERVICE_CIDR=10.96.0.0/16
DNS_IP=10.96.0.10
VOLUMES=${NODE_VOLUMES:-6}
# NODE_RUNC: the OCI runtime binary (default Debian's runc), e.g. a wrapper when debugging.

usage() { echo "usage: $0 start <dir> <controlplane dir> <registry> | status <dir> | stop <dir> [controlplane dir] | metrics-ready <dir> <controlplane dir>" >&2; exit 2; }
[[ $# -ge 2 ]] || usage
CMD=$1
DIR=$(mkdir -p "$2" && cd "$2" && pwd)
RUN=$DIR/run LOGS=$DIR/logs
CTRD=$DIR/containerd
SOCK=$CTRD/containerd.sock
COMPONENTS=(containerd kubelet kube-proxy)

# shellcheck source=tools/env.sh
source "$REPO/tools/env.sh"
# Image tags carry the binary's hash: a rebuilt binary is a new image, never a stale cached one.
# bin_tag PIECE VERSION [BINARY]: BINARY defaults to the piece's name.
bin_tag() { local f=$PLATFORM_CACHE/toolchain/$1-$2/bin/${3:-$1}; [[ -f $f ]] && echo "$2-$(sha256sum "$f" | cut -c1-8)"; }


issue_cert() {
  local name=$1 cn=$2 org=$3 pki=$4 subj="/CN=$2"
  [[ -n $org ]] && subj="/O=$org/CN=$cn"
  [[ -f $DIR/pki/$name.crt ]] && return 0
  mkdir -p "$DIR/pki"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "$subj" \
    -keyout "$DIR/pki/$name.key" -out "$DIR/pki/$name.csr" 2>/dev/null
  openssl x509 -req -in "$DIR/pki/$name.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 3650 -out "$DIR/pki/$name.crt" -extfile <(printf '%b' "$5") 2>/dev/null
}

node_kubeconfig() {
  local file=$1 user=$2 server=$3 pki=$4
  kubectl config set-cluster local --kubeconfig "$file" --server "$server" \
    --certificate-authority "$pki/ca.crt" --embed-certs >/dev/null
  kubectl config set-credentials "$user" --kubeconfig "$file" \
    --client-certificate "$DIR/pki/$user.crt" --client-key "$DIR/pki/$user.key" --embed-certs >/dev/null
  kubectl config set-context local --kubeconfig "$file" --cluster local --user "$user" >/dev/null
  kubectl config use-context local --kubeconfig "$file" >/dev/null
}

write_configs() {
  local cp=$1 registry=$2 server
  server=$(kubectl --kubeconfig "$cp/kubeconfig" config view --minify -o jsonpath='{.clusters[0].cluster.server}')
  local client="basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n"
  issue_cert kubelet "system:node:$NODE_NAME" system:nodes "$cp/pki" "$client"
  issue_cert kube-proxy system:kube-proxy "" "$cp/pki" "$client"
  issue_cert kubelet-serving "system:node:$NODE_NAME" system:nodes "$cp/pki" \
    "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:$NODE_IP,IP:127.0.0.1,DNS:$NODE_NAME\n"
  metrics_certs "$cp/pki"
  node_kubeconfig "$DIR/kubelet.kubeconfig" kubelet "$server" "$cp/pki"
  node_kubeconfig "$DIR/kube-proxy.kubeconfig" kube-proxy "$server" "$cp/pki"
  cp "$cp/pki/ca.crt" "$DIR/pki/ca.crt"

  mkdir -p "$CTRD/root" "$CTRD/state" "$CTRD/certs.d/$registry" "$DIR/cni/net.d" "$DIR/cni/ipam" "$DIR/kubelet"
  cat >"$CTRD/config.toml" <<EOF
version = 2
root = "$CTRD/root"
state = "$CTRD/state"
# Only what a CRI node needs; the other snapshotters probe the host at start.
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.internal.v1.opt"]
[grpc]
  address = "$SOCK"
[ttrpc]
  address = "$SOCK.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$registry/platform/pause:$PAUSE_IMAGE_TAG"
  enable_cdi = false
  # Root here lacks CAP_SYS_RESOURCE, so the negative OOM scores of the kubelet (-998 for
  # sandboxes) fail in runc ("failed to update /proc/self/oom_score_adj: Permission denied");
  # clamp them to containerd's own score instead.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        BinaryName = "${NODE_RUNC:-runc}"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$DIR/cni/net.d"
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$CTRD/certs.d"
EOF
  cat >"$CTRD/certs.d/$registry/hosts.toml" <<EOF
# The platform's registry speaks plain HTTP on loopback.
server = "http://$registry"
[host."http://$registry"]
  capabilities = ["pull", "resolve"]
EOF
  cat >"$DIR/cni/net.d/10-platform.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "platform",
  "plugins": [
    {"type": "bridge", "bridge": "$NODE_BRIDGE", "isGateway": true, "ipMasq": true, "hairpinMode": true,
     "ipam": {"type": "host-local", "dataDir": "$DIR/cni/ipam", "ranges": [[{"subnet": "$POD_SUBNET", "gateway": "$NODE_IP"}]],
              "routes": [{"dst": "0.0.0.0/0"}]}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
  cat >"$DIR/cni/net.d/99-loopback.conf" <<EOF
{"cniVersion": "0.4.0", "name": "lo", "type": "loopback"}
EOF
  cat >"$DIR/kubelet-config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# This machine has cgroup v1 only; 1.35 still runs on it when told so.
failCgroupV1: false
cgroupDriver: cgroupfs
cgroupsPerQOS: true
containerRuntimeEndpoint: unix://$SOCK
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 0
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $DIR/pki/ca.crt}
authorization: {mode: Webhook}
tlsCertFile: $DIR/pki/kubelet-serving.crt
tlsPrivateKeyFile: $DIR/pki/kubelet-serving.key
clusterDomain: cluster.local
clusterDNS: [$DNS_IP]
resolvConf: /etc/resolv.conf
failSwapOn: false
# A shared developer machine: disk pressure from other work must not evict the app.
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%"}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
maxPods: 30
podPidsLimit: 4096
localStorageCapacityIsolation: false
staticPodPath: ""
podLogsDir: $DIR/pod-logs
EOF
  cat >"$DIR/kube-proxy-config.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $DIR/kube-proxy.kubeconfig}
hostnameOverride: $NODE_NAME
mode: iptables
clusterCIDR: $POD_SUBNET
# Loopback so the app answers on 127.0.0.1:<nodePort>, the node IP for pods; never eth0.
nodePortAddresses: ["127.0.0.0/8", "$NODE_IP/32"]
healthzBindAddress: 127.0.0.1:${NODE_PROXY_HEALTHZ_PORT:-20256}
metricsBindAddress: 127.0.0.1:${NODE_PROXY_METRICS_PORT:-20249}
conntrack: {maxPerCore: 0}
EOF
}

# The bridge exists before the first pod so the kubelet (node IP) and CoreDNS can bind to it.
ensure_bridge() {
  if ! ip link show "$NODE_BRIDGE" >/dev/null 2>&1; then ip link add "$NODE_BRIDGE" type bridge; fi
  ip addr show dev "$NODE_BRIDGE" | grep -q "inet $NODE_IP/" || ip addr add "$NODE_IP/${POD_SUBNET#*/}" dev "$NODE_BRIDGE"
  ip link set "$NODE_BRIDGE" up
}

# push_images REGISTRY: pause and CoreDNS as single-binary images (made, never pulled).
push_images() {
  local registry=$1 tc=$PLATFORM_CACHE/toolchain root
  [[ -n ${DOCKER_HOST:-} ]] || die "DOCKER_HOST is not set (platform/docker.sh start prints it)"
  if ! image_present "$registry" platform/pause "$PAUSE_IMAGE_TAG"; then
    # The sandbox image is the bare binary: it never makes a TLS connection.
    root=$(mktemp -d "$DIR/image.XXXXXX")
    install -D -m 0755 "$tc/pause-$PAUSE_VERSION/bin/pause" "$root/pause"
    tar -C "$root" --numeric-owner --owner 0 --group 0 -cf - . |
      docker import --change 'ENTRYPOINT ["/pause"]' - "$registry/platform/pause:$PAUSE_IMAGE_TAG" >/dev/null
    rm -rf "$root"
    docker push -q "$registry/platform/pause:$PAUSE_IMAGE_TAG" >/dev/null
    log "pushed $registry/platform/pause:$PAUSE_IMAGE_TAG"
  fi
  push_binary_image "$registry" platform/coredns "$COREDNS_TAG" "$tc/coredns-$COREDNS_VERSION/bin/coredns"
}

# Local PersistentVolumes in <dir>/volumes behind the default StorageClass "standard". Unlike the
# in-process hostPath provisioner, local volumes get fsGroup ownership, so the non-root data
# services (uids 10002/10003) can write. Released ones are wiped and offered again.
storage_manifests() {
  default_storage_class kubernetes.io/no-provisioner Retain WaitForFirstConsumer
  local i
  for ((i = 0; i < VOLUMES; i++)); do
    mkdir -p "$DIR/volumes/pv$i"
    cat <<EOF
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: platform-local-pv$i
spec:
  capacity: {storage: 5Gi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: standard
  local: {path: $DIR/volumes/pv$i}
  nodeAffinity:
    required:
      nodeSelectorTerms:
      - matchExpressions:
        - {key: kubernetes.io/hostname, operator: In, values: [$NODE_NAME]}
EOF
  done
}

recycle_volumes() {
  local kc=$1 pv
  for pv in $(kubectl --kubeconfig "$kc" get pv -o jsonpath='{range .items[?(@.status.phase=="Released")]}{.metadata.name}{"\n"}{end}'); do
    local path
    path=$(kubectl --kubeconfig "$kc" get pv "$pv" -o jsonpath='{.spec.local.path}')
    [[ $path == "$DIR/volumes/"* ]] || continue
    find "$path" -mindepth 1 -delete
    kubectl --kubeconfig "$kc" patch pv "$pv" --type json -p '[{"op":"remove","path":"/spec/claimRef"}]' >/dev/null
    log "recycled volume $pv"
  done
}

# CoreDNS runs on the host network (it reaches the API server on loopback, where this platform
# keeps every port) and binds the node IP only; pods reach it through the kube-dns Service.
dns_manifests() {
  local registry=$1 server=$2
  cat <<EOF
apiVersion: v1
kind: ServiceAccount
metadata: {name: coredns, namespace: kube-system}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "system:coredns"}
rules:
- apiGroups: [""]
  resources: [endpoints, services, pods, namespaces]
  verbs: [list, watch]
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "system:coredns"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:coredns"}
subjects:
- {kind: ServiceAccount, name: coredns, namespace: kube-system}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: coredns, namespace: kube-system}
data:
  Corefile: |
    .:53 {
        bind $NODE_IP
        errors
        health 127.0.0.1:18180
        ready 127.0.0.1:18181
        kubernetes cluster.local in-addr.arpa ip6.arpa {
            kubeconfig /etc/coredns/kubeconfig
            pods insecure
            fallthrough in-addr.arpa ip6.arpa
            ttl 30
        }
        forward . /etc/resolv.conf
        cache 30
        loop
        loadbalance
    }
  kubeconfig: |
$(token_kubeconfig coredns "$server")
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: coredns, namespace: kube-system, labels: {k8s-app: kube-dns}}
spec:
  replicas: 1
  selector: {matchLabels: {k8s-app: kube-dns}}
  strategy: {type: Recreate}
  template:
    metadata: {labels: {k8s-app: kube-dns}}
    spec:
      serviceAccountName: coredns
      hostNetwork: true
      dnsPolicy: Default
      priorityClassName: system-cluster-critical
      containers:
      - name: coredns
        image: $registry/platform/coredns:$COREDNS_TAG
        args: [-conf, /etc/coredns/Corefile]
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}
        resources:
          requests: {cpu: 50m, memory: 40Mi}
          limits: {memory: 170Mi}
        readinessProbe:
          httpGet: {host: 127.0.0.1, path: /ready, port: 18181}
          periodSeconds: 2
        livenessProbe:
          httpGet: {host: 127.0.0.1, path: /health, port: 18180}
          periodSeconds: 10
        volumeMounts:
        - {name: config, mountPath: /etc/coredns, readOnly: true}
      volumes:
      - name: config
        configMap: {name: coredns}
---
apiVersion: v1
kind: Service
metadata: {name: kube-dns, namespace: kube-system, labels: {k8s-app: kube-dns}}
spec:
  clusterIP: $DNS_IP
  selector: {k8s-app: kube-dns}
  ports:
  - {name: dns, port: 53, protocol: UDP}
  - {name: dns-tcp, port: 53, protocol: TCP}
EOF
}

stop_shims() {
  # Container shims outlive containerd by design; containerd keeps their pids under <dir>.
  # After a crash or a reboot these files are stale and a pid may belong to someone else now:
  # a container's init is killed only while its cgroup still names the container's id.
  local f pid id
  for f in "$CTRD"/state/io.containerd.runtime.v2.task/*/*/init.pid; do
    [[ -f $f ]] || continue
    pid=$(<"$f") id=$(basename "$(dirname "$f")")
    [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/cgroup ]] && grep -q -- "$id" "/proc/$pid/cgroup" || continue
    kill -KILL "$pid" 2>/dev/null || true
  done
  for f in "$CTRD"/state/io.containerd.runtime.v2.task/*/*/shim.pid; do
    pid_matches "$f" containerd-shim && kill -TERM "$(<"$f")" 2>/dev/null || true
  done
  sleep 1
  for f in "$CTRD"/state/io.containerd.runtime.v2.task/*/*/shim.pid; do
    pid_matches "$f" containerd-shim && kill -KILL "$(<"$f")" 2>/dev/null || true
  done
}

# remove_pod_netns: the network namespaces our pods leave behind. CNI deletes them when the
# kubelet stops a pod; after a crash the bind mounts under /run/netns keep them (and their veths)
# alive. Only containerd's cni-* namespaces with an address in $POD_SUBNET are ours.
remove_pod_netns() {
  local name prefix=${POD_SUBNET%.*}.
  for name in $(ip netns list 2>/dev/null | awk '$1 ~ /^cni-/ {print $1}'); do
    ip -n "$name" -o -4 addr show 2>/dev/null | grep -qF " inet $prefix" || continue
    ip netns delete "$name" 2>/dev/null && log "removed network namespace $name (a pod's, left by a crash)"
  done
  return 0
}

stop_all() {
  local cp=${1:-}
  # Pods first, while the kubelet still runs, so CNI releases addresses and namespaces.
  if [[ -n $cp && -f $cp/kubeconfig ]] && process_alive kubelet &&
    kubectl --kubeconfig "$cp/kubeconfig" get --raw /readyz >/dev/null 2>&1; then
    kubectl --kubeconfig "$cp/kubeconfig" delete pods --all --all-namespaces --grace-period 5 --wait=true --timeout 40s >/dev/null 2>&1 || true
    kubectl --kubeconfig "$cp/kubeconfig" delete deployment -n kube-system coredns --wait=false >/dev/null 2>&1 || true
  fi
  stop_pidfile "$RUN/kube-proxy.pid" "/kube-proxy " kube-proxy
  stop_pidfile "$RUN/kubelet.pid" "/kubelet " kubelet
  if process_alive containerd; then
    local id
    for id in $(ctr --address "$SOCK" -n k8s.io tasks ls -q 2>/dev/null); do
      ctr --address "$SOCK" -n k8s.io tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true
    done
  fi
  stop_shims
  stop_pidfile "$RUN/containerd.pid" "/containerd " containerd
  # Sandbox mounts (shm, rootfs) containerd left behind under our folder.
  umount_under "$DIR"
  if [[ -x $(command -v kube-proxy) ]] && [[ -f $DIR/kube-proxy-config.yaml ]]; then
    kube-proxy --cleanup --proxy-mode iptables >/dev/null 2>&1 || true
  fi
  # The kubelet's own chains (kube-proxy --cleanup leaves them).
  local ipt t
  for ipt in iptables ip6tables; do
    $ipt -D INPUT -j KUBE-FIREWALL 2>/dev/null || true
    $ipt -D OUTPUT -j KUBE-FIREWALL 2>/dev/null || true
    $ipt -F KUBE-FIREWALL 2>/dev/null && $ipt -X KUBE-FIREWALL 2>/dev/null || true
    for t in filter nat mangle; do $ipt -t "$t" -X KUBE-KUBELET-CANARY 2>/dev/null || true; done
  done
  remove_pod_netns
  if ip link show "$NODE_BRIDGE" >/dev/null 2>&1; then ip link del "$NODE_BRIDGE" 2>/dev/null || true; fi
  rm -rf "$DIR/cni/ipam"
  if [[ -f $DIR/route_localnet.orig ]]; then
    sysctl -qw net.ipv4.conf.all.route_localnet="$(<"$DIR/route_localnet.orig")" || true
    rm -f "$DIR/route_localnet.orig"
  fi
}

# cri_ready: containerd's CRI service answers RuntimeService/Status with gRPC status 0. Its
# socket answers `ctr version` earlier, while the CRI still recovers what a crash left (a second
# or more per dead container), and a kubelet started then exits on "server is not initialized
# yet". The call is gRPC by hand (an empty request is five zero bytes) as the node has no crictl.
# The answer is captured first: `grep -q` closing the pipe early would fail it under pipefail.
cri_ready() {
  local answer
  answer=$(printf '\0\0\0\0\0' | curl -s --max-time 2 --unix-socket "$SOCK" --http2-prior-knowledge \
    -H 'content-type: application/grpc' -H 'te: trailers' --data-binary @- -D - -o /dev/null \
    http://localhost/runtime.v1.RuntimeService/Status) || return 1
  grep -qa '^grpc-status: 0' <<<"$answer"
}

# kubelet_serving KUBECONFIG SINCE: this kubelet (started at epoch second SINCE) has renewed its
# node lease since then, the Node is Ready, and its API on 10250 answers over TLS signed by the
# platform's CA (401 without credentials is an answer: the API server and metrics-server present
# their own). A Ready Node alone is not enough: after a crash it is the dead kubelet's report.
kubelet_serving() {
  local kc=$1 since=$2 renewed ready code
  renewed=$(kubectl --kubeconfig "$kc" -n kube-node-lease get lease "$NODE_NAME" -o jsonpath='{.spec.renewTime}' 2>/dev/null) || return 1
  [[ -n $renewed ]] && (($(date -u -d "$renewed" +%s) >= since)) || return 1
  ready=$(kubectl --kubeconfig "$kc" get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null) || return 1
  [[ $ready == True ]] || return 1
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 --cacert "$DIR/pki/ca.crt" "https://$NODE_IP:10250/healthz") || true
  [[ $code == 401 || $code == 200 ]]
}

status() {
  local name rc=0
  for name in "${COMPONENTS[@]}"; do
    if process_alive "$name"; then echo "$name: running (pid $(<"$RUN/$name.pid"))"; else echo "$name: stopped"; rc=1; fi
  done
  return $rc
}

start() {
  [[ $# -eq 2 ]] || usage
  local cp registry kc
  cp=$(cd "$1" && pwd) registry=$2 kc=$cp/kubeconfig
  [[ -f $kc ]] || die "no control plane kubeconfig at $kc"
  local c running=0
  for c in "${COMPONENTS[@]}"; do process_alive "$c" && running=$((running + 1)); done
  if ((running == ${#COMPONENTS[@]})); then log "already running"; return 0; fi
  stop_all "$cp"
  apt_ensure containerd runc containernetworking-plugins conntrack iptables
  "$REPO/tools/toolchain.sh" k8s coredns pause metrics-server vpa >&2
  PAUSE_IMAGE_TAG=$(bin_tag pause "$PAUSE_VERSION") COREDNS_TAG=$(bin_tag coredns "$COREDNS_VERSION")
  METRICS_SERVER_TAG=$(bin_tag metrics-server "$METRICS_SERVER_VERSION") VPA_TAG=$(bin_tag vpa "$VPA_VERSION" vpa-recommender)
  mkdir -p "$RUN" "$LOGS"
  # A global for the trap: it runs after this function's locals are gone.
  NODE_CP=$cp
  trap 'if (($? != 0)); then log "start failed; stopping what was started (logs in $LOGS)"; stop_all "$NODE_CP"; fi' EXIT

  write_configs "$cp" "$registry"
  # kube-proxy turns on route_localnet (NodePorts on 127.0.0.1); stop puts the old value back.
  [[ -f $DIR/route_localnet.orig ]] || cat /proc/sys/net/ipv4/conf/all/route_localnet >"$DIR/route_localnet.orig"
  ensure_bridge
  # The platform's images (~5 s into an empty registry) are pushed while containerd and the
  # kubelet start: nothing pulls them before the first pod, after the kubelet is ready.
  { push_images "$registry" && metrics_images "$registry"; } >"$LOGS/images.log" 2>&1 &
  local images_job=$!

  spawn containerd --config "$CTRD/config.toml"
  ready_for containerd 60 cri_ready

  # What the kubelet reports from now on counts, not what the Node object kept from before a
  # crash (its Ready condition stays True for the 40 s grace after the kubelet died).
  local kubelet_started
  kubelet_started=$(date -u +%s)
  spawn kubelet --config "$DIR/kubelet-config.yaml" --kubeconfig "$DIR/kubelet.kubeconfig" \
    --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" --root-dir "$DIR/kubelet" \
    --cert-dir "$DIR/pki" \
    --v 1
  spawn kube-proxy --config "$DIR/kube-proxy-config.yaml" --v 2
  ready_for kubelet 90 kubelet_serving "$kc" "$kubelet_started"
  ready_for kube-proxy 60 curl -fsS "http://127.0.0.1:${NODE_PROXY_HEALTHZ_PORT:-20256}/healthz"
  wait "$images_job" || { log "pushing the platform's images failed:"; cat "$LOGS/images.log" >&2; return 1; }
  cat "$LOGS/images.log" >&2

  storage_manifests | kubectl --kubeconfig "$kc" apply -f - >/dev/null
  recycle_volumes "$kc"
  local server
  server=$(kubectl --kubeconfig "$kc" config view --minify -o jsonpath='{.clusters[0].cluster.server}')
  dns_manifests "$registry" "$server" | kubectl --kubeconfig "$kc" apply -f - >/dev/null
  ready_for kubelet 120 kubectl --kubeconfig "$kc" -n kube-system wait --for condition=Available deployment/coredns --timeout 1s ||
    { kubectl --kubeconfig "$kc" -n kube-system get pods -o wide >&2 || true; kubectl --kubeconfig "$kc" -n kube-system describe pods -l k8s-app=kube-dns 2>&1 | tail -n 20 >&2 || true; return 1; }
  metrics_start "$kc" "$registry" "$server"
  trap - EXIT
  log "ready: node $NODE_NAME ($NODE_IP), cluster DNS $DNS_IP, VPA recommender; metrics-server started (metrics.k8s.io after its first scrape)"
}

case $CMD in
  start) shift 2; start "$@" ;;
  stop) stop_all "${3:-}" ;;
  status) status ;;
  metrics-ready) [[ $# -eq 3 ]] || usage; metrics_ready "$(cd "$3" && pwd)/kubeconfig" ;;
  *) usage ;;
esac
