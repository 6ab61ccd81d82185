// TypeScript side of audit2allow_batch.py: one Python process runs
// audit2allow on many logs and option sets and classifies their AVCs.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findOracles } from './oracles.js';

export const BATCH_SCRIPT = fileURLToPath(new URL('./audit2allow_batch.py', import.meta.url));

export interface BatchJob {
  id: string;
  file: string;
  /** Options after `-p POLICY -i FILE`. */
  argsets: string[][];
  classify?: boolean;
  /**
   * Run audit2allow (and the classification) on the log without its AVC lines
   * with an empty permission list or an empty tclass= (README "Differences" #7)
   * or naming something that is not an SELinux identifier (#11); the result's
   * `excluded` lists them.
   */
  excludeBadAvcs?: boolean;
}

export interface RunResult {
  args: string[];
  stdout: string;
  stderr: string;
  exit: number;
}

export interface ClassifiedAvc {
  line: string;
  header: string;
  scontext: string;
  tcontext: string;
  source: string;
  target: string;
  tclass: string;
  perms: string[];
  denial: boolean;
  /** selinux.audit2why.analyze's verdict: TERULE, ALLOW, BOOLEAN, CONSTRAINT, BADTCLASS (kept!), ... */
  result: string;
  comm: string;
  exe: string;
  path: string;
  ioctlcmd: number | null;
}

export interface PermUnion {
  source: string;
  target: string;
  tclass: string;
  perms: string[];
}

export interface Classification {
  /** audit2allow said "Nothing to do" (no SELinux record at all). */
  nothingToDo: boolean;
  /** Every AVC audit2allow keeps (granted ones included, marked denial=false). */
  avcs: ClassifiedAvc[];
  /**
   * Lines audit2allow recognised but dropped, with the record kind it took
   * them for: "avc" (invalid context, type or permission for the policy, or
   * malformed), "compute_sid" (a SELINUX_ERR it could not parse), ...
   */
  invalid: Array<{
    line: string;
    kind: 'avc' | 'compute_sid' | 'policy_load' | 'avc_path' | 'daemon_start' | 'other';
    /** For kind "avc": "policy" (analyze rejected it) or "malformed" (a required field is missing). */
    reason?: 'policy' | 'malformed';
  }>;
  /** [role, type] of the SELINUX_ERR records it understood. */
  roleTypes: Array<[string, string]>;
  /** The SELINUX_ERR lines sepolgen parsed (by word position) as ComputeSidMessage. */
  computeSid: Array<{ line: string; role: string; type: string }>;
  /**
   * Lines holding `security_compute_sid` (SELINUX_ERR records in any form)
   * that sepolgen did not parse; trigger: it still took the line as SELinux
   * input (a `security_compute_sid:` token), so it says no "Nothing to do".
   */
  unreadComputeSid: Array<{ line: string; trigger: boolean }>;
  /** The AVC_PATH records sepolgen saw (only the literal `type=AVC_PATH` token), with its header token and path. */
  paths: Array<{ line: string; header: string; path: string }>;
  /** How many lines audit2allow took as SELinux input (a trigger token). */
  triggerLines: number;
  /** Union of permissions per (source, target, class) over the kept denials. */
  expected: PermUnion[];
  /** Every kept denial is TERULE and no AVC line was dropped by the policy. */
  allMissingRule: boolean;
}

export interface BatchResult {
  id: string;
  runs: RunResult[];
  classify?: Classification;
  /** With excludeBadAvcs: the lines audit2allow ran without. */
  excluded?: string[];
}

export interface BatchResponse {
  results: BatchResult[];
  elapsed: number;
}

/** Run the jobs in one `/usr/bin/python3` process (PYTHONHASHSEED=0). */
export function runAudit2allowBatch(jobs: BatchJob[], opts: { timeoutMs?: number } = {}): Promise<BatchResponse> {
  const o = findOracles();
  const req = JSON.stringify({ policy: o.policy, audit2allow: o.audit2allow, jobs });
  return new Promise((resolve, reject) => {
    const child = spawn(o.python, ['-s', BATCH_SCRIPT], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PYTHONHASHSEED: '0', LC_ALL: 'C.UTF-8', TZ: 'UTC' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 600_000);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      if (code !== 0) {
        reject(new Error(`audit2allow_batch.py exited ${code ?? signal}: ${Buffer.concat(err).toString('utf8').slice(-4000)}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout) as BatchResponse);
      } catch (e) {
        reject(new Error(`audit2allow_batch.py: bad JSON (${String(e)}): ${stdout.slice(0, 500)}`));
      }
    });
    child.stdin.end(req);
  });
}
