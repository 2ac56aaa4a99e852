// A small reader for the DACL part of SDDL strings (session-configuration security descriptors). Pure.

/** Well-known SDDL aliases that appear on session configurations. */
export const SDDL_ALIASES: Readonly<Record<string, string>> = {
  BA: 'S-1-5-32-544', RM: 'S-1-5-32-580', IU: 'S-1-5-4', NU: 'S-1-5-2', WD: 'S-1-1-0', AU: 'S-1-5-11',
  SY: 'S-1-5-18', NS: 'S-1-5-20', LS: 'S-1-5-19', BU: 'S-1-5-32-545', RD: 'S-1-5-32-555', AN: 'S-1-5-7',
};

export const WELL_KNOWN_NAMES: Readonly<Record<string, string>> = {
  'S-1-5-32-544': 'BUILTIN\\Administrators',
  'S-1-5-32-580': 'BUILTIN\\Remote Management Users',
  'S-1-5-4': 'NT AUTHORITY\\INTERACTIVE',
  'S-1-5-2': 'NT AUTHORITY\\NETWORK',
  'S-1-1-0': 'Everyone',
  'S-1-5-11': 'NT AUTHORITY\\Authenticated Users',
  'S-1-5-18': 'NT AUTHORITY\\SYSTEM',
};

export interface Ace {
  readonly type: 'allow' | 'deny' | 'other';
  readonly rights: string;
  readonly sid: string;
}

/** The DACL entries of an SDDL string; unknown aliases are kept as written. */
export function parseDacl(sddl: string): Ace[] {
  const d = /D:[A-Z]*((?:\([^)]*\))*)/.exec(sddl);
  if (!d) return [];
  const aces: Ace[] = [];
  for (const m of (d[1] ?? '').matchAll(/\(([^)]*)\)/g)) {
    const f = (m[1] ?? '').split(';');
    if (f.length < 6) continue;
    const t = f[0] ?? '';
    const trustee = (f[5] ?? '').trim();
    aces.push({
      type: t === 'A' || t === 'XA' ? 'allow' : t === 'D' || t === 'XD' ? 'deny' : 'other',
      rights: f[2] ?? '',
      sid: SDDL_ALIASES[trustee.toUpperCase()] ?? trustee,
    });
  }
  return aces;
}

/** Rights that let a principal use a session configuration (GA, GX or a mask with execute bits). */
export function grantsUse(rights: string): boolean {
  if (/GA|GX|GR/.test(rights)) return true;
  const n = /^0x([0-9a-f]+)$/i.exec(rights);
  return n ? (parseInt(n[1] ?? '0', 16) & 0x300000a0) !== 0 || parseInt(n[1] ?? '0', 16) === 0x1f01ff : false;
}

export function sidName(sid: string): string {
  return WELL_KNOWN_NAMES[sid] ?? sid;
}
