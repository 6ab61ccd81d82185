#!/usr/bin/env bash
# Benchmark: `porthole allow` vs audit2allow, whole process, wall time and peak RSS.
#
#   bash bench/allow.sh            (from anywhere; works in the repository root)
#
# Inputs
#   - two generated logs, cached in bench/out/ (gitignored, never committed):
#       log-100M.log   100 MiB  (104,857,600 bytes, cut at a line end)
#       log-1024M.log    1 GiB  (1,073,741,824 bytes, cut at a line end)
#   - a distinct-heavy log, cached in bench/out/ too: distinct.log, ~20,000 AVC records nearly all
#     of them distinct denials (each one costs both tools a policy analysis; see below)
#   - the corpora $PORTHOLE_SHARED/corpora/selinux/{sepolgen_tests_test_data_audit,audit2allow_test,
#     sepolgen_tests_test_data_short}.log (PORTHOLE_SHARED defaults to ../shared beside the
#     repository, as for the tests; skipped with a note when missing)
#
# How the generated logs are made (scripts/gen-log.mjs produces ~3 MB/s and keeps the whole
# log in memory, too slow for 1 GiB):
#   1. a POOL of 4 gen-log logs, raw auditd format, 10,000 events each, seeds 1..4:
#        node scripts/gen-log.mjs --seed S --events 10000 --format raw --interleave 3 \
#             --mix "$MIX" --meta bench/out/pool/gen-S.meta.json > bench/out/pool/gen-S.log
#      with the generator's default mix pinned explicitly (MIX below):
#        syscall=0.8 hex=0.15 permissive=0.2 noPermissiveField=0.05 multiAvc=0.12 repeat=0.2
#        granted=0.03 selinuxErr=0.04 policyLoad=0.02 daemonStart=0.02 noise=0.08 userAvc=0.1
#        avcPath=0 ioctlZero=0.03 invalid=0.08        (not --missing-rule-only)
#      Pool: 26,638,349 bytes, 35,492 denied AVC/USER_AVC records,
#        29,585 distinct denials (source type, target type, class, permission set),
#        27,240 of them valid for the policy (the others carry an undefined type, a bad
#        permission, an unknown class or a bad role: audit2allow drops those),
#        24,402 distinct valid (source, target, class) triples.
#      (bench/lib/count-denials.mjs prints these figures from the .meta.json files.)
#   2. bench/mklog.mjs streams the pool files over and over until the target size, adding
#      pass*span to every msg=audit(SEC.MS:SERIAL) time and serial so no (time, serial) repeats.
#      Both logs contain the whole pool (~3.9 passes in 100 MiB, ~40.3 in 1 GiB), hence exactly
#      the same 29,585 distinct denials: the rule output is the same size for both, so a streaming
#      implementation should have the same peak RSS on both. The pool is checked to be valid
#      UTF-8 (it is plain ASCII: the generator hex-encodes odd strings as the kernel does).
#   3. the distinct-heavy log: one gen-log log, seed 101, 24,000 events, the same mix but with
#      repeat=0 multiAvc=0 granted=0 (DISTINCT_MIX below): ~20,000 denied AVC/USER_AVC records,
#      ~99.7% of them distinct denials (bench/lib/count-denials.mjs prints the figures when it is made).
#      Where the big logs measure reading (the same ~30,000 denials over and over), this one
#      measures the per-denial work: learning and the policy analysis of each distinct denial.
#
# For each input, in one run: `dist/porthole.cjs allow -p $SE_POLICY -i LOG` (no --json; run as
# the installed command is: its launcher line drops NODE_EXTRA_CA_CERTS, whose certificate bundle
# Node 20 would parse at start, ≈ 70 ms on a machine that sets it),
# with `--jobs 1` (one thread) and with the default jobs (the cores, for plain files of 768 MiB and
# more: worker threads read line-aligned ranges), and `$SE_AUDIT2ALLOW -p $SE_POLICY -i LOG`: the
# same policy, so both analyse every denial against it. Each under `/usr/bin/time -f '%e %M %U %S'`
# (wall s, peak RSS KiB, user and system CPU s), stdout to /dev/null — except on the 100 MiB and
# the distinct-heavy logs, where both stdouts go to bench/out/cmp/*.te (~1.5 MB of rules,
# negligible) so the outputs can be compared without running audit2allow twice (and ours with
# --jobs 1 and the default are compared byte for byte).
# audit2allow is not run on the 1 GiB log unless BENCH_ORACLE_1G=1 (it takes ~10 times its
# 100 MiB time): its time there is extrapolated linearly from the 100 MiB run, marked ~.
# Beside each input: the newline-scan limit (bench/lib/scan.mjs: Node reading the file in 1 MiB
# chunks and finding every newline, best of 3), what reading a log cannot beat on one core.
# The file is read once (cat > /dev/null) before timing so both tools see a warm page cache.
# MB = MiB (1,048,576 bytes) everywhere; RSS MB = %M KiB / 1024.
#
# Knobs (environment):
#   BENCH_SIZES=100,1024        generated log sizes in MiB (checks need 100 and 1024)
#   BENCH_SKIP_ORACLE=1         do not run audit2allow
#   BENCH_SKIP_DISTINCT=1       do not run the distinct-heavy log
#   BENCH_SKIP_CORPORA=1        do not run the corpora logs
#   SE_POLICY                   the binary policy (default: from /var/lib/selinux-oracles/oracles.env)
#   BENCH_OURS_RUNS=N           runs of ours per input and jobs setting (median time, highest peak
#                               RSS; default 3); on 1 GiB ours also runs without -p (the 150 MB/s check),
#                               on 100 MiB with --jobs-from 0 (its worker threads' peak RSS, for the
#                               RSS check of 1 GiB's default jobs)
#   BENCH_ORACLE_1G=1           run audit2allow on the 1 GiB log too (else extrapolated from 100 MiB)
#   BENCH_ORACLE_TIMEOUT=1200   seconds; audit2allow is killed after that and its time is
#                               extrapolated linearly from the 100 MiB run (marked ~ in the table)
#   BENCH_BUILD=1               run `npm run build` first (also done when dist/ is missing)
#   BENCH_OUT=bench/out         cache/output directory
# Exit status: 0 when all acceptance checks pass (or cannot be evaluated), 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${BENCH_OUT:-bench/out}
SIZES=${BENCH_SIZES:-100,1024}
SKIP_ORACLE=${BENCH_SKIP_ORACLE:-0}
SKIP_CORPORA=${BENCH_SKIP_CORPORA:-0}
SKIP_DISTINCT=${BENCH_SKIP_DISTINCT:-0}
OURS_RUNS=${BENCH_OURS_RUNS:-3}
ORACLE_TIMEOUT=${BENCH_ORACLE_TIMEOUT:-1200}
# The shared data: $PORTHOLE_SHARED, else ../shared beside the repository (the rule of test/oracle/support/oracles.ts).
CORPORA_DIR=${PORTHOLE_SHARED:-$PWD/../shared}/corpora/selinux
CORPORA=(sepolgen_tests_test_data_audit.log audit2allow_test.log sepolgen_tests_test_data_short.log)
SEEDS=(1 2 3 4)
EVENTS=10000
MIX=syscall=0.8,hex=0.15,permissive=0.2,noPermissiveField=0.05,multiAvc=0.12,repeat=0.2,granted=0.03,selinuxErr=0.04,policyLoad=0.02,daemonStart=0.02,noise=0.08,userAvc=0.1,avcPath=0,ioctlZero=0.03,invalid=0.08
DISTINCT_SEED=101
DISTINCT_EVENTS=24000
DISTINCT_MIX=syscall=0.8,hex=0.15,permissive=0.2,noPermissiveField=0.05,multiAvc=0,repeat=0,granted=0,selinuxErr=0.04,policyLoad=0.02,daemonStart=0.02,noise=0.08,userAvc=0.1,avcPath=0,ioctlZero=0.03,invalid=0.08

