// Times the user types into the time filter: ISO 8601 (with Z or an offset = that instant; without = local time),
// and the numeric date formats of the user's locale (German 02.12.2015 10:00, US 12/02/2015 10:00, British
// 02/12/2015 10:00), with optional seconds and fraction. The result says how the value was read. Pure.

export interface ReadTime {
  /** Instant in ms since the epoch (fractions of a ms kept). */
  readonly ms: number;
  /** How the value was read, as an unambiguous ISO text with its zone (shown back to the user). */
  readonly readAs: string;
}

/** Whether the locale writes the day or the month first in numeric dates with slashes. */
function dayFirst(locale: string): boolean {
  const l = locale.toLowerCase();
  return !(l === 'en' || l.startsWith('en-us') || l.startsWith('en-ph') || l === 'fil');
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

function localIso(ms: number, offsetMin: number): string {
  const d = new Date(ms - offsetMin * 60_000);
  const sign = offsetMin <= 0 ? '+' : '-';
  const abs = Math.abs(offsetMin);
  const frac = Math.round((ms % 1000 + 1000) % 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${frac ? `.${pad(frac, 3)}` : ''}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** A local wall-clock time → instant, with `tzOffset(ms)` = Date#getTimezoneOffset at that instant (minutes). */
function fromLocal(y: number, mo: number, d: number, h: number, mi: number, s: number, frac: number, tzOffset: (ms: number) => number): ReadTime | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const wall = Date.UTC(y, mo - 1, d, h, mi, s) + frac;
  const check = new Date(wall);
  if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) return undefined; // 31.02.
  let ms = wall + tzOffset(wall) * 60_000;
  ms = wall + tzOffset(ms) * 60_000; // the offset at the instant itself (daylight saving)
  return { ms, readAs: localIso(ms, tzOffset(ms)) };
}

/**
 * Reads a time the user typed. `locale` decides day/month order for slashes (dots are always day first);
 * `tzOffset` defaults to the machine's zone. Throws an Error naming the accepted forms when nothing fits.
 */
export function readUserTime(text: string, locale = 'en', tzOffset: (ms: number) => number = (ms) => new Date(ms).getTimezoneOffset()): ReadTime {
  const s = text.trim();
  const time = '(?:[ T]+(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,7}))?)?)?';
  const fracMs = (f: string | undefined): number => (f ? Number(`0.${f}`) * 1000 : 0);
  // ISO with a zone: the instant as written.
  const iso = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,7}))?)?\s*(Z|[+-]\d{2}:?\d{2})$/i.exec(s);
  if (iso) {
    const [, y, mo, d, h, mi, sec, f, z] = iso;
    const wall = Date.UTC(+y, +mo - 1, +d, +h, +mi, +(sec ?? 0)) + fracMs(f);
    const off = z.toUpperCase() === 'Z' ? 0 : (z[0] === '-' ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(-2)));
    const ms = wall - off * 60_000;
    if (Number.isFinite(ms)) return { ms, readAs: z.toUpperCase() === 'Z' ? `${new Date(ms).toISOString().replace(/\.000Z$/, 'Z')}` : localIso(ms, -off) };
  }
  const m1 = new RegExp(`^(\\d{4})-(\\d{1,2})-(\\d{1,2})${time}$`).exec(s); // ISO date without a zone: local time
  const m2 = new RegExp(`^(\\d{1,2})\\.(\\d{1,2})\\.(\\d{4})${time}$`).exec(s); // 02.12.2015 10:00
  const m3 = new RegExp(`^(\\d{1,2})/(\\d{1,2})/(\\d{4})${time}$`).exec(s); // 12/02/2015 or 02/12/2015
  let r: ReadTime | undefined;
  if (m1) r = fromLocal(+m1[1], +m1[2], +m1[3], +(m1[4] ?? 0), +(m1[5] ?? 0), +(m1[6] ?? 0), fracMs(m1[7]), tzOffset);
  else if (m2) r = fromLocal(+m2[3], +m2[2], +m2[1], +(m2[4] ?? 0), +(m2[5] ?? 0), +(m2[6] ?? 0), fracMs(m2[7]), tzOffset);
  else if (m3) {
    const [a, b] = [+m3[1], +m3[2]];
    const [d, mo] = dayFirst(locale) ? [a, b] : [b, a];
    r = fromLocal(+m3[3], mo, d, +(m3[4] ?? 0), +(m3[5] ?? 0), +(m3[6] ?? 0), fracMs(m3[7]), tzOffset);
  }
  if (r) return r;
  throw new Error(`"${s}" is not a time this filter reads: use ISO 8601 (2015-12-02T10:00:00Z, or without Z for local time) or ${dayFirst(locale) ? '02.12.2015 10:00 or 02/12/2015 10:00 (day first)' : '12/02/2015 10:00 (month first) or 02.12.2015 10:00'}`);
}
