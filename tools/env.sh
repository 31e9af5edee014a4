# Source me: puts the toolchain built by tools/toolchain.sh on PATH.
#   source tools/env.sh
# The user's own tools first, as tools/toolchain.sh decided (tools/ambient.sh, one rule for both):
# - With your own `pulumi` (same major as PULUMI_VERSION, not older), nothing Pulumi-related is
#   changed: your PATH order, PULUMI_HOME, login and plugins stay yours (toolchain.sh installed any
#   missing provider plugin into that PULUMI_HOME).
# - Otherwise our CLI goes first on PATH and Pulumi is isolated: PULUMI_HOME is the cache's own
#   home (the plugins are installed there), plugin downloads and update checks are off (no
#   network here), plugins on PATH are ignored.
# - kubectl: yours when within ±1 minor of KUBERNETES_VERSION (our Kubernetes binaries come after
#   it on PATH), else ours goes first.
# It does not choose a backend or a passphrase: tests set PULUMI_BACKEND_URL=file://... and
# PULUMI_CONFIG_PASSPHRASE themselves.
# bash-only (BASH_SOURCE); no `set -e` here, it would leak into the caller's shell.

_tools_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tools/versions.env
source "$_tools_dir/versions.env"
# shellcheck source=tools/ambient.sh
source "$_tools_dir/ambient.sh"
export PLATFORM_CACHE=${PLATFORM_CACHE:-$HOME/.cache/multicloud-platform}
_tc=$PLATFORM_CACHE/toolchain

# _path_add DIR first|last: DIR on PATH once, in front or behind.
_path_add() {
  case ":$PATH:" in
    *":$1:"*) ;;
    *) if [[ $2 == first ]]; then PATH="$1:$PATH"; else PATH="$PATH:$1"; fi ;;
  esac
}

if ambient_kubectl; then _k8s_place=last; else _k8s_place=first; fi
for _d in "kwok-$KWOK_VERSION" "etcd-$ETCD_VERSION" "kubernetes-$KUBERNETES_VERSION"; do
  if [[ $_d == kubernetes-* ]]; then _path_add "$_tc/$_d/bin" "$_k8s_place"; else _path_add "$_tc/$_d/bin" first; fi
done

if ambient_pulumi; then
  PLATFORM_PULUMI=$AMBIENT_PATH
else
  _path_add "$_tc/pulumi-$PULUMI_VERSION/bin" first
  PLATFORM_PULUMI=$_tc/pulumi-$PULUMI_VERSION/bin/pulumi
  export PULUMI_HOME=$PLATFORM_CACHE/pulumi-home
  export PULUMI_SKIP_UPDATE_CHECK=true
  export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
  # The kubernetes plugin is installed in PULUMI_HOME; never pick up a stray binary on PATH.
  export PULUMI_IGNORE_AMBIENT_PLUGINS=true
fi
# The pulumi CLI this environment uses (yours or ours), for scripts that print it.
export PLATFORM_PULUMI
export PATH
# Where tests find the kwok stage YAMLs that toolchain.sh copied.
export KWOK_STAGES_DIR=$_tc/kwok-$KWOK_VERSION/stages
unset _tools_dir _tc _d _k8s_place
unset -f _path_add
