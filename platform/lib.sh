# Shared helpers of the platform/ scripts (sourced, not run). Every script keeps its state in
# one folder it is given, records the pid of each process it starts, and stops only those.

PLATFORM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export PLATFORM_CACHE=${PLATFORM_CACHE:-$HOME/.cache/multicloud-platform}

_t0=${_t0:-$SECONDS}
# log MESSAGE: progress on stderr, prefixed with the script name and the seconds elapsed.
log() { printf '[%4ss] %s: %s\n' "$((SECONDS - _t0))" "${LOG_NAME:-platform}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# pid_matches PIDFILE PATTERN: the recorded process is alive and still the binary we started
# (pids are reused, so a bare kill -0 could point at someone else's process).
# PATTERN is a plain substring of the command line (arguments joined by spaces). The command line
# is read whole first: `tr | grep -q` under pipefail fails when grep stops reading early.
pid_matches() {
  local file=$1 pattern=$2 pid cmdline
  [[ -f $file ]] || return 1
  pid=$(<"$file")
  [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/cmdline ]] || return 1
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ $cmdline == *"$pattern"* ]]
}

# stop_pidfile PIDFILE PATTERN NAME: TERM, wait up to 10 s, then KILL; removes the pid file.
stop_pidfile() {
  local file=$1 pattern=$2 name=$3 pid
  if pid_matches "$file" "$pattern"; then
    pid=$(<"$file")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    log "stopped $name (pid $pid)"
  fi
  rm -f "$file"
}

# umount_under DIR: lazily unmounts whatever is still mounted below DIR, deepest first (what a
# daemon killed without its clean-up leaves: dockerd's data root, containerd's sandbox mounts).
umount_under() {
  { grep -o " $1/[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
}

# The scripts that run several binaries keep one pid file and one log each, in $RUN and $LOGS.

# process_alive NAME: the binary NAME recorded in $RUN/NAME.pid is still the one running.
process_alive() { pid_matches "$RUN/$1.pid" "/$1 "; }

# spawn NAME ARGS...: starts binary NAME (from PATH) detached, logging to $LOGS/NAME.log; the
# pid file is written first, so a stop works after any later failure.
spawn() {
  local name=$1; shift
  local bin
  bin=$(command -v "$name") || die "$name not found; run tools/toolchain.sh"
  setsid "$bin" "$@" >"$LOGS/$name.log" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$RUN/$name.pid"
  # The forked shell becomes the binary a moment later; until then its command line is this
  # script's and process_alive would call the new process dead. (After a crash the first readiness
  # probe fails at once on a stale socket, so ready_for asked before the exec and gave up.)
  local i
  for ((i = 0; i < 50; i++)); do
    process_alive "$name" || ! kill -0 "$pid" 2>/dev/null && break
    sleep 0.1
  done
}

# ready_for NAME SECONDS CMD...: polls CMD until it succeeds; gives up as soon as NAME died or
# the time is up, showing the tail of its log.
ready_for() {
  local name=$1 secs=$2; shift 2
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if ! process_alive "$name" || ((SECONDS > deadline)); then
      log "$name did not become ready; last log lines ($LOGS/$name.log):"
      tail -n 25 "$LOGS/$name.log" >&2 || true
      return 1
    fi
    sleep 0.5
  done
}

# wait_until SECONDS LOGFILE CMD...: polls CMD; on timeout shows the log's tail and fails.
wait_until() {
  local secs=$1 logfile=$2; shift 2
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS > deadline)); then
      log "timed out after ${secs}s waiting for: $*"
      [[ -f $logfile ]] && tail -n 20 "$logfile" >&2
      return 1
    fi
    sleep 0.5
  done
}

# debian_mirror: the Debian mirror this machine's apt uses (never written into the project).
debian_mirror() {
  local m=""
  if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
    m=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  fi
  if [[ -z $m && -f /etc/apt/sources.list ]]; then
    m=$(awk '$1=="deb"{print $2; exit}' /etc/apt/sources.list)
  fi
  [[ -n $m ]] || die "no Debian mirror found in the apt sources"
  echo "$m"
}

# apt_ensure PACKAGE...: installs missing Debian packages (root, apt-get update once).
apt_ensure() {
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
  ((${#missing[@]} == 0)) && return 0
  log "installing ${missing[*]} (apt)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# default_storage_class PROVISIONER RECLAIM BINDING: the YAML of the default StorageClass "standard"
# that the app's data volumes claim (the control plane's hostPath one, or the real node's local
# volumes); one definition so both platforms offer the class under the same name and annotation.
default_storage_class() {
  cat <<EOF
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
provisioner: $1
reclaimPolicy: $2
volumeBindingMode: $3
EOF
}
