// The context a new process gets (selinuxexeccon) and whether the exec is allowed,
// then the domain transition paths between two domains (sedta).
//   node examples/transitions.mjs [POLICY]
import { analyzePaths, computeTransition, formatPaths, formatTransition, readPolicyFile } from 'porthole';

const here = new URL('.', import.meta.url).pathname;
const policy = readPolicyFile(process.argv[2] ?? `${here}demo-policy.33`);

const report = computeTransition(policy, { source: 'system_u:system_r:init_t:s0', target: 'httpd_exec_t' });
process.stdout.write(formatTransition(policy, report));
console.log(report.allowed ? 'the exec is allowed' : 'the exec is denied');

process.stdout.write(formatPaths(policy, analyzePaths(policy, { source: 'init_t', target: 'httpd_t' })));
