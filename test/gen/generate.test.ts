// The audit log generator itself (no oracle needed).

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateLog, LOG_FORMATS, type LogFormat, loadNames, Rng } from './index.js';

const names = loadNames();

describe('Rng', () => {
  it('is deterministic and spreads', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b.next()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const buckets = new Array<number>(10).fill(0);
    for (const x of xs) buckets[Math.floor(x * 10)]! += 1;
    for (const n of buckets) expect(n).toBeGreaterThan(60);
    expect(new Rng(1).u32()).not.toBe(new Rng(2).u32());
    expect(new Rng(1, 1).u32()).not.toBe(new Rng(1, 2).u32());
  });

  it('is the only randomness in test/gen (no Math.random)', () => {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    const files = readdirSync(dir).filter((x) => x.endsWith('.ts') && !x.endsWith('.test.ts'));
    expect(files).toContain('prng.ts');
    for (const f of files) {
      expect(readFileSync(`${dir}/${f}`, 'utf8'), f).not.toMatch(/Math\.random\s*\(/);
    }
  });
});

describe('policy-names.json', () => {
  it('has the pools the generator draws from', () => {
    for (const a of ['domain', 'file_type', 'device_node', 'port_type', 'node_type', 'filesystem_type', 'exec_type', 'systemdunit']) {
      expect(names.attrs[a]?.length ?? 0, a).toBeGreaterThan(0);
    }
    for (const c of Object.keys(names.classTargets)) expect(names.classes[c], c).toBeDefined();
    const types = new Set(names.types);
    for (const d of Object.keys(names.domainRoles)) expect(types.has(d), d).toBe(true);
    expect(names.missingRule.tuples.length).toBeGreaterThanOrEqual(2000);
    for (const [s, t, cls, perms, rec] of names.missingRule.tuples) {
      const sc = names.missingRule.contexts[s];
      const tc = names.missingRule.contexts[t];
      expect(sc && tc && types.has(sc.split(':')[2] ?? '') && types.has(tc.split(':')[2] ?? '')).toBe(true);
      const own = new Set(names.classes[cls] ?? []);
      for (const p of perms) expect(own.has(p), `${cls} ${p}`).toBe(true);
      expect(['AVC', 'USER_AVC']).toContain(rec);
    }
  });
});

