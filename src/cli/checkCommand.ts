// `exchange-remoting check`: the extension's checks, headless, for a scheduled task or a monitoring system. The same
// runner (NodePowerShellRunner), catalog, evaluators and check service as the sidebar; the servers file is the
// `exchangeRemoting.servers` setting's array. Exit codes: 0 all passed, 1 findings, 2 usage, 3 could not check;
// with --format nagios the probe's Nagios convention (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).
import { parseArgs } from 'node:util';
import { getStep, isStepId, stepsFor, type StepId } from '../checks';
import { germanResultText, localizeResult } from '../checks/resultText';
import type { StepDefinition } from '../checks/types';
import { CheckService } from '../execution/checkService';
import { directChecks } from '../execution/directChecks';
import { connectorObservers } from '../execution/connectorObserver';
import { nullLogger, type Logger } from '../log';
import { NodePowerShellRunner } from '../powershell/nodePowerShellRunner';
import type { PowerShellRunner } from '../powershell/runner';
import { CONNECTIONS, parseServer, parseServerList, type ServerConfig } from '../servers/server';
import { InputError } from '../servers/validation';
import { readTextFileSync } from '../util/nodeFileAccess';
import type { CaFile } from '../probe/trust';
import { CA_OPTIONS_HELP, readCaFiles } from './caFiles';
import { ResultStore, type KeyValueStore, type StoredResult } from '../state/resultStore';
import { ExitCode, UsageError, type CliIo, type Subcommand } from './types';

const FORMATS = ['text', 'json', 'nagios'] as const;
type Format = (typeof FORMATS)[number];
const LANGUAGES = ['en', 'de'] as const;
type Lang = (typeof LANGUAGES)[number];

const USAGE = `Usage: exchange-remoting check [--servers <file.json>] [--server <fqdn> [server options]] [options]

Runs the read-only checks of the setup steps on the servers, as the sidebar does, and prints one result per
server and step. Nothing is changed on any server.

Servers:
  --servers <file.json>   the servers as in the exchangeRemoting.servers setting (an array of entries)
  --server <fqdn>         one server (with the options below; may be combined with --servers)
    --connection <kind>   https (default), http-kerberos, local or ssh
    --port <n>            port of the connection (5986, 5985, 22 by default)
    --user <name>         ssh: user to log in as
    --key <file>          ssh: private key file (key authentication only)
    --known-hosts <file>  ssh: known_hosts file for the server's host key
    --connect-to <addr>   ssh: connect to this address instead of resolving the name
    --service-account <a> the account that must connect (DOMAIN\\user), for the steps that need it
    --profile <name>      remoting (default) or intune

Options:
  --step <id>             only this step (repeatable; default: every step of the server's profile)
  --format <f>            text (default), json or nagios
  --lang <en|de>          language of step titles, summaries, reasons, evidence labels and the text
                          format's closing line (default en); status ids, step ids, codes, JSON keys
                          and the Nagios status words stay as they are
  --pwsh <path>           the PowerShell to use (default: pwsh, or powershell.exe on Windows)
  --timeout <s>           limit per PowerShell round trip in seconds (default 120)
${CA_OPTIONS_HELP}
                          (for the network-path step, decided by the same probe as \`exchange-remoting probe\`)

Exit codes: 0 every step passed (or does not apply), 1 findings (a step failed or warned), 2 usage,
3 a step could not be checked. With --format nagios: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.`;

export interface CheckCommandDeps {
  /** Replaces the real runner (tests). */
  readonly runner?: (executable: string | undefined) => PowerShellRunner;
  readonly now?: () => Date;
  readonly log?: Logger;
  /** Connect the network-path probe to this address (tests keep it on 127.0.0.1, as the extension's tests do). */
  readonly probeConnectTo?: string;
}

