#!/usr/bin/env bash
# Installs the SELinux tools Porthole's differential ("oracle") tests compare it with, on Debian 12,
# and writes the file the tests read: /var/lib/selinux-oracles/oracles.env.
#
#   bash scripts/install-oracles.sh                 as root: install what is missing, then verify
#   bash scripts/install-oracles.sh --verify-only   any user: only verify (changes nothing)
#
# What it sets up (each step only when its result is missing or out of date, so a second run only
# verifies; no SELinux kernel is needed for any of it):
#   - the Debian packages in PACKAGES below (apt-get, no recommends; services are not started);
#   - the binary policy /etc/selinux/default/policy/policy.33 (the policy package's postinst builds
#     it; `semodule -n -B` if it is missing);
#   - the plain CIL of every enabled module of the store, /var/lib/selinux-oracles/cil/MOD.cil (the
#     store keeps it bzip2-compressed);
#   - the same policy compiled again by secilc from that CIL, /var/lib/selinux-oracles/policy.secilc;
#   - sepolgen's interface information, /var/lib/sepolgen/interface_info (sepolgen-ifgen; its
#     complaints about the interface files go to /var/lib/selinux-oracles/sepolgen-ifgen.log);
#   - the refpolicy source tree, /usr/src/selinux-policy-src (from the package's .tar.zst);
#   - oracles.env: KEY=VALUE lines naming all of the above (SE_POLICY, SE_AUDIT2ALLOW, ...).
# Then it verifies: each tool runs and answers a known question the way the tests expect. Versions
# other than the ones the tests were written against (EXPECTED_VERSIONS) are reported as warnings.
#
# Environment: ORACLES_DIR (default /var/lib/selinux-oracles) moves the generated files and the env
# file; the tests read PORTHOLE_ORACLES_ENV (default /var/lib/selinux-oracles/oracles.env).
# Exit status: 0 when every check passes, 1 when one fails, 2 for a usage error.
set -euo pipefail

ORACLES_DIR=${ORACLES_DIR:-/var/lib/selinux-oracles}
ENV_FILE=$ORACLES_DIR/oracles.env
CIL_DIR=$ORACLES_DIR/cil
POLICY_SECILC=$ORACLES_DIR/policy.secilc
FC_SECILC=$ORACLES_DIR/file_contexts.secilc
IFGEN_LOG=$ORACLES_DIR/sepolgen-ifgen.log
INTERFACE_INFO=/var/lib/sepolgen/interface_info
PERM_MAP=/var/lib/sepolgen/perm_map
REFPOLICY_TAR=/usr/src/selinux-policy-src.tar.zst
REFPOLICY_SRC=/usr/src/selinux-policy-src
DEVEL=/usr/share/selinux/devel
PP2CIL=/usr/libexec/selinux/hll/pp

# Package -> what the tests use from it.
PACKAGES=(
  policycoreutils-python-utils # audit2allow, audit2why
  python3-selinux              # selinux.audit2why (analyze)
  python3-sepolgen             # sepolgen (audit parser, perm_map)
  python3-sepolicy             # sepolicy (boolean descriptions, sepolicy generate)
  policycoreutils              # semodule, the pp-to-CIL converter
  policycoreutils-dev          # sepolgen-ifgen, sepolicy
  checkpolicy                  # checkpolicy, checkmodule
  semodule-utils               # semodule_package
  secilc                       # secilc
  setools                      # seinfo, sesearch, sedta, sediff
  python3-setools              # setools (Python API the batch runners use)
  selinux-utils                # matchpathcon, selabel_lookup
  selinux-policy-default       # refpolicy: the module store and the binary policy
  selinux-policy-dev           # devel Makefile, interface headers, policy.xml
  selinux-policy-src           # refpolicy source (.tar.zst)
  selint                       # selint
  auditd                       # ausearch (the daemon is not started)
  python3                      # /usr/bin/python3
  bzip2                        # the store's CIL is bzip2
  zstd                         # the refpolicy source tarball
  m4                           # devel Makefile
  make                         # devel Makefile
)

