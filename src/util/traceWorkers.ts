// The trace engine's RangeDecoder on worker_threads: the one place that starts threads. Each worker runs
// traceDecodeWorker.js (decodeRange over nodeFileAccess) and sends its IndexPart back with the column buffers and
// packed string tables transferred, not copied (partWire). Workers start on first use (or prepare()), take queued
// ranges one at a time, and end with close().
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { IndexPart, RangeDecoder, RangeTask } from '../trace/parallel';
import { fromWire, type WirePart } from '../trace/partWire';

/** The worker script next to this module: dist/traceDecodeWorker.js in the bundles, out/src/util/ in tests. */
export const WORKER_SCRIPT = join(__dirname, 'traceDecodeWorker.js');

export interface WorkerRanges extends RangeDecoder {
  /** Ends every worker (queued ranges fail with an error). */
  close(): Promise<void>;
}

type Job = { task: RangeTask; resolve: (p: IndexPart) => void; reject: (e: Error) => void };

/**
 * Ranges for `threads` threads in all (default: every core the machine reports): this thread decodes the first range
 * itself (openFileParallel), so `threads − 1` workers take the others.
 */
export function workerRanges(threads = availableParallelism(), script = WORKER_SCRIPT): WorkerRanges {
  const workers = Math.max(1, threads - 1);
  const queue: Job[] = [];
  const idle: Worker[] = [];
  const all = new Set<Worker>();
  const busy = new Map<Worker, Job>();
  let closed = false;
  const fail = (w: Worker, e: Error): void => {
    const job = busy.get(w);
    busy.delete(w);
    all.delete(w);
    const i = idle.indexOf(w);
    if (i >= 0) idle.splice(i, 1);
    job?.reject(e);
    // A worker that cannot start takes the queue with it: the caller decodes those ranges itself.
    if (all.size === 0) for (const j of queue.splice(0)) j.reject(e);
  };
  const spawn = (): Worker => {
    const w = new Worker(script);
    all.add(w);
    w.on('message', (m: { ok: true; part: WirePart } | { ok: false; error: string }) => {
      const job = busy.get(w);
      busy.delete(w);
      if (job) {
        if (!m.ok) job.reject(new Error(m.error));
        else {
          let part: IndexPart | undefined;
          try { part = fromWire(m.part); } catch (e) { job.reject(e as Error); }
          if (part) job.resolve(part);
        }
      }
      idle.push(w);
      pumpQueue();
    });
    w.on('error', (e) => fail(w, e));
    w.on('exit', (code) => { if (all.has(w)) fail(w, new Error(`trace decode worker exited with code ${code}`)); });
    return w;
  };
  const pumpQueue = (): void => {
    while (queue.length > 0 && !closed) {
      let w = idle.pop();
      if (!w) {
        if (all.size >= workers) return;
        w = spawn();
      }
      const job = queue.shift() as Job;
      busy.set(w, job);
      w.postMessage(job.task);
    }
  };
  return {
    threads,
    prepare() {
      while (!closed && all.size < workers) idle.push(spawn());
    },
    decode(task) {
      if (closed) return Promise.reject(new Error('trace decode workers are closed'));
      return new Promise<IndexPart>((resolve, reject) => { queue.push({ task, resolve, reject }); pumpQueue(); });
    },
    async close() {
      closed = true;
      for (const j of queue.splice(0)) j.reject(new Error('trace decode workers are closed'));
      const ws = [...all];
      all.clear();
      for (const [, j] of busy) j.reject(new Error('trace decode workers are closed'));
      busy.clear();
      await Promise.all(ws.map((w) => w.terminate()));
    },
  };
}
