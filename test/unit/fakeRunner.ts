// A PowerShellRunner double for pure tests of the execution layer: records every request, answers from a
// scripted function. The real runner is tested against a PowerShell double executable in runner*.test.ts.
import type { PowerShellRunner, RunOutcome, RunRequest, ServerRunResult } from '../../src/powershell/runner';

export type Answer = (request: RunRequest, server: string) => ServerRunResult | Promise<ServerRunResult>;

export class FakeRunner implements PowerShellRunner {
  readonly requests: RunRequest[] = [];
  constructor(public answer: Answer) {}

  async run(request: RunRequest): Promise<RunOutcome> {
    this.requests.push(request);
    const servers = request.target.kind === 'local' ? ['localhost'] : request.servers;
    const results = await Promise.all(servers.map((s) => this.answer(request, s)));
    return { results, invocations: 1, elapsedMs: 1 };
  }

  async dispose(): Promise<void> {}
}

export function ok(server: string, result: unknown, output = ''): ServerRunResult {
  return { server, status: 'ok', output, result, diagnostics: [] };
}

export function failed(server: string, kind: Extract<ServerRunResult, { status: 'error' }>['error']['kind'], message: string, hresult?: string): ServerRunResult {
  return { server, status: 'error', output: '', error: { kind, message, ...(hresult ? { hresult } : {}) }, diagnostics: [] };
}