# The versions the tests' expected outputs come from (Debian 12).
declare -A EXPECTED_VERSIONS=(
  [policycoreutils]=3.4-1
  [policycoreutils-python-utils]=3.4-1
  [checkpolicy]=3.4-1+b2
  [secilc]=3.4-1
  [setools]=4.4.1-2
  [selint]=1.4.0-3
  [selinux-policy-default]=2:2.20221101-9
  [auditd]=1:3.0.9-1
)

usage() { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; }

VERIFY_ONLY=0
for arg in "$@"; do
  case $arg in
    --verify-only) VERIFY_ONLY=1 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "install-oracles: unknown argument: $arg" >&2; usage >&2; exit 2 ;;
  esac
done

say() { printf 'install-oracles: %s\n' "$*"; }
die() { printf 'install-oracles: error: %s\n' "$*" >&2; exit 1; }

# --- the platform ---------------------------------------------------------------------------------
[[ -r /etc/debian_version ]] && command -v dpkg-query > /dev/null || die "needs Debian 12 (dpkg and apt); this is not Debian"
case $(cat /etc/debian_version) in
  12.* | bookworm*) ;;
  *) say "warning: Debian $(cat /etc/debian_version), not 12: package versions (and so the tools' outputs) may differ from the ones the tests expect" ;;
esac

installed_version() { dpkg-query -W -f='${Status} ${Version}\n' "$1" 2> /dev/null | awk '$1 == "install" && $3 == "installed" { print $4 }'; }

# The policy type the packages configured (policycoreutils writes /etc/selinux/config).
policy_type() { sed -n 's/^SELINUXTYPE=//p' /etc/selinux/config 2> /dev/null | tail -n 1 | grep . || echo default; }

NEWLY_INSTALLED=()
MADE=()