# Both tools get the same policy (ours needs it even when audit2allow is skipped).
if [[ -r /var/lib/selinux-oracles/oracles.env ]]; then
  keep_policy=${SE_POLICY:-}
  # shellcheck disable=SC1091
  source /var/lib/selinux-oracles/oracles.env
  SE_POLICY=${keep_policy:-$SE_POLICY}
fi
: "${SE_POLICY:?no policy: set SE_POLICY or install the oracles (bash scripts/install-oracles.sh)}"
if [[ $SKIP_ORACLE != 1 ]]; then
  : "${SE_AUDIT2ALLOW:?no audit2allow: install the oracles (bash scripts/install-oracles.sh) or set BENCH_SKIP_ORACLE=1}"
fi

if [[ ${BENCH_BUILD:-0} == 1 || ! -f dist/porthole.cjs ]]; then
  npm run build >&2
fi

mkdir -p "$OUT/pool" "$OUT/err" "$OUT/cmp"

# --- pool ------------------------------------------------------------------------------
stamp="gen-log seeds=${SEEDS[*]} events=$EVENTS format=raw interleave=3 mix=$MIX"
pool_files=()
if [[ ! -f $OUT/pool/STAMP || $(cat "$OUT/pool/STAMP") != "$stamp" ]]; then
  echo "bench: generating pool ($stamp)" >&2
  rm -f "$OUT/pool/"* "$OUT"/log-*M.log
  for s in "${SEEDS[@]}"; do
    node scripts/gen-log.mjs --seed "$s" --events "$EVENTS" --format raw --interleave 3 --mix "$MIX" \
      --meta "$OUT/pool/gen-$s.meta.json" > "$OUT/pool/gen-$s.log"
  done
  echo "$stamp" > "$OUT/pool/STAMP"
  echo "bench: pool: $(node bench/lib/count-denials.mjs "$OUT"/pool/gen-*.meta.json)" >&2
