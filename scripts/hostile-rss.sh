#!/usr/bin/env bash
# Peak memory (RSS) of porthole on the hostile inputs of the "memory and
# output blow-ups" reproducers: records sharing one stamp (avc --json), one
# 1 MB type name (the avc table), a small gzip that inflates to 1 GiB (avc,
# avc --json, allow, why), /dev/zero as a policy and as policy XML. Prints one
# row per case: peak RSS in MB, exit status, output size. Everything should
# stay under about 200 MB. Needs the built CLI (npm run build) and
# /usr/bin/time; `why` needs a policy ($SE_POLICY or the default one).
# Usage: bash scripts/hostile-rss.sh [GIB]   (GIB: size of the inflated log, default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
CLI=dist/porthole.cjs
[ -f "$CLI" ] || { echo "build first: npm run build" >&2; exit 2; }
GIB=${1:-1}
POLICY=${SE_POLICY:-/etc/selinux/default/policy/policy.33}
work=$(mktemp -d "${TMPDIR:-/tmp}/porthole-hostile-rss-XXXXXX")
trap 'rm -rf "$work"' EXIT

node - "$work" "$GIB" <<'JS'
const fs = require('node:fs');
const zlib = require('node:zlib');
const [dir, gib] = process.argv.slice(2);
const avc = (stamp, pid, src = 'httpd_t', perm = 'read') =>
  `type=AVC msg=audit(${stamp}): avc:  denied  { ${perm} } for  pid=${pid} comm="httpd" name="index.html" dev="dm-0" ino=${pid} scontext=system_u:system_r:${src}:s0 tcontext=system_u:object_r:etc_t:s0 tclass=file permissive=0\n`;
for (const n of [2500, 10000]) {
  let s = '';
  for (let i = 0; i < n; i++) s += avc('1700000000.100:7', 1000 + i);
  fs.writeFileSync(`${dir}/stamp${n}.log`, s);
}
let wide = avc('1700000000.100:1', 1, `a${'b'.repeat(1 << 20)}_t`);
for (let i = 0; i < 1200; i++) wide += avc(`1700000000.${String(i % 1000).padStart(3, '0')}:${i + 2}`, i + 2);
fs.writeFileSync(`${dir}/wide.log`, wide);
// 1 GiB of denials (a boolean-governed one among them, for why's descriptions), gzipped in one stream.
const gz = zlib.createGzip();
gz.pipe(fs.createWriteStream(`${dir}/bomb`));
const block = Buffer.from(Array.from({ length: 4096 }, (_, i) => avc('1700000000.100:7', i)).join(''));
let left = Number(gib) * 1024 ** 3;
(async () => {
  while (left > 0) {
    const b = block.subarray(0, Math.min(block.length, left));
    left -= b.length;
    if (!gz.write(b)) await new Promise((r) => gz.once('drain', r));
  }
  gz.end();
})();
JS
# A denial governed by a boolean, for why --policy-xml.
printf 'type=AVC msg=audit(1700000000.100:9): avc:  denied  { name_connect } for  pid=9 comm="httpd" dest=5432 scontext=system_u:system_r:httpd_t:s0 tcontext=system_u:object_r:postgresql_port_t:s0 tclass=tcp_socket permissive=0\n' >"$work/bool.log"

printf '%-42s %8s %4s %12s\n' case 'RSS(MB)' exit 'stdout(B)'
run() {
  local name=$1; shift
  set +e +o pipefail
  /usr/bin/time -f '%M' -o "$work/time" node "$CLI" "$@" 2>"$work/err" | wc -c >"$work/size"
  local rc=${PIPESTATUS[0]}
  set -e -o pipefail
  printf '%-42s %8d %4d %12d\n' "$name" $(($(tail -1 "$work/time") / 1024)) "$rc" "$(cat "$work/size")"
}
run 'avc --json, 2,500 records, one stamp' avc --json "$work/stamp2500.log"
run 'avc --json, 10,000 records, one stamp' avc --json "$work/stamp10000.log"
run 'avc, one 1 MB type name' avc "$work/wide.log"
run 'avc --wide, one 1 MB type name' avc --wide "$work/wide.log"
run "avc, gzip of ${GIB} GiB ($(($(stat -c %s "$work/bomb") / 1024)) KB)" avc "$work/bomb"
run 'avc --json, the same gzip' avc --json "$work/bomb"
run 'allow, the same gzip' allow "$work/bomb"
run 'why, the same gzip' why -p "$POLICY" "$work/bomb"
run 'avc --max-input-size 100M, the same gzip' avc --max-input-size 100M "$work/bomb"
run 'policy info /dev/zero' policy info /dev/zero
run 'why --policy-xml /dev/zero' why -p "$POLICY" --policy-xml /dev/zero "$work/bool.log"