describe('generateLog', () => {
  it('is deterministic', () => {
    for (const format of LOG_FORMATS) {
      const a = generateLog({ seed: 5, events: 30, format });
      const b = generateLog({ seed: 5, events: 30, format });
      expect(a.text).toBe(b.text);
      expect(a.meta).toEqual(b.meta);
      expect(generateLog({ seed: 6, events: 30, format }).text).not.toBe(a.text);
    }
  });

  it('draws the same events whatever the format', () => {
    const ref = generateLog({ seed: 11, events: 40, format: 'raw' }).meta;
    for (const format of LOG_FORMATS) {
      const m = generateLog({ seed: 11, events: 40, format }).meta;
      expect(m.avcs).toEqual(ref.avcs);
      expect(m.expected).toEqual(ref.expected);
    }
  });

  it('writes each format the way it looks in the wild', () => {
    const shapes: Record<LogFormat, RegExp> = {
      raw: /^type=[A-Z_]+ msg=audit\(\d+\.\d{3}:\d+\): /,
      node: /^node=\S+ type=[A-Z_]+ msg=audit\(\d+\.\d{3}:\d+\): /,
      numeric: /^type=\d{4} msg=audit\(\d+\.\d{3}:\d+\): /,
      enriched: /^type=[A-Z_]+ msg=audit\(\d+\.\d{3}:\d+\): [^\x1d]*(\x1d[A-Z]+=\S+( [A-Z]+=\S+)*)?$/,
      syslog: /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ (kernel: audit\(\d+\.\d{3}:\d+\): |(dbus-daemon|systemd)\[\d+\]: avc: )/,
      'syslog-type': /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ kernel: audit: type=\d{4} audit\(\d+\.\d{3}:\d+\): /,
      dmesg: /^\[ *\d+\.\d{6}\] audit: type=\d{4} audit\(\d+\.\d{3}:\d+\): /,
      journal: /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ (audit(\[\d+\])?: [A-Z_]+ |kernel: audit: type=\d{4} audit\(\d+\.\d{3}:\d+\): )/,
      'ausearch-i': /^(----|type=[A-Z_]+ msg=audit\(\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d\.\d{3}:\d+\) : .* )$/,
    };
    for (const format of LOG_FORMATS) {
      for (let seed = 1; seed <= 5; seed++) {
        const g = generateLog({ seed, events: 40, format, mix: { truncate: 0, crlf: 0 } });
        const lines = g.text.split('\n').slice(0, -1);
        expect(lines.length, format).toBeGreaterThan(0);
        for (const l of lines) expect(l, format).toMatch(shapes[format]);
      }
    }
  });

  it('hex-encodes values with spaces or quotes, unquoted, like the kernel', () => {
    const g = generateLog({ seed: 3, events: 60, format: 'raw', mix: { hex: 0.8, truncate: 0 } });
    expect(g.meta.hexFields.length).toBeGreaterThan(5);
    for (const h of g.meta.hexFields) {
      expect(h.hex).toMatch(/^[0-9A-F]+$/);
      expect(Buffer.from(h.hex, 'hex').toString('utf8')).toBe(h.value);
      expect(g.text).toContain(`${h.field}=${h.hex}`);
    }
    expect(g.text).toMatch(/proctitle=[0-9A-F]+00[0-9A-F]+/); // NUL-separated arguments
    for (const m of g.text.matchAll(/ (comm|exe|name|path|cwd)="([^"]*)"/g)) expect(m[2], m[0]).not.toMatch(/[ "]/);
  });

  it('has every record kind the brief asks for', () => {
    const kinds = new Set<string>();
    let ioctl = 0;
    let permissive1 = 0;
    let granted = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const g = generateLog({ seed, events: 40, format: 'raw' });
      for (const k of Object.keys(g.meta.counts)) kinds.add(k);
      for (const a of g.meta.avcs) {
        if (a.ioctlcmd !== undefined) ioctl++;
        if (a.permissive === 1) permissive1++;
        if (a.result === 'granted') granted++;
      }
    }
    for (const k of ['AVC', 'USER_AVC', 'SYSCALL', 'CWD', 'PATH', 'PROCTITLE', 'SELINUX_ERR', 'MAC_POLICY_LOAD', 'DAEMON_START']) expect(kinds, k).toContain(k);
    expect(ioctl).toBeGreaterThan(0);
    expect(permissive1).toBeGreaterThan(0);
    expect(granted).toBeGreaterThan(0);
  });

  it('ioctl denials carry ioctlcmd, USER_AVC records nest the avc in msg=', () => {
    const g = generateLog({ seed: 8, events: 200, format: 'raw', mix: { truncate: 0 } });
    let ioctl = 0;
    let userAvc = 0;
    for (const line of g.text.split('\n')) {
      if (/^type=AVC .*\{ [^}]*\bioctl\b[^}]*\} .*tclass=(file|chr_file|blk_file|dir|fifo_file|sock_file|lnk_file)\b/.test(line)) {
        ioctl++;
        expect(line).toMatch(/ ioctlcmd=0x[0-9a-f]{1,4} /);
      }
      if (line.startsWith('type=USER_AVC')) {
        userAvc++;
        expect(line).toMatch(/ msg='avc: {2}denied {2}\{ [^}]+ \} for .* tclass=\S+ .*'$/);
      }
    }
    expect(ioctl, 'ioctl denials in the sample').toBeGreaterThan(0);
    expect(userAvc, 'USER_AVC records in the sample').toBeGreaterThan(0);
  });

  it('interleaves records of nearby events', () => {
    const g = generateLog({ seed: 2, events: 60, format: 'raw', interleave: 4, mix: { syscall: 1 } });
    const serials = g.text
      .split('\n')
      .filter(Boolean)
      .map((l) => Number(/:(\d+)\): /.exec(l)?.[1]));
    let back = 0;
    for (let i = 1; i < serials.length; i++) if ((serials[i] ?? 0) < (serials[i - 1] ?? 0)) back++;
    expect(back).toBeGreaterThan(0);
    const plain = generateLog({ seed: 2, events: 60, format: 'raw', interleave: 0, mix: { syscall: 1 } });
    // Without interleaving serials only grow (DAEMON_START records carry auditd's own serials).
    const ps = plain.text
      .split('\n')
      .filter((l) => l && !l.startsWith('type=DAEMON_START'))
      .map((l) => Number(/:(\d+)\): /.exec(l)?.[1]));
    expect(ps.filter((s, i) => i > 0 && s < (ps[i - 1] ?? 0))).toEqual([]);
  });

  it('missing-rule mode uses only the pre-checked pool, never invalid AVCs', () => {
    const pool = new Set(names.missingRule.tuples.map(([s, t, c]) => `${names.missingRule.contexts[s]} ${names.missingRule.contexts[t]} ${c}`));
    let denied = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const g = generateLog({ seed, events: 30, format: 'raw', missingRuleOnly: true });
      for (const a of g.meta.avcs) {
        expect(a.invalid).toBeUndefined();
        if (a.result === 'denied') {
          denied++;
          expect(pool.has(`${a.scontext} ${a.tcontext} ${a.tclass}`), `${a.scontext} ${a.tcontext} ${a.tclass}`).toBe(true);
        }
      }
    }
    expect(denied).toBeGreaterThan(100);
  });

  it('random mode also writes AVCs the policy rejects', () => {
    const kinds = new Set<string>();
    for (let seed = 1; seed <= 30; seed++) for (const a of generateLog({ seed, events: 40, format: 'raw' }).meta.avcs) if (a.invalid) kinds.add(a.invalid);
    expect([...kinds].sort()).toEqual(['bad-perm', 'bad-role', 'undefined-type', 'unknown-class']);
  });

  it('can mix formats, truncate lines and use CRLF', () => {
    const g = generateLog({ seed: 9, events: 40, formats: ['raw', 'dmesg', 'journal'], mix: { truncate: 0.3, crlf: 1 } });
    expect(g.meta.crlf).toBe(true);
    expect(g.text).toContain('\r\n');
    expect(g.meta.truncated.length).toBeGreaterThan(0);
    expect(g.text).toMatch(/^type=/m);
    expect(g.text).toMatch(/^\[ *\d+\.\d+\] audit: /m);
  });

  it("ausearch -i output has the tool's shape", () => {
    const g = generateLog({ seed: 4, events: 20, format: 'ausearch-i' });
    const lines = g.text.split('\n').slice(0, -1);
    expect(lines[0]).toBe('----');
    for (const l of lines) if (l !== '----') expect(l.endsWith(' ')).toBe(true);
    expect(g.text).not.toMatch(/ comm="/);
    expect(g.text).toMatch(/ uid=root /);
  });
});
