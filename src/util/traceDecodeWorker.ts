// Worker-thread entry (bundled as dist/traceDecodeWorker.js): decodes the byte ranges it is sent (decodeRange over
// nodeFileAccess) and answers each with its IndexPart, column buffers transferred.
import { parentPort } from 'node:worker_threads';
import { COLUMNS, decodeRange, type RangeTask } from '../trace/parallel';
import { nodeFileAccess } from './nodeFileAccess';

const port = parentPort;
if (port) {
  port.on('message', (task: RangeTask) => {
    decodeRange(nodeFileAccess, task).then(
      (part) => port.postMessage({ ok: true, part }, COLUMNS.map((c) => part.columns[c.name].buffer as ArrayBuffer)),
      (e: unknown) => port.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) }),
    );
  });
}
