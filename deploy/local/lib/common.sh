# shellcheck shell=bash
# Helpers shared by deploy/local/bandwatch and deploy/local/testbed. Sourced, never run.
#
# Sets BW_LOCAL_DIR (deploy/local), BW_REPO_DIR (the repository root, or $BANDWATCH_REPO_DIR) and
# BW_STATE (the one state folder: $BANDWATCH_STATE_DIR or deploy/local/.state, always absolute).

BW_LOCAL_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck disable=SC2034 # used by the scripts that source this file
BW_REPO_DIR=$(cd "${BANDWATCH_REPO_DIR:-$BW_LOCAL_DIR/../..}" && pwd)
BW_STATE=$(realpath -m "${BANDWATCH_STATE_DIR:-$BW_LOCAL_DIR/.state}")
export BANDWATCH_STATE_DIR="$BW_STATE"

# close_inherited_fds: closes every descriptor above 2 that this shell inherited (bash keeps the script itself on
# 255), so that the daemons it starts (Kafka, InfluxDB, the services, the test bed's sshd and iperf3) do not hold
# them for life: a lock taken with `flock LOCK bandwatch up` would otherwise stay taken until `down`.
close_inherited_fds() {
  local fd
  for fd in /proc/$$/fd/*; do
    fd=${fd##*/}
    [[ $fd =~ ^[0-9]+$ ]] && ((fd > 2 && fd != 255)) && eval "exec $fd>&-" 2>/dev/null
  done
  return 0
}

# ---------------------------------------------------------------------------------------------
# printing

info() { printf '==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() {
  printf 'ERROR: %s\n' "$*" >&2
  exit 1
}

# log_tail FILE [LINES]: the last lines of a log, indented, on stderr (for failure messages)
log_tail() {
  local file=$1 lines=${2:-40}
  if [[ -s $file ]]; then
    printf -- '---- last %s lines of %s ----\n' "$lines" "$file" >&2
    tail -n "$lines" "$file" | sed 's/^/    | /' >&2
    printf -- '---- end of %s ----\n' "$file" >&2
  else
    printf -- '(%s is empty or missing)\n' "$file" >&2
  fi
}

# ---------------------------------------------------------------------------------------------
# processes and PID files

# pid_alive PID [MARKER]: true when PID runs and (if given) its command line contains MARKER, so a
# PID that the kernel reused for another program is not taken for ours.
pid_alive() {
  local pid=$1 marker=${2:-}
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  [[ -z $marker ]] && return 0
  local cmdline
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ $cmdline == *"$marker"* ]]
}

# pidfile_pid FILE: prints the PID stored in FILE (nothing when missing or garbage)
pidfile_pid() {
  local pid=""
  if [[ -f $1 ]]; then read -r pid <"$1" 2>/dev/null || true; fi
  [[ $pid =~ ^[0-9]+$ ]] && printf '%s\n' "$pid"
  return 0
}

# pidfile_alive FILE [MARKER]: prints the PID and returns 0 when the process in FILE runs
pidfile_alive() {
  local pid
  pid=$(pidfile_pid "$1")
  [[ -n $pid ]] && pid_alive "$pid" "${2:-}" && printf '%s\n' "$pid"
}

# stop_pid NAME PID [MARKER] [TIMEOUT_S]: TERM, wait, then KILL. Returns 0 when it is gone.
stop_pid() {
  local name=$1 pid=$2 marker=${3:-} timeout=${4:-20} waited=0
  pid_alive "$pid" "$marker" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  while pid_alive "$pid" "$marker"; do
    if ((waited >= timeout * 10)); then
      warn "$name (pid $pid) did not stop within ${timeout}s after TERM: sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.2
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  ! pid_alive "$pid" "$marker"
}

