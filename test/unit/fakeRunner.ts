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

/** What a real batch prints: for the i-th result marker in the script, the JSON `answer(i)` gives (undefined: nothing). */
export function markedOutput(script: string, answer: (index: number) => unknown): string {
  const tokens = [...script.matchAll(/Write-Output '##ERS-RESULT-BEGIN:([A-Za-z0-9]+)##'/g)].map((m) => m[1] as string);
  return tokens.map((t, i) => {
    const json = answer(i);
    return json === undefined ? 'WARNING: A check script stopped early' : `##ERS-RESULT-BEGIN:${t}##\n${JSON.stringify(json)}\n##ERS-RESULT-END:${t}##`;
  }).join('\n');
}
