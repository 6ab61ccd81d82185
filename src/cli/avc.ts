// `porthole avc`: the normalised denials of the input.
import { resolve } from 'node:path';
import { Command } from 'commander';
import { progressReporter } from './common.js';
import type { CliIo } from './io.js';

/** Table rows are aligned in blocks so that output streams. */
const BLOCK = 500;

export function avcCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('avc')
    .description('show the AVC denials in audit logs, with their system call, process and path')
    .argument('[LOG...]', 'audit logs to read (files, .gz, or - for stdin; default stdin)')
    .option('--json', 'one JSON object per denial (JSON lines), with every field and where each record is')
    .option('--strict', 'exit 2 when the input has malformed records')
    .action(async (logs: string[], flags: { json?: boolean; strict?: boolean }) => {
      // Loaded when the command runs: start-up stays cheap for every command.
      const [{ readDenials }, { denialRow, denialToJson, formatTable, TABLE_COLUMNS }, { describeMalformed }, { fileSource }] = await Promise.all([
        import('../audit/denials.js'),
        import('../audit/format.js'),
        import('../audit/read.js'),
        import('../base/source.js'),
      ]);
      const inputs = logs.length > 0 ? logs : ['-'];
      const sources = inputs.map((p) => fileSource(p === '-' ? p : resolve(io.cwd, p), { name: p, stdin: io.stdin }));
      let rows: string[][] = [[...TABLE_COLUMNS]];
      const progress = progressReporter(io);
      const stats = await readDenials(sources, progress ? { progress } : {}, (d) => {
        if (flags.json) {
          io.stdout(JSON.stringify(denialToJson(d)) + '\n');
          return;
        }
        rows.push(denialRow(d));
        if (rows.length >= BLOCK) {
          io.stdout(formatTable(rows));
          rows = [];
        }
      });
      if (!flags.json && rows.length > 0) io.stdout(formatTable(rows));
      const malformed = describeMalformed(stats);
      if (malformed) io.stderr(malformed + '\n');
      setExit(malformed && flags.strict ? 2 : 0);
    });
}
