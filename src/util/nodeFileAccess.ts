// The file-access seam: the only module that imports node:fs (a lint rule keeps it so). The trace engine reads
// through the FileAccess it is handed; the CLI, the trace viewer's export and the PowerShell adapter's executable
// lookup use the few helpers below. Everything else stays free of the file system and is tested without it.
import { accessSync, constants as fsConstants, promises as fsp, readFileSync } from 'node:fs';
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

/** A UTF-8 text file, whole. */
export function readTextFile(path: string): Promise<string> {
  return fsp.readFile(path, 'utf8');
}

/** A UTF-8 text file, whole, synchronously (argument parsing that must fail before anything starts). */
export function readTextFileSync(path: string): string {
  return readFileSync(path, 'utf8');
}

export function writeTextFile(path: string, text: string): Promise<void> {
  return fsp.writeFile(path, text, 'utf8');
}

/**
 * Streams `chunks` into `path` through `path.partial`, renamed into place only when complete: a stopped write leaves
 * no file (and never a half-written one under the real name). Returns false when `stopped()` ended it early.
 */
export async function writeFileStreamed(path: string, chunks: AsyncIterable<string>, stopped: () => boolean): Promise<boolean> {
  const partial = `${path}.partial`;
  const out = await fsp.open(partial, 'w');
  try {
    for await (const chunk of chunks) {
      if (stopped()) break;
      await out.write(chunk);
    }
  } finally {
    await out.close();
  }
  if (stopped()) {
    await fsp.rm(partial, { force: true });
    return false;
  }
  await fsp.rename(partial, path);
  return true;
}

/** Whether `path` is a program this process may start (on Windows: whether it exists). */
export function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, process.platform === 'win32' ? fsConstants.F_OK : fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}
