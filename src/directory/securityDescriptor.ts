// Pure decoding of the binary values the delegation check reads: SIDs and the self-relative security descriptor in
// msDS-AllowedToActOnBehalfOfOtherIdentity (resource-based constrained delegation). Never serialise it raw.

/** A binary SID → S-1-5-21-… text. */
export function sidToString(buf: Buffer, offset = 0): { sid: string; length: number } {
  if (buf.length < offset + 8) throw new Error('SID too short');
  const revision = buf.readUInt8(offset);
  const count = buf.readUInt8(offset + 1);
  const length = 8 + count * 4;
  if (buf.length < offset + length) throw new Error('SID truncated');
  const authority = buf.readUIntBE(offset + 2, 6);
  const subs: number[] = [];
  for (let i = 0; i < count; i++) subs.push(buf.readUInt32LE(offset + 8 + i * 4));
  return { sid: `S-${revision}-${authority}${subs.map((s) => `-${s}`).join('')}`, length };
}

/** S-1-5-… → binary, for LDAP filters on objectSid. */
export function sidToBuffer(sid: string): Buffer {
  const m = /^S-(\d+)-(\d+)((?:-\d+)*)$/.exec(sid);
  if (!m) throw new Error(`not a SID: ${sid}`);
  const subs = (m[3] ?? '').split('-').filter(Boolean).map(Number);
  const buf = Buffer.alloc(8 + subs.length * 4);
  buf.writeUInt8(Number(m[1]), 0);
  buf.writeUInt8(subs.length, 1);
  buf.writeUIntBE(Number(m[2]), 2, 6);
  subs.forEach((s, i) => buf.writeUInt32LE(s, 8 + i * 4));
  return buf;
}

export interface AceInfo {
  readonly type: 'allow' | 'deny' | 'allow-object' | 'deny-object' | 'other';
  readonly mask: number;
  readonly sid: string;
}

export interface SecurityDescriptorInfo {
  readonly owner?: string;
  readonly group?: string;
  readonly dacl: readonly AceInfo[];
}

const ACE_TYPES: Record<number, AceInfo['type']> = { 0: 'allow', 1: 'deny', 5: 'allow-object', 6: 'deny-object' };

/** Parses a self-relative SECURITY_DESCRIPTOR (MS-DTYP 2.4.6): owner, group and the DACL's ACEs. */
export function parseSecurityDescriptor(buf: Buffer): SecurityDescriptorInfo {
  if (buf.length < 20 || buf.readUInt8(0) !== 1) throw new Error('not a self-relative security descriptor');
  const ownerOff = buf.readUInt32LE(4);
  const groupOff = buf.readUInt32LE(8);
  const daclOff = buf.readUInt32LE(16);
  const info: { owner?: string; group?: string; dacl: AceInfo[] } = { dacl: [] };
  if (ownerOff) info.owner = sidToString(buf, ownerOff).sid;
  if (groupOff) info.group = sidToString(buf, groupOff).sid;
  if (daclOff) {
    const count = buf.readUInt16LE(daclOff + 4);
    let p = daclOff + 8;
    for (let i = 0; i < count; i++) {
      const type = buf.readUInt8(p);
      const size = buf.readUInt16LE(p + 2);
      if (size < 8 || p + size > buf.length) throw new Error('ACE out of bounds');
      const mask = buf.readUInt32LE(p + 4);
      let sidOff = p + 8;
      if (type === 5 || type === 6) {
        const flags = buf.readUInt32LE(p + 8);
        sidOff = p + 12 + (flags & 1 ? 16 : 0) + (flags & 2 ? 16 : 0);
      }
      info.dacl.push({ type: ACE_TYPES[type] ?? 'other', mask, sid: sidToString(buf, sidOff).sid });
      p += size;
    }
  }
  return info;
}

/** RFC 4515 escaping of a value inside an LDAP filter. */
export function escapeFilterValue(value: string | Buffer): string {
  if (Buffer.isBuffer(value)) return [...value].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
  // eslint-disable-next-line no-control-regex -- RFC 4515 escapes NUL
  return value.replace(/[\\*()\u0000]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