# stop_pidfile NAME FILE [MARKER] [TIMEOUT_S]: stops the process of a PID file, removes the file
stop_pidfile() {
  local name=$1 file=$2 marker=${3:-} timeout=${4:-20} pid
  [[ -e $file ]] || return 0
  pid=$(pidfile_pid "$file")
  if [[ -n $pid ]] && pid_alive "$pid" "$marker"; then
    info "stopping $name (pid $pid)"
    stop_pid "$name" "$pid" "$marker" "$timeout" || warn "$name (pid $pid) is still alive"
  elif [[ -n $pid ]] && pid_alive "$pid"; then
    warn "$name: pid $pid (from $file) runs something else now ($(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-100)); left alone"
  fi
  rm -f "$file"
}

# port_open HOST PORT: true when something accepts a TCP connection (1 s limit)
port_open() {
  # shellcheck disable=SC2016 # expanded by the inner bash
  timeout 1 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

# ---------------------------------------------------------------------------------------------
# packages

_bw_have() {
  if [[ $1 == /* ]]; then [[ -x $1 ]]; else command -v "$1" >/dev/null 2>&1; fi
}

# missing_packages SPEC...: prints the Debian packages (deduplicated) for the commands not found
missing_packages() {
  local spec cmd pkg out=()
  for spec in "$@"; do
    cmd=${spec%%:*}
    pkg=${spec#*:}
    _bw_have "$cmd" && continue
    [[ " ${out[*]} " == *" $pkg "* ]] || out+=("$pkg")
  done
  ((${#out[@]})) && printf '%s\n' "${out[@]}"
  return 0
}

BW_APT_UPDATED=${BW_APT_UPDATED:-0}

# ensure_packages SPEC...: installs with apt-get what is missing, without starting any daemon.
ensure_packages() {
  local missing
  mapfile -t missing < <(missing_packages "$@")
  ((${#missing[@]})) || return 0
  if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg >/dev/null 2>&1; then
    printf 'ERROR: these commands are missing and this is not a Debian/apt system:\n' >&2
    local spec
    for spec in "$@"; do
      _bw_have "${spec%%:*}" || printf '    %-16s (Debian package %s)\n' "${spec%%:*}" "${spec#*:}" >&2
    done
    printf 'Install them with your package manager (see deploy/local/README.md, "Other systems") and run again.\n' >&2
    exit 1
  fi
  if [[ $(id -u) -ne 0 ]]; then
    die "missing packages: ${missing[*]}; run as root, or install them first: apt-get install ${missing[*]}"
  fi
  info "installing with apt-get: ${missing[*]}"
  _bw_apt_install "${missing[@]}"
}

# the daemons that Debian packages could start; compared before and after an install
_bw_daemon_pids() {
  pgrep -x 'nginx|influxd|sshd|iperf3|redis-server|postgres' 2>/dev/null | sort -n || true
}

_bw_apt_install() {
  local before after pid policy=/usr/sbin/policy-rc.d backup=""
  before=$(_bw_daemon_pids)
  if [[ -e $policy ]]; then
    backup=$(mktemp)
    cp -p "$policy" "$backup"
  fi
  # policy-rc.d exiting 101 tells invoke-rc.d that no service may be started or restarted;
  # iperf3's debconf question (template iperf3/start_daemon) is answered "false".
  (
    trap 'if [[ -n "$backup" ]]; then mv -f "$backup" "$policy"; else rm -f "$policy"; fi' EXIT
    printf '#!/bin/sh\n# written by deploy/local (bandwatch) while apt-get installs: start no daemon\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    export DEBIAN_FRONTEND=noninteractive
    echo 'iperf3 iperf3/start_daemon boolean false' | debconf-set-selections
    if [[ $BW_APT_UPDATED != 1 ]]; then
      info "apt-get update"
      apt-get update -q || exit 1
    fi
    apt-get install -y -q --no-install-recommends \
      -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@"
  ) || die "apt-get install $* failed"
  BW_APT_UPDATED=1
  after=$(_bw_daemon_pids)
  for pid in $after; do
    if ! grep -qx "$pid" <<<"$before"; then
      warn "the install started a daemon (pid $pid: $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)); stopping it"
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
}