class MemoryKeyValue implements KeyValueStore {
  private readonly data = new Map<string, unknown>();
  get<T>(key: string): T | undefined { return this.data.get(key) as T | undefined; }
  async update(key: string, value: unknown): Promise<void> { this.data.set(key, value); }
}

interface CheckArgs {
  readonly servers: ServerConfig[];
  readonly steps?: StepId[];
  readonly format: Format;
  readonly lang: Lang;
  readonly executable?: string;
  readonly timeoutMs: number;
  readonly caFiles: readonly CaFile[];
  readonly systemStore: boolean;
}

export function checkCommandWith(deps: CheckCommandDeps = {}): Subcommand {
  return {
    name: 'check',
    summary: 'run the read-only checks on servers (text, JSON or Nagios; for scheduled tasks and monitoring)',
    usage: USAGE,
    async run(args, io) {
      let parsed: CheckArgs;
      try {
        parsed = parseCheckArgs(args);
      } catch (err) {
        if (err instanceof UsageError || err instanceof InputError || String((err as { code?: unknown })?.code ?? '').startsWith('ERR_PARSE_ARGS')) {
          const nagios = args.includes('nagios');
          io.err(`exchange-remoting check: ${(err as Error).message}\n\n${USAGE}\n`);
          return nagios ? 3 : ExitCode.usage;
        }
        throw err;
      }
      return runChecks(parsed, io, deps);
    },
  };
}

export const checkCommand: Subcommand = checkCommandWith();

async function runChecks(a: CheckArgs, io: CliIo, deps: CheckCommandDeps): Promise<number> {
  const runner = deps.runner?.(a.executable) ?? new NodePowerShellRunner({ ...(a.executable ? { executable: a.executable } : {}) });
  const store = new ResultStore(new MemoryKeyValue(), 'results', 'results.bad');
  const now = deps.now ?? (() => new Date());
  const service = new CheckService({
    runner, store, log: deps.log ?? nullLogger, now, extraInputs: () => ({}),
    // The CLI holds no stored credential: WinRM uses the current Windows identity (Kerberos), ssh its key.
    credentialFor: async () => undefined,
    settings: () => ({ timeoutMs: a.timeoutMs, throttleLimit: 32 }),
    directChecks: () => directChecks({ directory: async () => undefined, credential: async () => undefined, probeCaFiles: async () => a.caFiles, probeSystemStore: a.systemStore, ...(deps.probeConnectTo ? { probeConnectTo: deps.probeConnectTo } : {}) }),
    // As in the sidebar: the connector's CAS servers probed from here, compared with the servers given.
    observers: () => connectorObservers({ configuredServers: () => a.servers.map((s) => s.fqdn), ...(deps.probeConnectTo ? { probeConnectTo: deps.probeConnectTo } : {}) }),
  });
  const jobs = a.servers.map((server) => ({ server, steps: stepsOf(server, a.steps) }));
  let unavailable: string | undefined;
  try {
    unavailable = (await service.check(jobs)).powershellUnavailable;
  } finally {
    await runner.dispose();
  }
  const rows = jobs.flatMap(({ server, steps }) => steps.map((step) => ({ server: server.fqdn, step, result: localizeResult(store.get(server.fqdn, step.id), a.lang) })));
  const words = (t: string): string => (a.lang === 'de' ? germanResultText(t) ?? t : t);
  const results = rows.map((r) => ({
    server: r.server, step: r.step.id, title: r.step.title[a.lang],
    status: r.result?.status ?? 'error',
    summary: r.result?.summary ?? words(unavailable ? 'PowerShell is not available' : 'No result'),
    reason: r.result?.reason ?? (unavailable ? words(unavailable) : ''),
    code: r.result?.code,
    evidence: r.result?.evidence ?? [],
    checkedAt: r.result?.checkedAt,
  }));
  if (a.format === 'json') io.out(`${JSON.stringify({ schema: 'ers.check-report/1', generatedAt: now().toISOString(), lang: a.lang, results }, null, 2)}\n`);
  else if (a.format === 'nagios') io.out(nagios(results));
  else io.out(text(results, a.lang));
  return a.format === 'nagios' ? nagiosCode(results) : exitCode(results);
}

