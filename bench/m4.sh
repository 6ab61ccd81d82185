#!/usr/bin/env bash
# Benchmark: the devel Makefile's m4 pipeline over the whole reference policy.
#   ours: bench/lib/m4-devel.mjs, one process: the interface pass once, then all 408 module passes
#   m4:   as the devel Makefile runs it: the tmp/all_interfaces.conf pass once (`make ...
#         tmp/all_interfaces.conf`), then `m4 $(M4PARAM) -s support/*.spt tmp/all_interfaces.conf
#         X.te` once per module (the Makefile reruns m4 for every module)
# One run of each, on the same inputs; prints both wall times and the ratio, and the CPU times
# (on a busy machine the wall-time ratio moves with the load; the CPU ratio much less).
#
#   bash bench/m4.sh            (from anywhere)
#
# Knobs
#   BENCH_BUILD=1      run `npm run build` first (also done when dist/ is missing)
#   BENCH_DIST=DIR     measure another build of dist/
#   BENCH_MODULES=N    only the first N modules (by layer and name; default all)
#
# Acceptance check (exit 1 when it fails): ours at least 5 times faster than m4.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC1091
source /var/lib/selinux-oracles/oracles.env
SRC="${SE_REFPOLICY_SRC:-/usr/src/selinux-policy-src}/policy/modules"
INC="${SE_DEVEL_INCLUDE:-/usr/share/selinux/devel/include}"
MAKEFILE="${SE_DEVEL_MAKEFILE:-/usr/share/selinux/devel/Makefile}"
DIST=${BENCH_DIST:-dist}
if [[ ${BENCH_BUILD:-0} == 1 || ! -f dist/index.js ]]; then
  npm run build >&2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/porthole-bench-m4-XXXXXX")
trap 'rm -rf "$work"' EXIT
mapfile -t modules < <(for l in $(ls "$SRC" | sort); do ls "$SRC/$l"/*.te | sort; done)
if [[ -n ${BENCH_MODULES:-} ]]; then modules=("${modules[@]:0:$BENCH_MODULES}"); fi
mkdir -p "$work/src/all"
for te in "${modules[@]}"; do cp "$te" "$work/src/all/"; done
# The Makefile's command line for the module pass (checked by test/oracle/m4/m4-refpolicy.oracle.test.ts).
M4PARAM=(-D enable_mcs -D distro_debian -D init_systemd -D direct_sysadm_daemon -D enable_ubac -D mls_num_sens=16 -D mls_num_cats=1024 -D mcs_num_cats=1024)
support=("$INC"/support/*.spt)

echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at start; node $(node --version); $(m4 --version | head -1); ${#modules[@]} modules"

# --- ours ------------------------------------------------------------------------------------------
s=${EPOCHREALTIME/[.,]/}
ours_line=$(BENCH_DIST="$DIST" node bench/lib/m4-devel.mjs "$work/src" "$INC")
e=${EPOCHREALTIME/[.,]/}
ours_us=$((e - s))

# --- m4, as the Makefile runs it --------------------------------------------------------------------
cd "$work"
cp "${modules[0]}" .
s=${EPOCHREALTIME/[.,]/}
make -s -f "$MAKEFILE" tmp/all_interfaces.conf
e=${EPOCHREALTIME/[.,]/}
iface_us=$((e - s))
for te in "${modules[@]}"; do cp "$te" .; done
TIMEFORMAT='%U %S'
s=${EPOCHREALTIME/[.,]/}
m4_cpu=$( { time (for te in "${modules[@]}"; do
  m4 "${M4PARAM[@]}" -s "${support[@]}" tmp/all_interfaces.conf "$(basename "$te")" > /dev/null 2>&1 || true
done) ; } 2>&1 | awk '{ print $1 + $2 }')
e=${EPOCHREALTIME/[.,]/}
mods_us=$((e - s))
m4_us=$((iface_us + mods_us))

awk -v mc="$m4_cpu" -v n="${#modules[@]}" -v o="$ours_us" -v i="$iface_us" -v m="$mods_us" -v t="$m4_us" -v line="$ours_line" 'BEGIN {
  printf "ours (one process, interface pass once + every module): %8.2f s   (%s)\n", o / 1e6, line
  printf "m4 (interface pass %.2f s + %s module passes %.2f s):  %8.2f s\n", i / 1e6, n, m / 1e6, t / 1e6
  match(line, /cpu=[0-9.]+/); oc = substr(line, RSTART + 4, RLENGTH - 4)
  printf "CPU time (user + system): ours %.2f s, m4 module passes %.2f s: %.1fx\n", oc, mc, mc / oc
  printf "ratio m4 / ours (wall): %.1fx (acceptance: >= 5x)\n", t / o
  exit (t / o >= 5 ? 0 : 1)
}'
