// `exchange-remoting steps [--json] [--profile remoting|intune] [--lang en|de]`: lists the step catalog.
import { parseArgs } from 'node:util';
import { CATALOG, catalogData } from '../checks/catalog';
import { PROFILES } from '../servers/server';
import { validateChoice } from '../servers/validation';
import { ExitCode, UsageError, type Subcommand } from './types';

export const stepsCommand: Subcommand = {
  name: 'steps',
  summary: 'list the setup steps (checks, remediations, risks)',
  usage: [
    'Usage: exchange-remoting steps [--json] [--profile remoting|intune] [--lang en|de]',
    '',
    'Lists the step catalog: id, where it runs, elevation, risk of the remediation, whether it restarts WinRM.',
    '  --json            the whole catalog as JSON (titles and explanations in English and German)',
    '  --profile <name>  only the steps of one profile',
    '  --lang <en|de>    language of titles in the table (default en)',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { json: { type: 'boolean' }, profile: { type: 'string' }, lang: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
    const profile = values.profile === undefined ? undefined : validateChoice(values.profile, PROFILES, 'profile');
    const lang = values.lang === undefined ? 'en' : validateChoice(values.lang, ['en', 'de'] as const, 'lang');
    const ids = new Set(CATALOG.filter((s) => profile === undefined || s.profiles.includes(profile)).map((s) => s.id));
    if (values.json) {
      io.out(`${JSON.stringify(catalogData().filter((s) => ids.has((s as { id: never }).id)), null, 2)}\n`);
      return ExitCode.ok;
    }
    const rows = CATALOG.filter((s) => ids.has(s.id)).map((s) => [
      s.number, s.id, s.profiles.join(','), s.where, s.needsElevation ? 'yes' : 'no', s.remediation.risk, s.remediation.restartsWinRM ? 'yes' : 'no', s.title[lang],
    ]);
    const head = ['#', 'id', 'profile', 'runs on', 'elevated', 'risk', 'restarts WinRM', 'title'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const line = (r: string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
    io.out(`${[line(head), ...rows.map(line)].join('\n')}\n`);
    return ExitCode.ok;
  },
};
