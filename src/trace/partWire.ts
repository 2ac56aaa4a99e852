// An IndexPart as a worker sends it: the columns and the string tables as buffers that are transferred, not copied
// (a structured clone of a part's string arrays cost the worker and the host thread a string copy each, and the host
// the garbage). The host reads the tables back as PackedStrings, so merging makes strings only for new values. Pure.

import { COLUMNS, POOL_NAMES, type IndexPart, type PoolName } from './parallel';
import { PackedStrings, pack, tableArray, type PackedBytes } from './packedStrings';

export interface WirePart extends Omit<IndexPart, 'pools'> {
  readonly pools: Record<PoolName, PackedBytes>;
}

/** A buffer that can be transferred on its own: not a view into a shared one (Node's pooled small Buffers). */
function own<T extends Uint8Array | Uint32Array>(a: T): T {
  return a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : (a.slice() as T);
}

/** The part as it goes over the wire, and the buffers to transfer with it. */
export function toWire(part: IndexPart): { wire: WirePart; transfer: ArrayBuffer[] } {
  const pools = {} as Record<PoolName, PackedBytes>;
  const transfer: ArrayBuffer[] = COLUMNS.map((c) => part.columns[c.name].buffer as ArrayBuffer);
  for (const name of POOL_NAMES) {
    const p = pack(tableArray(part.pools[name]));
    const bytes = own(p.bytes), lengths = own(p.lengths);
    pools[name] = { bytes, lengths, latin1: p.latin1 };
    transfer.push(bytes.buffer as ArrayBuffer, lengths.buffer as ArrayBuffer);
  }
  return { wire: { ...part, pools }, transfer };
}

/** The part back from the wire; throws when a table does not hold together (a worker that sent something else). */
export function fromWire(wire: WirePart): IndexPart {
  const pools = {} as Record<PoolName, PackedStrings>;
  for (const name of POOL_NAMES) {
    const t = PackedStrings.unpack(wire.pools[name]);
    if (!t) throw new Error(`trace decode worker sent a damaged ${name} table`);
    pools[name] = t;
  }
  return { ...wire, pools };
}
