// Command line of the log generator. Run it through scripts/gen-log.mjs
// (which transpiles test/gen with the project's TypeScript; no tsx needed):
//
//   node scripts/gen-log.mjs --seed 7 --events 30 --format journal --missing-rule-only > x.log
//   node scripts/gen-log.mjs --seed 1 --count 100 --formats raw,dmesg --out-dir /tmp/logs   (seed, seed+1, ...)
//   node scripts/gen-log.mjs --seed 7 --meta x.meta.json > x.log
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MIX, type GenMix, type GenOptions, generateLog, LOG_FORMATS, type LogFormat } from './generate.js';

const USAGE = `usage: gen-log [--seed N] [--events N] [--format F | --formats F,F] [--missing-rule-only]
               [--interleave N] [--mix key=p,key=p] [--meta FILE] [--count N --out-dir DIR]
formats: ${LOG_FORMATS.join(' ')}
mix keys: ${Object.keys(DEFAULT_MIX).join(' ')}
`;

export function main(argv: string[], write: (s: string) => void = (s) => void process.stdout.write(s)): number {
  const opts: GenOptions = { seed: 1 };
  let meta: string | undefined;
  let count = 1;
  let outDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--seed':
        opts.seed = Number(val());
        break;
      case '--events':
        opts.events = Number(val());
        break;
      case '--format':
        opts.format = checkFormat(val());
        break;
      case '--formats':
        opts.formats = val().split(',').map(checkFormat);
        break;
      case '--missing-rule-only':
        opts.missingRuleOnly = true;
        break;
      case '--interleave':
        opts.interleave = Number(val());
        break;
      case '--mix': {
        const mix: Partial<GenMix> = {};
        for (const kv of val().split(',')) {
          const [k, p] = kv.split('=');
          if (k === undefined || !(k in DEFAULT_MIX) || p === undefined) throw new Error(`bad --mix ${kv}`);
          mix[k as keyof GenMix] = Number(p);
        }
        opts.mix = mix;
        break;
      }
      case '--meta':
        meta = val();
        break;
      case '--count':
        count = Number(val());
        break;
      case '--out-dir':
        outDir = val();
        break;
      case '-h':
      case '--help':
        write(USAGE);
        return 0;
      default:
        process.stderr.write(`gen-log: unknown argument ${a}\n${USAGE}`);
        return 2;
    }
  }
  if (count > 1 && outDir === undefined) {
    process.stderr.write('gen-log: --count needs --out-dir\n');
    return 2;
  }
  if (outDir !== undefined) mkdirSync(outDir, { recursive: true });
  for (let n = 0; n < count; n++) {
    const o = { ...opts, seed: opts.seed + n };
    const g = generateLog(o);
    if (outDir !== undefined) {
      const base = join(outDir, `gen-${o.seed}`);
      writeFileSync(`${base}.log`, g.text);
      writeFileSync(`${base}.meta.json`, `${JSON.stringify(g.meta, null, 1)}\n`);
    } else {
      write(g.text);
      if (meta !== undefined) writeFileSync(meta, `${JSON.stringify(g.meta, null, 1)}\n`);
    }
  }
  return 0;
}

function checkFormat(f: string): LogFormat {
  if (!(LOG_FORMATS as readonly string[]).includes(f)) throw new Error(`unknown format ${f} (${LOG_FORMATS.join(', ')})`);
  return f as LogFormat;
}
