# Sourced by platform/up.sh before it installs or starts anything: what this machine must offer
# for the embedded platform. Every problem is found (none hides another), each printed as one
# line with its fix; the caller exits non-zero with nothing changed.
#
#   check_prereqs REGISTRY_PORT APP_PORT STATE_DIR BUILD_DIR
#
# REGISTRY_PORT and APP_PORT (the first NodePort, platform:local.nodePortBase) must be free on
# 127.0.0.1 unless this state folder's own registry / node holds them (a second `npm run up`).
# BUILD_DIR is where Go's caches grow when a piece of the toolchain must be compiled, or "" when
# nothing needs building (then Go and the build space are not required). Uses only uname, id,
# sudo, apt-get, go, df and ss from PATH, so a test can stand in for each.

# Free space the state folder needs: a started platform with the dev stack (dockerd's vfs copies
# of the base images, the registry, containerd's images and snapshots, etcd, the data volumes),
# with room for a few image rebuilds.
PREREQ_STATE_GIB=10
# Free space a cold toolchain build needs for Go's module and build caches and the cache's
# binaries: 7.3 GiB of Go caches were measured a third of the way into a cold build on this
# machine kind (after the pulumi CLI and most of the kubernetes provider).
PREREQ_BUILD_GIB=15

# _free_kib DIR: free KiB on the file system of DIR (or of its nearest existing parent).
_free_kib() {
  local dir=$1
  while [[ ! -e $dir && $dir != / ]]; do dir=$(dirname "$dir"); done
  df -Pk "$dir" 2>/dev/null | awk 'NR == 2 { print $4 }'
}

# _mount_of DIR: the mount point holding DIR (to add up requirements on one file system).
_mount_of() {
  local dir=$1
  while [[ ! -e $dir && $dir != / ]]; do dir=$(dirname "$dir"); done
  df -Pk "$dir" 2>/dev/null | awk 'NR == 2 { print $6 }'
}

# _port_taken PORT: something accepts connections on 127.0.0.1:PORT.
_port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# _port_user PORT: " (by NAME pid N)" when ss can tell, else "".
_port_user() {
  local who
  who=$(ss -Hltnp "sport = :$1" 2>/dev/null | sed -n 's/.*users:(("\([^"]*\)",pid=\([0-9]*\).*/\1 pid \2/p' | head -n1)
  [[ -z $who ]] || printf ' (by %s)' "$who"
}

# _ours PART DIR: this state folder's own PART runs (asked only when DIR exists: the status
# commands create their folder).
_ours() { [[ -d $2 ]] && "$PLATFORM_DIR/$1.sh" status "$2" >/dev/null 2>&1; }

# _go_needed: the highest `go` directive of the wrapper modules, and the go.mod that has it.
_go_needed() {
  local f v
  for f in "$REPO"/tools/go/*/go.mod; do
    v=$(sed -n 's/^go \([0-9.]*\).*/\1/p' "$f" | head -n1)
    [[ -z $v ]] || printf '%s %s\n' "$v" "${f#"$REPO"/}"
  done | sort -V -k1,1 | tail -n1
}

check_prereqs() {
  local registry_port=$1 app_port=$2 state=$3 build=$4
  local problems=() os uid go_line go_have need where port
  os=$(uname -s 2>/dev/null || echo unknown)
  [[ $os == Linux ]] ||
    problems+=("not Linux (uname -s: $os): the platform runs a real Kubernetes node (namespaces, cgroups, iptables); run it in a Linux machine or VM, e.g. Debian 12")
  uid=$(id -u 2>/dev/null || echo unknown)
  if [[ $uid != 0 ]] && ! command -v sudo >/dev/null 2>&1; then
    problems+=("neither root nor sudo (uid $uid): the platform creates a network bridge, iptables rules and containers; run npm run up as root, or install sudo and allow this user to use it")
  fi
  command -v apt-get >/dev/null 2>&1 ||
    problems+=("no apt-get: the platform installs Debian packages (docker.io, containerd, runc, docker-registry, debootstrap, ...); use Debian 12 or a derivative with apt")
  if [[ -n $build ]]; then
    read -r need where <<<"$(_go_needed)"
    if ! command -v go >/dev/null 2>&1; then
      problems+=("no go on PATH: the toolchain compiles Pulumi and Kubernetes from Go modules; install Go $need or newer ($where needs it) and put it on PATH")
    else
      go_line=$(go version 2>/dev/null)
      go_have=$(sed -n 's/.* go\([0-9][0-9.]*\).*/\1/p' <<<"$go_line")
      if [[ -z $go_have || $(printf '%s\n%s\n' "$need" "$go_have" | sort -V | head -n1) != "$need" ]]; then
        problems+=("go ${go_have:-of unknown version} is older than $need, which $where needs: install Go $need or newer (GOTOOLCHAIN=local: no toolchain is fetched)")
      fi
    fi
  fi
  if _port_taken "$registry_port" && ! _ours registry "$state/registry"; then
    problems+=("port $registry_port on 127.0.0.1 is taken$(_port_user "$registry_port"): the platform's registry listens there; stop what holds it (another local platform: npm run down in its folder) or use PLATFORM_REGISTRY_PORT and platform:local.registry")
  fi
  if _port_taken "$app_port" && ! _ours node "$state/node"; then
    problems+=("port $app_port on 127.0.0.1 is taken$(_port_user "$app_port"): the app's NodePort (platform:local.nodePortBase in Pulumi.dev.yaml); stop what holds it (another local platform: npm run down in its folder) or change platform:local.nodePortBase")
  fi
  # Requirements per file system: the state folder and the build caches often share one.
  local -A need_gib=() dirs=()
  local m free
  m=$(_mount_of "$state"); need_gib[$m]=$((${need_gib[$m]:-0} + PREREQ_STATE_GIB)); dirs[$m]="${dirs[$m]:+${dirs[$m]} and }the state folder $state"
  if [[ -n $build ]]; then
    m=$(_mount_of "$build"); need_gib[$m]=$((${need_gib[$m]:-0} + PREREQ_BUILD_GIB)); dirs[$m]="${dirs[$m]:+${dirs[$m]} and }the build caches $build"
  fi
  for m in "${!need_gib[@]}"; do
    free=$(_free_kib "$m")
    if [[ -n $free ]] && ((free < need_gib[$m] * 1024 * 1024)); then
      problems+=("$((free / 1024 / 1024)) GiB free on $m, ${need_gib[$m]} GiB needed for ${dirs[$m]}: free some space, or point PLATFORM_STATE_DIR (and PLATFORM_CACHE, GOCACHE, GOMODCACHE) at a larger disk")
    fi
  done
  ((${#problems[@]} == 0)) && return 0
  local noun=problems
  ((${#problems[@]} == 1)) && noun=problem
  printf 'prerequisites: %d %s; nothing was installed or started:\n' "${#problems[@]}" "$noun" >&2
  printf '  %s\n' "${problems[@]}" >&2
  return 1
}
