// Worker-thread entry (bundled as dist/traceDecodeWorker.js): decodes the byte ranges it is sent (decodeRange over
// nodeFileAccess) and answers each with its IndexPart, column buffers transferred.
import { parentPort } from 'node:worker_threads';
import { COLUMNS, decodeRange, type RangeTask } from '../trace/parallel';
import { heldFileAccess } from './nodeFileAccess';

const port = parentPort;
if (port) {
  port.on('message', (task: RangeTask) => {
    const access = heldFileAccess();
    decodeRange(access, task).finally(() => access.close()).then(
      (part) => port.postMessage({ ok: true, part }, COLUMNS.map((c) => part.columns[c.name].buffer as ArrayBuffer)),
      (e: unknown) => port.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) }),
    );
  });
}