fi
for s in "${SEEDS[@]}"; do pool_files+=("$OUT/pool/gen-$s.log"); done

# --- generated logs ----------------------------------------------------------------------
IFS=, read -r -a size_list <<< "$SIZES"
inputs=()
for m in "${size_list[@]}"; do
  f="$OUT/log-${m}M.log"
  if [[ ! -f $f ]]; then
    node bench/mklog.mjs --out "$f" --bytes $((m * 1048576)) "${pool_files[@]}"
  fi
  inputs+=("gen:${m}M:$f")
done

# --- distinct-heavy log ------------------------------------------------------------------------
if [[ $SKIP_DISTINCT != 1 ]]; then
  f=$OUT/distinct.log
  dstamp="gen-log seed=$DISTINCT_SEED events=$DISTINCT_EVENTS format=raw interleave=3 mix=$DISTINCT_MIX"
  if [[ ! -f $f || ! -f $f.STAMP || $(cat "$f.STAMP") != "$dstamp" ]]; then
    echo "bench: generating the distinct-heavy log ($dstamp)" >&2
    node scripts/gen-log.mjs --seed "$DISTINCT_SEED" --events "$DISTINCT_EVENTS" --format raw --interleave 3 --mix "$DISTINCT_MIX" \
      --meta "$OUT/distinct.meta.json" > "$f.tmp"
    mv "$f.tmp" "$f"
    echo "$dstamp" > "$f.STAMP"
    echo "bench: distinct-heavy log: $(node bench/lib/count-denials.mjs "$OUT/distinct.meta.json")" >&2
  fi
  inputs+=("gen:distinct:$f")
fi

if [[ $SKIP_CORPORA != 1 ]]; then
  if [[ -d $CORPORA_DIR ]]; then
    for c in "${CORPORA[@]}"; do inputs+=("corpus:$c:$CORPORA_DIR/$c"); done
  else
    echo "bench: note: no corpora ($CORPORA_DIR missing; set PORTHOLE_SHARED): their rows are left out" >&2
  fi
fi

# --- measuring -----------------------------------------------------------------------------
# run NAME STDOUT CMD... -> sets R_T (wall s), R_KB (peak RSS KiB), R_CPU (user+system s), R_RC
run() {
  local name=$1 stdout=$2
  shift 2
  local tf="$OUT/err/$name.time"
  set +e
  /usr/bin/time -o "$tf" -f '%e %M %U %S' "$@" > "$stdout" 2> "$OUT/err/$name.err"
  R_RC=$?
  set -e
  local u s
  read -r R_T R_KB u s < <(tail -n 1 "$tf")
  R_CPU=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
  if [[ $R_RC != 0 ]]; then
    echo "bench: $name exited $R_RC (stderr tail below; full: $OUT/err/$name.err)" >&2
    tail -n 3 "$OUT/err/$name.err" >&2 || true
  fi
}

