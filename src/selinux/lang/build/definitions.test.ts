// arityOf: how many arguments an interface needs and takes, from its body and doc comment.
import { describe, expect, it } from 'vitest';
import { arityOf } from '../../../index.js';
import type { PolicyDefinition } from '../../refpolicy/parse.js';

const param = (name: string, optional = false) => ({ name, summary: '', optional, unused: false });
const def = (body: string, params: ReturnType<typeof param>[] = []) => ({ body, doc: { params } }) as unknown as PolicyDefinition;

describe('arityOf', () => {
  it('needs every $N up to the highest, and takes as many as used or documented', () => {
    expect(arityOf(def('allow $1 $2:file read;'))).toEqual({ min: 2, max: 2 });
    expect(arityOf(def('allow $1 self:file read;', [param('domain'), param('unused')]))).toEqual({ min: 1, max: 2 });
  });

  it('does not need an optional parameter, one tested for emptiness, or one past the documented ones', () => {
    expect(arityOf(def('allow $1 $2:file read;', [param('domain'), param('type', true)]))).toEqual({ min: 1, max: 2 });
    // systemd_tmpfilesd_managed: the second argument is deprecated, tested with ifelse(`$2',`',...).
    expect(arityOf(def("allow t $1:dir read;\nifelse(`$2',`',`',`\n\tallow t $1:$2 create;\n')", [param('type')]))).toEqual({ min: 1, max: 2 });
    expect(arityOf(def('allow $1 $2:file read;', [param('domain')]))).toEqual({ min: 1, max: 2 });
  });

  it('takes any number with $* or $@', () => {
    expect(arityOf(def('foo($*)'))).toEqual({ min: 0, max: undefined });
  });
});
