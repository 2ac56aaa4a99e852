// Bench: real fan-out over SSH. The real runner and the real pwsh 7.6.9 against a private sshd on 127.0.0.1 … 127.0.0.8
// (test/tooling/sshd.ts) whose powershell subsystem is that pwsh: one Invoke-Command -HostName round trip to 1, 4 and 8
// loopback "servers", as ratios to 1 server, next to the double's table. Every remote session is a real pwsh process
// (about 0.5–1 s CPU each), so on a 2-core machine the ratios show CPU contention, not network latency.
import { NodePowerShellRunner } from '../src/powershell/nodePowerShellRunner';
import { realPwsh } from '../test/tooling/pwsh';
import { startSshServers } from '../test/tooling/sshd';

const REPEATS = 3;
const SIZES = [1, 4, 8] as const;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

export async function benchRunnerSsh(print: (line: string) => void = (l) => console.log(l)): Promise<void> {
  const ssh = await startSshServers(Math.max(...SIZES));
  const runner = new NodePowerShellRunner({ executable: realPwsh(), defaultTimeoutMs: 300_000 });
  try {
    const names = ssh.addresses.map((_, i) => `exch${String(i + 1).padStart(2, '0')}.contoso.test`);
    const connectTo = Object.fromEntries(names.map((n, i) => [n, ssh.addresses[i]!]));
    const target = { kind: 'ssh' as const, port: ssh.port, user: ssh.user, keyFile: ssh.keyFile, knownHostsFile: ssh.knownHostsFile };
    const once = async (n: number): Promise<number> => {
      const t0 = process.hrtime.bigint();
      const out = await runner.run({ target, servers: names.slice(0, n), connectTo, script: '$PSVersionTable.PSVersion.ToString()' });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const bad = out.results.find((r) => r.status !== 'ok');
      if (bad) throw new Error(`ssh bench run failed: ${JSON.stringify(bad)}`);
      return ms;
    };
    await once(1); // start the local shell
    const times = new Map<number, number>();
    for (const n of SIZES) {
      const samples: number[] = [];
      for (let i = 0; i < REPEATS; i++) samples.push(await once(n));
      times.set(n, median(samples));
    }
    const one = times.get(1) ?? 1;
    print(`runner fan-out over SSH (real pwsh 7.6.9 both ends, private sshd on loopback, one round trip, median of ${REPEATS}):`);
    for (const n of SIZES) {
      const ms = times.get(n) ?? 0;
      print(`  ${`${n} server${n === 1 ? '' : 's'}`.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms   ${(ms / one).toFixed(2)}x`);
    }
    const t0 = process.hrtime.bigint();
    for (const n of names.slice(0, 4)) await runner.run({ target, servers: [n], connectTo, script: '$PSVersionTable.PSVersion.ToString()' });
    const loop = Number(process.hrtime.bigint() - t0) / 1e6;
    print(`  ${'4 servers, one round trip each (baseline)'.padEnd(44)} ${loop.toFixed(0).padStart(6)} ms   ${(loop / one).toFixed(2)}x`);
  } finally {
    await runner.dispose();
    await ssh.stop();
  }
}

if (require.main === module) {
  benchRunnerSsh().catch((err: unknown) => { console.error(err); process.exitCode = 1; });
}
