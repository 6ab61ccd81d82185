#!/usr/bin/env bash
# Benchmark: `porthole build --all` against the devel Makefile's route to the CIL semodule keeps
# (issue 15's speed target: at least 10x).
#   ours:  `porthole build --all WORK -o OUT` (dist/porthole.cjs executed, as the installed
#          command is): every module of WORK in one process, the interface pass once, in
#          worker threads (one per CPU)
#   real:  `make -f $SE_DEVEL_MAKEFILE all` in WORK (m4, checkmodule and semodule_package per
#          module, tmp/all_interfaces.conf once), then `$SE_PP2CIL NAME.pp NAME.cil` per module
# WORK is one folder holding the .te, .if and .fc of every module of $SE_REFPOLICY_SRC that builds
# as a module (400: not the 7 base modules with base-only statements, nor systemd, which uses a
# type it does not require), found by a first `build --all` over the source tree (not timed).
# One run of each; prints both wall times, CPU times, ours' peak RSS, the ratio, and how many of
# ours' CIL files are byte-identical to the Makefile route's (bench/lib/cil-compare.mjs). First,
# what two threads are worth on this machine (bench/lib/calibrate.mjs): ours' gain from its second
# worker thread is bounded by it.
#
#   bash bench/build.sh            (from anywhere; about two minutes, most of it the Makefile)
#
# Knobs
#   BENCH_BUILD=1      run `npm run build` first (also done when dist/ is missing)
#   BENCH_DIST=DIR     measure another build of dist/
#   BENCH_MODULES=N    only the first N modules that build (by layer and name; default all)
#   BENCH_JOBS=N       ours' -j (default: one thread per CPU)
#
# Acceptance check (exit 1 when it fails): theirs / ours >= 10 in wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC1091
source /var/lib/selinux-oracles/oracles.env
SRC="${SE_REFPOLICY_SRC:-/usr/src/selinux-policy-src}"
INC="${SE_DEVEL_INCLUDE:-/usr/share/selinux/devel/include}"
MAKEFILE="${SE_DEVEL_MAKEFILE:-/usr/share/selinux/devel/Makefile}"
PP2CIL="${SE_PP2CIL:-/usr/libexec/selinux/hll/pp}"
DIST=${BENCH_DIST:-dist}
if [[ ${BENCH_BUILD:-0} == 1 || ! -f dist/porthole.cjs ]]; then
  npm run build >&2
fi
# Run as the installed command runs (executed: its launcher line starts Node with the flags
# `build --all` takes, see scripts/bundle-cli.mjs).
PORTHOLE=("$(cd "$DIST" && pwd)/porthole.cjs")
JOBS=()
if [[ -n ${BENCH_JOBS:-} ]]; then JOBS=(-j "$BENCH_JOBS"); fi

work=$(mktemp -d "${TMPDIR:-/tmp}/porthole-bench-build-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/modules" "$work/ours" "$work/theirs"

# The modules that build, in the order `build --all` lists them (its JSON summary).
"${PORTHOLE[@]}" build --all "$SRC" -I "$INC" --json 2>/dev/null > "$work/list.json" || true
mapfile -t tes < <(node -e 'for (const m of JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).modules) if (m.built) console.log(m.te)' "$work/list.json")
if [[ -n ${BENCH_MODULES:-} ]]; then tes=("${tes[@]:0:$BENCH_MODULES}"); fi
for te in "${tes[@]}"; do
  for f in "$te" "${te%.te}.if" "${te%.te}.fc"; do if [[ -f $f ]]; then cp "$f" "$work/modules/"; fi; done
done

echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at start; node $(node --version); checkmodule $(checkmodule -V 2>&1 | head -1); ${#tes[@]} modules"
# What ours' worker threads can gain here (after the load average, which it raises).
node bench/lib/calibrate.mjs

# --- ours ------------------------------------------------------------------------------------------
s=${EPOCHREALTIME/[.,]/}
/usr/bin/time -f '%U %S %M' -o "$work/ours.time" "${PORTHOLE[@]}" build --all "$work/modules" -I "$INC" -o "$work/ours" "${JOBS[@]}" > "$work/ours.out" || true
e=${EPOCHREALTIME/[.,]/}
ours_us=$((e - s))
read -r ou os orss < "$work/ours.time"

# --- the devel Makefile, then pp per module --------------------------------------------------------
cd "$work/modules"
s=${EPOCHREALTIME/[.,]/}
/usr/bin/time -f '%U %S' -o "$work/make.time" make -s -k -f "$MAKEFILE" all > "$work/make.out" 2>&1 || true
e=${EPOCHREALTIME/[.,]/}
make_us=$((e - s))
s=${EPOCHREALTIME/[.,]/}
TIMEFORMAT='%U %S'
pp_cpu=$( { time (for pp in *.pp; do "$PP2CIL" "$pp" "$work/theirs/${pp%.pp}.cil"; done) ; } 2>&1 | awk '{ print $1 + $2 }')
e=${EPOCHREALTIME/[.,]/}
pp_us=$((e - s))
cd - > /dev/null
read -r mu ms < "$work/make.time"
npp=$(ls "$work/modules"/*.pp 2>/dev/null | wc -l)

echo "ours: $(head -1 "$work/ours.out")"
awk -v o="$ours_us" -v m="$make_us" -v p="$pp_us" -v n="${#tes[@]}" -v npp="$npp" -v ou="$ou" -v os="$os" -v orss="$orss" -v mu="$mu" -v ms="$ms" -v pc="$pp_cpu" 'BEGIN {
  t = m + p
  printf "ours (build --all, one process):          %8.2f s wall, %6.2f s CPU, peak RSS %d MB, %.1f ms per module\n", o / 1e6, ou + os, orss / 1024, o / 1e3 / n
  printf "make all (%d .pp) + pp loop:              %8.2f s wall (make %.2f s + pp %.2f s), %6.2f s CPU, %.1f ms per module\n", npp, t / 1e6, m / 1e6, p / 1e6, mu + ms + pc, t / 1e3 / n
  printf "ratio theirs / ours: %.1fx wall, %.1fx CPU (acceptance: >= 10x wall)\n", t / o, (mu + ms + pc) / (ou + os)
  exit (t / o >= 10 ? 0 : 1)
}' && ok=0 || ok=1
node bench/lib/cil-compare.mjs "$work/ours" "$work/theirs"
exit $ok
