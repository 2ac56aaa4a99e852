// Several servers' local checks (TrustedHosts, the delegation lookup…) in ONE local PowerShell round trip: each
// server's combined check runs in its own scope and prints its own marked result; one that stops early leaves only
// its own result missing. Pure.
import { extractResult } from '../powershell/resultMarkers';

export function localBatchScript(parts: readonly string[]): string {
  return parts.map((part) => [
    'try {',
    '& {',
    part,
    '}',
    '} catch {',
    "    Write-Warning ('A check script stopped early: ' + $_.Exception.Message)",
    '}',
  ].join('\n')).join('\n\n');
}

/** The JSON document one part printed, or why there is none. */
export function batchPartResult(output: string, token: string): { ok: true; json: unknown } | { ok: false; detail: string } {
  const r = extractResult(output, token);
  return r.ok ? { ok: true, json: r.json } : { ok: false, detail: r.detail };
}
