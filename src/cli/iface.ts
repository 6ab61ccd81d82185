// `porthole iface find REGEX | show NAME | defs REGEX | def NAME | expand NAME
// ARGS... | for ACCESS`: refpolicy interfaces and templates (find, show) and
// support macros (defs, def) of an include tree, searched by regular
// expression or shown by name; what a call grants (expand) and the calls that
// grant an access (for). Parses flags, calls the library, prints.
import { resolve } from 'node:path';
import { Command } from 'commander';
import { fail } from '../base/diagnostic.js';
import { jsonLine } from '../base/jsonLine.js';
import { report } from './common.js';
import type { CliIo } from './io.js';

interface IfaceFlags {
  include?: string;
  json?: boolean;
  cil?: boolean;
  limit?: string;
  cache?: boolean;
}

type Action = 'find' | 'show' | 'defs' | 'def';

const HELP_AFTER = `
The include tree is -I DIR, else $SE_DEVEL_INCLUDE, else /usr/share/selinux/devel/include;
DIR may also be a refpolicy source tree (policy/modules/LAYER/*.if, policy/support/*.spt).
Files are named LAYER/NAME.if and support/NAME.spt. REGEX is a JavaScript regular
expression, tried on each line of a definition (its first line, with the name, included).

find/defs print, per definition, FILE: LINE: NAME(PARAMS), then each matching line as
FILE: LINE: TEXT. show/def print # FILE:LINE, then the comment above the definition and
the definition, as written. --json: one JSON object per definition, a line each.

Exit status: 0 found, 1 nothing found or unknown NAME, 2 usage (a bad REGEX).`;

const HELP_EXPAND = `
NAME(ARGS...) is expanded by m4 as the devel Makefile expands a module's .te
(-I DIR, else $SE_DEVEL_INCLUDE, else /usr/share/selinux/devel/include; the devel
layout only), then parsed and printed: one require block (every one the
expansion wrote, merged), then the statements in order, or CIL with --cil.
Each ARG is passed quoted, as written (m4 quotes and newlines are refused).
Exit status: 0 expanded, 1 an unknown NAME, too few ARGS or an error in the
expansion, 2 usage.`;

const HELP_FOR = `
ACCESS is an allow rule ('allow $1 ping_exec_t:file execute', sets in braces) or
a type name. $N stands for what the caller passes; other names are literal (an
interface granting to an attribute of the type is not found).
Answers: the interfaces and templates that grant every asked (source, target,
class, permission) when called with suitable arguments, one a line:
  CALL  # excess E (G granted, O other statements) FILE:LINE
Excess = granted tuples not asked + statements that are not plain allow rules.
Order: calls that need no asked name passed as an argument first, then least
excess, fewer granted, interfaces before templates, name. For a type name: the
interfaces granting a rule that names it; excess = their other tuples.
The index of what every interface grants is built once per include tree (seconds)
and kept in $XDG_CACHE_HOME/porthole (else ~/.cache/porthole); --no-cache skips it.
Exit status: 0 found, 1 nothing grants it, 2 usage (a bad ACCESS).`;

export function ifaceCommand(io: CliIo, setExit: (code: number) => void): Command {
  const sub = (name: Action, arg: string, description: string): Command =>
    new Command(name)
      .description(description)
      .argument(arg)
      .option('-I, --include <DIR>', 'the include tree (devel headers or a refpolicy source tree)')
      .option('--json', 'one JSON object per definition')
      .addHelpText('after', HELP_AFTER)
      .exitOverride()
      .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
      .action(async (value: string, flags: IfaceFlags) => setExit(await iface(name, value, flags, io)));
  const expand = new Command('expand')
    .description('the rules a call of an interface or template grants, nested calls resolved (the devel headers m4 pipeline)')
    .argument('<NAME>')
    .argument('[ARGS...]')
    .option('-I, --include <DIR>', 'the devel include tree')
    .option('--cil', 'print CIL instead of .te')
    .option('--json', 'one JSON object: the call and the module it expands to')
    .addHelpText('after', HELP_EXPAND)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .action(async (name: string, args: string[], flags: IfaceFlags) => setExit(await ifaceExpand(name, args, flags, io)));
  const forAccess = new Command('for')
    .description('the interfaces and templates that grant an access, least excess first')
    .argument('<ACCESS>')
    .option('-I, --include <DIR>', 'the devel include tree')
    .option('--limit <N>', 'print the first N answers (0: all)', '20')
    .option('--no-cache', 'build the access index without reading or writing the cache')
    .option('--json', 'one JSON object per answer')
    .addHelpText('after', HELP_FOR)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .action(async (access: string, flags: IfaceFlags) => setExit(await ifaceFor(access, flags, io)));
  return new Command('iface')
    .description('search refpolicy interfaces, templates and support macros of an include tree; expand a call; find the calls that grant an access')
    .addCommand(sub('find', '<REGEX>', 'interfaces and templates with a line matching REGEX, and those lines'))
    .addCommand(sub('show', '<NAME>', 'an interface or template with its doc comment, as written'))
    .addCommand(sub('defs', '<REGEX>', 'support macros (define) with a line matching REGEX, and those lines'))
    .addCommand(sub('def', '<NAME>', 'a support macro with the comment above it, as written'))
    .addCommand(expand)
    .addCommand(forAccess)
    .addHelpText('after', HELP_AFTER);
}

