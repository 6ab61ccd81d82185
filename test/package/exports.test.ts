// The package as a user installs it: `import ... from 'porthole'` resolves through
// package.json's exports map to the built dist/, and offers exactly what
// src/index.ts exports (a broken map or a stale build fails here).
import { describe, expect, it } from 'vitest';
import * as source from '../../src/index.js';

describe("import from 'porthole'", () => {
  it('gives every export of src/index.ts, of the same kind', async () => {
    const built = (await import('porthole')) as Record<string, unknown>;
    const kinds = (m: Record<string, unknown>): Record<string, string> => Object.fromEntries(Object.keys(m).map((k) => [k, typeof m[k]]));
    expect(kinds(built)).toEqual(kinds(source as Record<string, unknown>));
    expect(Object.keys(built).length).toBeGreaterThan(100);
  });

  it('works end to end: text in, a module out', async () => {
    const { learnFromLogs, printTe } = await import('porthole');
    const log = 'type=AVC msg=audit(1700000000.1:1): avc:  denied  { read } for  pid=1 comm="x" scontext=u:r:a_t:s0 tcontext=u:object_r:b_t:s0 tclass=file\n';
    const { module } = await learnFromLogs({ text: log }, { name: 'm' });
    expect(printTe(module)).toBe('\nmodule m 1.0;\n\nrequire {\n\ttype a_t;\n\ttype b_t;\n\tclass file read;\n}\n\n#============= a_t ==============\nallow a_t b_t:file read;\n');
  });
});