if [[ $VERIFY_ONLY == 0 ]]; then
  [[ $(id -u) == 0 ]] || die "run as root to install (or pass --verify-only)"

  # --- packages -----------------------------------------------------------------------------------
  missing=()
  for p in "${PACKAGES[@]}"; do [[ -n $(installed_version "$p") ]] || missing+=("$p"); done
  if ((${#missing[@]} > 0)); then
    say "installing ${#missing[@]} packages: ${missing[*]}"
    # No service may start during the install (auditd would): invoke-rc.d asks policy-rc.d.
    made_policy_rc=0
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
      chmod 755 /usr/sbin/policy-rc.d
      made_policy_rc=1
    fi
    trap '[[ $made_policy_rc == 1 ]] && rm -f /usr/sbin/policy-rc.d' EXIT
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
    if [[ $made_policy_rc == 1 ]]; then rm -f /usr/sbin/policy-rc.d; fi
    trap - EXIT
    NEWLY_INSTALLED=("${missing[@]}")
  fi

  TYPE=$(policy_type)
  POLICY_DIR=/etc/selinux/$TYPE/policy
  STORE=/var/lib/selinux/$TYPE/active/modules

  # --- the binary policy --------------------------------------------------------------------------
  if ! compgen -G "$POLICY_DIR/policy.*" > /dev/null; then
    say "building the binary policy: semodule -n -B"
    semodule -n -B
    MADE+=("binary policy: $POLICY_DIR")
  fi

  # --- plain CIL of the enabled modules -----------------------------------------------------------
  # Every module directory of every priority (a higher priority replaces a lower one, as in the
  # store); disabled modules (modules/disabled/NAME) have no CIL and are left out.
  mkdir -p "$CIL_DIR"
  declare -A want_cil=()
  for prio in $(find "$STORE" -mindepth 1 -maxdepth 1 -name '[0-9]*' -printf '%f\n' | sort -n); do
    for d in "$STORE/$prio"/*/; do
      m=$(basename "$d")
      [[ -f $d/cil && ! -e $STORE/disabled/$m ]] && want_cil[$m]=$d/cil
    done
  done
  ((${#want_cil[@]} > 0)) || die "no module CIL under $STORE"
  changed=0
  for m in "${!want_cil[@]}"; do
    out=$CIL_DIR/$m.cil
    if [[ ! -s $out || ${want_cil[$m]} -nt $out ]]; then
      bunzip2 -c "${want_cil[$m]}" > "$out.tmp"
      mv "$out.tmp" "$out"
      changed=1
    fi
  done
  for f in "$CIL_DIR"/*.cil; do
    m=$(basename "$f" .cil)
    if [[ -z ${want_cil[$m]:-} ]]; then rm -f "$f"; changed=1; fi
  done
  [[ $changed == 1 ]] && MADE+=("plain module CIL: $CIL_DIR (${#want_cil[@]} modules)")

  # --- the policy compiled by secilc --------------------------------------------------------------
  if [[ $changed == 1 || ! -s $POLICY_SECILC ]]; then
    say "compiling $POLICY_SECILC with secilc"
    others=()
    while IFS= read -r f; do [[ $f == base.cil ]] || others+=("$f"); done < <(cd "$CIL_DIR" && ls -- *.cil)
    (cd "$CIL_DIR" && secilc -o "$POLICY_SECILC.tmp" -f "$FC_SECILC" base.cil "${others[@]}")
    mv "$POLICY_SECILC.tmp" "$POLICY_SECILC"
    MADE+=("secilc policy: $POLICY_SECILC")
  fi

  # --- sepolgen interface information (audit2allow -R) --------------------------------------------
  if [[ ! -s $INTERFACE_INFO ]]; then
    say "generating $INTERFACE_INFO with sepolgen-ifgen"
    POLICY=$(ls -1 "$POLICY_DIR"/policy.* | sort -t. -k2 -n | tail -n 1)
    sepolgen-ifgen -p "$POLICY" -o "$INTERFACE_INFO" > "$IFGEN_LOG" 2>&1 || die "sepolgen-ifgen failed; see $IFGEN_LOG"
    MADE+=("sepolgen interface info: $INTERFACE_INFO")
  fi

  # --- refpolicy source tree ----------------------------------------------------------------------
  if [[ ! -d $REFPOLICY_SRC/policy ]]; then
    say "extracting $REFPOLICY_TAR"
    tar -I zstd -xf "$REFPOLICY_TAR" -C "$(dirname "$REFPOLICY_SRC")"
    MADE+=("refpolicy source: $REFPOLICY_SRC")
  fi

  # --- oracles.env --------------------------------------------------------------------------------
  POLICY=$(ls -1 "$POLICY_DIR"/policy.* | sort -t. -k2 -n | tail -n 1)
  CONTEXTS=/etc/selinux/$TYPE/contexts
  {
    echo "# Written by Porthole's scripts/install-oracles.sh: the SELinux oracle tools and data the"
    echo "# differential tests use. Source it in scripts; the tests read it (PORTHOLE_ORACLES_ENV)."
    echo "SE_POLICY=$POLICY"
    echo "SE_POLICY_SECILC=$POLICY_SECILC"
    echo "SE_FC=$CONTEXTS/files/file_contexts"
    echo "SE_FC_HOMEDIRS=$CONTEXTS/files/file_contexts.homedirs"
    echo "SE_FC_SUBS_DIST=$CONTEXTS/files/file_contexts.subs_dist"
    echo "SE_LXC_CONTEXTS=$CONTEXTS/lxc_contexts"
    echo "SE_STORE_MODULES=$STORE"
    echo "SE_CIL_DIR=$CIL_DIR"
    echo "SE_DEVEL_MAKEFILE=$DEVEL/Makefile"
    echo "SE_DEVEL_INCLUDE=$DEVEL/include"
    echo "SE_POLICY_XML=$DEVEL/policy.xml"
    echo "SE_REFPOLICY_SRC=$REFPOLICY_SRC"
    echo "SE_INTERFACE_INFO=$INTERFACE_INFO"
    echo "SE_PERM_MAP=$PERM_MAP"
    echo "SE_PP2CIL=$PP2CIL"
    echo "# audit2allow and audit2why start Python with -E, which ignores PYTHONHASHSEED: the order of"
    echo "# the type lines of their require blocks changes from run to run. Run this way, it does not:"
    echo "SE_AUDIT2ALLOW=\"env PYTHONHASHSEED=0 /usr/bin/python3 -s /usr/bin/audit2allow\""
    echo "SE_AUDIT2WHY=\"env PYTHONHASHSEED=0 /usr/bin/python3 -s /usr/bin/audit2why\""
  } > "$ENV_FILE.tmp"
  if cmp -s "$ENV_FILE.tmp" "$ENV_FILE"; then
    rm -f "$ENV_FILE.tmp"
  else
    mv "$ENV_FILE.tmp" "$ENV_FILE"
    MADE+=("env file: $ENV_FILE")
  fi
fi

# --- verification ---------------------------------------------------------------------------------
[[ -r $ENV_FILE ]] || die "$ENV_FILE is missing: run this script as root without --verify-only"
# shellcheck disable=SC1090
source "$ENV_FILE"

FAILED=0
WARNED=0
pass() { printf '  [ ok ] %s\n' "$1"; }
fail() { printf '  [FAIL] %s\n' "$1"; FAILED=1; }
warn() { printf '  [warn] %s\n' "$1"; WARNED=1; }
# check DESCRIPTION EXPECTED-SUBSTRING CMD...: CMD must exit 0 and print EXPECTED-SUBSTRING.
check() {
  local desc=$1 want=$2 out
  shift 2
  if out=$("$@" 2>&1) && [[ $out == *"$want"* ]]; then pass "$desc"; else fail "$desc: \`$*\` did not print '$want':"$'\n'"$(printf '%s\n' "$out" | tail -n 5 | sed 's/^/           /')"; fi
}

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/install-oracles-XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT

echo "Packages:"
for p in "${PACKAGES[@]}"; do
  v=$(installed_version "$p")
  if [[ -z $v ]]; then fail "$p is not installed"
  elif [[ -n ${EXPECTED_VERSIONS[$p]:-} && $v != "${EXPECTED_VERSIONS[$p]}" ]]; then warn "$p $v (the tests were written against ${EXPECTED_VERSIONS[$p]})"
  fi
done
((FAILED == 0)) && pass "${#PACKAGES[@]} packages installed"

echo "Files named by $ENV_FILE:"
for var in SE_POLICY SE_POLICY_SECILC SE_FC SE_FC_HOMEDIRS SE_FC_SUBS_DIST SE_LXC_CONTEXTS SE_STORE_MODULES SE_CIL_DIR \
  SE_DEVEL_MAKEFILE SE_DEVEL_INCLUDE SE_POLICY_XML SE_REFPOLICY_SRC SE_INTERFACE_INFO SE_PERM_MAP SE_PP2CIL; do
  val=${!var:-}
  if [[ -z $val ]]; then fail "$var is not set"
  elif [[ ! -e $val && ! -x $(dirname "$val") ]]; then warn "$var=$val cannot be seen by $(id -un) (not checked)"
  elif [[ ! -e $val ]]; then fail "$var=$val does not exist"
  elif [[ -f $val && ! -s $val ]]; then fail "$var=$val is empty"
  fi
done
((FAILED == 0)) && pass "every one $(id -un) can see exists"
[[ $(stat -c %s "$SE_POLICY" 2> /dev/null) == 2148201 ]] || warn "$SE_POLICY is $(stat -c %s "$SE_POLICY" 2> /dev/null) bytes, not the 2,148,201 of selinux-policy-default 2:2.20221101-9"
n_cil=$(find "$SE_CIL_DIR" -name '*.cil' | wc -l)
if [[ -r $SE_STORE_MODULES && -x $SE_STORE_MODULES ]]; then
  n_enabled=$(find "$SE_STORE_MODULES" -mindepth 2 -maxdepth 2 -type d ! -path '*/disabled/*' -printf '%f\n' | sort -u | comm -23 - <(ls "$SE_STORE_MODULES/disabled" 2> /dev/null | sort) | wc -l)
  if [[ $n_cil == "$n_enabled" ]]; then pass "$n_cil module CIL files, one per enabled module"; else fail "$n_cil module CIL files in $SE_CIL_DIR, $n_enabled enabled modules"; fi
else
  warn "$SE_STORE_MODULES is not readable by $(id -un): $n_cil module CIL files, not compared with the store"
fi

echo "Tools:"
cat > "$SCRATCH/avc.log" << 'EOF'
type=AVC msg=audit(1234567890.123:456): avc:  denied  { write } for  pid=1234 comm="useradd" name="usr" dev="dm-0" ino=123 scontext=system_u:system_r:useradd_t:s0 tcontext=system_u:object_r:usr_t:s0 tclass=dir permissive=0
EOF
cat > "$SCRATCH/raw.log" << 'EOF'
type=SYSCALL msg=audit(1700000001.456:1002): arch=c000003e syscall=83 success=no exit=-13 a0=7ffc1 a1=1ed a2=0 a3=0 items=0 ppid=1000 pid=1234 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=1 comm="useradd" exe="/usr/sbin/useradd" subj=system_u:system_r:useradd_t:s0 key=(null)
type=AVC msg=audit(1700000001.456:1002): avc:  denied  { write } for  pid=1234 comm="useradd" name="usr" dev="dm-0" ino=123 scontext=system_u:system_r:useradd_t:s0 tcontext=system_u:object_r:usr_t:s0 tclass=dir permissive=0
EOF
cat > "$SCRATCH/probe.te" << 'EOF'
module probe 1.0;
require { type useradd_t; type usr_t; class dir { write }; }
allow useradd_t usr_t:dir write;
EOF
# shellcheck disable=SC2086
check "audit2allow -p POLICY" 'allow useradd_t usr_t:dir write;' $SE_AUDIT2ALLOW -p "$SE_POLICY" -i "$SCRATCH/avc.log"
# shellcheck disable=SC2086
check "audit2why -p POLICY" 'Missing type enforcement (TE) allow rule.' $SE_AUDIT2WHY -p "$SE_POLICY" -i "$SCRATCH/avc.log"
check "python3: selinux.audit2why, sepolgen, sepolicy, setools" ok /usr/bin/python3 -s -c 'import selinux.audit2why, sepolgen.audit, sepolgen.policygen, sepolicy, setools; print("ok")'
check "seinfo" 'Types:' seinfo "$SE_POLICY"
check "sesearch" 'allow useradd_t usr_t:dir { getattr open search };' sesearch -A -s useradd_t -t usr_t "$SE_POLICY"
check "sedta" 'Step 1: init_t -> sshd_t' sedta -p "$SE_POLICY" -s init_t -t sshd_t -S
check "checkmodule, semodule_package, pp" '(allow useradd_t usr_t (dir (write)))' \
  bash -c "cd '$SCRATCH' && checkmodule -M -m -o probe.mod probe.te && semodule_package -o probe.pp -m probe.mod && '$SE_PP2CIL' probe.pp probe.cil && cat probe.cil"
check "matchpathcon" 'sshd_runtime_t' matchpathcon -m file -f "$SE_FC" /var/run/sshd.pid
check "ausearch -i" 'type=AVC' env TZ=UTC LC_ALL=C ausearch -if "$SCRATCH/raw.log" -i
check "selint" 'SELint' selint --version
# The policy secilc compiled from the store's CIL is the same policy (sediff finds no difference;
# it takes a minute, the statistics a second).
check "secilc policy has the same statistics as SE_POLICY" same bash -c \
  "diff <(seinfo '$SE_POLICY' | tail -n +2) <(seinfo '$SE_POLICY_SECILC' | tail -n +2) && echo same"
# shellcheck disable=SC2086
check "audit2allow -R (sepolgen interface info)" 'files_delete_usr_dirs(useradd_t)' $SE_AUDIT2ALLOW -R -p "$SE_POLICY" -i "$SCRATCH/avc.log"
check "devel headers" 'interface(' bash -c "cat '$SE_DEVEL_INCLUDE'/kernel/files.if | head -c 200000"
check "refpolicy source" 'policy_module(' bash -c "cat '$SE_REFPOLICY_SRC'/policy/modules/services/ssh.te | head -n 20"

echo
if ((${#NEWLY_INSTALLED[@]} > 0)); then
  echo "Installed packages:"
  for p in "${NEWLY_INSTALLED[@]}"; do printf '  %-30s %s\n' "$p" "$(installed_version "$p")"; done
fi
if ((${#MADE[@]} > 0)); then
  echo "Made:"
  printf '  %s\n' "${MADE[@]}"
fi
if [[ $VERIFY_ONLY == 0 && ${#NEWLY_INSTALLED[@]} == 0 && ${#MADE[@]} == 0 ]]; then echo "Nothing to install: everything was already in place."; fi
echo "Tools and data are named in $ENV_FILE:"
grep -E '^SE_[A-Z0-9_]+=' "$ENV_FILE" | sed 's/^/  /'
if ((FAILED)); then
  echo "install-oracles: some checks FAILED (above)" >&2
  exit 1
fi
echo "install-oracles: all checks passed$( ((WARNED)) && echo ', with warnings (above)')"
