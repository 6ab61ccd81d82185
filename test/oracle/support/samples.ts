// Which generated logs the oracle tests use: the fixed CI sample and the sweep.
import { type GenMix, type GenOptions, LOG_FORMATS, type LogFormat, Rng } from '../../gen/index.js';

const LINE_FORMATS: LogFormat[] = LOG_FORMATS.filter((f) => f !== 'ausearch-i');

/** The fixed CI sample of generated logs (~40; deterministic: change only on purpose). */
export function ciGeneratedSpecs(): GenOptions[] {
  const specs: GenOptions[] = [];
  let seed = 1000;
  // Missing-rule logs: 3 per format (compared byte for byte).
  for (const format of LOG_FORMATS) {
    for (let k = 0; k < 3; k++) specs.push({ seed: seed++, events: 12 + 4 * k, format, missingRuleOnly: true });
  }
  // Several formats in one log (not ausearch -i, which is never mixed in practice).
  specs.push({ seed: seed++, events: 24, formats: [...LINE_FORMATS], missingRuleOnly: true });
  specs.push({ seed: seed++, events: 20, formats: ['raw', 'enriched', 'node'], missingRuleOnly: true, mix: { hex: 0.6, multiAvc: 0.5, ioctlZero: 0.3 } });
  specs.push({ seed: seed++, events: 20, format: 'raw', missingRuleOnly: true, mix: { avcPath: 0.5, repeat: 0.5 } });
  specs.push({ seed: seed++, events: 15, format: 'ausearch-i', missingRuleOnly: true, mix: { hex: 0.7 } });
  // No SELinux record at all: "Nothing to do".
  specs.push({ seed: seed++, events: 6, format: 'raw', missingRuleOnly: true, mix: { noise: 1, daemonStart: 0, policyLoad: 0, selinuxErr: 0 } });
  // Random logs (AVCs checked by the oracle): per-(source, target, class) comparison only.
  for (const format of LOG_FORMATS) specs.push({ seed: seed++, events: 20, format });
  // Policy loads and old-form auditd starts, for -l (harness.ts adds it to these logs' option sets).
  for (const format of ['raw', 'syslog', 'enriched'] as const) {
    specs.push({ seed: seed++, events: 30, format, missingRuleOnly: true, mix: { daemonStartOld: 1, daemonStart: 0.06, policyLoad: 0.08 } });
  }
  return specs;
}

/**
 * The sweep: `count` logs from `seed` on, over every format, both modes, and
 * varied ingredient mixes (all drawn from the seed).
 */
export function sweepSpecs(count: number, seed = 100_000): GenOptions[] {
  const rng = new Rng(seed, 77);
  // Its own draws: the specs drawn before it was added stay as they were.
  const lastLoad = new Rng(seed, 78);
  const specs: GenOptions[] = [];
  for (let n = 0; n < count; n++) {
    const s = seed + n;
    const missingRuleOnly = rng.chance(0.65);
    const r = rng.next();
    const spec: GenOptions = { seed: s, events: rng.range(3, 45), missingRuleOnly };
    if (r < 0.85) spec.format = LOG_FORMATS[n % LOG_FORMATS.length] ?? 'raw';
    else spec.formats = rng.sample(LINE_FORMATS, rng.range(2, 4));
    if (rng.chance(0.5)) {
      const mix: Partial<GenMix> = {};
      if (rng.chance(0.4)) mix.hex = rng.pick([0, 0.5, 0.9]);
      if (rng.chance(0.3)) mix.multiAvc = rng.pick([0, 0.5]);
      if (rng.chance(0.3)) mix.repeat = rng.pick([0, 0.6]);
      if (rng.chance(0.2)) mix.avcPath = 0.4;
      if (rng.chance(0.2)) mix.ioctlZero = 0.5;
      if (rng.chance(0.2)) mix.selinuxErr = rng.pick([0, 0.3]);
      if (rng.chance(0.1)) mix.selinuxErrModern = 0.5;
      if (rng.chance(0.1)) mix.truncate = 0.2;
      if (rng.chance(0.05)) mix.crlf = 1;
      if (rng.chance(0.2)) mix.granted = 0.3;
      if (rng.chance(0.2)) mix.syscall = rng.pick([0, 1]);
      if (rng.chance(0.1)) mix.noise = 0.5;
      if (rng.chance(0.3)) mix.permissive = rng.pick([0, 1]);
      if (rng.chance(0.1)) mix.noPermissiveField = 0.5;
      if (!missingRuleOnly && rng.chance(0.3)) mix.invalid = rng.pick([0, 0.3]);
      if (!missingRuleOnly && rng.chance(0.3)) mix.userAvc = 0.4;
      spec.mix = mix;
    }
    if (rng.chance(0.2)) spec.interleave = rng.pick([0, 2, 6]);
    // Policy loads and old-form auditd starts: these logs also run -l (harness.ts).
    if (lastLoad.chance(0.15)) spec.mix = { ...spec.mix, daemonStartOld: 1, daemonStart: 0.05, policyLoad: 0.08 };
    specs.push(spec);
  }
  return specs;
}
