#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# deploy/local/test/local-stack-test.sh: tests `bandwatch up --demo`, its idempotence, `status` and
# `down` on the whole local stack. Assumes the services can be built (`bandwatch test` runs it after
# `mvn -B verify`). It ends with `bandwatch down`, so it runs last. Prints "ok - ..." /
# "not ok - ..." and "N passed, M failed".
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib/common.sh
source "$HERE/../lib/common.sh"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

BANDWATCH=$BW_LOCAL_DIR/bandwatch
PIDS=$BW_STATE/pids
SERVICE_PORTS=(8081 8082 8083 8084 8080)
# the management interfaces (health, metrics, OpenAPI), in the order of SERVICE_PORTS
MANAGEMENT_PORTS=(9081 9082 9083 9084 9080)
OUR_PORTS=(9092 9093 8086 8186 8188 "${SERVICE_PORTS[@]}" "${MANAGEMENT_PORTS[@]}")

echo "# local stack test (state $BW_STATE)"

# PostgreSQL and Redis that were there before bandwatch (they must survive 'down')
pg_external=0
redis_external=0
if pg_isready -q -h 127.0.0.1 -p 5432 && [[ ! -f $BW_STATE/postgresql.started ]]; then pg_external=1; fi
if [[ $(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null) == PONG && ! -f $PIDS/redis.pid ]]; then redis_external=1; fi

t0=$SECONDS
out=$("$BANDWATCH" up --demo 2>&1)
rc=$?
first_out=$out
if ((rc == 0)); then ok "bandwatch up --demo ($((SECONDS - t0)) s)"; else
  not_ok "bandwatch up --demo (exit $rc)" "$(tail -n 40 <<<"$out")"
  "$BANDWATCH" down >/dev/null 2>&1
  finish
  exit 1
fi
check "up --demo created the test bed" test -f "$BW_STATE/testbed/testbed.json"

