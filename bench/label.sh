#!/usr/bin/env bash
# Benchmark: file-label lookups (`porthole label`) against libselinux: lookups per second on the
# oracle corpus in one process (ours vs the Python binding), load time of $SE_FC, and one lookup as a
# whole process against matchpathcon and `node -e 0`. See bench/lib/label.mjs; exits 1 when a target
# (20x the binding's lookups/s, a single lookup within 0.25 s) is missed.
#
#   bash bench/label.sh            (BENCH_BUILD=1 rebuilds dist/ first; BENCH_REPS=N runs per command)
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ${BENCH_BUILD:-0} == 1 || ! -f dist/porthole.cjs ]]; then
  npm run build >&2
fi
exec node bench/lib/label.mjs
