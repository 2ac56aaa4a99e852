// The viewer benchmark's generated E2ETraceEvent files (seeded, so every run decodes the same events). A file named
// by TRACE_BENCH_FILE is kept between runs (the 500 MB file takes a while to write): it is made once, and its event
// count is kept next to it (`<file>.events`).
import { createWriteStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { traceEvent } from './nodeAccess';

const LEVELS: Array<[string, number]> = [['Information', 8], ['Verbose', 16], ['Warning', 4], ['Error', 2], ['Start', 255], ['Stop', 255], ['Transfer', 255]];

export async function generate(path: string, bytes: number): Promise<number> {
  const out = createWriteStream(path);
  let written = 0;
  let n = 0;
  let seed = 42;
  const rnd = (k: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % k; };
  const t0 = Date.UTC(2024, 0, 1);
  while (written < bytes) {
    const parts: string[] = [];
    for (let i = 0; i < 2000; i++, n++) {
      const [subType, level] = LEVELS[rnd(20) < 14 ? 0 : rnd(LEVELS.length)];
      const act = `{${(n >> 4).toString(16).padStart(8, '0')}-0000-4000-8000-${(n % 7).toString(16).padStart(12, '0')}}`;
      parts.push(traceEvent({
        time: new Date(t0 + n * 3).toISOString().replace('Z', `${String(rnd(10000)).padStart(4, '0')}Z`),
        subType, level, source: ['System.ServiceModel', 'Microsoft.Exchange.Connector', 'System.IdentityModel'][rnd(3)],
        activity: act, related: subType === 'Transfer' ? `{${((n >> 4) + 1).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000}` : undefined,
        process: ['w3wp', 'ExchangeConnector', 'iisexpress'][rnd(3)], pid: 1000 + rnd(8), thread: String(rnd(40)),
        description: `Event ${n}: ${['Throwing an exception.', 'Sent message over HTTP', 'Activity boundary.', 'Opened channel', 'Processing action'][rnd(5)]}`,
        eventId: 131000 + rnd(100),
      }));
    }
    const chunk = parts.join('');
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(r));
  return n;
}


/** A generated file of `bytes` at `path`; with `keep`, one made by an earlier run (same size asked) is used again. */
export async function benchFile(path: string, bytes: number, keep: boolean): Promise<{ events: number; reused: boolean }> {
  const meta = `${path}.events`;
  if (keep && existsSync(path) && existsSync(meta)) {
    const [want, events] = readFileSync(meta, 'utf8').trim().split(' ').map(Number);
    if (want === bytes && statSync(path).size >= bytes && events > 0) return { events, reused: true };
  }
  const events = await generate(path, bytes);
  if (keep) writeFileSync(meta, `${bytes} ${events}\n`);
  return { events, reused: false };
}
