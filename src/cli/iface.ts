// `porthole iface find REGEX | show NAME | defs REGEX | def NAME`: refpolicy
// interfaces and templates (find, show) and support macros (defs, def) of an
// include tree, searched by regular expression or shown by name. Parses
// flags, calls the library, prints.
import { resolve } from 'node:path';
import { Command } from 'commander';
import { fail } from '../base/diagnostic.js';
import { jsonLine } from '../base/jsonLine.js';
import { report } from './common.js';
import type { CliIo } from './io.js';

interface IfaceFlags {
  include?: string;
  json?: boolean;
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
  return new Command('iface')
    .description('search refpolicy interfaces, templates and support macros of an include tree')
    .addCommand(sub('find', '<REGEX>', 'interfaces and templates with a line matching REGEX, and those lines'))
    .addCommand(sub('show', '<NAME>', 'an interface or template with its doc comment, as written'))
    .addCommand(sub('defs', '<REGEX>', 'support macros (define) with a line matching REGEX, and those lines'))
    .addCommand(sub('def', '<NAME>', 'a support macro with the comment above it, as written'))
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
