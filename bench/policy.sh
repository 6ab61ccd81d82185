#!/usr/bin/env bash
# Benchmark: the binary policy reader. `porthole policy info POLICY` vs `seinfo POLICY` (whole process),
# plus bench/policy-load.mjs (in-process cold/warm read + index, access decisions per second).
#
#   bash bench/policy.sh            (from anywhere)
#
# Knobs
#   BENCH_REPS=N       whole-process repetitions of each tool, interleaved (default 15); medians
#   BENCH_COLD=N       fresh processes for the cold read + index (default 15)
#   BENCH_QUERIES=N    computeAccess queries (default 1000000)
#   BENCH_BUILD=1      run `npm run build` first (also done when dist/ is missing)
#   BENCH_DIST=DIR     measure another build of dist/ (in-process part and `policy info`)
#   SE_POLICY          default: from /var/lib/selinux-oracles/oracles.env
#
# Acceptance checks (exit 1 when one fails):
#   - cold read + index (readFileSync + readPolicy + index.buildAll, first call in a fresh process) <= 60 ms
#   - `porthole policy info POLICY` wall time <= 1/3 of `seinfo POLICY`'s (medians), porthole run as
#     the installed command is (dist/porthole.cjs executed: its shell launcher line drops
#     NODE_EXTRA_CA_CERTS); `node dist/porthole.cjs` (which keeps it) is timed and shown too
#   - >= 1,000,000 computeAccess decisions/s (first pass over random queries)
set -euo pipefail
cd "$(dirname "$0")/.."

REPS=${BENCH_REPS:-15}
COLD=${BENCH_COLD:-15}
QUERIES=${BENCH_QUERIES:-1000000}
DIST=${BENCH_DIST:-dist}
if [[ -z ${SE_POLICY:-} ]]; then
  # shellcheck disable=SC1091
  source /var/lib/selinux-oracles/oracles.env
fi
: "${SE_POLICY:?}"
export SE_POLICY BENCH_DIST="$DIST"

if [[ ${BENCH_BUILD:-0} == 1 || ! -f dist/porthole.cjs ]]; then
  npm run build >&2
fi

# Times from bash's own clock ($EPOCHREALTIME, microseconds): forking `date` around each run
# added tens of ms to every sample on this VM and pulled the ratio towards 1.
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at start; node $(node --version); policy $SE_POLICY ($(stat -c %s "$SE_POLICY") bytes)"

# --- outputs must agree before timing anything ------------------------------------------------
ours_out=$(node "$DIST/porthole.cjs" policy info "$SE_POLICY")
seinfo_out=$(seinfo "$SE_POLICY")
same=0
[[ $ours_out == "$seinfo_out" ]] && same=1

# --- whole process, interleaved ---------------------------------------------------------------
declare -a T_OURS T_NODE_OURS T_SEINFO T_NODE
for ((i = 0; i < REPS; i++)); do
  s=${EPOCHREALTIME/[.,]/}; node -e 0; e=${EPOCHREALTIME/[.,]/}; T_NODE+=($((e - s)))
  s=${EPOCHREALTIME/[.,]/}; "$DIST/porthole.cjs" policy info "$SE_POLICY" > /dev/null; e=${EPOCHREALTIME/[.,]/}; T_OURS+=($((e - s)))
  s=${EPOCHREALTIME/[.,]/}; node "$DIST/porthole.cjs" policy info "$SE_POLICY" > /dev/null; e=${EPOCHREALTIME/[.,]/}; T_NODE_OURS+=($((e - s)))
  s=${EPOCHREALTIME/[.,]/}; seinfo "$SE_POLICY" > /dev/null; e=${EPOCHREALTIME/[.,]/}; T_SEINFO+=($((e - s)))
done
ms() { printf '%s\n' "$@" | median | awk '{ printf "%.1f", $1 / 1000 }'; }
m_node=$(ms "${T_NODE[@]}")
m_ours=$(ms "${T_OURS[@]}")
m_node_ours=$(ms "${T_NODE_OURS[@]}")
m_seinfo=$(ms "${T_SEINFO[@]}")
ratio=$(awk -v o="$m_ours" -v s="$m_seinfo" 'BEGIN { printf "%.3f", o / s }')
ratio_node=$(awk -v o="$m_node_ours" -v s="$m_seinfo" 'BEGIN { printf "%.3f", o / s }')
echo
echo "Whole process, $REPS runs each (interleaved), median wall ms (NODE_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS:-unset}):"
printf '  %-44s %8s ms\n' "node -e 0" "$m_node" \
  "$DIST/porthole.cjs policy info POLICY" "$m_ours" \
  "node $DIST/porthole.cjs policy info POLICY" "$m_node_ours" \
  "seinfo POLICY" "$m_seinfo"
echo "  ours / seinfo = $ratio as a command (target <= 0.333), $ratio_node through node; output identical to seinfo's: $([[ $same == 1 ]] && echo yes || echo NO)"

# --- in process -------------------------------------------------------------------------------
echo
json=$(node bench/policy-load.mjs "$SE_POLICY" --cold "$COLD" --queries "$QUERIES" --json)
node -e '
const r = JSON.parse(process.argv[1]);
const f = (v) => v.toFixed(1).padStart(7);
console.log(`In process (bench/policy-load.mjs), medians:`);
console.log(`  cold, ${r.coldSamples} fresh processes: import ${f(r.cold.import)} ms  read ${f(r.cold.read)} ms  index ${f(r.cold.index)} ms  read+index ${f(r.cold.readIndex)} ms (CPU ${r.cold.readIndexCpu.toFixed(1)} ms)`);
console.log(`  warm, ${r.warmSamples} rounds:          ${" ".repeat(18)}read ${f(r.warm.read)} ms  index ${f(r.warm.index)} ms  read+index ${f(r.warm.readIndex)} ms`);
console.log(`  computeAccess: decider ${r.decider.toFixed(1)} ms; ${r.queries} random queries ${r.decide.firstPassMs.toFixed(0)} ms = ${(r.decide.perSecond / 1e6).toFixed(2)} M/s (again: ${r.decide.secondPassMs.toFixed(0)} ms)`);
' "$json"
cold=$(node -e 'console.log(JSON.parse(process.argv[1]).cold.readIndex.toFixed(1))' "$json")
rate=$(node -e 'console.log(Math.round(JSON.parse(process.argv[1]).decide.perSecond))' "$json")

# --- acceptance checks ------------------------------------------------------------------------
fail=0
echo
echo "Acceptance checks:"
check() { # desc ok(0/1) detail
  if [[ $2 == 1 ]]; then echo "  [ PASS] $1 ($3)"; else echo "  [ FAIL] $1 ($3)"; fail=1; fi
}
check "policy info output == seinfo output" "$same" "byte for byte"
check "cold read + index <= 60 ms" "$(awk -v c="$cold" 'BEGIN { print (c <= 60) ? 1 : 0 }')" "$cold ms"
check "policy info <= 1/3 of seinfo (wall, as a command)" "$(awk -v r="$ratio" 'BEGIN { print (r <= 1 / 3) ? 1 : 0 }')" "$m_ours ms vs $m_seinfo ms = $ratio; through node: $ratio_node"
check ">= 1,000,000 decisions/s" "$(awk -v r="$rate" 'BEGIN { print (r >= 1000000) ? 1 : 0 }')" "$rate /s"
echo "  (load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); on a busy machine all wall times inflate)"
exit $fail
