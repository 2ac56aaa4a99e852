// Worker-thread entry (bundled as dist/traceDecodeWorker.js): decodes the byte ranges it is sent (decodeRange over
// nodeFileAccess) and answers each with its IndexPart, columns and string tables transferred as buffers (partWire).
import { parentPort } from 'node:worker_threads';
import { decodeRange, type RangeTask } from '../trace/parallel';
import { toWire } from '../trace/partWire';
import { heldFileAccess } from './nodeFileAccess';

const port = parentPort;
if (port) {
  port.on('message', (task: RangeTask) => {
    const access = heldFileAccess();
    decodeRange(access, task).finally(() => access.close()).then(
      (part) => { const { wire, transfer } = toWire(part); port.postMessage({ ok: true, part: wire }, transfer); },
      (e: unknown) => port.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) }),
    );
  });
}
