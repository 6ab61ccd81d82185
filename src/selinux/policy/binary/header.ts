// The header of a kernel binary policy: magic, policy string, version,
// config bits and table sizes. Shared by readPolicy and scanPolicyStats.

import type { HandleUnknown } from '../model.js';
import {
  ALLOW_UNKNOWN,
  CONFIG_UNKNOWN_MASK,
  DENY_UNKNOWN,
  MAX_VERSION,
  MIN_VERSION,
  oconNum,
  POLICYDB_MAGIC,
  POLICYDB_MOD_MAGIC,
  POLICYDB_STRING,
  POLICYDB_STRING_MAX_LENGTH,
  POLICYDB_XEN_STRING,
  REJECT_UNKNOWN,
  SYM_NUM,
} from './constants.js';
import type { Cursor } from './cursor.js';

export interface PolicyHeader {
  version: number;
  /** The config word: CONFIG_MLS and the handle_unknown bits. */
  config: number;
  handleUnknown: HandleUnknown;
}

/** Reads and checks the header; leaves the cursor at the policy capabilities. */
export function readHeader(c: Cursor): PolicyHeader {
  c.section = 'header';
  const magic = c.u32();
  if (magic === POLICYDB_MOD_MAGIC) c.fail('this is a policy module (.pp/.mod), not a kernel policy', 0);
  if (magic !== POLICYDB_MAGIC) c.fail(`bad magic 0x${magic.toString(16).padStart(8, '0')}, expected 0x${POLICYDB_MAGIC.toString(16)}`, 0);
  const slen = c.u32();
  if (slen === 0 || slen > POLICYDB_STRING_MAX_LENGTH) c.fail(`policy string length ${slen}`, 4);
  const ident = c.str(slen, 'policy string');
  if (ident === POLICYDB_XEN_STRING) c.fail('Xen policies are not supported', 8);
  if (ident !== POLICYDB_STRING) c.fail(`unknown policy string ${JSON.stringify(ident)}`, 8);
  const vat = c.pos;
  const version = c.u32();
  if (version < MIN_VERSION || version > MAX_VERSION) c.fail(`policy version ${version} not supported (${MIN_VERSION}..${MAX_VERSION})`, vat);
  const config = c.u32();
  const hu = config & CONFIG_UNKNOWN_MASK;
  const handleUnknown: HandleUnknown =
    hu === DENY_UNKNOWN ? 'deny' : hu === REJECT_UNKNOWN ? 'reject' : hu === ALLOW_UNKNOWN ? 'allow' : c.fail(`bad handle_unknown bits 0x${hu.toString(16)}`, vat + 4);
  const symNum = c.u32();
  const oNum = c.u32();
  if (symNum !== SYM_NUM || oNum !== oconNum(version)) {
    c.fail(`table sizes (${symNum},${oNum}) do not match version ${version} (${SYM_NUM},${oconNum(version)})`, vat + 8);
  }
  return { version, config, handleUnknown };
}
