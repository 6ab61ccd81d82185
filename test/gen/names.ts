// The name pools extracted from the Debian policy by extract-names.py
// (fixtures/policy-names.json). Loading needs no oracle tool and no Python.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type TargetKind = string; // file | dev | fs | self | domain | selfdomain | fixed:<t> | unit | system | socket | unix | node | netif | packet

export interface ClassTarget {
  target: TargetKind;
  record: 'AVC' | 'USER_AVC';
  weight: number;
}

export interface PolicyNames {
  source: { policy: string; policyVersion: number; policySha256: string; mls: boolean; setools: string; generatedBy: string; seed: number };
  classes: Record<string, string[]>;
  classTargets: Record<string, ClassTarget>;
  kernelSystemPerms: string[];
  systemdSystemPerms: string[];
  sourceLevels: string[];
  targetLevels: string[];
  types: string[];
  attrs: Record<string, string[]>;
  users: Record<string, { roles: string[]; range: string }>;
  roleUser: Record<string, string>;
  domainRoles: Record<string, string[]>;
  invalidRoleTypes: Array<[string, string]>;
  missingRule: {
    contexts: string[];
    /** [scontext index, tcontext index, class, perms, record] */
    tuples: Array<[number, number, string, string[], 'AVC' | 'USER_AVC']>;
  };
}

export const NAMES_FIXTURE = fileURLToPath(new URL('./fixtures/policy-names.json', import.meta.url));

let cached: PolicyNames | undefined;

export function loadNames(file: string = NAMES_FIXTURE): PolicyNames {
  if (file === NAMES_FIXTURE && cached) return cached;
  const names = JSON.parse(readFileSync(file, 'utf8')) as PolicyNames;
  if (file === NAMES_FIXTURE) cached = names;
  return names;
}

/** A pool by attribute name; throws on a name the fixture lacks. */
export function attr(names: PolicyNames, name: string): string[] {
  const v = names.attrs[name];
  if (!v || v.length === 0) throw new Error(`policy-names.json has no attribute ${name}`);
  return v;
}