type Row = { server: string; step: string; title: string; status: StoredResult['status']; summary: string; reason: string };

function exitCode(rows: readonly Row[]): number {
  if (rows.some((r) => r.status === 'fail' || r.status === 'warn')) return ExitCode.findings;
  if (rows.some((r) => r.status === 'error')) return ExitCode.internal;
  return ExitCode.ok;
}

function nagiosCode(rows: readonly Row[]): number {
  if (rows.some((r) => r.status === 'fail')) return 2;
  if (rows.some((r) => r.status === 'warn')) return 1;
  if (rows.some((r) => r.status === 'error')) return 3;
  return 0;
}

const NAGIOS_LABEL = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;
const STATUS_NAGIOS: Record<string, number> = { pass: 0, notApplicable: 0, warn: 1, fail: 2, error: 3 };

/** One status line (worst first, the problems named) and one line per step, as the probe prints. */
function nagios(rows: readonly Row[]): string {
  const code = nagiosCode(rows);
  const bad = rows.filter((r) => r.status !== 'pass' && r.status !== 'notApplicable');
  const counts = (['pass', 'warn', 'fail', 'error', 'notApplicable'] as const).map((s) => `${s}=${rows.filter((r) => r.status === s).length}`);
  const summary = bad.length === 0 ? `${rows.length} step(s) passed` : bad.map((r) => `${r.server} ${r.step} ${r.status}`).join(', ');
  const lines = [`EXCHANGE-REMOTING ${NAGIOS_LABEL[code]} - ${oneLine(summary, 400)} | ${counts.join(' ')}`];
  for (const r of rows) lines.push(`[${NAGIOS_LABEL[STATUS_NAGIOS[r.status] ?? 3]}] ${r.server} ${r.step}: ${oneLine(r.summary, 200)}`);
  return `${lines.join('\n')}\n`;
}

/** The text format's closing line: counts by state in the chosen language (a count never glued to a plural noun in German). */
function closingLine(rows: readonly Row[], lang: Lang): string {
  const by = (s: string): number => rows.filter((r) => r.status === s).length;
  if (lang === 'de') return `Schritte: ${rows.length} — bestanden: ${by('pass')}, Warnung: ${by('warn')}, fehlgeschlagen: ${by('fail')}, nicht prüfbar: ${by('error')}, entfällt: ${by('notApplicable')}`;
  return `${rows.length} step(s): ${by('pass')} passed, ${by('warn')} warned, ${by('fail')} failed, ${by('error')} could not be checked, ${by('notApplicable')} not applicable`;
}

function text(rows: readonly Row[], lang: Lang): string {
  const out: string[] = [];
  let server = '';
  for (const r of rows) {
    if (r.server !== server) { server = r.server; out.push(`${out.length ? '\n' : ''}${server}`); }
    out.push(`  ${r.status.padEnd(13)} ${r.step}: ${oneLine(r.summary, 200)}`);
    if (r.status !== 'pass' && r.status !== 'notApplicable' && r.reason) out.push(`  ${''.padEnd(13)} ${oneLine(r.reason, 400)}`);
  }
  out.push('', closingLine(rows, lang));
  return `${out.join('\n')}\n`;
}

