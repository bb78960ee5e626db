#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# deploy/local/test/e2e-test.sh: Bandwatch end to end. Starts the whole suite with the local script
# (`bandwatch up`, in the state folder $BANDWATCH_STATE_DIR), a test bed of 6 devices and 3 iperf3 servers
# (servers shaped to 5, 20 and 40 Mbit/s; device 5 without iperf3, device 6 with its sshd down), then runs
# the e2e-tests module (io.bandwatch.e2e.OperatorJourneyTest, RevocationJourneyTest, ...), which acts only through the public REST APIs
# and the device page in headless Chromium. Afterwards it stops what it started: everything (`down`) when
# the infrastructure was not running before, else only the services and the test bed.
# `bandwatch test` runs it on a fresh state folder (deploy/local/.state/e2e). Extra arguments go to Maven.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib/common.sh
source "$HERE/../lib/common.sh"

BANDWATCH=$BW_LOCAL_DIR/bandwatch
TESTBED=$BW_LOCAL_DIR/testbed

[[ $(id -u) -eq 0 ]] || {
  echo "e2e-test.sh needs root (network namespaces)"
  exit 1
}
ensure_packages chromium:chromium

infra_before=0
[[ -f $BW_STATE/pids/kafka.pid ]] && kill -0 "$(cat "$BW_STATE/pids/kafka.pid")" 2>/dev/null && infra_before=1
services_before=0
compgen -G "$BW_STATE/pids/*-service.pid" >/dev/null && services_before=1

cleanup() {
  local rc=$?
  echo "# e2e: cleaning up"
  "$TESTBED" down >/dev/null 2>&1 || true
  if ((infra_before == 0)); then
    "$BANDWATCH" down || rc=1
  elif ((services_before == 0)); then
    "$BANDWATCH" stop || rc=1
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "# e2e: state folder $BW_STATE"
t0=$SECONDS
"$BANDWATCH" up || {
  echo "not ok - bandwatch up"
  exit 1
}
echo "# e2e: the suite is up after $((SECONDS - t0)) s"
"$TESTBED" down >/dev/null 2>&1 || true
"$TESTBED" up --devices 6 --servers 3 --no-iperf3 5 --sshd-down 6 --shape 1=5mbit,2=20mbit,3=40mbit || {
  echo "not ok - testbed up"
  exit 1
}

cd "$BW_REPO_DIR" || exit 1
t0=$SECONDS
mvn -B -pl e2e-tests verify -Pe2e -Dbandwatch.e2e.state="$BW_STATE" "$@"
rc=$?
echo "# e2e: the end-to-end test took $((SECONDS - t0)) s (exit $rc)"
if ((rc != 0)); then
  for svc in inventory-service check-runner-service metrics-service alert-service console; do
    echo "# ---- last lines of $svc.log"
    tail -n 30 "$BW_STATE/logs/$svc.log" 2>/dev/null | sed 's/^/#   /'
  done
fi
exit "$rc"
