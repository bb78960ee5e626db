#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# deploy/local/test/bench-test.sh: `bandwatch bench` end to end, as a newcomer runs it on a fresh clone, with tiny
# sizes so that it takes a few minutes. Maven gets a local repository that has every third-party artifact of this
# machine's but none of Bandwatch's own modules, as on a machine where nobody ran `mvn install`: the bench must build
# events, test-support and platform from the reactor. Passes when the command exits 0 and every figure of its table
# has a value at each size it names (and a ratio where it has a reference). Uses its own state folder ($BANDWATCH_STATE_DIR, default deploy/local/.state/bench-test) and stops
# what it started. Prints "ok - ..." / "not ok - ..." and "N passed, M failed".
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export BANDWATCH_STATE_DIR=${BANDWATCH_STATE_DIR:-$HERE/../.state/bench-test}
# shellcheck source=../lib/common.sh
source "$HERE/../lib/common.sh"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

echo "# bench test (state $BW_STATE)"
mkdir -p "$BW_STATE"
repo=$BW_STATE/m2
rm -rf "$repo"
mkdir -p "$repo"
m2=${HOME}/.m2/repository
# hard links: no copy of the ~1 GB repository, and Maven only adds files
if [[ -d $m2 ]] && cp -al "$m2/." "$repo/" 2>/dev/null; then
  rm -rf "$repo/io/bandwatch"
  ok "a Maven repository without Bandwatch's own modules ($repo)"
else
  rm -rf "$repo"
  repo=""
  skip "a Maven repository without Bandwatch's own modules" "cannot hard-link $m2 into $BW_STATE"
fi

mvn_args=()
[[ -n $repo ]] && mvn_args=("-Dmaven.repo.local=$repo")
t0=$SECONDS
out=$(BANDWATCH_BENCH_N=2000 BANDWATCH_BENCH_CHECKS=500 BANDWATCH_BENCH_CHART_DEVICES=20 \
  BANDWATCH_BENCH_CHART_DAYS=7 BANDWATCH_BENCH_POOL_DEVICES=3 BANDWATCH_BENCH_FLEET_DEVICES=50 \
  BANDWATCH_BENCH_IDLE_S=5 BANDWATCH_BENCH_CHURN_RUNS=2 \
  "$BW_LOCAL_DIR/bandwatch" bench "${mvn_args[@]}" 2>&1)
rc=$?
echo "# bandwatch bench took $((SECONDS - t0)) s"
if ((rc == 0)); then
  ok "bandwatch bench exits 0"
else
  not_ok "bandwatch bench exits 0" "exit $rc" "$(tail -n 40 <<<"$out")"
fi

table=$BW_STATE/bench/table.md
if [[ -s $table ]]; then
  ok "the bench wrote its table"
  sed 's/^/#   /' "$table"
  # every row has a Bandwatch figure at each size it names (the "n" cells), and a ratio where it has a reference
  missing=$(awk -F'|' '
    /^\| figure/ { for (i = 2; i < NF; i++) { h = $i; gsub(/^ +| +$/, "", h); head[i] = h }; next }
    /^\| / && !/^\| ---/ {
      for (i = 2; i < NF; i++) {
        v = $i; gsub(/^ +| +$/, "", v); cell[head[i], ++seen[head[i]]] = v
      }
      for (s = 1; s <= seen["n"]; s++) {
        if (cell["n", s] == "") continue
        if (cell["Bandwatch", s] == "-" || cell["Bandwatch", s] == "") print $2 "(n=" cell["n", s] "): no figure"
        if (cell["reference", s] != "" && cell["ratio", s] == "-") print $2 "(n=" cell["n", s] "): no ratio"
      }
      delete seen; delete cell
    }' "$table")
  rows=$(awk -F'|' '/^\| / && !/^\| figure/ && !/^\| ---/' "$table" | wc -l)
  if [[ -z $missing && $rows -ge 12 ]]; then
    ok "all $rows figures of the table have a value"
  else
    not_ok "every figure of the table has a value" "rows: $rows; without a value:" "$missing"
  fi
  # BANDWATCH_BENCH_CHURN_RUNS=2: the churn figure is the median of the module's run and one more
  churn_runs=$(grep -E '^- server pool under churn' "$table" | grep -Eo 'n=[0-9]+: [0-9]+ run' | head -n 1)
  if [[ $churn_runs == *": 2 run" ]]; then
    ok "the pool churn figure is the median of 2 runs"
  else
    not_ok "the pool churn figure is the median of 2 runs" "table says: ${churn_runs:-nothing}"
  fi
else
  not_ok "the bench wrote its table" "$table is missing or empty"
fi
rm -rf "$repo"
finish
