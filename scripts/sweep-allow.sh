#!/usr/bin/env bash
# The large differential sweep: `porthole allow` vs Debian's audit2allow on
# COUNT generated logs (default 1000), every option set, all formats. Run by
# hand before resolving; not part of CI. Needs the oracle tools
# (scripts/install-oracles.sh).
#
#   scripts/sweep-allow.sh [COUNT] [SEED]
#
# Prints `sweep: N logs, per-(src,tgt,class) identical X/N, full-output identical Y/M (...)`
# and the path of the full report (every difference) and of the generated logs.
set -uo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000}
seed=${2:-100000}
out=${SWEEP_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/porthole-sweep-XXXXXX")}
mkdir -p "$out"
PORTHOLE_SWEEP="$count" PORTHOLE_SWEEP_SEED="$seed" PORTHOLE_SWEEP_OUT="$out" \
  npx vitest run test/oracle/sweep-allow.test.ts >"$out/vitest.log" 2>&1
status=$?
if [ -f "$out/summary.txt" ]; then
  cat "$out/summary.txt"
  echo "report: $out/report.txt   logs: $out/logs   vitest output: $out/vitest.log"
else
  echo "sweep failed before the summary; see $out/vitest.log" >&2
  tail -30 "$out/vitest.log" >&2
fi
exit $status
