// `exchange-remoting report <report.json> [--format md|html|json] [--out <file>]`: turns a checklist report
// exported from the extension (JSON) into Markdown or self-contained HTML for a change ticket. Exit code 1 when
// any step failed or could not be checked, so a pipeline can gate on it.
import { parseArgs } from 'node:util';
import { parseReport } from '../report/model';
import { REPORT_FORMATS, REPORT_LANGUAGES, renderReport } from '../report/render';
import { validateChoice } from '../servers/validation';
import { readTextFile, writeTextFile } from '../util/nodeFileAccess';
import { ExitCode, UsageError, type Subcommand } from './types';

export interface ReportFiles {
  read(path: string): Promise<string>;
  write(path: string, text: string): Promise<void>;
}

const nodeFiles: ReportFiles = {
  read: readTextFile,
  write: writeTextFile,
};

export function createReportCommand(files: ReportFiles = nodeFiles): Subcommand {
  return {
    name: 'report',
    summary: 'render a checklist report exported from the extension as Markdown or HTML',
    usage: [
      'Usage: exchange-remoting report <report.json> [--format md|html|json] [--lang en|de] [--out <file>]',
      '',
      'Reads a report saved by "Exchange Remoting: Export Report…" in JSON and prints it as Markdown (default),',
      'self-contained HTML, or normalised JSON. Exit code 1 when any step failed or could not be checked.',
      '  --format <md|html|json>  output format (default md)',
      '  --lang <en|de>           language of the report\'s own words (default en)',
      '  --out <file>             write to a file instead of standard output',
    ].join('\n'),
    async run(args, io) {
      const { values, positionals } = parseArgs({ args: [...args], options: { format: { type: 'string' }, lang: { type: 'string' }, out: { type: 'string' } }, allowPositionals: true, strict: true });
      if (positionals.length !== 1) throw new UsageError('Give exactly one report file.');
      const format = validateChoice(values.format ?? 'md', REPORT_FORMATS, 'format');
      const lang = validateChoice(values.lang ?? 'en', REPORT_LANGUAGES, 'lang');
      let text: string;
      try {
        text = await files.read(positionals[0] as string);
      } catch (err) {
        io.err(`exchange-remoting report: cannot read ${positionals[0]}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
        return ExitCode.usage;
      }
      let report;
      try {
        report = parseReport(text);
      } catch (err) {
        io.err(`exchange-remoting report: ${(err as Error).message}\n`);
        return ExitCode.usage;
      }
      const output = renderReport(report, format, lang);
      if (values.out) await files.write(values.out, output);
      else io.out(output);
      const bad = report.servers.some((s) => s.steps.some((st) => st.state === 'fail' || st.state === 'error'));
      return bad ? ExitCode.findings : ExitCode.ok;
    },
  };
}

export const reportCommand = createReportCommand();
