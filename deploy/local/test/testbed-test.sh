#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# deploy/local/test/testbed-test.sh: tests deploy/local/testbed end to end (needs root).
# Creates a test bed that exercises every option, logs in to the devices with real SSH, runs
# iperf3 from a device against the servers, changes things at run time, and checks that
# 'testbed down' leaves nothing behind (also after a half-failed up). Then a short run of the
# loopback fallback. Prints "ok - ..." / "not ok - ..." and "N passed, M failed".
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib/common.sh
source "$HERE/../lib/common.sh"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

TESTBED=$BW_LOCAL_DIR/testbed
TB=$BW_STATE/testbed
JSON=$TB/testbed.json
SSH_OPTS=(-F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR
  -o ConnectTimeout=5)

[[ $(id -u) -eq 0 ]] || {
  echo "testbed-test.sh needs root (network namespaces)"
  exit 1
}
ensure_packages sshpass:sshpass fping:fping jq:jq iperf3:iperf3 ssh:openssh-client ssh-keyscan:openssh-client
trap '"$TESTBED" down >/dev/null 2>&1 || true' EXIT

j() { jq -r "$1" "$JSON"; }

# dev_ssh I KEYFILE COMMAND: key login to device I
dev_ssh() {
  local i=$1 key=$2
  shift 2
  ssh "${SSH_OPTS[@]}" -o BatchMode=yes -o IdentitiesOnly=yes -o PasswordAuthentication=no -i "$key" \
    -p "$(j ".devices[$((i - 1))].ssh_port")" "$(j ".devices[$((i - 1))].user")@$(j ".devices[$((i - 1))].address")" "$@"
}

# dev_ssh_pw I PASSWORD COMMAND: password login to device I
dev_ssh_pw() {
  local i=$1 pw=$2
  shift 2
  SSHPASS=$pw sshpass -e ssh "${SSH_OPTS[@]}" -o PubkeyAuthentication=no -o PreferredAuthentications=password \
    -o NumberOfPasswordPrompts=1 -p "$(j ".devices[$((i - 1))].ssh_port")" \
    "$(j ".devices[$((i - 1))].user")@$(j ".devices[$((i - 1))].address")" "$@"
}

within_pct() { # within_pct VALUE TARGET PCT
  awk -v v="$1" -v t="$2" -v p="$3" 'BEGIN { d = v - t; if (d < 0) d = -d; exit !(v != "" && d <= t * p / 100) }'
}

no_leftovers() {
  local left=""
  left+=$(ip netns list 2>/dev/null | awk '{print $1}' | grep '^bw-' | tr '\n' ' ')
  ip link show bwbr0 >/dev/null 2>&1 && left+="bwbr0 "
  left+=$(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -E '^bw-' | tr '\n' ' ')
  local pid
  for pid in $(pgrep -x 'sshd|iperf3' 2>/dev/null); do
    proc_lives "$pid" "$TB/" && left+="pid:$pid "
  done
  [[ -z $left ]] || {
    echo "left behind: $left"
    return 1
  }
}

# ---------------------------------------------------------------------------------------------
echo "# testbed test (state $TB)"
"$TESTBED" down >/dev/null 2>&1 || true

t0=$(date +%s%N)
out=$("$TESTBED" up --devices 3 --servers 2 --no-iperf3 2 --sshd-down 3 --shape 2=5mbit --rsa-server 1 2>&1)
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
if ((rc == 0)); then ok "testbed up --devices 3 --servers 2 --no-iperf3 2 --sshd-down 3 --shape 2=5mbit --rsa-server 1 (${ms} ms)"; else
  not_ok "testbed up" "$out"
  finish
  exit 1
fi

mode=$(j .mode)
check "testbed.json is valid JSON with 3 devices and 2 servers" \
  test "$(jq -c '[(.devices | length), (.servers | length)]' "$JSON")" = "[3,2]"
check_eq "testbed.json: dev2 has no iperf3, dev3 no sshd, srv2 shaped 5mbit, srv1 has RSA auth" \
  "false false 5mbit true" "$(j '"\(.devices[1].iperf3) \(.devices[2].sshd) \(.servers[1].shape) \(.servers[0].rsa != null)"')"
