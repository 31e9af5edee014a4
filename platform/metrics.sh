# shellcheck shell=bash
# Sourced by platform/node.sh: the node's resource metrics and vertical recommendations.
#
# - metrics-server (tools/toolchain.sh metrics-server) serves metrics.k8s.io behind the API
#   server's aggregation layer: `kubectl top` and the HorizontalPodAutoscalers' CPU and memory
#   targets read it. It scrapes the kubelet over TLS, verifying the kubelet's serving certificate
#   against the platform's CA (no --kubelet-insecure-tls), and serves with a certificate of the
#   same CA that the APIService names as its caBundle.
# - The Vertical Pod Autoscaler's recommender and CRDs (tools/toolchain.sh vpa): it reads
#   metrics.k8s.io and writes recommendations into VerticalPodAutoscaler objects.
#
# Both run as pods on the host network, like CoreDNS: they reach the API server on loopback with
# their service-account token (a kubeconfig with tokenFile), and metrics-server binds the node IP
# only, where the API server (--enable-aggregator-routing) dials its endpoint.
# Needs from node.sh: DIR, NODE_IP, PLATFORM_CACHE, METRICS_SERVER_VERSION, VPA_VERSION, bin_tag,
# issue_cert, log.

# Port metrics-server serves metrics.k8s.io on (node IP only; the kubelet has 10250).
METRICS_SERVER_PORT=${NODE_METRICS_SERVER_PORT:-10251}
# Loopback port of the recommender's health check and Prometheus metrics.
VPA_RECOMMENDER_PORT=${NODE_VPA_RECOMMENDER_PORT:-18942}

# metrics_certs CP_PKI: metrics-server's serving certificate, signed by the platform CA for the
# names the API server dials (the Service's DNS name and the node IP it routes to).
metrics_certs() {
  local pki=$1
  issue_cert metrics-server metrics-server.kube-system.svc "" "$pki" \
    "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:metrics-server.kube-system.svc,DNS:metrics-server.kube-system.svc.cluster.local,IP:$NODE_IP\n"
}

# image_present REGISTRY REPO TAG: the registry already holds REPO:TAG.
image_present() {
  curl -fsS "http://$1/v2/$2/manifests/$3" -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' >/dev/null 2>&1
}

# push_binary_image REGISTRY REPO TAG BINARY: a one-binary image (made, never pulled) with the
# system's CA bundle, its entry point the binary.
push_binary_image() {
  local registry=$1 repo=$2 tag=$3 binary=$4 root name
  image_present "$registry" "$repo" "$tag" && return 0
  name=$(basename "$binary")
  root=$(mktemp -d "$DIR/image.XXXXXX")
  install -D -m 0755 "$binary" "$root/$name"
  install -D -m 0644 /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
  tar -C "$root" --numeric-owner --owner 0 --group 0 -cf - . |
    docker import --change "ENTRYPOINT [\"/$name\"]" - "$registry/$repo:$tag" >/dev/null
  rm -rf "$root"
  docker push -q "$registry/$repo:$tag" >/dev/null
  log "pushed $registry/$repo:$tag"
}

metrics_images() {
  local registry=$1 tc=$PLATFORM_CACHE/toolchain
  push_binary_image "$registry" platform/metrics-server "$METRICS_SERVER_TAG" "$tc/metrics-server-$METRICS_SERVER_VERSION/bin/metrics-server"
  push_binary_image "$registry" platform/vpa-recommender "$VPA_TAG" "$tc/vpa-$VPA_VERSION/bin/vpa-recommender"
}

# token_kubeconfig NAME SERVER: the kubeconfig a host-network pod uses to reach the API server
# on loopback with its own service-account token (indented for a ConfigMap's block scalar).
token_kubeconfig() {
  cat <<EOF
    apiVersion: v1
    kind: Config
    clusters:
    - name: local
      cluster: {server: "$2", certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt}
    users:
    - name: $1
      user: {tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token}
    contexts:
    - name: local
      context: {cluster: local, user: $1}
    current-context: local
EOF
}

# pod_hardening: the container settings both pods share (non-root, nothing writable, no caps).
pod_hardening() {
  cat <<'EOF'
        securityContext:
          runAsNonRoot: true
          runAsUser: 65534
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          capabilities: {drop: [ALL]}
          seccompProfile: {type: RuntimeDefault}
EOF
}

metrics_server_manifests() {
  local registry=$1 server=$2 ca_bundle
  ca_bundle=$(base64 -w0 <"$DIR/pki/ca.crt")
  cat <<EOF
apiVersion: v1
kind: ServiceAccount
metadata: {name: metrics-server, namespace: kube-system}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "system:metrics-server"}
rules:
- apiGroups: [""]
  resources: [nodes/metrics]
  verbs: [get]
