#!/usr/bin/env bash
# Builds the project's toolchain from Go modules (no prebuilt downloads exist on our machines)
# and caches each piece by version under ${PLATFORM_CACHE:-$HOME/.cache/multicloud-platform}.
#
#   tools/toolchain.sh [plan] [all|pulumi|kubernetes-provider|random|k8s|etcd|kwok|docker-build|coredns|pause|metrics-server|vpa|actionlint]...
#
#   plan                 first argument: print what the steps would use, build and install, and
#                        change nothing (no compile, no folder made)
#
#   pulumi               Pulumi CLI + our Node.js language host (+ dynamic-provider shim)
#   kubernetes-provider  pulumi-resource-kubernetes, installed into the cache's PULUMI_HOME
#   random               pulumi-resource-random (generated passwords), installed there too
#   k8s                  kube-apiserver, kube-controller-manager, kube-scheduler, kubectl,
#                        kubelet, kube-proxy
#   etcd                 etcd, from the same module graph as k8s
#   kwok                 kwok + the Stage YAMLs the control plane harness feeds it
#   docker-build         pulumi-resource-docker-build, installed into the cache's PULUMI_HOME
#   coredns              CoreDNS with the plugins the local platform's cluster DNS uses
#   pause                the pod sandbox ("pause") binary of the local platform's node
#   metrics-server       metrics-server, the resource metrics API of the local platform
#   vpa                  the Vertical Pod Autoscaler's recommender + its CRDs (local platform)
#   actionlint           the GitHub Actions workflow linter (not part of `all`: CI lint only)
#
# Output: $PLATFORM_CACHE/toolchain/<name>-<version>/bin. A piece whose .stamp matches its
# version and the hash of its wrapper module is skipped, so a second run takes seconds.
# Go's module and build caches are Go's own (GOMODCACHE, GOCACHE; defaults from `go env`), so a
# cold run needs no wiping of a machine's caches: point all three at empty folders, e.g.
#   PLATFORM_CACHE=$(mktemp -d) GOMODCACHE=$(mktemp -d) GOCACHE=$(mktemp -d) tools/toolchain.sh all
# Every step downloads the modules it reads before reading them (module_dir), so an empty
# GOMODCACHE is a supported state, not an accident of a warm machine.
#
# The user's own tools first (tools/ambient.sh): a `pulumi` on PATH of the pinned major and not
# older than PULUMI_VERSION is used as it is, with the user's PULUMI_HOME, login and plugins, and
# nothing is built for it; only a provider plugin its PULUMI_HOME lacks (at the exact version of
# the npm SDK) is built and installed there, and the run says so. TOOLCHAIN_IGNORE_AMBIENT=1
# builds everything from source regardless.
set -euo pipefail

TOOLS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tools/versions.env
source "$TOOLS/versions.env"
# shellcheck source=tools/ambient.sh
source "$TOOLS/ambient.sh"
CACHE=${PLATFORM_CACHE:-$HOME/.cache/multicloud-platform}
TC=$CACHE/toolchain

# Everything here builds with the machine's Go 1.26: a module asking for a newer Go must fail
# loudly instead of making the go command fetch a toolchain. Static binaries, like upstream's.
export GOTOOLCHAIN=local CGO_ENABLED=0
# go.sum is committed: a build must never rewrite it. No VCS stamping of our wrapper modules.
export GOFLAGS="-mod=readonly -trimpath -buildvcs=false"

START=$SECONDS
# Progress goes to fd 3: the terminal. With TOOLCHAIN_LOG=FILE, everything else (go's own
# output, the sub-steps) goes to FILE only, so a caller such as platform/up.sh shows one line per
# piece and a heartbeat instead of either silence or pages of compiler output.
exec 3>&1
if [[ -n ${TOOLCHAIN_LOG:-} ]]; then
  mkdir -p "$(dirname "$TOOLCHAIN_LOG")"
  exec >>"$TOOLCHAIN_LOG" 2>&1
