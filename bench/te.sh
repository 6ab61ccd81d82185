#!/usr/bin/env bash
# Benchmark: the module compiler's front end over the whole reference policy (issue 14's speed
# target: every module's .te through m4, the parser and the checks in one process in under 10 s).
#   ours:  bench/lib/te-pipeline.mjs, one process: each .te through expandDevelModule,
#          parseModuleText and checkModule, each .fc through expandDevelFileContexts and
#          parseFileContextsText (the interface pass once; V8's pretenuring off, as a command
#          running this pipeline sets it: see that script)
#   real:  the devel Makefile's route: `make tmp/all_interfaces.conf` once, then per module
#          `m4 $(M4PARAM) -s support/*.spt tmp/all_interfaces.conf X.te > tmp/X.tmp`,
#          `checkmodule -M -m tmp/X.tmp -o tmp/X.mod` and `m4 $(M4PARAM) support/*.spt X.fc > tmp/X.mod.fc`
# One run of each on the same inputs; prints ours (per stage), theirs, and the ratios of wall
# and CPU times (on a busy machine the wall-time ratio moves with the load; the CPU one less).
#
#   bash bench/te.sh            (from anywhere; about a minute and a half)
#
# Knobs
#   BENCH_BUILD=1      run `npm run build` first (also done when dist/ is missing)
#   BENCH_DIST=DIR     measure another build of dist/
#   BENCH_MODULES=N    only the first N modules (by layer and name; default all)
#
# Acceptance check (exit 1 when it fails): ours under 10 s of wall time.
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

work=$(mktemp -d "${TMPDIR:-/tmp}/porthole-bench-te-XXXXXX")
trap 'rm -rf "$work"' EXIT
mapfile -t modules < <(for l in $(ls "$SRC" | sort); do ls "$SRC/$l"/*.te | sort; done)
if [[ -n ${BENCH_MODULES:-} ]]; then modules=("${modules[@]:0:$BENCH_MODULES}"); fi
# The Makefile's command line for the module pass (checked by test/oracle/m4/m4-refpolicy.oracle.test.ts).
M4PARAM=(-D enable_mcs -D distro_debian -D init_systemd -D direct_sysadm_daemon -D enable_ubac -D mls_num_sens=16 -D mls_num_cats=1024 -D mcs_num_cats=1024)
support=("$INC"/support/*.spt)

echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at start; node $(node --version); $(m4 --version | head -1); checkmodule ($(checkmodule -V 2>&1 | head -1)); ${#modules[@]} modules"

# --- ours ------------------------------------------------------------------------------------------
s=${EPOCHREALTIME/[.,]/}
ours_line=$(BENCH_DIST="$DIST" BENCH_MODULES="${#modules[@]}" node bench/lib/te-pipeline.mjs "$SRC" "$INC")
e=${EPOCHREALTIME/[.,]/}
ours_us=$((e - s))

# --- m4 + checkmodule, as the Makefile runs them ---------------------------------------------------
cd "$work"
cp "${modules[0]}" .
s=${EPOCHREALTIME/[.,]/}
make -s -f "$MAKEFILE" tmp/all_interfaces.conf
e=${EPOCHREALTIME/[.,]/}
iface_us=$((e - s))
for te in "${modules[@]}"; do
  cp "$te" .
  if [[ -f ${te%.te}.fc ]]; then cp "${te%.te}.fc" .; fi
done
TIMEFORMAT='%U %S'
s=${EPOCHREALTIME/[.,]/}
real_cpu=$( { time (for te in "${modules[@]}"; do
  m=$(basename "$te" .te)
  m4 "${M4PARAM[@]}" -s "${support[@]}" tmp/all_interfaces.conf "$m.te" > "tmp/$m.tmp" 2>/dev/null || true
  checkmodule -M -m "tmp/$m.tmp" -o "tmp/$m.mod" > /dev/null 2>&1 || true
  if [[ -f $m.fc ]]; then m4 "${M4PARAM[@]}" "${support[@]}" "$m.fc" > "tmp/$m.mod.fc" 2>/dev/null || true; fi
done) ; } 2>&1 | awk '{ print $1 + $2 }')
e=${EPOCHREALTIME/[.,]/}
mods_us=$((e - s))
real_us=$((iface_us + mods_us))

awk -v rc="$real_cpu" -v n="${#modules[@]}" -v o="$ours_us" -v i="$iface_us" -v m="$mods_us" -v t="$real_us" -v line="$ours_line" 'BEGIN {
  printf "ours (one process: .te m4 + parse + checks, .fc m4 + parse): %8.2f s   (%s)\n", o / 1e6, line
  printf "m4 + checkmodule (interface pass %.2f s + %s modules %.2f s):  %8.2f s\n", i / 1e6, n, m / 1e6, t / 1e6
  match(line, /cpu=[0-9.]+/); oc = substr(line, RSTART + 4, RLENGTH - 4)
  printf "CPU time (user + system): ours %.2f s, m4 + checkmodule per module %.2f s: %.1fx\n", oc, rc, rc / oc
  printf "ratio theirs / ours (wall): %.1fx; ours %.2f s (acceptance: < 10 s for all 408)\n", t / o, o / 1e6
  exit (o / 1e6 < 10 ? 0 : 1)
}'
