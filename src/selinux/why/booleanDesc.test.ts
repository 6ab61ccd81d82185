import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { booleanDescriptions, fallbackDescription } from './booleanDesc.js';

const SAMPLE = new URL('../../../test/fixtures/why/policy-sample.xml', import.meta.url);

describe('booleanDescriptions', () => {
  it('gives what sepolicy.gen_bool_dict gives (expected values printed by it for this file)', () => {
    const got = booleanDescriptions(readFileSync(SAMPLE, 'latin1'));
    // Only bools and tunables of modules of layers and at the top level; a <bool> inside an
    // <interface> or a comment does not count. The text of <p> ends at its first child element.
    expect(Object.fromEntries(got)).toEqual({
      t_one: 'Allow one <thing> to do ',
      b_one: 'CDATA <text> and more',
      global_bool: 'Global boolean AB',
      global_tunable: 'Global tunable',
    });
  });

  it('falls back to "Allow <first word> to <the rest>"', () => {
    expect(fallbackDescription('httpd_can_network_connect')).toBe('Allow httpd to can network connect');
  });
});
