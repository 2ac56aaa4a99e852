// Shared by the runner tests against the PowerShell double: a fresh double and runner per test, a marked check
// script, a capturing logger, a deep base64 decoder for secret scans, and the server names.
import type { Logger } from '../../../src/log';
import { InMemoryCredentialSource } from '../../../src/powershell/credentials';
import { NodePowerShellRunner } from '../../../src/powershell/nodePowerShellRunner';
import type { ServerRunResult } from '../../../src/powershell/runner';
import { markerLines } from '../../../src/pslang/resultMarkers';
import { PwshDouble } from '../../doubles/pwshDouble';

export const TOKEN = 'Tok3nForTests01';
export const { begin, end } = markerLines(TOKEN);

/** A check script in the double's PowerShell subset that prints one marked JSON result. */
export function checkScript(json: object): string {
  return [
    '# check: demo',
    "Write-Output 'banner noise before the result'",
    `Write-Output '${begin}'`,
    `Write-Output '${JSON.stringify(json).replace(/'/g, "''")}'`,
    `Write-Output '${end}'`,
  ].join('\n');
}

export type CapturingLogger = Logger & { lines: string[] };

export function capturingLogger(): CapturingLogger {
  const lines: string[] = [];
  const push = (m: string | Error, ...a: unknown[]): void => { lines.push([String(m), ...a.map((x) => JSON.stringify(x))].join(' ')); };
  return { lines, trace: push, debug: push, info: push, warn: push, error: push };
}

/** Text plus everything hidden in it as base64 payloads (UTF-16LE or UTF-8), decoded recursively: secrets cannot hide. */
export function deepDecode(text: string, depth = 0): string {
  if (depth > 4) return text;
  const parts = [text];
  for (const m of text.matchAll(/[A-Za-z0-9+/]{16,}={0,2}/g)) {
    const buf = Buffer.from(m[0], 'base64');
    for (const decoded of [buf.toString('utf16le'), buf.toString('utf8')]) {
      // eslint-disable-next-line no-control-regex -- printable text plus tab and line breaks
      if (/^[\x09\x0a\x0d\x20-\x7e\u00a0-\uffff]*$/.test(decoded) && !decoded.includes('\ufffd')) parts.push(deepDecode(decoded, depth + 1));
    }
  }
  return parts.join('\n');
}

export function byServer(results: readonly ServerRunResult[]): Record<string, ServerRunResult> {
  return Object.fromEntries(results.map((r) => [r.server, r]));
}

export const SERVERS = ['exch01.contoso.test', 'exch02.contoso.test', 'exch03.contoso.test', 'exch04.contoso.test', 'exch05.contoso.test'];

/** What each test of a suite gets from useRunnerDouble: filled before each test, disposed after it. */
export interface RunnerDoubleContext {
  double: PwshDouble;
  runner: NodePowerShellRunner;
  logger: CapturingLogger;
  /** The runner's credentials: one store for the whole suite. */
  readonly credentials: InMemoryCredentialSource;
}

/**
 * For a describe(): before each test a new PowerShell double and a NodePowerShellRunner on it (its credentials, a
 * capturing logger, 15 s per call); after each test the runner is disposed and the double cleaned up.
 */
export function useRunnerDouble(): RunnerDoubleContext {
  const ctx = { credentials: new InMemoryCredentialSource() } as RunnerDoubleContext;
  beforeEach(() => {
    ctx.double = new PwshDouble();
    ctx.logger = capturingLogger();
    ctx.runner = new NodePowerShellRunner({ executable: ctx.double.executable, env: ctx.double.env(), credentials: ctx.credentials, logger: ctx.logger, defaultTimeoutMs: 15_000 });
  });
  afterEach(async () => {
    await ctx.runner.dispose();
    ctx.double.cleanup();
  });
  return ctx;
}
