// Runs the gzip reader over bytes in memory (no files), for the unit and differential tests.
import type { Diagnostic, PortholeError } from '../../src/base/diagnostic.js';
import { gunzipMembers } from '../../src/base/gzip/gunzip.js';

/** What the reader gives for `bytes` fed in chunks of `chunk` bytes: the data, the warnings, the error's data. */
export async function gunzipAll(bytes: Buffer, chunk = bytes.length || 1): Promise<{ data: Buffer; warnings: Diagnostic[]; error?: Diagnostic }> {
  async function* feed(): AsyncGenerator<Buffer> {
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
  }
  const out: Buffer[] = [];
  const warnings: Diagnostic[] = [];
  try {
    for await (const b of gunzipMembers(feed(), 'f.gz', (d) => warnings.push(d))) out.push(b);
  } catch (e) {
    return { data: Buffer.concat(out), warnings, error: (e as PortholeError).diagnostics[0]! };
  }
  return { data: Buffer.concat(out), warnings };
}