check "testbed.json: key files exist and are private keys" \
  bash -c "grep -q 'BEGIN OPENSSH PRIVATE KEY' '$(j '.devices[0].ed25519_key')' && grep -q 'BEGIN RSA PRIVATE KEY' '$(j '.devices[0].rsa_key')'"
check "testbed status exits 0" "$TESTBED" status

ED=$(j '.devices[0].ed25519_key')
RSA=$(j '.devices[0].rsa_key')
# shellcheck disable=SC2016 # expanded on the device
check_eq "dev1: SSH login with the ed25519 key" "bw hello" "$(dev_ssh 1 "$ED" 'echo $(id -un) hello' 2>&1)"
check_eq "dev1: SSH login with the RSA key" "hello" "$(dev_ssh 1 "$RSA" 'echo hello' 2>&1)"
check_eq "dev1: SSH login with the password" "hello" "$(dev_ssh_pw 1 "$(j '.devices[0].password')" 'echo hello' 2>&1)"
check_fails "dev1: a wrong password is refused" dev_ssh_pw 1 wrong-password 'echo hello'
check_eq "dev2: SSH password login (per-device password)" "hello" "$(dev_ssh_pw 2 "$(j '.devices[1].password')" 'echo hello' 2>&1)"
check_fails "dev2 refuses dev1's password" dev_ssh_pw 2 "$(j '.devices[0].password')" 'echo hello'

for i in 1 2; do
  fp=$(ssh-keyscan -T 5 -t ed25519 -p "$(j ".devices[$((i - 1))].ssh_port")" "$(j ".devices[$((i - 1))].address")" 2>/dev/null |
    ssh-keygen -lf - 2>/dev/null | awk '{print $2}')
  check_eq "dev$i: host key fingerprint in testbed.json matches ssh-keyscan" "$(j ".devices[$((i - 1))].host_key_fingerprint")" "$fp"
done

# iperf3 from dev1 against the shaped srv2
srv2="$(j '.servers[1].address')"
json=$(dev_ssh 1 "$ED" "timeout -s INT 20 iperf3 -c $srv2 -p $(j '.servers[1].port') -t 2 -J" 2>&1)
bps=$(jq -r '.end.sum_received.bits_per_second // empty' <<<"$json" 2>/dev/null)
if [[ $mode == netns ]]; then
  if within_pct "${bps:-0}" 5000000 20; then ok "dev1 -> srv2 (shaped 5mbit): iperf3 -J over SSH gives $(awk -v b="$bps" 'BEGIN{printf "%.2f", b/1e6}') Mbit/s (within 20 % of 5)"; else
    not_ok "dev1 -> srv2 (shaped 5mbit): received bits_per_second within 20 % of 5 Mbit/s" "got: ${bps:-no number} $(head -c 300 <<<"$json")"
  fi
else
  skip "dev1 -> srv2 shaped to 5 Mbit/s" "loopback mode has no shaping"
fi

# the device without iperf3
rc=0
dev_ssh 2 "$ED" 'iperf3 --version' >/dev/null 2>&1 || rc=$?
check_eq "dev2 (--no-iperf3): running iperf3 over SSH exits 127" 127 "$rc"
# shellcheck disable=SC2016 # expanded on the device
check_eq "dev2 (--no-iperf3): sh, mktemp, cat, rm, timeout still work" "x" \
  "$(dev_ssh 2 "$ED" 'f=$(mktemp) && echo x >"$f" && timeout 5 cat "$f" && rm "$f"' 2>&1)"
check "dev1: fping and iperf3 are on the PATH" dev_ssh 1 "$ED" 'command -v fping && command -v iperf3'

# the device without sshd
if [[ $mode == netns ]]; then
  check "dev3 (--sshd-down): answers ping" fping -q -c1 -t500 "$(j '.devices[2].address')"
fi
check "dev3 (--sshd-down): port $(j '.devices[2].ssh_port') refuses connections" \
  tcp_refused "$(j '.devices[2].address')" "$(j '.devices[2].ssh_port')"

