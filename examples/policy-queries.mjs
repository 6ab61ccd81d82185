// A binary policy read from its file, and questions asked of it: seinfo's
// statistics, a sesearch rule search, and audit2why's verdict for one access.
//   node examples/policy-queries.mjs [POLICY]
import { analyzeAccess, formatSeinfoStats, policyStats, readPolicyFile, searchRules } from 'porthole';

const here = new URL('.', import.meta.url).pathname;
const file = process.argv[2] ?? `${here}demo-policy.33`;
const policy = readPolicyFile(file);

// seinfo POLICY
process.stdout.write(formatSeinfoStats(policyStats(policy), 'demo-policy.33'));

// sesearch -A -s httpd_t POLICY
const { rules } = searchRules(policy, { te: ['allow'], source: 'httpd_t' });
for (const r of rules) console.log(r.text);

// audit2why for one access: which boolean would allow it?
const a = analyzeAccess(policy, 'system_u:system_r:httpd_t:s0', 'system_u:object_r:devpts_t:s0', 'chr_file', ['ioctl']);
console.log(a.code, a.code === 'BOOLEAN' ? a.booleans.map(([name, value]) => `setsebool -P ${name} ${value}`).join(', ') : '');