- apiGroups: [""]
  resources: [pods, nodes]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: "system:aggregated-metrics-reader"
  labels:
    rbac.authorization.k8s.io/aggregate-to-admin: "true"
    rbac.authorization.k8s.io/aggregate-to-edit: "true"
    rbac.authorization.k8s.io/aggregate-to-view: "true"
rules:
- apiGroups: [metrics.k8s.io]
  resources: [pods, nodes]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "system:metrics-server"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:metrics-server"}
subjects:
- {kind: ServiceAccount, name: metrics-server, namespace: kube-system}
---
# An aggregated API server checks the callers' tokens and permissions with the main one.
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "metrics-server:system:auth-delegator"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:auth-delegator"}
subjects:
- {kind: ServiceAccount, name: metrics-server, namespace: kube-system}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: "metrics-server-auth-reader", namespace: kube-system}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: extension-apiserver-authentication-reader}
subjects:
- {kind: ServiceAccount, name: metrics-server, namespace: kube-system}
---
apiVersion: v1
kind: Secret
metadata: {name: metrics-server-serving, namespace: kube-system}
type: kubernetes.io/tls
data:
  tls.crt: $(base64 -w0 <"$DIR/pki/metrics-server.crt")
  tls.key: $(base64 -w0 <"$DIR/pki/metrics-server.key")
---
apiVersion: v1
kind: ConfigMap
metadata: {name: metrics-server, namespace: kube-system}
data:
  # The platform CA, which signed the kubelet's serving certificate.
  kubelet-ca.crt: |
$(sed 's/^/    /' "$DIR/pki/ca.crt")
  kubeconfig: |
$(token_kubeconfig metrics-server "$server")
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: metrics-server, namespace: kube-system, labels: {k8s-app: metrics-server}}
spec:
  replicas: 1
  selector: {matchLabels: {k8s-app: metrics-server}}
  strategy: {type: Recreate}
  template:
    metadata: {labels: {k8s-app: metrics-server}}
    spec:
      serviceAccountName: metrics-server
      hostNetwork: true
      dnsPolicy: Default
      priorityClassName: system-cluster-critical
      containers:
      - name: metrics-server
        image: $registry/platform/metrics-server:$METRICS_SERVER_TAG
        args:
        - --bind-address=$NODE_IP
        - --secure-port=$METRICS_SERVER_PORT
        - --tls-cert-file=/etc/metrics-server/serving/tls.crt
        - --tls-private-key-file=/etc/metrics-server/serving/tls.key
        - --kubeconfig=/etc/metrics-server/config/kubeconfig
        - --authentication-kubeconfig=/etc/metrics-server/config/kubeconfig
        - --authorization-kubeconfig=/etc/metrics-server/config/kubeconfig
        - --kubelet-certificate-authority=/etc/metrics-server/config/kubelet-ca.crt
        - --kubelet-preferred-address-types=InternalIP
        - --kubelet-use-node-status-port
        # Upstream's default: a fresh sample every 15 s is what the HPA's 15 s loop can use.
        - --metric-resolution=15s
$(pod_hardening)
        resources:
          requests: {cpu: 50m, memory: 64Mi}
          limits: {memory: 256Mi}
        readinessProbe:
          httpGet: {host: $NODE_IP, path: /readyz, port: $METRICS_SERVER_PORT, scheme: HTTPS}
          periodSeconds: 5
        livenessProbe:
          httpGet: {host: $NODE_IP, path: /livez, port: $METRICS_SERVER_PORT, scheme: HTTPS}
          periodSeconds: 10
        volumeMounts:
        - {name: config, mountPath: /etc/metrics-server/config, readOnly: true}
        - {name: serving, mountPath: /etc/metrics-server/serving, readOnly: true}
        - {name: tmp, mountPath: /tmp}
      volumes:
      - name: config
        configMap: {name: metrics-server}
      - name: serving
        secret: {secretName: metrics-server-serving}
      - name: tmp
        emptyDir: {}
---
apiVersion: v1
kind: Service
metadata: {name: metrics-server, namespace: kube-system, labels: {k8s-app: metrics-server}}
spec:
  selector: {k8s-app: metrics-server}
  ports:
  - {name: https, port: 443, targetPort: $METRICS_SERVER_PORT, protocol: TCP}
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1beta1.metrics.k8s.io, labels: {k8s-app: metrics-server}}
spec:
  group: metrics.k8s.io
  version: v1beta1
  service: {name: metrics-server, namespace: kube-system, port: 443}
  caBundle: $ca_bundle
  groupPriorityMinimum: 100
  versionPriority: 100
EOF
}

vpa_recommender_manifests() {
  local registry=$1 server=$2
  cat <<EOF
apiVersion: v1
kind: ServiceAccount
metadata: {name: vpa-recommender, namespace: kube-system}
---
# What the recommender reads (pods, their owners and scale subresources, resource metrics) and
# writes (VPA status, its checkpoints, events); no eviction and no pod updates: recommend only.
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "platform:vpa-recommender"}
rules:
- apiGroups: [""]
  resources: [pods, nodes, limitranges, replicationcontrollers]
  verbs: [get, list, watch]
