// Policy statistics as setools' seinfo counts them, and its text.
//
// How setools 4.4 counts (checked against `seinfo` on the Debian policy and
// on checkpolicy rebuilds at versions 24..33):
// - TE rules: every avtab entry, unconditional plus those of both lists of
//   every conditional; type_transition also counts each source type of each
//   filename transition (one per stype, whatever the file layout).
// - xperm rules: one per avtab entry (per ioctl driver / function block).
// - Neverallow rules never reach a kernel policy: always 0.
// - Types: primary non-attribute types; attributes: attributes with names.
// - Permissions: the commons' plus each class's own (inherited ones not again).
// - Constraints: an expression using l1/l2/h1/h2 makes it an MLS one.
// - Defaults: one per default_user/role/type/range set on a class.
// - Nodecon: IPv4 plus IPv6; Genfscon: one per (file system, path) entry.
import { AVTAB } from '../binary/constants.js';
import type { Policy } from '../model.js';

export interface PolicyStats {
  version: number;
  mls: boolean;
  target: string;
  handleUnknown: string;
  classes: number;
  permissions: number;
  sensitivities: number;
  categories: number;
  types: number;
  attributes: number;
  users: number;
  roles: number;
  booleans: number;
  condExprs: number;
  allow: number;
  neverallow: number;
  auditallow: number;
  dontaudit: number;
  typeTrans: number;
  typeChange: number;
  typeMember: number;
  rangeTrans: number;
  roleAllow: number;
  roleTrans: number;
  constraints: number;
  validatetrans: number;
  mlsConstrain: number;
  mlsValidatetrans: number;
  permissives: number;
  polcap: number;
  defaults: number;
  typebounds: number;
  allowxperm: number;
  neverallowxperm: number;
  auditallowxperm: number;
  dontauditxperm: number;
  ibendportcon: number;
  ibpkeycon: number;
  initialSids: number;
  fsUse: number;
  genfscon: number;
  portcon: number;
  netifcon: number;
  nodecon: number;
}

export function policyStats(p: Policy): PolicyStats {
  const kinds = new Map<number, number>();
  for (const tab of [p.avtab, p.condAvtab]) {
    const spec = tab.spec;
    for (let i = 0; i < tab.count; i++) kinds.set(spec[i]!, (kinds.get(spec[i]!) ?? 0) + 1);
  }
  const k = (bit: number): number => kinds.get(bit) ?? 0;
  let filenameTrans = 0;
  for (const f of p.filenameTransitions) filenameTrans += f.stypes.length;

  let constraints = 0;
  let mlsConstrain = 0;
  let validatetrans = 0;
  let mlsValidatetrans = 0;
  let defaults = 0;
  let permissions = 0;
  for (const cm of p.commons) permissions += cm.perms.filter((x) => x !== undefined).length;
  for (const cl of p.classes) {
    if (!cl) continue;
    permissions += cl.perms.filter((x) => x !== undefined).length;
    for (const c of cl.constraints) c.mls ? mlsConstrain++ : constraints++;
    for (const c of cl.validatetrans) c.mls ? mlsValidatetrans++ : validatetrans++;
    defaults += (cl.defaultUser ? 1 : 0) + (cl.defaultRole ? 1 : 0) + (cl.defaultType ? 1 : 0) + (cl.defaultRange ? 1 : 0);
  }
  let types = 0;
  let attributes = 0;
  let permissives = 0;
  let typebounds = 0;
  for (const t of p.types) {
    if (t.isAttribute) {
      if (!t.name.startsWith('@ttr')) attributes++;
      continue;
    }
    types++;
    if (t.permissive) permissives++;
    if (t.bounds) typebounds++;
  }
  const o = p.ocontexts;
  return {
    version: p.version,
    mls: p.mls,
    target: p.target,
    handleUnknown: p.handleUnknown,
    classes: p.classes.filter(Boolean).length,
    permissions,
    sensitivities: p.sensitivities.length,
    categories: p.categories.length,
    types,
    attributes,
    users: p.users.filter(Boolean).length,
    roles: p.roles.filter(Boolean).length,
    booleans: p.bools.filter(Boolean).length,
    condExprs: p.conds.length,
    allow: k(AVTAB.ALLOWED),
    neverallow: 0,
    auditallow: k(AVTAB.AUDITALLOW),
    dontaudit: k(AVTAB.AUDITDENY),
    typeTrans: k(AVTAB.TRANSITION) + filenameTrans,
    typeChange: k(AVTAB.CHANGE),
    typeMember: k(AVTAB.MEMBER),
    rangeTrans: p.rangeTransitions.length,
    roleAllow: p.roleAllows.length,
    roleTrans: p.roleTransitions.length,
    constraints,
    validatetrans,
    mlsConstrain,
    mlsValidatetrans,
    permissives,
    polcap: p.polcaps.length,
    defaults,
    typebounds,
    allowxperm: k(AVTAB.XPERMS_ALLOWED),
    neverallowxperm: 0,
    auditallowxperm: k(AVTAB.XPERMS_AUDITALLOW),
    dontauditxperm: k(AVTAB.XPERMS_DONTAUDIT),
    ibendportcon: o.ibendports.length,
    ibpkeycon: o.ibpkeys.length,
    initialSids: o.initialSids.length,
    fsUse: o.fsUses.length,
    genfscon: p.genfs.reduce((n, g) => n + g.entries.length, 0),
    portcon: o.ports.length,
    netifcon: o.netifs.length,
    nodecon: o.nodes.length + o.nodes6.length,
  };
}