fmt() { awk -v x="$1" -v p="${2:-2}" 'BEGIN { printf "%.*f", p, x }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# ours NAME PATH STDOUT JOBS... -> OURS_T/OURS_RSS/OURS_CPU/OURS_SPREAD[NAME] (median of OURS_RUNS; RSS highest)
declare -A OURS_T OURS_RSS OURS_CPU OURS_SPREAD
ours() {
  local key=$1 path=$2 stdout=$3
  shift 3
  local times=() cpus=() kb=0 failed=0
  for ((k = 0; k < OURS_RUNS; k++)); do
    run "ours-${key//\//-}" "$stdout" dist/porthole.cjs allow -p "$SE_POLICY" "$@" -i "$path"
    if [[ $R_RC != 0 ]]; then failed=1; fi
    times+=("$R_T")
    cpus+=("$R_CPU")
    if ((R_KB > kb)); then kb=$R_KB; fi
  done
  if [[ $failed == 1 ]]; then OURS_T[$key]=FAIL; else OURS_T[$key]=$(median "${times[@]}"); fi
  OURS_CPU[$key]=$(median "${cpus[@]}")
  OURS_SPREAD[$key]="$(printf '%s\n' "${times[@]}" | sort -g | head -1)-$(printf '%s\n' "${times[@]}" | sort -g | tail -1)"
  OURS_RSS[$key]=$(awk -v k="$kb" 'BEGIN { printf "%.1f", k / 1024 }')
}

declare -A A2A_T A2A_RSS A2A_NOTE SIZE_MB SCAN
rows=()
for spec in "${inputs[@]}"; do
  IFS=: read -r kind name path <<< "$spec"
  bytes=$(stat -c %s "$path")
  mb=$(awk -v b="$bytes" 'BEGIN { printf "%.3f", b / 1048576 }')
  SIZE_MB[$name]=$mb
  cat "$path" > /dev/null
  SCAN[$name]=$(node bench/lib/scan.mjs "$path" 3)
  o_out=/dev/null o1_out=/dev/null a_out=/dev/null
  if [[ $name == 100M || $name == distinct ]]; then o_out=$OUT/cmp/ours-$name.te o1_out=$OUT/cmp/ours-jobs1-$name.te a_out=$OUT/cmp/audit2allow-$name.te; fi
  # Ours is cheap: run it OURS_RUNS times (default 3) per jobs setting and take the median time and
  # the highest peak RSS, so that one noisy run on a shared VM does not decide the figure.
  echo "bench: $name ($mb MB): porthole allow --jobs 1, then default jobs (${OURS_RUNS} runs each)" >&2
  ours "$name/1" "$path" "$o1_out" --jobs 1
  ours "$name/d" "$path" "$o_out"
  # 100 MiB is below the default --jobs-from: its worker threads' peak RSS, for the check on 1 GiB's.
  if [[ $name == 100M ]]; then ours "$name/w" "$path" /dev/null --jobs-from 0; fi
  if [[ $o_out != /dev/null ]] && ! cmp -s "$o_out" "$o1_out"; then
    echo "bench: $name: ours with --jobs 1 and the default differ ($o1_out, $o_out)" >&2
    OURS_T[$name/d]=FAIL
  fi
  # On 1 GiB, ours without -p as well (default jobs): reading alone, the figure the 150 MB/s check is about.
  if [[ $name == 1024M ]]; then
    echo "bench: $name ($mb MB): porthole allow without -p (${OURS_RUNS} runs)" >&2
    times=()
    for ((k = 0; k < OURS_RUNS; k++)); do
      run "ours-plain-$name" /dev/null dist/porthole.cjs allow -i "$path"
      times+=("$R_T")
    done
    PLAIN_T=$(median "${times[@]}")
  fi
  A2A_NOTE[$name]=""
  if [[ $SKIP_ORACLE != 1 ]]; then
    if [[ $name == 1024M && ${BENCH_ORACLE_1G:-0} != 1 ]]; then
      A2A_NOTE[$name]="not run (BENCH_ORACLE_1G=1 runs it)"
      if [[ -n ${A2A_T[100M]:-} && ${A2A_T[100M]} != FAIL ]]; then
        A2A_T[$name]=$(awk -v t="${A2A_T[100M]}" -v a="${SIZE_MB[100M]}" -v b="$mb" 'BEGIN { printf "%.0f", t * b / a }')
        A2A_NOTE[$name]+=", time extrapolated from 100M"
      fi
    else
      echo "bench: $name ($mb MB): audit2allow (timeout ${ORACLE_TIMEOUT}s)" >&2
      # shellcheck disable=SC2086
      run "audit2allow-$name" "$a_out" timeout "$ORACLE_TIMEOUT" $SE_AUDIT2ALLOW -p "$SE_POLICY" -i "$path"
      A2A_RSS[$name]=$(awk -v k="$R_KB" 'BEGIN { printf "%.1f", k / 1024 }')
      if [[ $R_RC == 124 ]]; then
        A2A_NOTE[$name]="killed after ${ORACLE_TIMEOUT}s"
        # Linear in the size only for the logs made from the same pool.
        if [[ $name =~ ^[0-9]+M$ && -n ${A2A_T[100M]:-} && ${A2A_T[100M]} != FAIL ]]; then
          A2A_T[$name]=$(awk -v t="${A2A_T[100M]}" -v a="${SIZE_MB[100M]}" -v b="$mb" 'BEGIN { printf "%.0f", t * b / a }')
          A2A_NOTE[$name]+=", time extrapolated from 100M, RSS is at kill time"
        else
          A2A_T[$name]=FAIL
        fi
      elif [[ $R_RC != 0 ]]; then
        A2A_T[$name]=FAIL
      else
        A2A_T[$name]=$R_T
      fi
    fi
  fi
  rows+=("$name")
done

# --- table -----------------------------------------------------------------------------------
rate() { if [[ $2 == FAIL || $2 == "" ]]; then echo -; else awk -v m="$1" -v t="$2" 'BEGIN { if (t > 0) printf "%.1f", m / t; else print "inf" }'; fi; }
echo
printf '| %-36s | %8s | %8s | %20s | %8s | %8s | %20s | %8s | %8s | %8s | %8s | %8s | %7s |\n' \
  input "size MB" "scan MB/s" "jobs 1: s (spread)" "MB/s" "RSS" "default: s (spread)" "MB/s" "RSS" "cpu s" "a2a s" "a2a MB/s" ratio
printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..38})" ---------: ----------: ---------------------: ---------: ---------: ---------------------: ---------: ---------: ---------: ---------: ---------: --------:
for name in "${rows[@]}"; do
  mb=${SIZE_MB[$name]}
  o1=${OURS_T[$name/1]} od=${OURS_T[$name/d]}
  at=${A2A_T[$name]:-}
  mark=""
  [[ ${A2A_NOTE[$name]} == *extrapolated* ]] && mark="~"
  ratio=-
  if [[ -n $at && $at != FAIL && $od != FAIL ]]; then
    ratio=$(awk -v a="$at" -v o="$od" 'BEGIN { if (o > 0) printf "%.1fx", a / o; else print "inf" }')
  fi
  printf '| %-36s | %8s | %9s | %20s | %8s | %8s | %20s | %8s | %8s | %8s | %8s | %8s | %7s |\n' "$name" "$(fmt "$mb" 1)" "${SCAN[$name]}" \
    "$o1 (${OURS_SPREAD[$name/1]})" "$(rate "$mb" "$o1")" "${OURS_RSS[$name/1]}" \
    "$od (${OURS_SPREAD[$name/d]})" "$(rate "$mb" "$od")" "${OURS_RSS[$name/d]}" "${OURS_CPU[$name/1]}/${OURS_CPU[$name/d]}" \
    "${mark}${at:--}" "${mark}$(rate "$mb" "$at")" "${mark}${ratio}"