/** Source text (one character per byte) as the string io.stdout writes back as those bytes. */
function bytesText(s: string): string {
  return Buffer.from(s, 'latin1').toString('utf8');
}

async function iface(action: Action, value: string, f: IfaceFlags, io: CliIo): Promise<number> {
  // The refpolicy part of the API alone: a fresh process initialises only what it needs.
  const lib = await import('../selinux/refpolicy/index.js');
  const json = f.json === true;
  // The pattern first: a bad one is a usage error whatever the tree.
  const re = action === 'find' || action === 'defs' ? lib.definitionPattern(value) : undefined;
  const given = f.include ?? io.env.SE_DEVEL_INCLUDE;
  const tree = lib.includeTree(given === undefined ? undefined : resolve(io.cwd, given));
  const dir = tree.dir;
  const index = lib.loadDefinitions(tree);
  for (const d of index.diagnostics) report(io, d, json);
  const definitions = action === 'find' || action === 'show' ? index.interfaces : index.defines;
  const what = action === 'find' || action === 'show' ? 'interface or template' : 'support macro';
  if (re !== undefined) {
    const matches = lib.findDefinitions(definitions, re);
    if (json) for (const m of matches) io.stdout(bytesText(jsonLine(lib.definitionJson(m.definition, m.lines))));
    else io.stdout(bytesText(lib.formatMatches(matches)));
    return matches.length > 0 ? 0 : 1;
  }
  const found = lib.definitionsNamed(definitions, value);
  if (found.length === 0) {
    const near = lib.closeNames(
      definitions.map((d) => d.name),
      value,
    );
    fail('unknown-name', `no ${what} named ${value} in ${dir}`, {
      data: { kind: action === 'show' ? 'interface' : 'define', name: value },
      notes: near.length > 0 ? [`did you mean ${near.join(', ')}?`] : [],
    });
  }
  if (json) for (const d of found) io.stdout(bytesText(jsonLine(lib.definitionJson(d))));
  else io.stdout(bytesText(lib.formatDefinitions(found)));
  return 0;
}

async function ifaceExpand(name: string, args: readonly string[], f: IfaceFlags, io: CliIo): Promise<number> {
  const lib = await import('../index.js');
  const json = f.json === true;
  const given = f.include ?? io.env.SE_DEVEL_INCLUDE;
  const r = lib.expandInterfaceCall(name, args, { includeDir: given === undefined ? undefined : resolve(io.cwd, given) });
  for (const d of r.diagnostics) report(io, d, json);
  if (json) io.stdout(bytesText(jsonLine({ call: r.call, name, args, module: lib.moduleToJson(r.module) })));
  else io.stdout(bytesText(f.cil === true ? lib.printCil(r.module) : lib.printTe(r.module)));
  return lib.expansionHasErrors(r) ? 1 : 0;
}

async function ifaceFor(access: string, f: IfaceFlags, io: CliIo): Promise<number> {
  const lib = await import('../index.js');
  const json = f.json === true;
  const limit = Number(f.limit ?? '20');
  if (!Number.isInteger(limit) || limit < 0) fail('usage', `--limit takes a whole number, not ${f.limit}`);
  // The ACCESS first: a bad one is a usage error whatever the tree.
  const query = lib.parseAccess(access);
  const given = f.include ?? io.env.SE_DEVEL_INCLUDE;
  const includeDir = given === undefined ? undefined : resolve(io.cwd, given);
  const cacheDir = f.cache === false ? null : lib.defaultCacheDir(io.env);
  const { index, cached, cacheFile } = lib.loadAccessIndex({ includeDir, cacheDir });
  if (!cached) io.stderr(`porthole: built the access index of ${index.includeDir}${cacheFile === undefined ? '' : ` (kept in ${cacheFile})`}\n`);
  const answers = lib.interfacesGranting(index, query);
  const shown = limit === 0 ? answers : answers.slice(0, limit);
  if (json) {
    for (const a of shown) io.stdout(jsonLine(a));
  } else {
    const width = Math.max(0, ...shown.map((a) => a.call.length));
    const lines = shown.map((a) => `${a.call.padEnd(width)}  # excess ${a.excess} (${a.granted} granted, ${a.other} other statement${a.other === 1 ? '' : 's'}) ${a.file}:${a.line}\n`);
    io.stdout(lines.join(''));
    if (shown.length < answers.length) io.stderr(`porthole: ${answers.length - shown.length} more (--limit 0 shows all)\n`);
  }
  return answers.length > 0 ? 0 : 1;
}
