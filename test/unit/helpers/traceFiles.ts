// Shared by the trace engine and trace CLI tests: the real fixtures, in-memory files behind the FileAccess seam, a
// synthetic event, and a CliIo that captures output.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CliIo } from '../../../src/cli/types';
import type { FileAccess } from '../../../src/trace/index';

function findUp(rel: string): string | undefined {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const p = join(dir, rel);
    if (existsSync(p)) return p;
    dir = dirname(dir);
  }
  return undefined;
}
/** test/fixtures/svclog: the real trace files the repository keeps (their sources in its MANIFEST.md). */
export const fixtureDir = findUp('test/fixtures/svclog')!;
/** Every trace file of that folder (not its manifest), sorted. */
export const fixtureFiles = readdirSync(fixtureDir).filter((f) => /\.(svclog|xml|e2e|log)$/i.test(f)).sort();
/** A real trace file of test/fixtures/svclog. */
export const fx = (name: string): Buffer => readFileSync(join(fixtureDir, name));

/** In-memory files behind the FileAccess seam. */
export class MemoryFiles implements FileAccess {
  readonly files = new Map<string, Buffer>();
  reads = 0;
  async size(path: string): Promise<number> {
    const f = this.files.get(path);
    if (!f) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return f.length;
  }
  async read(path: string, offset: number, length: number): Promise<Uint8Array> {
    this.reads++;
    const f = this.files.get(path)!;
    return Uint8Array.prototype.slice.call(f, offset, Math.min(f.length, offset + length));
  }
}

/** One E2ETraceEvent as a producer writes it (single line). */
export function event(message: string, o: { sub?: string; time: string; act?: string; rel?: string; source?: string; thread?: string; pid?: number }): string {
  const rel = o.rel ? ` RelatedActivityID="${o.rel}"` : '';
  return `<E2ETraceEvent xmlns="http://schemas.microsoft.com/2004/06/E2ETraceEvent"><System xmlns="http://schemas.microsoft.com/2004/06/windows/eventlog/system"><EventID>1</EventID><Type>3</Type><SubType Name="${o.sub ?? 'Information'}">0</SubType><Level>${o.sub === 'Error' ? 2 : 8}</Level><TimeCreated SystemTime="${o.time}" /><Source Name="${o.source ?? 'App'}" /><Correlation ActivityID="${o.act ?? '{00000000-0000-0000-0000-000000000000}'}"${rel} /><Execution ProcessName="p" ProcessID="${o.pid ?? 1}" ThreadID="${o.thread ?? '1'}" /><Channel/><Computer>PC</Computer></System><ApplicationData>${message}</ApplicationData></E2ETraceEvent>`;
}

/** A CliIo that keeps what the command printed. */
export function captureIo(): CliIo & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', env: {}, out(t: string) { io.stdout += t; }, err(t: string) { io.stderr += t; } };
  return io;
}
