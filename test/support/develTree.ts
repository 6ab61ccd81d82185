// A small devel include tree for the tests of `iface expand` and `iface for`:
// support/*.spt with the few macros refpolicy's loadable_module.spt defines
// that calls need (interface, template, gen_require) and two patterns, and a
// few interfaces: kernel_read_messages (typeattribute only), files_search_usr
// (one rule: what the raw-allow lint suggests), netutils_exec_ping (nested
// call and a pattern), domain_entry_file (a generic pattern taking the type),
// and a template declaring $1_t.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SUPPORT: Record<string, string> = {
  // As refpolicy's: pass 1 prints each definition as a define that the module pass reads.
  'loadable_module.spt': [
    "define(`interface',`dnl\n`define(`$1',`dnl\n$2\n'')\n')",
    "define(`template',`dnl\n`define(`$1',`dnl\n$2\n'')\n')",
    "define(`gen_require',`require {\n$1\n} # end require')",
    '',
  ].join('\n'),
  'misc_patterns.spt': "define(`can_exec',`allow $1 $2:file { read execute getattr };')\n",
  'obj_perm_sets.spt': "define(`search_dir_perms',`{ getattr search open }')\n",
};

const doc = (summary: string, params: string[]): string =>
  `########################################\n## <summary>\n##\t${summary}\n## </summary>\n${params.map((p) => `## <param name="${p}">\n##\t<summary>\n##\t${p}\n##\t</summary>\n## </param>\n`).join('')}#\n`;

const IFS: Record<string, string> = {
  'kernel/kernel.if': `${doc('Read kernel messages.', ['domain'])}interface(\`kernel_read_messages',\`\n\tgen_require(\`\n\t\tattribute can_receive_kernel_messages;\n\t')\n\n\ttypeattribute $1 can_receive_kernel_messages;\n')\n`,
  'kernel/files.if': `${doc('Search /usr.', ['domain'])}interface(\`files_search_usr',\`\n\tgen_require(\`\n\t\ttype usr_t;\n\t')\n\n\tallow $1 usr_t:dir search_dir_perms;\n')\n`,
  'kernel/domain.if': `${doc('Make a file an entry point.', ['domain', 'type'])}interface(\`domain_entry_file',\`\n\tallow $1 $2:file { read execute getattr };\n\ttype_transition $1 $2:process $1;\n')\n`,
  'admin/netutils.if': `${doc('Execute ping.', ['domain'])}interface(\`netutils_exec_ping',\`\n\tgen_require(\`\n\t\ttype ping_exec_t;\n\t')\n\n\tfiles_search_usr($1)\n\tcan_exec($1, ping_exec_t)\n')\n`,
  'apps/app.if': `${doc('An app.', ['prefix'])}template(\`app_template',\`\n\ttype $1_t;\n\tallow $1_t ping_exec_t:file read;\n')\n`,
};

/** Writes the tree under `root` and returns it. */
export function writeDevelTree(root: string): string {
  for (const [name, text] of Object.entries(SUPPORT)) {
    mkdirSync(join(root, 'support'), { recursive: true });
    writeFileSync(join(root, 'support', name), text);
  }
  for (const [name, text] of Object.entries(IFS)) {
    mkdirSync(join(root, name.split('/')[0] as string), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}