# RSA authentication on srv1 (public key from testbed.json; password in IPERF3_PASSWORD)
srv1="$(j '.servers[0].address')"
auth="--username $(j '.servers[0].rsa.username') --rsa-public-key-path $(j '.servers[0].rsa.public_key_pem_path')"
json=$(dev_ssh 1 "$ED" "IPERF3_PASSWORD='$(j '.servers[0].rsa.password')' timeout -s INT 20 iperf3 -c $srv1 -p $(j '.servers[0].port') -t 1 -J $auth" 2>&1)
check_eq "srv1 (--rsa-server): the right password runs a test" "null yes" \
  "$(jq -r '"\(.error) \(if (.end.sum_received.bits_per_second // 0) > 0 then "yes" else "no" end)"' <<<"$json" 2>&1)"
json=$(dev_ssh 1 "$ED" "IPERF3_PASSWORD=wrong timeout -s INT 20 iperf3 -c $srv1 -p $(j '.servers[0].port') -t 1 -J $auth" 2>&1)
check_eq "srv1 (--rsa-server): a wrong password gives 'test authorization failed'" "test authorization failed" \
  "$(jq -r '.error' <<<"$json" 2>&1)"
json=$(dev_ssh 1 "$ED" "timeout -s INT 20 iperf3 -c $srv1 -p $(j '.servers[0].port') -t 1 -J" 2>&1)
check_eq "srv1 (--rsa-server): no credentials gives 'test authorization failed'" "test authorization failed" \
  "$(jq -r '.error' <<<"$json" 2>&1)"

# run-time changes
if [[ $mode == netns ]]; then
  dev1=$(j '.devices[0].address')
  "$TESTBED" link down 1 >/dev/null
  check_fails "testbed link down 1: dev1 no longer answers ping" fping -q -c1 -t300 "$dev1"
  "$TESTBED" link up 1 >/dev/null
  sleep 0.2
  check "testbed link up 1: dev1 answers ping again" fping -q -c2 -t500 "$dev1"
  "$TESTBED" shape 1 20mbit >/dev/null
  check_match "testbed shape 1 20mbit: tbf on both ends" "*tbf*rate 20Mbit*|*tbf*rate 20Mbit*" \
    "$(tc qdisc show dev bw-s1 | head -n1)|$(tc -n bw-srv-1 qdisc show dev eth0 | head -n1)"
  check_eq "testbed shape 1 20mbit: testbed.json says so" 20mbit "$(j '.servers[0].shape')"
  "$TESTBED" unshape 1 >/dev/null
  check_fails "testbed unshape 1: no tbf left" bash -c "tc qdisc show dev bw-s1 | grep -q tbf || tc -n bw-srv-1 qdisc show dev eth0 | grep -q tbf"
fi
"$TESTBED" sshd stop 1 >/dev/null
check "testbed sshd stop 1: dev1 refuses SSH" tcp_refused "$(j '.devices[0].address')" "$(j '.devices[0].ssh_port')"
"$TESTBED" sshd start 1 >/dev/null
check_eq "testbed sshd start 1: dev1 accepts SSH again" "hello" "$(dev_ssh 1 "$ED" 'echo hello' 2>&1)"
check "testbed status exits 0 after the changes" "$TESTBED" status
check "testbed up with the same options says already running" \
  bash -c "'$TESTBED' up --devices 3 --servers 2 --no-iperf3 2 --sshd-down 3 --shape 2=5mbit --rsa-server 1 | grep -q 'already running'"

# a second bed (BANDWATCH_TESTBED_ID=1) beside this one, e.g. for a test run beside a demo stack
if [[ $mode == netns ]]; then
  bed1=$(mktemp -d /tmp/bw-bed1.XXXXXX)
  chmod 755 "$bed1"
  b1() { BANDWATCH_TESTBED_ID=1 BANDWATCH_STATE_DIR=$bed1 "$TESTBED" "$@"; }
  check "bed 1: up --devices 1 --servers 1 while bed 0 is up" b1 up --devices 1 --servers 1
  check_eq "bed 1: its device is bw1-dev-1 at 198.18.1.11" "bw1-dev-1 198.18.1.11" \
    "$(jq -r '.devices[0] | "\(.namespace) \(.address)"' "$bed1/testbed/testbed.json" 2>&1)"
  check_eq "bed 1: SSH login to its device" "hello" "$(ssh "${SSH_OPTS[@]}" -o BatchMode=yes -o IdentitiesOnly=yes \
    -i "$(jq -r '.devices[0].ed25519_key' "$bed1/testbed/testbed.json")" bw@198.18.1.11 'echo hello' 2>&1)"
  check "bed 1: down" b1 down
  check_eq "bed 1 gone: no bw1- namespace, no bwbr1" "" \
    "$(ip netns list | awk '{print $1}' | grep '^bw1-' | tr '\n' ' ')$(ip link show bwbr1 2>/dev/null | head -c 20)"
  check_eq "bed 0 untouched by bed 1's down: dev1 still answers SSH" "hello" "$(dev_ssh 1 "$ED" 'echo hello' 2>&1)"
  check "bed 0 status still exits 0" "$TESTBED" status
  rm -rf "$bed1"
fi

# down
pids=$(cat "$TB"/*/*.pid 2>/dev/null | tr '\n' ' ')
t0=$(date +%s%N)
check "testbed down" "$TESTBED" down
ms=$((($(date +%s%N) - t0) / 1000000))
echo "# testbed down took ${ms} ms"
check "after down: no bw- namespace, no bridge, no bw- link, no sshd/iperf3 of ours" no_leftovers
left=""
for pid in $pids; do proc_lives "$pid" && left+="$pid "; done
check_eq "after down: no process from the PID files lives" "" "$left"
check "testbed down again (idempotent)" "$TESTBED" down

# down after a half-failed up: a namespace, a veth, the bridge and an iperf3 server, no testbed.json
if [[ $mode == netns ]]; then
  mkdir -p "$TB/srv9"
  ip link add bwbr0 type bridge && ip netns add bw-srv-9 &&
    ip link add bw-s9 type veth peer name eth0 netns bw-srv-9 && ip link set bw-s9 master bwbr0 &&
    ip -n bw-srv-9 link set lo up &&
    ip netns exec bw-srv-9 iperf3 -s -B 127.0.0.1 -p 5299 -D -I "$TB/srv9/iperf3.pid" >/dev/null 2>&1
  sleep 0.3
  stray=$(cat "$TB/srv9/iperf3.pid" 2>/dev/null)
  check "half-failed up: testbed down cleans up" "$TESTBED" down
  check "half-failed up: nothing left" no_leftovers
  check_fails "half-failed up: the stray iperf3 is gone" proc_lives "${stray:-0}"
fi

# loopback fallback (no namespaces): a short run
echo "# loopback fallback (BANDWATCH_TESTBED_MODE=loopback)"
if out=$(BANDWATCH_TESTBED_MODE=loopback "$TESTBED" up --devices 2 --servers 1 --no-iperf3 2 2>&1); then
  ok "loopback: testbed up --devices 2 --servers 1 --no-iperf3 2"
  check_match "loopback: a clear warning that shaping and link down are unavailable" "*shaping*NOT available*" "$out"
  check_eq "loopback: testbed.json says mode loopback, dev1 on 127.0.0.1:$((2210 + 1))" "loopback 127.0.0.1 2211" \
    "$(j '"\(.mode) \(.devices[0].address) \(.devices[0].ssh_port)"')"
  check_eq "loopback: SSH key login to dev1" "bw" "$(dev_ssh 1 "$(j '.devices[0].ed25519_key')" 'id -un' 2>&1)"
  json=$(dev_ssh 1 "$(j '.devices[0].ed25519_key')" "timeout -s INT 20 iperf3 -c 127.0.0.1 -p $(j '.servers[0].port') -t 1 -J" 2>&1)
  check "loopback: iperf3 from dev1 to srv1" test "$(jq -r '.end.sum_received.bits_per_second > 0' <<<"$json" 2>&1)" = true
  rc=0
  dev_ssh 2 "$(j '.devices[0].ed25519_key')" 'iperf3 -v' >/dev/null 2>&1 || rc=$?
  check_eq "loopback: iperf3 on dev2 exits 127" 127 "$rc"
  check_fails "loopback: testbed shape is refused" "$TESTBED" shape 1 5mbit
  check "loopback: testbed down" "$TESTBED" down
  check "loopback: nothing left" no_leftovers
else
  not_ok "loopback: testbed up" "$out"
  "$TESTBED" down >/dev/null 2>&1
fi

finish