fi
# log: detail (the log file when there is one). say: progress, on the terminal and in the log.
log() { printf '[%5ss] %s\n' "$((SECONDS - START))" "$*"; printf '%s\n' "$*" >"$STATUS_FILE"; }
say() {
  printf '[%5ss] toolchain: %s\n' "$((SECONDS - START))" "$*" >&3
  [[ -z ${TOOLCHAIN_LOG:-} ]] || printf '[%5ss] toolchain: %s\n' "$((SECONDS - START))" "$*"
}
die() { say "error: $*"; [[ -z ${TOOLCHAIN_LOG:-} ]] || echo "toolchain: $*" >&2; exit 1; }
# What the heartbeat says is being built: the last sub-step log() noted.
STATUS_FILE=$(mktemp)
trap 'rm -f "$STATUS_FILE"; [[ -z ${HEARTBEAT:-} ]] || kill "$HEARTBEAT" 2>/dev/null || true' EXIT

# Cold build time of each piece on this machine kind (2 shared cores), from tools/README.md's
# table: printed as the expectation when a piece starts, so a first run is never a silent hour.
declare -A EXPECTED=(
  [pulumi]=330 [pulumi-kubernetes]=1500 [pulumi-docker-build]=720 [kubernetes]=660 [etcd]=60
  [kwok]=540 [coredns]=240 [pause]=10 [actionlint]=60 [metrics-server]=300 [vpa]=240
  [pulumi-random]=350
)
mmss() { printf '%dm%02ds' "$(($1 / 60))" "$(($1 % 60))"; }

# heartbeat NAME T0: every 30 s, one line saying what NAME is doing, until killed.
heartbeat() {
  local name=$1 t0=$2 what
  while sleep 30; do
    what=$(<"$STATUS_FILE")
    say "  $name: still building${what:+ (${what#"${what%%[! ]*}"})}, $(mmss $((SECONDS - t0))) of ~$(mmss "${EXPECTED[$name]:-0}")"
  done
}

# The 2 cores are shared with tests and editors: builds run at low priority.
gobuild() { nice -n 10 go build "$@"; }