done
for name in "${rows[@]}"; do
  [[ -n ${A2A_NOTE[$name]} ]] && echo "  note: audit2allow on $name: ${A2A_NOTE[$name]}"
done
echo "  (MB = MiB; all runs with -p; s = median wall time (spread: fastest-slowest run); RSS = highest peak resident set in MiB;"
echo "   cpu s = median user+system CPU, --jobs 1 / default; scan = the newline-scan limit on one core (bench/lib/scan.mjs);"
echo "   default = the default --jobs ($(nproc) cores here, for plain files of 768 MiB and more); ratio = audit2allow time / ours (default); a2a = audit2allow -p)"
if [[ -n ${SIZE_MB[distinct]:-} && -f $OUT/distinct.meta.json ]]; then
  echo "  distinct = the distinct-heavy log: $(node bench/lib/count-denials.mjs "$OUT/distinct.meta.json")"
fi

# --- output comparison on 100M and the distinct-heavy log -------------------------------------------
fail=0
for name in 100M distinct; do
  if [[ $SKIP_ORACLE != 1 && -n ${OURS_T[$name/d]:-} && ${OURS_T[$name/d]} != FAIL && ${A2A_T[$name]:-FAIL} != FAIL && ${A2A_NOTE[$name]} != *"not run"* ]]; then
    echo
    echo "Output comparison on $name (permissions unioned per source,target,class; only triples audit2allow printed):"
    if ! node bench/compare.mjs "$OUT/cmp/ours-$name.te" "$OUT/cmp/audit2allow-$name.te"; then
      echo "  -> outputs differ in substance"
      fail=1
    fi
    if cmp -s "$OUT/cmp/ours-$name.te" "$OUT/cmp/audit2allow-$name.te"; then echo "  stdout byte-identical: yes"; else echo "  stdout byte-identical: no (diff $OUT/cmp/ours-$name.te $OUT/cmp/audit2allow-$name.te)"; fi
  fi