/** Server text is data: control characters never reach the terminal, and lines stay bounded. */
function oneLine(textIn: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const t = textIn.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

function stepsOf(server: ServerConfig, only: readonly StepId[] | undefined): StepDefinition[] {
  if (only) return only.map((id) => getStep(id)).filter((s) => s.profiles.includes(server.profile));
  return stepsFor(server.profile);
}

function parseCheckArgs(args: readonly string[]): CheckArgs {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      servers: { type: 'string' },
      server: { type: 'string' },
      connection: { type: 'string' },
      port: { type: 'string' },
      user: { type: 'string' },
      key: { type: 'string' },
      'known-hosts': { type: 'string' },
      'connect-to': { type: 'string' },
      'service-account': { type: 'string' },
      profile: { type: 'string' },
      step: { type: 'string', multiple: true },
      format: { type: 'string' },
      lang: { type: 'string' },
      pwsh: { type: 'string' },
      timeout: { type: 'string' },
      ca: { type: 'string', multiple: true },
      'no-system-ca': { type: 'boolean' },
    },
  });
  if (positionals.length) throw new UsageError(`Unexpected argument "${positionals[0]}" (name a server with --server).`);
  const format = (values.format ?? 'text') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}.`);
  const lang = (values.lang ?? 'en') as Lang;
  if (!LANGUAGES.includes(lang)) throw new UsageError(`--lang must be one of ${LANGUAGES.join(', ')}.`);
  const servers: ServerConfig[] = [];
  if (values.servers !== undefined) {
    let raw: unknown;
    try {
      raw = JSON.parse(readTextFileSync(values.servers));
    } catch (err) {
      throw new UsageError(`Cannot read the servers file ${values.servers}: ${(err as Error).message}`);
    }
    const list = parseServerList(raw);
    if (list.problems.length) throw new UsageError(`The servers file ${values.servers} has problems: ${list.problems.map((p) => `entry ${p.index + 1}: ${p.message}`).join('; ')}`);
    servers.push(...list.servers);
  }
  const serverOptions = ['connection', 'port', 'user', 'key', 'known-hosts', 'connect-to', 'service-account', 'profile'] as const;
  if (values.server !== undefined) {
    if (values.connection !== undefined && !(CONNECTIONS as readonly string[]).includes(values.connection)) {
      throw new UsageError(`--connection must be one of ${CONNECTIONS.join(', ')}.`);
    }
    const entry: Record<string, unknown> = { fqdn: values.server };
    if (values.connection !== undefined) entry.connection = values.connection;
    if (values.port !== undefined) {
      if (!/^\d{1,5}$/.test(values.port)) throw new UsageError('--port takes a number from 1 to 65535.');
      entry.port = Number(values.port);
    }
    if (values.user !== undefined) entry.user = values.user;
    if (values.key !== undefined) entry.keyFile = values.key;
    if (values['known-hosts'] !== undefined) entry.knownHostsFile = values['known-hosts'];
    if (values['connect-to'] !== undefined) entry.connectTo = values['connect-to'];
    if (values['service-account'] !== undefined) entry.serviceAccount = values['service-account'];
    if (values.profile !== undefined) entry.profile = values.profile;
    const server = parseServer(entry);
    if (servers.some((s) => s.fqdn === server.fqdn)) throw new UsageError(`${server.fqdn} is named twice.`);
    servers.push(server);
  } else {
    const stray = serverOptions.find((o) => values[o] !== undefined);
    if (stray) throw new UsageError(`--${stray} belongs to a --server.`);
  }
  if (!servers.length) throw new UsageError('Name the servers: --servers <file.json> or --server <fqdn>.');
  let steps: StepId[] | undefined;
  if (values.step?.length) {
    const bad = values.step.find((s) => !isStepId(s));
    if (bad) throw new UsageError(`"${bad}" is not a step id (exchange-remoting steps lists them).`);
    steps = values.step as StepId[];
  }
  let timeoutMs = 120_000;
  if (values.timeout !== undefined) {
    if (!/^\d{1,5}$/.test(values.timeout) || Number(values.timeout) < 1) throw new UsageError('--timeout takes seconds (1–99999).');
    timeoutMs = Number(values.timeout) * 1000;
  }
  return { servers, ...(steps ? { steps } : {}), format, lang, ...(values.pwsh ? { executable: values.pwsh } : {}), timeoutMs, caFiles: readCaFiles(values.ca ?? []), systemStore: !values['no-system-ca'] };
}
