// Bench: wall time of one fan-out over 1, 10 and 50 servers through the real runner (node-powershell) against the
// PowerShell test double, which adds a fixed simulated latency per server. Printed as ratios to the 1-server time;
// a baseline with one round trip per server shows what the fan-out saves. Numbers only, no assertions.
import { NodePowerShellRunner } from '../src/powershell/nodePowerShellRunner';
import { markerLines } from '../src/pslang/resultMarkers';
import { PwshDouble } from '../test/doubles/pwshDouble';

const LATENCY_MS = 150;
const REPEATS = 3;
const TOKEN = 'BenchToken0001';

function script(): string {
  const { begin, end } = markerLines(TOKEN);
  return [`Write-Output '${begin}'`, `Write-Output '{"ok":true}'`, `Write-Output '${end}'`].join('\n');
}

function servers(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `exch${String(i + 1).padStart(2, '0')}.contoso.test`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

export async function benchRunner(print: (line: string) => void = (l) => console.log(l)): Promise<void> {
  const double = new PwshDouble({ servers: { '*': { latencyMs: LATENCY_MS } } });
  const runner = new NodePowerShellRunner({ executable: double.executable, env: double.env(), defaultTimeoutMs: 120_000 });
  try {
    await runner.run({ target: { kind: 'https' }, servers: servers(1), script: script(), resultToken: TOKEN }); // start the shell
    const time = async (n: number, throttleLimit: number, perServer = false): Promise<number> => {
      const samples: number[] = [];
      for (let i = 0; i < REPEATS; i++) {
        const t0 = process.hrtime.bigint();
        const text = script();
        const out = await runner.run({ target: { kind: 'https' }, servers: servers(n), script: perServer ? (s) => `# for ${s}\n${text}` : text, resultToken: TOKEN, throttleLimit });
        samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (out.results.some((r) => r.status !== 'ok')) throw new Error('bench run had errors');
      }
      return median(samples);
    };
    print(`runner fan-out (test double, ${LATENCY_MS} ms simulated latency per server, median of ${REPEATS}):`);
    const one = await time(1, 64);
    const rows: Array<[string, number]> = [
      ['1 server', one],
      ['10 servers', await time(10, 64)],
      ['50 servers (ThrottleLimit 64)', await time(50, 64)],
      ['50 servers (ThrottleLimit 32, the default)', await time(50, 32)],
      ['50 servers, a script per server (-AsJob)', await time(50, 32, true)],
    ];
    for (const [label, ms] of rows) print(`  ${label.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms   ${(ms / one).toFixed(2)}x`);
    // Baseline: one round trip per server, as a naive loop would do it.
    const t0 = process.hrtime.bigint();
    for (const s of servers(10)) await runner.run({ target: { kind: 'https' }, servers: [s], script: script(), resultToken: TOKEN });
    const loop = Number(process.hrtime.bigint() - t0) / 1e6;
    print(`  ${'10 servers, one round trip each (baseline)'.padEnd(44)} ${loop.toFixed(0).padStart(6)} ms   ${(loop / one).toFixed(2)}x`);
  } finally {
    await runner.dispose();
    double.cleanup();
  }
}

if (require.main === module) {
  benchRunner().catch((err: unknown) => { console.error(err); process.exitCode = 1; });
}