const pad = (n: number): string => String(n).padStart(7);

/** The "Statistics for policy file:" block `seinfo PATH` prints, byte for byte (with its final newline). */
export function printSeinfoStats(p: Policy, path: string): string {
  return formatSeinfoStats(policyStats(p), path);
}

/** printSeinfoStats from statistics already counted (by policyStats or scanPolicyStats). */
export function formatSeinfoStats(s: PolicyStats, path: string): string {
  const row = (a: string, x: number, b: string, y: number): string => `  ${a}${pad(x)}    ${b}${pad(y)}\n`;
  return (
    `Statistics for policy file: ${path}\n` +
    `Policy Version:             ${s.version} (MLS ${s.mls ? 'enabled' : 'disabled'})\n` +
    `Target Policy:              ${s.target}\n` +
    `Handle unknown classes:     ${s.handleUnknown}\n` +
    row('Classes:         ', s.classes, 'Permissions:     ', s.permissions) +
    row('Sensitivities:   ', s.sensitivities, 'Categories:      ', s.categories) +
    row('Types:           ', s.types, 'Attributes:      ', s.attributes) +
    row('Users:           ', s.users, 'Roles:           ', s.roles) +
    row('Booleans:        ', s.booleans, 'Cond. Expr.:     ', s.condExprs) +
    row('Allow:           ', s.allow, 'Neverallow:      ', s.neverallow) +
    row('Auditallow:      ', s.auditallow, 'Dontaudit:       ', s.dontaudit) +
    row('Type_trans:      ', s.typeTrans, 'Type_change:     ', s.typeChange) +
    row('Type_member:     ', s.typeMember, 'Range_trans:     ', s.rangeTrans) +
    row('Role allow:      ', s.roleAllow, 'Role_trans:      ', s.roleTrans) +
    row('Constraints:     ', s.constraints, 'Validatetrans:   ', s.validatetrans) +
    row('MLS Constrain:   ', s.mlsConstrain, 'MLS Val. Tran:   ', s.mlsValidatetrans) +
    row('Permissives:     ', s.permissives, 'Polcap:          ', s.polcap) +
    row('Defaults:        ', s.defaults, 'Typebounds:      ', s.typebounds) +
    row('Allowxperm:      ', s.allowxperm, 'Neverallowxperm: ', s.neverallowxperm) +
    row('Auditallowxperm: ', s.auditallowxperm, 'Dontauditxperm:  ', s.dontauditxperm) +
    row('Ibendportcon:    ', s.ibendportcon, 'Ibpkeycon:       ', s.ibpkeycon) +
    row('Initial SIDs:    ', s.initialSids, 'Fs_use:          ', s.fsUse) +
    row('Genfscon:        ', s.genfscon, 'Portcon:         ', s.portcon) +
    row('Netifcon:        ', s.netifcon, 'Nodecon:         ', s.nodecon)
  );
}
