#!/usr/bin/env bash
# `npm run bench`: every benchmark there is, one after the other:
#   bench/allow.sh    `porthole allow` vs audit2allow (generated 100 MB and 1 GB logs, the
#                     distinct-heavy log, the corpora): throughput, ratio, peak memory
#   bench/policy.sh   `porthole policy info` vs seinfo, policy loading, access decisions
# Both need the oracle tools (bash scripts/install-oracles.sh) and take about 10 minutes together,
# most of it audit2allow; each one's knobs (BENCH_*) are described at its top.
# Exit status: 1 when either reports a failed acceptance check (both still run), else 0.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
bash bench/allow.sh || status=1
echo
bash bench/policy.sh || status=1
exit $status
