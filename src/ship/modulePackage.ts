// `allow -M NAME`: NAME.te and NAME.cil, and NAME.pp when the SELinux
// compiler tools are installed (as audit2allow builds it: checkmodule, then
// semodule_package).
import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fail, fileErrorDiagnostic, isFileError, PortholeError } from '../base/diagnostic.js';

const run = promisify(execFile);

export interface ModuleFiles {
  name: string;
  te: string;
  cil: string;
  dir: string;
  /** Where to look for checkmodule and semodule_package; PATH by default. */
  env?: Record<string, string | undefined>;
}

export interface ModulePackageResult {
  written: string[];
  /** The .pp path, when it was built. */
  pp?: string;
  /** Tools that were not found, when the .pp was not built. */
  missingTools: string[];
}

/** How to get the tools on the common distributions. */
export const INSTALL_HINT = 'install them with `apt-get install checkpolicy semodule-utils` (Debian, Ubuntu) or `dnf install checkpolicy policycoreutils` (Fedora, RHEL)';

/** True when an executable named `tool` is in one of PATH's directories. */
export function onPath(tool: string, env: Record<string, string | undefined> = process.env): boolean {
  for (const dir of (env.PATH ?? '/usr/bin:/bin:/usr/sbin:/sbin').split(':')) {
    if (!dir) continue;
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return true;
    } catch {
      // try the next directory
    }
  }
  return false;
}

/** True when the running kernel enforces an MLS/MCS policy (checkmodule then needs -M). */
function mlsEnabled(): boolean {
  try {
    return readFileSync('/sys/fs/selinux/mls', 'utf8').trim() === '1';
  } catch {
    return false;
  }
}

/** Writes a file; a failure is a file-write diagnostic naming it. */
function writeText(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (e) {
    if (isFileError(e)) throw new PortholeError(fileErrorDiagnostic(e, 'write', path));
    throw e;
  }
}

/**
 * audit2allow -M: writes NAME.te and NAME.cil in `dir`, and builds NAME.pp
 * when checkmodule and semodule_package are on PATH (a failure is a
 * `module-build` diagnostic with the compiler's output as notes).
 */
export async function writeModulePackage(files: ModuleFiles): Promise<ModulePackageResult> {
  const env = files.env ?? process.env;
  const te = join(files.dir, `${files.name}.te`);
  const cil = join(files.dir, `${files.name}.cil`);
  writeText(te, files.te);
  writeText(cil, files.cil);
  const result: ModulePackageResult = { written: [te, cil], missingTools: [] };
  for (const tool of ['checkmodule', 'semodule_package']) if (!onPath(tool, env)) result.missingTools.push(tool);
  if (result.missingTools.length > 0) return result;
  const mod = join(files.dir, `${files.name}.mod`);
  const pp = join(files.dir, `${files.name}.pp`);
  const opts = { cwd: files.dir, env: env as NodeJS.ProcessEnv };
  try {
    await run('checkmodule', [...(mlsEnabled() ? ['-M'] : []), '-m', '-o', mod, te], opts);
    await run('semodule_package', ['-o', pp, '-m', mod], opts);
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string; cmd?: string };
    const output = ((e.stdout ?? '') + (e.stderr ?? '')).split('\n').filter((l) => l.trim() !== '');
    fail('module-build', `${files.name}.pp could not be built: ${e.cmd ?? 'checkmodule'} failed`, { notes: output.length > 0 ? output : [e.message] });
  } finally {
    try {
      unlinkSync(mod);
    } catch {
      // nothing to clean up
    }
  }
  result.written.push(pp);
  result.pp = pp;
  return result;
}
