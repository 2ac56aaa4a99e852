// Several servers' local checks (TrustedHosts, the delegation lookup…) in ONE local PowerShell round trip: each
// server's combined check runs in its own scope and prints its own marked result; one that stops early leaves only
// its own result missing; each part's result is found by its token (extractResult). Pure.
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

