// The trace benchmark's contenders other than the engine (the boundary-scan floor, saxes, txml), and the timing
// helpers every contender shares. Each runs inside its own child process started by trace.ts.
import { closeSync, openSync, readSync } from 'node:fs';
import { SaxesParser } from 'saxes';
import * as txml from 'txml';
import { peakRssMb } from '../test/unit/helpers/peakRss';

export const CHUNK = 4 << 20;
export const MiB = 1024 * 1024;

export interface ParseResult {
  name: string;
  events: number;
  seconds: number;
  mbPerSec: number;
  /** CPU seconds (user + system) of the parse, and MiB per CPU second: steadier than wall time on a shared machine. */
  cpuSeconds?: number;
  mbPerCpuSec?: number;
  maxRssMb: number;
  extra?: Record<string, number | string>;
}

export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** This child's own peak RSS (not the parent's at fork, which maxRSS keeps). */
export function maxRssMb(): number {
  return peakRssMb();
}

export function eachChunk(path: string, fn: (chunk: Buffer) => void): number {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(CHUNK);
  let total = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n <= 0) break;
      fn(buf.subarray(0, n));
      total += n;
    }
  } finally {
    closeSync(fd);
  }
  return total;
}

// ---- contenders (run inside a child process) -----------------------------------------------------------------------

export function floor(path: string): ParseResult {
  // Reads into one buffer, keeping the last (signature length − 1) bytes in front of the next read: no copies.
  const sig = Buffer.from('<E2ETraceEvent');
  const keep = sig.length - 1;
  cpuStart();
  const t0 = now();
  let events = 0;
  let bytes = 0;
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(CHUNK + keep);
  let have = 0;
  for (;;) {
    const n = readSync(fd, buf, have, CHUNK, null);
    if (n <= 0) break;
    bytes += n;
    const end = have + n;
    const view = buf.subarray(0, end);
    let i = view.indexOf(sig);
    while (i >= 0) { events++; i = view.indexOf(sig, i + sig.length); }
    buf.copy(buf, 0, end - keep, end);
    have = keep;
  }
  closeSync(fd);
  const s = (now() - t0) / 1000;
  return withCpu({ name: 'floor (Buffer.indexOf)', events, seconds: s, mbPerSec: bytes / MiB / s, maxRssMb: maxRssMb() }, bytes);
}

/** Fields every contender extracts per event (not retained; a checksum keeps the work observable). */
export interface Sink { events: number; check: number }
export function sinkEvent(sink: Sink, time: string, level: string, source: string, activity: string, process: string, message: string): void {
  sink.events++;
  sink.check = (sink.check + time.length + level.length + source.length + activity.length + process.length + message.length) | 0;
}

export async function saxesRun(path: string): Promise<ParseResult> {
  const parser = new SaxesParser({ fragment: true });
  const sink: Sink = { events: 0, check: 0 };
  let time = '', level = '', source = '', activity = '', proc = '', message = '';
  let capture = false;
  let inSystem = false;
  parser.on('opentag', (t) => {
    const name = t.name.slice(t.name.indexOf(':') + 1);
    const a = t.attributes as Record<string, string>;
    switch (name) {
      case 'E2ETraceEvent': time = level = source = activity = proc = message = ''; break;
      case 'System': inSystem = true; break;
      case 'SubType': level = a.Name ?? ''; break;
      case 'TimeCreated': time = a.SystemTime ?? ''; break;
      case 'Source': if (inSystem) source = a.Name ?? ''; break;
      case 'Correlation': activity = a.ActivityID ?? ''; break;
      case 'Execution': proc = a.ProcessName ?? ''; break;
      case 'Description': capture = true; break;
      default: break;
    }
  });
  parser.on('text', (t) => { if (capture) message += t; });
  parser.on('closetag', (t) => {
    const name = t.name.slice(t.name.indexOf(':') + 1);
    if (name === 'Description') capture = false;
    else if (name === 'System') inSystem = false;
    else if (name === 'E2ETraceEvent') sinkEvent(sink, time, level, source, activity, proc, message);
  });
  const dec = new TextDecoder('utf-8');
  cpuStart();
  const t0 = now();
  const bytes = eachChunk(path, (chunk) => { parser.write(dec.decode(chunk, { stream: true })); });
  parser.close();
  const s = (now() - t0) / 1000;
  return withCpu({ name: 'saxes 6 (SAX, fragment)', events: sink.events, seconds: s, mbPerSec: bytes / MiB / s, maxRssMb: maxRssMb() }, bytes);
}

