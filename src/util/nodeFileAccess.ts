// The one real FileAccess: random reads over node:fs (read-only; opens, reads, closes). The trace engine itself
// never touches the file system; the CLI and the trace viewer hand it this.
import { promises as fsp } from 'node:fs';
import type { FileAccess } from '../trace/types';

/** FileAccess over node:fs (read-only; opens, reads, closes). */
export const nodeFileAccess: FileAccess = {
  async size(path) {
    return (await fsp.stat(path)).size;
  },
  async read(path, offset, length) {
    const h = await fsp.open(path, 'r');
    try {
      const buf = Buffer.allocUnsafe(length);
      const { bytesRead } = await h.read(buf, 0, length, offset);
      return buf.subarray(0, bytesRead);
    } finally {
      await h.close();
    }
  },
  async readInto(path, offset, target) {
    const h = await fsp.open(path, 'r');
    try {
      return (await h.read(target, 0, target.length, offset)).bytesRead;
    } finally {
      await h.close();
    }
  },
};
