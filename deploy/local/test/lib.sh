# shellcheck shell=bash
# A tiny assert helper for the plain bash tests in deploy/local/test. Sourced, never run.
# Each check prints "ok - ..." or "not ok - ..."; finish prints "N passed, M failed" and returns
# non-zero when something failed.

T_PASSED=0
T_FAILED=0
T_SKIPPED=0

ok() {
  printf 'ok - %s\n' "$1"
  T_PASSED=$((T_PASSED + 1))
}

not_ok() {
  printf 'not ok - %s\n' "$1"
  shift
  local line
  for line in "$@"; do printf '#   %s\n' "$line"; done
  T_FAILED=$((T_FAILED + 1))
}

skip() {
  printf 'ok - %s # SKIP %s\n' "$1" "$2"
  T_SKIPPED=$((T_SKIPPED + 1))
}

# check DESCRIPTION COMMAND...: ok when the command exits 0 (its output is shown on failure)
check() {
  local desc=$1 out rc=0
  shift
  out=$("$@" 2>&1) || rc=$?
  if ((rc == 0)); then ok "$desc"; else not_ok "$desc" "exit $rc: $(tail -n 5 <<<"$out" | tr '\n' ' ')"; fi
}

# check_fails DESCRIPTION COMMAND...: ok when the command exits non-zero
check_fails() {
  local desc=$1 rc=0
  shift
  "$@" >/dev/null 2>&1 || rc=$?
  if ((rc != 0)); then ok "$desc"; else not_ok "$desc" "the command succeeded: $*"; fi
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq() {
  if [[ $2 == "$3" ]]; then ok "$1"; else not_ok "$1" "expected: $2" "actual:   $3"; fi
}

# check_match DESCRIPTION GLOB ACTUAL
check_match() {
  # shellcheck disable=SC2053 # a glob on purpose
  if [[ $3 == $2 ]]; then ok "$1"; else not_ok "$1" "expected to match: $2" "actual: $(head -c 600 <<<"$3")"; fi
}

finish() {
  if ((T_SKIPPED)); then
    printf '%d passed, %d failed, %d skipped\n' "$T_PASSED" "$T_FAILED" "$T_SKIPPED"
  else
    printf '%d passed, %d failed\n' "$T_PASSED" "$T_FAILED"
  fi
  ((T_FAILED == 0))
}

# a process that runs (not a zombie) and whose command line contains MARKER (if given)
proc_lives() {
  local pid=$1 marker=${2:-} state
  [[ -r /proc/$pid/stat ]] || return 1
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
  [[ $state == Z || -z $state ]] && return 1
  [[ -z $marker ]] && return 0
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker"
}

tcp_open() { # tcp_open HOST PORT
  # shellcheck disable=SC2016 # expanded by the inner bash
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

# tcp_refused HOST PORT: the connection is actively refused (not a timeout)
tcp_refused() {
  local err
  # shellcheck disable=SC2016 # expanded by the inner bash
  err=$(timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>&1) && return 1
  [[ $err == *"Connection refused"* ]]
}