done

# --- acceptance checks -------------------------------------------------------------------------
echo
echo "Acceptance checks:"
check() { # desc ok(0/1/'') detail
  if [[ -z $2 ]]; then echo "  [ n/a ] $1 ($3)"
  elif [[ $2 == 1 ]]; then echo "  [ PASS] $1 ($3)"
  else echo "  [ FAIL] $1 ($3)"; fail=1; fi
}
G=1024M
if [[ -n ${PLAIN_T:-} ]]; then
  r=$(rate "${SIZE_MB[$G]}" "$PLAIN_T")
  check "ours without -p >= 150 MB/s on 1 GB" "$(awk -v r="$r" 'BEGIN { print (r >= 150) ? 1 : 0 }')" "$r MB/s"
else
  check "ours without -p >= 150 MB/s on 1 GB" "" "no 1024M run"
fi
if [[ -n ${OURS_T[$G/d]:-} && ${OURS_T[$G/d]} != FAIL ]]; then
  r=$(rate "${SIZE_MB[$G]}" "${OURS_T[$G/d]}")
  check "ours with -p >= 250 MB/s on 1 GB (default jobs)" "$(awk -v r="$r" 'BEGIN { print (r >= 250) ? 1 : 0 }')" "$r MB/s; --jobs 1: $(rate "${SIZE_MB[$G]}" "${OURS_T[$G/1]}") MB/s; scan limit ${SCAN[$G]} MB/s"
else
  check "ours with -p >= 250 MB/s on 1 GB (default jobs)" "" "no 1024M run"
fi
if [[ -n ${A2A_T[distinct]:-} && ${A2A_T[distinct]} != FAIL && -n ${OURS_T[distinct/d]:-} && ${OURS_T[distinct/d]} != FAIL ]]; then
  x=$(awk -v a="${A2A_T[distinct]}" -v o="${OURS_T[distinct/d]}" 'BEGIN { printf "%.1f", a / o }')
  check "ratio >= 60x on the distinct-heavy log" "$(awk -v x="$x" 'BEGIN { print (x >= 60) ? 1 : 0 }')" "${x}x"
else
  check "ratio >= 60x on the distinct-heavy log" "" "audit2allow not run on it"
fi
if [[ -n ${A2A_T[$G]:-} && ${A2A_T[$G]} != FAIL && -n ${OURS_T[$G/d]:-} && ${OURS_T[$G/d]} != FAIL ]]; then
  x=$(awk -v a="${A2A_T[$G]}" -v o="${OURS_T[$G/d]}" 'BEGIN { printf "%.1f", a / o }')
  extra=""
  [[ ${A2A_NOTE[$G]} == *extrapolated* ]] && extra=", audit2allow time extrapolated"
  check "ratio >= 10x on 1 GB" "$(awk -v x="$x" 'BEGIN { print (x >= 10) ? 1 : 0 }')" "${x}x$extra"
else
  check "ratio >= 10x on 1 GB" "" "audit2allow not run on 1024M"
fi
# One thread on both sizes; worker threads on both (1 GiB's default, 100 MiB with --jobs-from 0).
for j in 1 d; do
  small=100M/$j
  [[ $j == d && -n ${OURS_RSS[100M/w]:-} ]] && small=100M/w
  if [[ -n ${OURS_RSS[$G/$j]:-} && -n ${OURS_RSS[$small]:-} ]]; then
    a=${OURS_RSS[$small]} b=${OURS_RSS[$G/$j]}
    ok=$(awk -v a="$a" -v b="$b" 'BEGIN { d = b - a; if (d < 0) d = -d; print (d <= a * 0.10) ? 1 : 0 }')
    check "peak RSS at 1 GB within 10% of 100 MB ($([[ $j == 1 ]] && echo "--jobs 1" || echo "worker threads: default jobs, 100 MiB with --jobs-from 0"))" "$ok" "100M: $a MB, 1024M: $b MB"
  else
    check "peak RSS at 1 GB within 10% of 100 MB" "" "needs 100M and 1024M runs"
  fi
done
exit $fail
