// The XML doc comment refpolicy writes above an interface (policy.dtd):
//
//   ## <summary>
//   ##	Allow caller to read kernel messages.
//   ## </summary>
//   ## <param name="domain">
//   ##	<summary>
//   ##	Domain allowed access.
//   ##	</summary>
//   ## </param>
//
// Only the `##` lines count; the text is read leniently (a comment that is
// not well-formed XML still gives what it has). Not here: finding the block
// (parse.ts).
import type { DefinitionParam } from './parse.js';

export interface DocComment {
  /** The first top-level <summary>, whitespace collapsed and tags taken out. */
  summary: string;
  /** <param name=...> in order, with their summaries. */
  params: DefinitionParam[];
  /** <desc>, collapsed as the summary ('' without one). */
  description: string;
  /** <rolecap/>: the interface grants a role capability. */
  rolecap: boolean;
}

const PARAM = /<param\s+([^>]*?)\/?>(?:([\s\S]*?)<\/param>)?/g;

/** Reads the XML of a doc comment's lines (as written, each starting with `#`). */
export function parseDocComment(lines: readonly string[]): DocComment {
  const xml = lines
    .map((l) => l.trimStart())
    .filter((l) => l.startsWith('##') && !/^#+\s*$/.test(l))
    .map((l) => l.slice(2))
    .join('\n');
  const params: DefinitionParam[] = [];
  for (const m of xml.matchAll(PARAM)) {
    const attrs = m[1] ?? '';
    const name = attribute(attrs, 'name');
    if (name === undefined) continue;
    params.push({
      name,
      summary: collapse(element(m[2] ?? '', 'summary') ?? m[2] ?? ''),
      optional: attribute(attrs, 'optional') === 'true',
      unused: attribute(attrs, 'unused') === 'true',
    });
  }
  const outside = xml.replace(PARAM, '');
  return {
    summary: collapse(element(outside, 'summary') ?? ''),
    params,
    description: collapse(element(outside, 'desc') ?? ''),
    rolecap: /<rolecap\s*\/?>/.test(outside),
  };
}

const ATTRIBUTES = {
  name: /\bname\s*=\s*"([^"]*)"/,
  optional: /\boptional\s*=\s*"([^"]*)"/,
  unused: /\bunused\s*=\s*"([^"]*)"/,
};
const ELEMENTS = { summary: /<summary>([\s\S]*?)<\/summary>/, desc: /<desc>([\s\S]*?)<\/desc>/ };

function attribute(attrs: string, name: keyof typeof ATTRIBUTES): string | undefined {
  return ATTRIBUTES[name].exec(attrs)?.[1];
}

function element(xml: string, tag: keyof typeof ELEMENTS): string | undefined {
  return ELEMENTS[tag].exec(xml)?.[1];
}

/** Tags out, whitespace collapsed. */
function collapse(s: string): string {
  return s
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
