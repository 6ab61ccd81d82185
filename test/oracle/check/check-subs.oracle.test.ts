// The subs rule (fc-unreachable) on the reference policy against this host's
// file_contexts and its .subs_dist: it fires on exactly the specs that are
// dead here, each shown dead with matchpathcon: a path the spec matches gets
// the same context from a copy of file_contexts holding the spec as from one
// without it (lookups rewrite the alias first, so the spec is never tried).
// A spec it does not report changes the answer (the test can fail). The exact
// alias `/var/run -l` (files.fc) is not reported, as the rule says.
// i18n_input's /etc/init.d spec is dead here too (/etc/init.d is an alias of
// /etc/rc.d/init.d; matchpathcon gives initrc_exec_t) and is reported.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { FILE_TYPE_MODES, LINT_RULES, lintPolicy, lintSource, loadFileContexts, readLintInputs } from '../../../src/index.js';
import { withTempDir } from '../../support/tempDir.js';
import { describeOracle, findOracles } from '../support/oracles.js';

/** Each dead spec (file:line under policy/modules) and a path it matches, with matchpathcon's -m. */
const DEAD = [
  ['admin/fapolicyd.fc:14', '/var/run/fapolicyd/x', 'file'],
  ['admin/fapolicyd.fc:15', '/var/run/fapolicyd.pid', 'file'],
  ['services/cockpit.fc:4', '/etc/systemd/system/cockpit.service', 'file'],
  ['services/cockpit.fc:17', '/var/run/cockpit/x', 'file'],
  ['services/cockpit.fc:18', '/var/run/cockpit-ws/x', 'file'],
  ['services/dbus.fc:28', '/var/run/dbus/system_bus_socket', 'sock_file'],
  ['services/dbus.fc:31', '/var/run/dbus/x', 'file'],
  ['services/hostapd.fc:5', '/var/run/hostapd/x', 'file'],
  ['services/i18n_input.fc:1', '/etc/init.d/iiim', 'file'],
  ['services/inetd.fc:3', '/usr/local/lib/pysieved/pysieved1.py', 'file'],
] as const;

/** A live spec for the control: removing it changes the answer. */
const LIVE = ['services/i18n_input.fc:18', '/run/iiim/x', 'file'] as const;

describeOracle('check: the subs rule on the reference policy is what matchpathcon shows dead', () => {
  const env = findOracles().env;
  const src = env.SE_REFPOLICY_SRC ?? '/usr/src/selinux-policy-src';
  const fc = env.SE_FC ?? '/etc/selinux/default/contexts/files/file_contexts';
  const modules = join(src, 'policy', 'modules');

  it('fires on exactly the dead specs, the /var/run -l exact alias left alone', () => {
    const rules = LINT_RULES.filter((r) => r.code === 'fc-unreachable');
    const found = lintPolicy(readLintInputs(['.'], modules), { system: loadFileContexts(fc).contexts, build: 'none', rules }).filter((d) => d.code === 'fc-unreachable');
    expect(found.map((d) => `${d.span!.file}:${d.span!.line}`).sort()).toEqual(DEAD.map(([at]) => at).sort());
    expect(found.filter((d) => String(d.data?.spec).startsWith('/var/run'))).toHaveLength(7);
  });

  /** The spec's file_contexts line (gen_context expanded), from the module's .fc. */
  const specLine = (at: string): { regex: string; line: string } => {
    const [file, n] = at.split(':') as [string, string];
    const s = lintSource({ file, text: readFileSync(join(modules, file), 'latin1') }).specs.find((x) => x.line === Number(n))!;
    const flag = Object.entries(FILE_TYPE_MODES).find(([, m]) => m === s.mode)?.[0] ?? '';
    return { regex: s.regex, line: `${s.regex}\t${flag}\t${s.context}`.replace('\t\t', '\t') };
  };
  const lookup = (file: string, path: string, mode: string): string => execFileSync('matchpathcon', ['-m', mode, '-n', '-f', file, path], { encoding: 'utf8' }).trim();

  /** matchpathcon's answer for `path` with the spec in file_contexts and without it. */
  const withAndWithout = (at: string, path: string, mode: string): Promise<[string, string]> =>
    withTempDir('check-subs', (dir) => {
      const { regex, line } = specLine(at);
      const base = readFileSync(fc, 'latin1')
        .split('\n')
        .filter((l) => l.split(/\s+/)[0] !== regex);
      const answers: string[] = [];
      for (const [name, lines] of [
        ['with', [...base, line]],
        ['without', base],
      ] as const) {
        const f = join(dir, name, 'file_contexts');
        mkdirSync(join(dir, name));
        writeFileSync(f, `${lines.join('\n')}\n`, 'latin1');
        copyFileSync(`${fc}.subs_dist`, `${f}.subs_dist`);
        answers.push(lookup(f, path, mode));
      }
      return answers as [string, string];
    });

  it('each reported spec is dead: matchpathcon answers the same without it', async () => {
    for (const [at, path, mode] of DEAD) {
      const [withSpec, without] = await withAndWithout(at, path, mode);
      expect({ at, without }).toEqual({ at, without: withSpec });
    }
  });

  it('a spec not reported is live: matchpathcon answers differently without it', async () => {
    const [withSpec, without] = await withAndWithout(...LIVE);
    expect(withSpec).toBe('system_u:object_r:i18n_input_runtime_t:s0');
    expect(without).not.toBe(withSpec);
  });
}, ['env', 'refpolicy-src', 'matchpathcon']);
