// The file-access seam: the only module that imports node:fs (a lint rule keeps it so). The trace engine reads
// through the FileAccess it is handed; the CLI, the trace viewer's export and the PowerShell adapter's executable
// lookup use the few helpers below, and the trace viewer's index cache (a bounded folder) lives here too.
// Everything else stays free of the file system and is tested without it.
import { createHash } from 'node:crypto';
import { accessSync, constants as fsConstants, promises as fsp, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { IndexCacheStore } from '../trace/indexCache';
import type { FileAccess } from '../trace/types';

/** FileAccess over node:fs (read-only; opens, reads, closes). */
export const nodeFileAccess: FileAccess = {
  async size(path) {
    return (await fsp.stat(path)).size;
  },
  async stat(path) {
    const st = await fsp.stat(path);
    return { size: st.size, mtimeMs: st.mtimeMs };
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

/**
 * A FileAccess that keeps each file it reads open until close() (a worker reading one range in many chunks opens the
 * file once, not once per chunk). Read-only.
 */
export function heldFileAccess(): FileAccess & { close(): Promise<void> } {
  const handles = new Map<string, Promise<fsp.FileHandle>>();
  const handle = (path: string): Promise<fsp.FileHandle> => {
    let h = handles.get(path);
    if (!h) { h = fsp.open(path, 'r'); handles.set(path, h); h.catch(() => handles.delete(path)); }
    return h;
  };
  return {
    size: nodeFileAccess.size,
    stat: nodeFileAccess.stat,
    async read(path, offset, length) {
      const buf = Buffer.allocUnsafe(length);
      const { bytesRead } = await (await handle(path)).read(buf, 0, length, offset);
      return buf.subarray(0, bytesRead);
    },
    async readInto(path, offset, target) {
      return (await (await handle(path)).read(target, 0, target.length, offset)).bytesRead;
    },
    async close() {
      const all = [...handles.values()];
      handles.clear();
      await Promise.all(all.map(async (h) => (await h.catch(() => undefined))?.close()));
    },
  };
}

/**
 * Index cache entries in `dir` (created on first write), one file per trace path (named by the SHA-256 of the path).
 * After each write the oldest entries (by last use) are deleted until all of them fit in `maxBytes`; an entry larger
 * than half the budget is not kept at all. Entries are written to a temporary file and renamed into place.
 */
export function nodeIndexCacheStore(dir: string, maxBytes = 512 * 1024 * 1024): IndexCacheStore & { readonly dir: string } {
  const file = (path: string): string => join(dir, `${createHash('sha256').update(path).digest('hex').slice(0, 32)}.idx`);
  return {
    dir,
    async read(path) {
      const p = file(path);
      try {
        const data = await fsp.readFile(p);
        const now = new Date();
        await fsp.utimes(p, now, now).catch(() => undefined); // last use, for eviction
        return data;
      } catch {
        return undefined;
      }
    },
    async write(path, parts) {
      if (parts.reduce((n, b) => n + b.length, 0) > maxBytes / 2) return;
      await fsp.mkdir(dir, { recursive: true });
      const p = file(path);
      const tmp = `${p}.${process.pid}.${Date.now()}.tmp`;
      // The parts as they are (no copy of the whole entry in memory), then renamed into place.
      const out = await fsp.open(tmp, 'w');
      try {
        for (const b of parts) await out.write(b);
      } catch (e) {
        await out.close();
        await fsp.rm(tmp, { force: true });
        throw e;
      }
      await out.close();
      await fsp.rename(tmp, p);
      const entries: Array<{ p: string; size: number; used: number }> = [];
      for (const name of await fsp.readdir(dir)) {
        if (!name.endsWith('.idx')) continue;
        const st = await fsp.stat(join(dir, name)).catch(() => undefined);
        if (st) entries.push({ p: join(dir, name), size: st.size, used: st.mtimeMs });
      }
      entries.sort((a, b) => b.used - a.used);
      let total = 0;
      for (const e of entries) {
        if (e.p !== p && total + e.size > maxBytes) await fsp.rm(e.p, { force: true });
        else total += e.size;
      }
    },
    async remove(path) {
      await fsp.rm(file(path), { force: true });
    },
  };
}

/** A UTF-8 text file, whole. */
export function readTextFile(path: string): Promise<string> {
  return fsp.readFile(path, 'utf8');
}

/** A file's bytes, whole, synchronously (a CA certificate file, PEM or DER, read while parsing arguments). */
export function readBytesSync(path: string): Uint8Array {
  return readFileSync(path);
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

/** Linux: every process's parent, from /proc (undefined where there is no /proc, e.g. macOS). */
export function processParentsFromProc(): Map<number, number> | undefined {
  let names: string[];
  try { names = readdirSync('/proc'); } catch { return undefined; }
  const parentOf = new Map<number, number>();
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parentOf.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch { /* exited meanwhile */ }
  }
  return parentOf.size ? parentOf : undefined;
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