export async function txmlRun(path: string): Promise<ParseResult> {
  type N = { tagName: string; attributes: Record<string, string | null>; children: Array<N | string> };
  const sink: Sink = { events: 0, check: 0 };
  const dec = new TextDecoder('utf-8');
  const endTag = '</E2ETraceEvent>';
  let carry = '';
  const local = (n: string): string => n.slice(n.indexOf(':') + 1);
  const visit = (ev: N): void => {
    let time = '', level = '', source = '', activity = '', proc = '', message = '';
    for (const c of ev.children) {
      if (typeof c === 'string') continue;
      if (local(c.tagName) === 'System') {
        for (const s of c.children) {
          if (typeof s === 'string') continue;
          const a = s.attributes;
          switch (local(s.tagName)) {
            case 'SubType': level = a.Name ?? ''; break;
            case 'TimeCreated': time = a.SystemTime ?? ''; break;
            case 'Source': source = a.Name ?? ''; break;
            case 'Correlation': activity = a.ActivityID ?? ''; break;
            case 'Execution': proc = a.ProcessName ?? ''; break;
            default: break;
          }
        }
      } else if (local(c.tagName) === 'ApplicationData') {
        const stack: Array<N | string> = [...c.children];
        while (stack.length) {
          const x = stack.pop()!;
          if (typeof x === 'string') continue;
          if (local(x.tagName) === 'Description') { message = x.children.filter((y) => typeof y === 'string').join(''); break; }
          stack.push(...x.children);
        }
      }
    }
    sinkEvent(sink, time, level, source, activity, proc, message);
  };
  cpuStart();
  const t0 = now();
  const bytes = eachChunk(path, (chunk) => {
    const text = carry + dec.decode(chunk, { stream: true });
    const cut = text.lastIndexOf(endTag);
    if (cut < 0) { carry = text; return; }
    carry = text.slice(cut + endTag.length);
    const nodes = txml.parse(text.slice(0, cut + endTag.length), { keepWhitespace: true }) as Array<N | string>;
    for (const n of nodes) if (typeof n !== 'string' && local(n.tagName) === 'E2ETraceEvent') visit(n);
  });
  const s = (now() - t0) / 1000;
  return withCpu({ name: 'txml 6 (DOM per chunk)', events: sink.events, seconds: s, mbPerSec: bytes / MiB / s, maxRssMb: maxRssMb() }, bytes);
}

export function withCpu(r: ParseResult, bytes: number): ParseResult {
  const cpuSeconds = cpuSecondsSinceStart();
  return { ...r, cpuSeconds, mbPerCpuSec: bytes / MiB / cpuSeconds };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export function timeIt(fn: () => unknown, runs = 7): number {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) { const t = now(); fn(); xs.push(now() - t); }
  return median(xs);
}

let cpuAtStart: NodeJS.CpuUsage | undefined;
/** Marks the start of a timed parse for CPU accounting (each contender calls it right before its clock starts). */
export function cpuStart(): void {
  cpuAtStart = process.cpuUsage();
}

/** CPU seconds (user + system) since the last cpuStart(). */
export function cpuSecondsSinceStart(): number {
  const cpu = process.cpuUsage(cpuAtStart);
  return (cpu.user + cpu.system) / 1e6;
}
