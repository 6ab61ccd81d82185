#!/usr/bin/env bash
# Benchmark: `porthole check` on the whole reference policy tree against selint, as issue 16 runs
# it (`cd $SE_REFPOLICY_SRC && selint -s -r policy`; ours: `porthole check policy`, the lint rules
# only: modules found in a folder are not built). Ours runs twice a round: cold (`--no-cache`:
# every source read, as a first run or CI's) and warm (every source taken from check's store,
# primed once in a scratch cache folder: a run after an edit reads only the files changed). The
# three are run alternately, RUNS times each, in one session, so that all see the same load;
# prints each run's wall and CPU time, the medians and the ratios to selint. On a busy machine the
# wall-time ratio moves with the load; the CPU one less. Ours runs as the installed command does
# (dist/porthole.cjs executed: its launcher line drops NODE_EXTRA_CA_CERTS, whose certificate
# bundle Node 20 would otherwise parse at start, ≈ 70 ms here; bench/policy.sh does the same).
#
#   bash bench/check.sh          (from anywhere; about half a minute)
#
# Knobs
#   BENCH_BUILD=1   run `npm run build` first (also done when dist/ is missing)
#   RUNS=N          runs of each (default 5)
#
# Acceptance check (exit 1 when it fails): the cold median wall-time ratio at most 2.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC1091
source /var/lib/selinux-oracles/oracles.env
SRC="${SE_REFPOLICY_SRC:-/usr/src/selinux-policy-src}"
RUNS=${RUNS:-5}
if [[ ${BENCH_BUILD:-0} == 1 || ! -f dist/porthole.cjs ]]; then
  npm run build >&2
fi
bin="$PWD/dist/porthole.cjs"
times=$(mktemp "${TMPDIR:-/tmp}/porthole-bench-check-XXXXXX")
cache=$(mktemp -d "${TMPDIR:-/tmp}/porthole-bench-check-cache-XXXXXX")
trap 'rm -rf "$times" "$cache"' EXIT
# The warm runs' store (and every run's code cache) in the scratch folder, primed once.
export XDG_CACHE_HOME="$cache"
(cd "$SRC" && "$bin" check policy >/dev/null 2>&1) || true

for ((i = 1; i <= RUNS; i++)); do
  # Both exit 1 or 0 by their findings (selint 0 without -F): only the times matter here.
  (cd "$SRC" && /usr/bin/time -a -o "$times" -f "cold %e %U %S" "$bin" check --no-cache policy >/dev/null 2>&1) || true
  (cd "$SRC" && /usr/bin/time -a -o "$times" -f "warm %e %U %S" "$bin" check policy >/dev/null 2>&1) || true
  (cd "$SRC" && /usr/bin/time -a -o "$times" -f "selint %e %U %S" selint -s -r policy >/dev/null 2>&1) || true
done
grep -v '^Command exited' "$times" | node bench/lib/check-summary.mjs
