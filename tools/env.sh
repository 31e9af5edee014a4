# Source me: puts the toolchain built by tools/toolchain.sh on PATH and isolates Pulumi.
#   source tools/env.sh
# Sets PULUMI_HOME to the cache's own home (the kubernetes plugin is installed there), blocks
# plugin downloads and update checks (no network here). It does not choose a backend or a
# passphrase: tests set PULUMI_BACKEND_URL=file://... and PULUMI_CONFIG_PASSPHRASE themselves.
# bash-only (BASH_SOURCE); no `set -e` here, it would leak into the caller's shell.

_tools_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tools/versions.env
source "$_tools_dir/versions.env"
export PLATFORM_CACHE=${PLATFORM_CACHE:-$HOME/.cache/multicloud-platform}
_tc=$PLATFORM_CACHE/toolchain
for _d in "kwok-$KWOK_VERSION" "etcd-$ETCD_VERSION" "kubernetes-$KUBERNETES_VERSION" "pulumi-$PULUMI_VERSION"; do
  # Prepend in reverse priority so pulumi's own bin ends up first.
  case ":$PATH:" in *":$_tc/$_d/bin:"*) ;; *) PATH="$_tc/$_d/bin:$PATH" ;; esac
done
export PATH
export PULUMI_HOME=$PLATFORM_CACHE/pulumi-home
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
# The kubernetes plugin is installed in PULUMI_HOME; never pick up a stray binary on PATH.
export PULUMI_IGNORE_AMBIENT_PLUGINS=true
# Where tests find the kwok stage YAMLs that toolchain.sh copied.
export KWOK_STAGES_DIR=$_tc/kwok-$KWOK_VERSION/stages
unset _tools_dir _tc _d