# the demo devices are registered in inventory, as an operator would see them through the API
token=$(jq -n --arg p "$(cat "$BW_STATE/secrets/admin-password" 2>/dev/null)" '{username: "admin", password: $p}' |
  curl -s --max-time 10 -H 'Content-Type: application/json' --data-binary @- \
    http://127.0.0.1:8081/api/v1/auth/token | jq -r '.access_token // empty' 2>/dev/null)
check "the admin of the local stack logs in to inventory" test -n "$token"
org=$(curl -s --max-time 10 -H "Authorization: Bearer $token" 'http://127.0.0.1:8081/api/v1/organizations?size=500' |
  jq -r '.items[]? | select(.name == "demo") | .id' 2>/dev/null)
check "up --demo created the organization 'demo'" test -n "$org"
registered=$(curl -s --max-time 10 -H "Authorization: Bearer $token" \
  "http://127.0.0.1:8081/api/v1/devices?organization_id=$org&size=500" |
  jq -r '[.items[]? | "\(.address) \(.host_key_fingerprint)"] | sort | join(",")' 2>/dev/null)
expected=$(jq -r '[.devices[] | "\(.address) \(.host_key_fingerprint)"] | sort | join(",")' "$BW_STATE/testbed/testbed.json")
check_eq "every test bed device is registered with its address and pinned host key" "$expected" "$registered"
checks=$(curl -s --max-time 10 -H "Authorization: Bearer $token" \
  "http://127.0.0.1:8081/api/v1/checks?organization_id=$org&size=500" | jq -r '.items | length' 2>/dev/null)
check_eq "each demo device got its default ping and iperf3 checks" "$(($(jq '.devices | length' "$BW_STATE/testbed/testbed.json") * 2))" "$checks"

for i in "${!SERVICE_PORTS[@]}"; do
  port=${SERVICE_PORTS[$i]} mport=${MANAGEMENT_PORTS[$i]}
  body=$(curl -s --max-time 5 "http://127.0.0.1:$mport/q/health/ready")
  check_eq "http://127.0.0.1:$mport/q/health/ready is UP" UP "$(jq -r '.status' <<<"$body" 2>/dev/null)"
  for path in /q/health/ready /q/metrics /q/openapi; do
    check_eq "$path answers 404 on the API port $port, 200 on the management port $mport" "404 200" \
      "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port$path") $(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$mport$path")"
  done
done
check "bandwatch status exits 0" "$BANDWATCH" status
check_match "bandwatch status lists the console" "*console*http://127.0.0.1:8080*UP*" "$("$BANDWATCH" status 2>&1)"
check_match "up --demo ends with where to go next" \
  "*open http://127.0.0.1:8080 and log in as admin (password in $BW_STATE/secrets/admin-password)" "$first_out"

# the console: the admin signs in with the password up printed the place of, and sees the demo fleet
cookies=$(mktemp)
code=$(jq -n --arg p "$(cat "$BW_STATE/secrets/admin-password" 2>/dev/null)" '{username: "admin", password: $p}' |
  curl -s -o /dev/null -w '%{http_code}' --max-time 10 -c "$cookies" -H 'Content-Type: application/json' \
    --data-binary @- http://127.0.0.1:8080/console/api/session)
check_eq "the admin signs in to the console" 200 "$code"
devices=$(curl -s --max-time 10 -b "$cookies" "http://127.0.0.1:8080/console/api/inventory/devices?organization_id=$org&size=500" |
  jq -r '.items | length' 2>/dev/null)
check_eq "the console lists the demo devices through inventory" "$(jq '.devices | length' "$BW_STATE/testbed/testbed.json")" "$devices"
rm -f "$cookies"

# InfluxDB's v2 write path through nginx, and the CSV answer of InfluxQL
curl -s -XPOST http://127.0.0.1:8086/query --data-urlencode 'q=CREATE DATABASE bw_stack_test' >/dev/null
code=$(curl -s -o /dev/null -w '%{http_code}' -XPOST \
  'http://127.0.0.1:8086/api/v2/write?org=x&bucket=bw_stack_test%2Fautogen&precision=ms' \
  --data-binary "t,src=test v=1i $(date +%s%3N)")
check_eq "POST /api/v2/write through nginx answers 204" 204 "$code"
csv=$(curl -s -XPOST 'http://127.0.0.1:8086/query?db=bw_stack_test' -H 'Accept: application/csv' \
  --data-urlencode 'q=SELECT v FROM t')
check_match "InfluxQL /query with Accept: application/csv answers CSV" "name,tags,time,v*t,,*,1*" "$csv"
curl -s -XPOST http://127.0.0.1:8086/query --data-urlencode 'q=DROP DATABASE bw_stack_test' >/dev/null

# idempotence: a second up changes nothing
declare -A before=()
for f in "$PIDS"/*.pid "$BW_STATE"/testbed/*/*.pid; do
  [[ -f $f ]] && before[$f]=$(<"$f")
done
check "PID files recorded (${#before[@]})" test "${#before[@]}" -ge 9
out=$("$BANDWATCH" up --demo 2>&1)
rc=$?
check_eq "a second bandwatch up --demo exits 0" 0 "$rc"
for part in kafka influxdb nginx inventory-service check-runner-service metrics-service alert-service console testbed; do
  check_match "second up: $part already running" "*$part: already running*" "$out"
done
changed=""
for f in "${!before[@]}"; do
  [[ -f $f && $(<"$f") == "${before[$f]}" ]] || changed+="$f "
done
check_eq "second up: no PID changed" "" "$changed"
check_fails "second up: no format, no build, no start" grep -qE 'formatting|building|starting' <<<"$out"

# down
t0=$SECONDS
check "bandwatch down" "$BANDWATCH" down
echo "# bandwatch down took $((SECONDS - t0)) s"
sleep 0.5
left=""
for f in "${!before[@]}"; do
  proc_lives "${before[$f]}" && left+="${before[$f]}($(basename "$f")) "
done
check_eq "after down: no process from the PID files lives" "" "$left"
check_eq "after down: no bw- network namespace" "" "$(ip netns list 2>/dev/null | awk '{print $1}' | grep '^bw-' | tr '\n' ' ')"
check_fails "after down: no bridge bwbr0" ip link show bwbr0
open=""
for port in "${OUR_PORTS[@]}"; do
  tcp_open 127.0.0.1 "$port" && open+="$port "
done
check_eq "after down: ports ${OUR_PORTS[*]} are closed" "" "$open"
if ((pg_external)); then
  check "after down: the PostgreSQL that was there before still answers" pg_isready -q -h 127.0.0.1 -p 5432
fi
if ((redis_external)); then
  check_eq "after down: the Redis that was there before still answers" PONG "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>&1)"
fi
check_fails "after down: bandwatch status exits non-zero" "$BANDWATCH" status

finish
