# Sourced by tools/toolchain.sh and tools/env.sh: which of the user's own tools (on PATH) this
# project uses as they are, instead of building its own. One place, so the build and the
# environment always agree.
#
#   ambient_pulumi    a `pulumi` on PATH of the pinned major, not older than PULUMI_VERSION
#   ambient_kubectl   a `kubectl` on PATH within the supported skew of KUBERNETES_VERSION (±1 minor)
#
# Each sets AMBIENT_PATH and AMBIENT_VERSION and returns 0, or returns 1 with AMBIENT_WHY saying
# why none qualifies (for the progress line). Call them directly, not in $(…): they set globals. Tools inside the project's own
# cache ($PLATFORM_CACHE/toolchain) are never "ambient": env.sh may have put them on PATH.
# TOOLCHAIN_IGNORE_AMBIENT=1 ignores every ambient tool (a from-source build, as CI measures it).
# Expects versions.env to be sourced. No `set -e` here: env.sh is sourced into a user's shell.

# version_at_least A B: A >= B for dotted versions (a leading "v" and any "-suffix" ignored).
version_at_least() {
  local a=${1#v} b=${2#v}
  a=${a%%[-+]*} b=${b%%[-+]*}
  [[ $(printf '%s\n%s\n' "$b" "$a" | sort -V | head -n1) == "$b" ]]
}

# _ambient_candidates NAME: every NAME on PATH outside the project's cache, in PATH order, each
# file once (/bin and /usr/bin are often the same folder).
_ambient_candidates() {
  local own="${PLATFORM_CACHE:-$HOME/.cache/multicloud-platform}/toolchain/" p real
  local -A seen=()
  while IFS= read -r p; do
    real=$(readlink -f "$p" 2>/dev/null || printf '%s' "$p")
    [[ -n $p && $p != "$own"* && $real != "$own"* && -z ${seen[$real]:-} ]] || continue
    seen[$real]=1
    printf '%s\n' "$p"
  done < <(type -ap "$1" 2>/dev/null)
}

ambient_pulumi() {
  AMBIENT_WHY="" AMBIENT_PATH="" AMBIENT_VERSION=""
  if [[ -n ${TOOLCHAIN_IGNORE_AMBIENT:-} ]]; then AMBIENT_WHY="TOOLCHAIN_IGNORE_AMBIENT is set"; return 1; fi
  local p v want_major=${PULUMI_VERSION%%.*}
  while IFS= read -r p; do
    v=$(PULUMI_SKIP_UPDATE_CHECK=true "$p" version 2>/dev/null | head -n1) || v=""
    v=${v#v}
    if [[ ! $v =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]]; then
      AMBIENT_WHY+="${AMBIENT_WHY:+; }$p answers no version"
    elif [[ ${v%%.*} != "$want_major" ]]; then
      AMBIENT_WHY+="${AMBIENT_WHY:+; }$p is v$v, another major than $PULUMI_VERSION"
    elif ! version_at_least "$v" "$PULUMI_VERSION"; then
      AMBIENT_WHY+="${AMBIENT_WHY:+; }$p is v$v, older than $PULUMI_VERSION"
    else
      AMBIENT_PATH=$p AMBIENT_VERSION=v$v
      return 0
    fi
  done < <(_ambient_candidates pulumi)
  [[ -n $AMBIENT_WHY ]] || AMBIENT_WHY="no pulumi on PATH"
  return 1
}

# kubectl is supported within one minor version of the API server, older or newer
# (Kubernetes' version skew policy), so 1.34-1.36 qualify against a 1.35 control plane.
ambient_kubectl() {
  AMBIENT_WHY="" AMBIENT_PATH="" AMBIENT_VERSION=""
  if [[ -n ${TOOLCHAIN_IGNORE_AMBIENT:-} ]]; then AMBIENT_WHY="TOOLCHAIN_IGNORE_AMBIENT is set"; return 1; fi
  local p v major minor want_major want_minor
  IFS=. read -r want_major want_minor _ <<<"$KUBERNETES_VERSION"
  while IFS= read -r p; do
    # `version --client` never contacts a server; the first gitVersion is the client's.
    v=$("$p" version --client -o json 2>/dev/null | sed -n 's/.*"gitVersion": *"v\([^"]*\)".*/\1/p' | head -n1) || v=""
    IFS=. read -r major minor _ <<<"$v"
    if [[ ! $major =~ ^[0-9]+$ || ! $minor =~ ^[0-9]+$ ]]; then
      AMBIENT_WHY+="${AMBIENT_WHY:+; }$p answers no client version"
    elif ((major != want_major || minor < want_minor - 1 || minor > want_minor + 1)); then
      AMBIENT_WHY+="${AMBIENT_WHY:+; }$p is v$v, outside the ±1 minor skew of Kubernetes $KUBERNETES_VERSION"
    else
      AMBIENT_PATH=$p AMBIENT_VERSION=v$v
      return 0
    fi
  done < <(_ambient_candidates kubectl)
  [[ -n $AMBIENT_WHY ]] || AMBIENT_WHY="no kubectl on PATH"
  return 1
}