# Hash of a wrapper module's sources, so editing e.g. the language host rebuilds it.
inputs_hash() {
  (cd "$TOOLS/go" && find "$@" -type f \( -name '*.go' -o -name go.mod -o -name go.sum \) \
    -not -path '*/embed/*' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
}

# cached NAME VERSION KEY FN: runs FN <dir> into a temporary directory unless the stamped
# output already holds KEY, then moves it into place, so an interrupted build never looks done.
cached() {
  local name=$1 version=$2 key=$3 fn=$4
  local out="$TC/$name-$version"
  if [[ -f $out/.stamp && $(<"$out/.stamp") == "$key" ]]; then
    say "$name $version: cached in $out"
    return
  fi
  if [[ -n $DRY_RUN ]]; then
    say "$name $version: would build, expected ~$(mmss "${EXPECTED[$name]:-0}") cold -> $out"
    return
  fi
  need_go
  local t0=$SECONDS tmp="$out.tmp.$$"
  say "$name $version: building, expected ~$(mmss "${EXPECTED[$name]:-0}") cold (tools/README.md)"
  : >"$STATUS_FILE"
  heartbeat "$name" "$t0" &
  HEARTBEAT=$!
  rm -rf "$tmp" && mkdir -p "$tmp/bin"
  "$fn" "$tmp"
  kill "$HEARTBEAT" 2>/dev/null || true
  wait "$HEARTBEAT" 2>/dev/null || true
  HEARTBEAT=
  printf '%s\n' "$key" >"$tmp/.stamp"
  rm -rf "$out" && mv "$tmp" "$out"
  say "$name $version: built in $(mmss $((SECONDS - t0))) (expected ~$(mmss "${EXPECTED[$name]:-0}")) -> $out"
}

# module_dir WRAPPER MODULE: the extracted source folder of MODULE as the wrapper module
# tools/go/WRAPPER resolves it, downloaded first. `go list -m -f '{{.Dir}}'` alone answers an
# empty string for a module that is not yet in GOMODCACHE (every module on a new machine), so
# reading files from it only worked on machines whose cache already held it.
module_dir() {
  local wrapper=$1 module=$2 dir
  (cd "$TOOLS/go/$wrapper" && go mod download "$module") || die "could not download $module (tools/go/$wrapper)"
  dir=$(cd "$TOOLS/go/$wrapper" && go list -m -f '{{.Dir}}' "$module")
  [[ -n $dir && -d $dir ]] || die "$module has no source folder after download (GOMODCACHE=$(go env GOMODCACHE))"
  printf '%s' "$dir"
}

# The go.mod files must pin what versions.env says; otherwise the cache key would lie.
check_pin() {
  local dir=$1 module=$2 want=$3 got
  got=$(cd "$TOOLS/go/$dir" && go list -m -f '{{.Version}}' "$module")
  [[ $got == "$want" ]] || die "tools/go/$dir/go.mod pins $module $got but versions.env says $want"
}

# Go is needed only for what must be built: a machine whose pulumi and plugins are its own, and
# whose other pieces are cached, runs without one.
need_go() {
  command -v go >/dev/null || die "go is not on PATH and a piece must be built (this machine kind ships Go 1.26)"
}

preflight() {
  command -v node >/dev/null || die "node is not on PATH (the language host runs programs with it)"
  [[ -n $DRY_RUN ]] || mkdir -p "$TC"
}

# --- pulumi: CLI + language host -------------------------------------------------------------
build_pulumi() {
  local out=$1
  check_pin pulumi github.com/pulumi/pulumi/pkg/v3 "v$PULUMI_VERSION"
  check_pin pulumi github.com/pulumi/pulumi/sdk/v3 "v$PULUMI_VERSION"
  log "  pulumi CLI v$PULUMI_VERSION"
  (cd "$TOOLS/go/pulumi" && gobuild -tags osusergo,grpcnotrace \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
    -o "$out/bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
  # Language plugins are looked up next to the pulumi executable, so the host lives beside it.
  log "  pulumi-language-nodejs (ours)"
  (cd "$TOOLS/go/language-nodejs" && gobuild \
    -ldflags "-s -w -X main.version=$PULUMI_LANGUAGE_NODEJS_VERSION" \
    -o "$out/bin/pulumi-language-nodejs" .)
  # Dynamic providers (pulumi.dynamic.Resource) are served by a resource plugin named
  # pulumi-nodejs; like upstream's, it runs the SDK copy of the program it is started for.
  cat >"$out/bin/pulumi-resource-pulumi-nodejs" <<'EOF'
#!/bin/sh
# Serves Node.js dynamic providers from the program's own @pulumi/pulumi. The engine starts it
# in the program's folder (with `main: bin/index.js`, that is bin/), so resolve the SDK the way
# Node does, walking up to the nearest node_modules.
exec node "$(node -e 'console.log(require.resolve("@pulumi/pulumi/cmd/dynamic-provider"))')" "$@"
EOF
  chmod +x "$out/bin/pulumi-resource-pulumi-nodejs"
  "$out/bin/pulumi" version >/dev/null
}

# The CLI that installs plugins, and the PULUMI_HOME they go into ("" = the user's own, as their
# CLI resolves it). Set by step_pulumi.
PULUMI_BIN="" PLUGIN_HOME="" PULUMI_RESOLVED=""

step_pulumi() {
  [[ -z $PULUMI_RESOLVED ]] || return 0
  PULUMI_RESOLVED=1
  if ambient_pulumi; then
    PULUMI_BIN=$AMBIENT_PATH PLUGIN_HOME=""
    say "pulumi: using yours, $AMBIENT_PATH $AMBIENT_VERSION, with your PULUMI_HOME ($(user_pulumi_home)), login and plugins; nothing built for it"
    return
  fi
  say "pulumi: building our own $PULUMI_VERSION ($AMBIENT_WHY)"
  PULUMI_BIN=$TC/pulumi-$PULUMI_VERSION/bin/pulumi PLUGIN_HOME=$CACHE/pulumi-home
  # "shim2": revision of the pulumi-resource-pulumi-nodejs script written by build_pulumi.
  cached pulumi "$PULUMI_VERSION" "$PULUMI_VERSION shim2 $(inputs_hash pulumi language-nodejs)" build_pulumi
}

user_pulumi_home() { printf '%s' "${PULUMI_HOME:-$HOME/.pulumi}"; }

# has_plugin NAME VERSION: the user's CLI lists resource plugin NAME at exactly VERSION.
has_plugin() {
  local name=$1 version=$2
  PULUMI_SKIP_UPDATE_CHECK=true "$PULUMI_BIN" plugin ls --json 2>/dev/null | node -e '
    const [name, version] = process.argv.slice(1);
    let text = ""; process.stdin.on("data", (d) => (text += d)).on("end", () => {
      let list = []; try { list = JSON.parse(text) ?? []; } catch { process.exit(1); }
      process.exit(list.some((p) => p.kind === "resource" && p.name === name && p.version === version) ? 0 : 1);
    });' "$name" "$version"
}

# plugin_step NAME VERSION PIECE BUILD_FN KEY [NEEDED_ANYWAY]: a provider plugin. With the user's
# own CLI, a plugin its PULUMI_HOME already has is used and nothing is built for it (unless the
# piece is NEEDED_ANYWAY for another binary in it); a missing one is built and installed there.
plugin_step() {
  local name=$1 version=$2 piece=$3 fn=$4 key=$5 anyway=${6:-}
  local binary="$TC/$piece-$version/bin/pulumi-resource-$name"
  if [[ -z $PLUGIN_HOME ]]; then
    if has_plugin "$name" "$version"; then
      say "$name plugin $version: found in your PULUMI_HOME ($(user_pulumi_home)); nothing built for it"
      [[ -z $anyway ]] || { say "$piece $version: still needed for $anyway"; cached "$piece" "$version" "$key" "$fn"; }
      return
    fi
    say "$name plugin $version: not in your PULUMI_HOME ($(user_pulumi_home)); building just this plugin and installing it there"
  fi
  cached "$piece" "$version" "$key" "$fn"
  install_plugin "$name" "$version" "$binary"
}

# --- Kubernetes provider ---------------------------------------------------------------------
# Module-reading half of the provider build (no compile): `toolchain.sh sources` runs it alone,
# which is how the unit tests prove it works against an empty GOMODCACHE.
kubernetes_provider_sources() {
  local dir="$TOOLS/go/pulumi-kubernetes" mod
  check_pin pulumi-kubernetes github.com/pulumi/pulumi-kubernetes/provider/v4 "$PULUMI_KUBERNETES_MODULE"
  mod=$(module_dir pulumi-kubernetes github.com/pulumi/pulumi-kubernetes/provider/v4)
  # Upstream's `go generate` output, recreated: the committed schema with its version filled in.
  mkdir -p "$dir/embed"
  node -e '
    const fs = require("fs");
    const [src, dst, version] = process.argv.slice(1);
    const schema = JSON.parse(fs.readFileSync(src, "utf8"));
    schema.version = version;
    fs.writeFileSync(dst, JSON.stringify(schema));
  ' "$mod/cmd/pulumi-resource-kubernetes/schema.json" "$dir/embed/schema.json" "$PULUMI_KUBERNETES_VERSION"
  node -e 'const fs = require("fs"); const [s, d] = process.argv.slice(1);
    fs.writeFileSync(d, JSON.stringify(JSON.parse(fs.readFileSync(s, "utf8"))));' \
    "$mod/cmd/pulumi-resource-kubernetes/terraform-mapping.json" "$dir/embed/terraform-mapping.json"
}

build_kubernetes_provider() {
  local out=$1 dir="$TOOLS/go/pulumi-kubernetes"
  kubernetes_provider_sources
  (cd "$dir" && gobuild \
    -ldflags "-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$PULUMI_KUBERNETES_VERSION" \
    -o "$out/bin/pulumi-resource-kubernetes" .)
}

step_kubernetes_provider() {
  step_pulumi
  # Installed under the exact version @pulumi/kubernetes asks for: the engine then finds it with
  # automatic plugin downloads disabled, and without the "using plugin from \$PATH" warning an
  # ambient binary would cause.
  plugin_step kubernetes "$PULUMI_KUBERNETES_VERSION" pulumi-kubernetes build_kubernetes_provider \
    "$PULUMI_KUBERNETES_VERSION $(inputs_hash pulumi-kubernetes)"
}

# install_plugin NAME VERSION BINARY: installs a resource plugin with $PULUMI_BIN into
# $PLUGIN_HOME (our cache's home, or the user's own when empty) under the exact version its npm
# SDK asks for, unless that build is already installed there.
install_plugin() {
  local name=$1 version=$2 binary=$3 home=${PLUGIN_HOME:-$(user_pulumi_home)}
  local stamp="$home/plugins/.$name-$version.stamp" built
  if [[ -n $DRY_RUN ]]; then
    say "$name plugin $version: would be installed into $home"
    return
  fi
  if [[ -z $PLUGIN_HOME ]]; then
    # The user's own home: plugin_step found it missing there; their CLI resolves the home.
    say "$name plugin $version: installing into $home"
    PULUMI_SKIP_UPDATE_CHECK=true "$PULUMI_BIN" plugin install resource "$name" "$version" --file "$binary" --reinstall
    return
  fi
  built=$(<"$(dirname "$binary")/../.stamp")
  if [[ ! -f $stamp || $(<"$stamp") != "$built" ]]; then
    log "  installing resource plugin $name $version into $home"
    PULUMI_HOME=$home PULUMI_SKIP_UPDATE_CHECK=true \
      "$PULUMI_BIN" plugin install resource "$name" "$version" --file "$binary" --reinstall
    printf '%s\n' "$built" >"$stamp"
  fi
}

# --- random provider (@pulumi/random's plugin) ------------------------------------------------
# The proxy refuses github.com/pulumi/pulumi-random/provider/v4 at every version, so
# tools/go/random rebuilds it from its parts at the versions its v4.21.1 release requires: the
# Terraform bridge, the Terraform random provider (through a local stand-in for upstream's
# nested shim module) and our own mapping. Upstream commits the schema its main embeds; here
# the bridge's schema generator (tfgen) writes it first, from the same provider.

# random_upstream: the module-reading half (no compile): the Terraform provider's folder, whose
# docs/ become the generated schema's descriptions. `toolchain.sh sources` runs it alone.
random_upstream() {
  local mod
  check_pin random github.com/pulumi/pulumi-terraform-bridge/v3 "v$PULUMI_RANDOM_BRIDGE_VERSION"
  check_pin random github.com/terraform-providers/terraform-provider-random "$PULUMI_RANDOM_TERRAFORM_MODULE"
  mod=$(module_dir random github.com/terraform-providers/terraform-provider-random)
  [[ -f $mod/docs/resources/password.md ]] || die "no docs/resources/password.md in $mod"
  printf '%s' "$mod"
}

build_random() {
  local out=$1 dir="$TOOLS/go/random" upstream ldflags="-s -w -X main.version=$PULUMI_RANDOM_VERSION"
  upstream=$(random_upstream)
  log "  pulumi-tfgen-random (the schema generator; not kept)"
  (cd "$dir" && gobuild -ldflags "$ldflags" -o "$out/tfgen/pulumi-tfgen-random" ./tfgen)
  log "  schema.json + bridge-metadata.json -> tools/go/random/embed"
  rm -rf "$out/tfgen/schema" && mkdir -p "$out/tfgen/schema" "$dir/embed"
  RANDOM_UPSTREAM_DIR=$upstream "$out/tfgen/pulumi-tfgen-random" schema --skip-examples --out "$out/tfgen/schema"
  cp "$out/tfgen/schema/schema.json" "$out/tfgen/schema/bridge-metadata.json" "$dir/embed/"
  rm -rf "$out/tfgen"
  log "  pulumi-resource-random"
  (cd "$dir" && gobuild -ldflags "$ldflags" -o "$out/bin/pulumi-resource-random" .)
}

step_random() {
  step_pulumi
  # Installed under the exact version npm @pulumi/random asks for (package.json "pulumi.version").
  plugin_step random "$PULUMI_RANDOM_VERSION" pulumi-random build_random "$PULUMI_RANDOM_VERSION $(inputs_hash random)"
}

# --- Kubernetes binaries and etcd (one module graph: tools/go/k8s) ---------------------------
k8s_ldflags() {
  local v="v$KUBERNETES_VERSION" major minor flags="-s -w"
  IFS=. read -r major minor _ <<<"$KUBERNETES_VERSION"
  # Without these, /version reports v0.0.0-master and version-aware clients misbehave.
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $p.gitVersion=$v -X $p.gitMajor=$major -X $p.gitMinor=$minor"
    flags+=" -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
  done
  printf '%s' "$flags"
}

build_k8s() {
  local out=$1 c
  check_pin k8s k8s.io/kubernetes "v$KUBERNETES_VERSION"
  # Control plane first (what tests need now), then the node binaries.
  for c in kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy; do
    log "  $c"
    (cd "$TOOLS/go/k8s" && gobuild -ldflags "$(k8s_ldflags)" -o "$out/bin/$c" "k8s.io/kubernetes/cmd/$c")
  done
}

step_k8s() {
  # The control plane and node binaries are always ours; kubectl is the user's when theirs is
  # within the skew policy (tools/env.sh then puts ours after it on PATH).
  if ambient_kubectl; then
    say "kubectl: using yours, $AMBIENT_PATH $AMBIENT_VERSION (within ±1 minor of $KUBERNETES_VERSION); ours stays behind it on PATH"
  else
    say "kubectl: ours $KUBERNETES_VERSION goes first on PATH ($AMBIENT_WHY)"
  fi
  cached kubernetes "$KUBERNETES_VERSION" "$KUBERNETES_VERSION $(inputs_hash k8s)" build_k8s
}

build_etcd() {
  local out=$1
  check_pin k8s go.etcd.io/etcd/server/v3 "v$ETCD_VERSION"
  (cd "$TOOLS/go/k8s" && gobuild -ldflags "-s -w" -o "$out/bin/etcd" go.etcd.io/etcd/server/v3)
}

step_etcd() {
  cached etcd "$ETCD_VERSION" "$ETCD_VERSION $(inputs_hash k8s)" build_etcd
}

# --- kwok ------------------------------------------------------------------------------------
# kwok_stages OUT: the module-reading half of the kwok build (no compile). Standalone kwok does
# nothing without Stage objects: copy the upstream "fast" node/pod lifecycles and the node lease
# heartbeat (without it kube-controller-manager marks the fake Nodes NotReady after 40 s and
# evicts their Pods).
kwok_stages() {
  local out=$1 mod
  check_pin kwok sigs.k8s.io/kwok "v$KWOK_VERSION"
  mod=$(module_dir kwok sigs.k8s.io/kwok)
  mkdir -p "$out/stages"
  cp "$mod"/kustomize/stage/node/fast/node-initialize.yaml \
    "$mod"/kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
    "$mod"/kustomize/stage/pod/fast/pod-*.yaml "$out/stages/"
  chmod -R u+w "$out/stages"
}

build_kwok() {
  local out=$1 dir="$TOOLS/go/kwok"
  kwok_stages "$out"
  (cd "$dir" && gobuild \
    -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=v$KWOK_VERSION -X sigs.k8s.io/kwok/pkg/consts.KubeVersion=$KUBERNETES_VERSION" \
    -o "$out/bin/kwok" sigs.k8s.io/kwok/cmd/kwok)
}

step_kwok() {
  cached kwok "$KWOK_VERSION" "$KWOK_VERSION $KUBERNETES_VERSION $(inputs_hash kwok)" build_kwok
}

# --- docker-build provider --------------------------------------------------------------------
# tools/go/docker-build requires github.com/pulumi/pulumi-docker-build at the npm SDK's version.
# Two of its imports are refused by the module proxy at every fitting version (pulumi-java and
# pulumi-language-dotnet); it uses only one schema-metadata type from each, so the wrapper
# replaces them with local stand-ins (tools/go/docker-build/shims).
build_docker_build() {
  local out=$1
  check_pin docker-build github.com/pulumi/pulumi-docker-build "v$PULUMI_DOCKER_BUILD_VERSION"
  (cd "$TOOLS/go/docker-build" && gobuild \
    -ldflags "-s -w -X github.com/pulumi/pulumi-docker-build/provider.Version=$PULUMI_DOCKER_BUILD_VERSION -X github.com/pulumi/pulumi-docker-build/provider/pkg/version.Version=$PULUMI_DOCKER_BUILD_VERSION" \
    -o "$out/bin/pulumi-resource-docker-build" github.com/pulumi/pulumi-docker-build/provider/cmd/pulumi-resource-docker-build)
  # The provider builds only through buildx docker-container/kubernetes/remote builders; the
  # platform runs this buildkitd (same BuildKit as the provider's client) as a remote builder.
  log "  buildkitd (BuildKit $(cd "$TOOLS/go/docker-build" && go list -m -f '{{.Version}}' github.com/moby/buildkit))"
  (cd "$TOOLS/go/docker-build" && gobuild -ldflags "-s -w" -o "$out/bin/buildkitd" github.com/moby/buildkit/cmd/buildkitd)
}

step_docker_build() {
  step_pulumi
  # The piece also holds buildkitd, which the local platform and the engine tests run.
  plugin_step docker-build "$PULUMI_DOCKER_BUILD_VERSION" pulumi-docker-build build_docker_build \
    "$PULUMI_DOCKER_BUILD_VERSION buildkitd $(inputs_hash docker-build)" "buildkitd (the builder the local platform runs)"
}

# --- CoreDNS (cluster DNS of the local platform's real node) -----------------------------------
build_coredns() {
  local out=$1
  check_pin coredns github.com/coredns/coredns "v$COREDNS_VERSION"
  (cd "$TOOLS/go/coredns" && gobuild -ldflags "-s -w -X github.com/coredns/coredns/coremain.GitCommit=v$COREDNS_VERSION" \
    -o "$out/bin/coredns" .)
}

step_coredns() {
  cached coredns "$COREDNS_VERSION" "$COREDNS_VERSION $(inputs_hash coredns)" build_coredns
}

# --- pause: the sandbox process every pod's network namespace hangs on ------------------------
build_pause() {
  local out=$1
  (cd "$TOOLS/go/pause" && gobuild -ldflags "-s -w" -o "$out/bin/pause" .)
}

step_pause() {
  cached pause "$PAUSE_VERSION" "$PAUSE_VERSION $(inputs_hash pause)" build_pause
}

# --- metrics-server: the resource metrics API (kubectl top, HPA CPU/memory) --------------------
build_metrics_server() {
  local out=$1
  check_pin metrics-server sigs.k8s.io/metrics-server "v$METRICS_SERVER_VERSION"
  # Upstream's Makefile stamps client-go's version package; without it /version says v0.0.0.
  (cd "$TOOLS/go/metrics-server" && gobuild \
    -ldflags "-s -w -X k8s.io/client-go/pkg/version.gitVersion=v$METRICS_SERVER_VERSION" \
    -o "$out/bin/metrics-server" sigs.k8s.io/metrics-server/cmd/metrics-server)
}

step_metrics_server() {
  cached metrics-server "$METRICS_SERVER_VERSION" "$METRICS_SERVER_VERSION $(inputs_hash metrics-server)" build_metrics_server
}

# --- vpa: the Vertical Pod Autoscaler's recommender and CRDs --------------------------------
# vpa_crds OUT: the module-reading half (no compile): the CRDs upstream generates from its API
# types, copied out of the downloaded module as they are, so the platform serves the real schema.
vpa_crds() {
  local out=$1 mod
  check_pin vpa k8s.io/autoscaler/vertical-pod-autoscaler "v$VPA_VERSION"
  mod=$(module_dir vpa k8s.io/autoscaler/vertical-pod-autoscaler)
  mkdir -p "$out/crds"
  cp "$mod/deploy/vpa-v1-crd-gen.yaml" "$out/crds/"
  chmod -R u+w "$out/crds"
}

build_vpa() {
  local out=$1
  vpa_crds "$out"
  (cd "$TOOLS/go/vpa" && gobuild -ldflags "-s -w" \
    -o "$out/bin/vpa-recommender" k8s.io/autoscaler/vertical-pod-autoscaler/pkg/recommender)
}

step_vpa() {
  cached vpa "$VPA_VERSION" "$VPA_VERSION $(inputs_hash vpa)" build_vpa
}

# --- actionlint: lints .github/workflows (test/unit/workflows.test.ts runs it) ---------------
build_actionlint() {
  local out=$1
  check_pin actionlint github.com/rhysd/actionlint "v$ACTIONLINT_VERSION"
  (cd "$TOOLS/go/actionlint" && gobuild \
    -ldflags "-s -w -X github.com/rhysd/actionlint.version=v$ACTIONLINT_VERSION" \
    -o "$out/bin/actionlint" github.com/rhysd/actionlint/cmd/actionlint)
}

step_actionlint() {
  cached actionlint "$ACTIONLINT_VERSION" "$ACTIONLINT_VERSION $(inputs_hash actionlint)" build_actionlint
}

DRY_RUN=""
main() {
  if [[ ${1:-} == plan ]]; then DRY_RUN=1; shift; say "plan only: nothing is built, installed or changed"; fi
  preflight
  local steps=("$@")
  [[ ${#steps[@]} -gt 0 ]] || steps=(all)
  for s in "${steps[@]}"; do
    case $s in
      all)
        step_pulumi; step_kubernetes_provider; step_random; step_docker_build; step_etcd; step_k8s; step_kwok; step_coredns; step_pause
        step_metrics_server; step_vpa
        ;;
      pulumi) step_pulumi ;;
      kubernetes-provider) step_kubernetes_provider ;;
      random) step_random ;;
      k8s) step_k8s ;;
      etcd) step_etcd ;;
      kwok) step_kwok ;;
      docker-build) step_docker_build ;;
      coredns) step_coredns ;;
      pause) step_pause ;;
      metrics-server) step_metrics_server ;;
      vpa) step_vpa ;;
      actionlint) step_actionlint ;;
      # Only the steps that read files out of downloaded modules, into a scratch folder: seconds,
      # no compile. test/unit/toolchainCold.test.ts runs it with an empty GOMODCACHE.
      sources)
        local scratch
        scratch=$(mktemp -d)
        local random_docs
        kubernetes_provider_sources && kwok_stages "$scratch" && vpa_crds "$scratch"
        random_docs=$(random_upstream) || exit 1
        log "sources: $(find "$scratch/stages" -name '*.yaml' | wc -l) kwok stages, $(grep -c '^kind: CustomResourceDefinition' "$scratch/crds/vpa-v1-crd-gen.yaml") VPA CRDs, $(wc -c <"$TOOLS/go/pulumi-kubernetes/embed/schema.json") bytes of provider schema, $(find "$random_docs/docs/resources" -name '*.md' | wc -l) random provider docs"
        rm -rf "$scratch"
        ;;
      *) die "unknown step '$s' (all|pulumi|kubernetes-provider|random|k8s|etcd|kwok|docker-build|coredns|pause|metrics-server|vpa|actionlint)" ;;
    esac
  done
  [[ -n $DRY_RUN ]] || say "done in $(mmss $((SECONDS - START))); use: source tools/env.sh"
}

main "$@"