- apiGroups: [apps]
  resources: [deployments, replicasets, statefulsets, daemonsets]
  verbs: [get, list, watch]
- apiGroups: [batch]
  resources: [jobs, cronjobs]
  verbs: [get, list, watch]
- apiGroups: ["*"]
  resources: ["*/scale"]
  verbs: [get, watch]
- apiGroups: [metrics.k8s.io]
  resources: [pods]
  verbs: [get, list]
- apiGroups: [autoscaling.k8s.io]
  resources: [verticalpodautoscalers]
  verbs: [get, list, watch]
- apiGroups: [autoscaling.k8s.io]
  resources: [verticalpodautoscalers/status]
  verbs: [get, patch]
- apiGroups: [autoscaling.k8s.io]
  resources: [verticalpodautoscalercheckpoints]
  verbs: [get, list, watch, create, patch, delete]
- apiGroups: ["", events.k8s.io]
  resources: [events]
  verbs: [create, patch, update]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "platform:vpa-recommender"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "platform:vpa-recommender"}
subjects:
- {kind: ServiceAccount, name: vpa-recommender, namespace: kube-system}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: vpa-recommender, namespace: kube-system}
data:
  kubeconfig: |
$(token_kubeconfig vpa-recommender "$server")
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: vpa-recommender, namespace: kube-system, labels: {app: vpa-recommender}}
spec:
  replicas: 1
  selector: {matchLabels: {app: vpa-recommender}}
  strategy: {type: Recreate}
  template:
    metadata: {labels: {app: vpa-recommender}}
    spec:
      serviceAccountName: vpa-recommender
      hostNetwork: true
      dnsPolicy: Default
      containers:
      - name: recommender
        image: $registry/platform/vpa-recommender:$VPA_TAG
        args:
        - --kubeconfig=/etc/vpa/kubeconfig
        - --address=127.0.0.1:$VPA_RECOMMENDER_PORT
        # One replica on one node: nothing to elect.
        - --leader-elect=false
        # A developer machine: a first recommendation within a minute of load, not upstream's
        # 1-minute fetch loop; the numbers still come from the same decaying histograms.
        - --recommender-interval=15s
$(pod_hardening)
        resources:
          requests: {cpu: 20m, memory: 64Mi}
          limits: {memory: 512Mi}
        livenessProbe:
          httpGet: {host: 127.0.0.1, path: /health-check, port: $VPA_RECOMMENDER_PORT}
          periodSeconds: 10
          failureThreshold: 3
        volumeMounts:
        - {name: config, mountPath: /etc/vpa, readOnly: true}
      volumes:
      - name: config
        configMap: {name: vpa-recommender}
EOF
}

# metrics_start KUBECONFIG REGISTRY SERVER: applies both, waits until the VPA CRDs are served
# (the stack creates VerticalPodAutoscalers) and the recommender runs. It does not wait for
# metrics.k8s.io: metrics-server is Ready only after its first scrape, a --metric-resolution
# (15 s) after it starts, and nothing before the app's pods needs it; metrics_ready does, at the
# end of up.sh, after pulumi up has run in the meantime.
metrics_start() {
  local kc=$1 registry=$2 server=$3
  kubectl --kubeconfig "$kc" apply --server-side --force-conflicts \
    -f "$PLATFORM_CACHE/toolchain/vpa-$VPA_VERSION/crds/vpa-v1-crd-gen.yaml" >/dev/null
  metrics_server_manifests "$registry" "$server" | kubectl --kubeconfig "$kc" apply -f - >/dev/null
  vpa_recommender_manifests "$registry" "$server" | kubectl --kubeconfig "$kc" apply -f - >/dev/null
  ready_for kubelet 60 kubectl --kubeconfig "$kc" wait --for condition=Established \
    crd/verticalpodautoscalers.autoscaling.k8s.io crd/verticalpodautoscalercheckpoints.autoscaling.k8s.io --timeout 1s || return 1
  ready_for kubelet 90 kubectl --kubeconfig "$kc" -n kube-system wait --for condition=Available deployment/vpa-recommender --timeout 1s ||
    { kubectl --kubeconfig "$kc" -n kube-system logs deploy/vpa-recommender --tail 20 >&2 || true; return 1; }
}

# metrics_ready KUBECONFIG: waits until metrics.k8s.io answers (the APIService is Available: the
# aggregator reached metrics-server and it has scraped the kubelet once).
metrics_ready() {
  local kc=$1
  ready_for kubelet 120 kubectl --kubeconfig "$kc" wait --for condition=Available apiservice/v1beta1.metrics.k8s.io --timeout 1s ||
    {
      kubectl --kubeconfig "$kc" -n kube-system get pods -o wide >&2 || true
      kubectl --kubeconfig "$kc" -n kube-system logs deploy/metrics-server --tail 20 >&2 || true
      return 1
    }
}
