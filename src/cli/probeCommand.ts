// `exchange-remoting probe <fqdn>… [--port 5986] [--format text|json|nagios]`: the Node connectivity probe of
// WinRM HTTPS listeners, with Nagios plugin exit codes (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).
import { parseArgs } from 'node:util';
import { readTextFileSync } from '../util/nodeFileAccess';
import { UsageError, type Subcommand } from './types';
import { InputError, validateFqdn, validatePort } from '../servers/validation';
import { probe, type ProbeOptions, type ProbeReport } from '../probe/probe';
import { NagiosCode, exitCodeFor, formatJson, formatNagios, formatText } from '../probe/format';
import { normaliseThumbprint } from '../probe/certificate';

const FORMATS = ['text', 'json', 'nagios'] as const;
type Format = (typeof FORMATS)[number];

const USAGE = `Usage: exchange-remoting probe <fqdn>… [options]

Checks each WinRM HTTPS listener from this machine, without PowerShell: TCP connect, TLS handshake, the
presented certificate (subject, names, validity, SHA-1 thumbprint as Windows shows it, trust), and an
unauthenticated WS-Management Identify.

Options:
  --port <n>              listener port (default 5986)
  --format <f>            text (default), json or nagios
  --thumbprint <hex>      the thumbprint the listener is configured with; a different one is a WARNING
  --timeout <ms>          per phase: connect, handshake, Identify (default 5000)
  --ca <file.pem>         also trust these root certificates
  --connect-to <address>  connect to this address instead of resolving the name (the name is still checked)
  --no-identify           skip the WS-Management Identify request

Exit codes (Nagios plugin convention, for Nagios, Icinga, PRTG): 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN
(also for invalid arguments).
Certificate bands: 60 days or more OK, 30–59 WARNING, under 30 CRITICAL.`;

export const probeCommand: Subcommand = {
  name: 'probe',
  summary: 'probe WinRM HTTPS listeners: TCP, TLS, certificate, WS-Man Identify (Nagios exit codes)',
  usage: USAGE,
  async run(args, io) {
    let options: ProbeOptions;
    let hosts: string[];
    let format: Format;
    try {
      ({ options, hosts, format } = parseProbeArgs(args));
    } catch (err) {
      // Nagios plugin guidelines: invalid arguments are UNKNOWN (3), not CRITICAL (2, the frame's usage code).
      if (err instanceof UsageError || err instanceof InputError || String((err as { code?: unknown })?.code ?? '').startsWith('ERR_PARSE_ARGS')) {
        io.err(`exchange-remoting probe: ${(err as Error).message}\n\n${USAGE}\n`);
        return NagiosCode.unknown;
      }
      throw err;
    }
    const reports: ProbeReport[] = await Promise.all(hosts.map((h) => probe(h, options)));
    io.out(format === 'json' ? formatJson(reports) : format === 'nagios' ? formatNagios(reports) : formatText(reports));
    return exitCodeFor(reports);
  },
};

function parseProbeArgs(args: readonly string[]): { options: ProbeOptions; hosts: string[]; format: Format } {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      port: { type: 'string' },
      format: { type: 'string' },
      thumbprint: { type: 'string' },
      timeout: { type: 'string' },
      ca: { type: 'string' },
      'connect-to': { type: 'string' },
      'no-identify': { type: 'boolean' },
    },
  });
  if (positionals.length === 0) throw new UsageError('Name at least one server (its fully qualified DNS name).');
  const hosts = positionals.map((p) => validateFqdn(p));
  const format = (values.format ?? 'text') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}.`);
  const port = values.port !== undefined ? validatePort(values.port) : 5986;
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    if (!/^\d{1,6}$/.test(values.timeout) || Number(values.timeout) < 1) throw new UsageError('--timeout takes milliseconds (1–999999).');
    timeoutMs = Number(values.timeout);
  }
  if (values.thumbprint !== undefined && !normaliseThumbprint(values.thumbprint)) {
    throw new UsageError('--thumbprint takes 40 hexadecimal digits (colons and spaces are ignored).');
  }
  let ca: string | undefined;
  if (values.ca !== undefined) {
    try { ca = readTextFileSync(values.ca); } catch (err) { throw new UsageError(`Cannot read --ca ${values.ca}: ${(err as Error).message}`); }
  }
  const options: ProbeOptions = {
    port,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(values.thumbprint !== undefined ? { expectedThumbprint: values.thumbprint } : {}),
    ...(ca !== undefined ? { ca } : {}),
    ...(values['connect-to'] !== undefined ? { connectTo: values['connect-to'] } : {}),
    ...(values['no-identify'] ? { identify: false } : {}),
  };
  return { options, hosts, format };
}
