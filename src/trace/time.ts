// TimeCreated parsing: the string as written plus a sortable UTC instant (integer ms + 100 ns ticks).

/** tz marker stored per event: minutes east of UTC, or one of these. */
export const TZ_UTC = 32767; // trailing Z
export const TZ_NONE = -32768; // no zone written (DateTimeKind.Unspecified): read as UTC

export interface ParsedTime {
  /** Milliseconds since the epoch (UTC, integer), NaN when not parseable. */
  ms: number;
  /** 100 ns ticks within the millisecond (0–9999). */
  ticks: number;
  /** TZ_UTC, TZ_NONE or minutes east of UTC. */
  tz: number;
  /** Number of fraction digits written (0–7), 255 when the text is not in canonical round-trip form. */
  digits: number;
}

function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function dig(b: ArrayLike<number>, i: number): number {
  const v = b[i] - 48;
  return v >= 0 && v <= 9 ? v : -1000000;
}

/**
 * Parses `yyyy-MM-ddTHH:mm:ss[.f{1,7}][Z|±hh:mm]` from bytes [s, e). Writes into `out` and returns true when the text
 * is in that canonical form (so it can be re-created exactly by formatTime); otherwise out.ms is NaN.
 */
export function parseTimeBytes(b: ArrayLike<number>, s: number, e: number, out: ParsedTime): boolean {
  out.ms = NaN; out.ticks = 0; out.tz = TZ_NONE; out.digits = 255;
  if (e - s < 19 || b[s + 4] !== 45 || b[s + 7] !== 45 || (b[s + 10] !== 84 && b[s + 10] !== 116) || b[s + 13] !== 58 || b[s + 16] !== 58) return false;
  const y = dig(b, s) * 1000 + dig(b, s + 1) * 100 + dig(b, s + 2) * 10 + dig(b, s + 3);
  const mo = dig(b, s + 5) * 10 + dig(b, s + 6);
  const d = dig(b, s + 8) * 10 + dig(b, s + 9);
  const h = dig(b, s + 11) * 10 + dig(b, s + 12);
  const mi = dig(b, s + 14) * 10 + dig(b, s + 15);
  const se = dig(b, s + 17) * 10 + dig(b, s + 18);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59) return false;
  let i = s + 19;
  let frac = 0;
  let digits = 0;
  if (i < e && b[i] === 46) {
    i++;
    while (i < e && digits < 7) {
      const v = dig(b, i);
      if (v < 0) break;
      frac = frac * 10 + v; digits++; i++;
    }
    if (digits === 0) return false;
    if (i < e && dig(b, i) >= 0) return false; // more than 7 digits: not canonical
    for (let k = digits; k < 7; k++) frac *= 10;
  }
  let tz = TZ_NONE;
  if (i < e) {
    const c = b[i];
    if ((c === 90 || c === 122) && i + 1 === e) { tz = TZ_UTC; i++; }
    else if ((c === 43 || c === 45) && e - i === 6 && b[i + 3] === 58) {
      const oh = dig(b, i + 1) * 10 + dig(b, i + 2);
      const om = dig(b, i + 4) * 10 + dig(b, i + 5);
      if (oh < 0 || oh > 14 || om < 0 || om > 59) return false;
      tz = (c === 45 ? -1 : 1) * (oh * 60 + om);
      i += 6;
    } else return false;
  }
  const days = daysFromCivil(y, mo, d);
  const offsetMin = tz === TZ_UTC || tz === TZ_NONE ? 0 : tz;
  out.ms = ((days * 24 + h) * 60 + mi - offsetMin) * 60000 + se * 1000 + Math.floor(frac / 10000);
  out.ticks = frac % 10000;
  out.tz = tz;
  out.digits = digits;
  return true;
}

export function parseTime(text: string, out: ParsedTime = { ms: NaN, ticks: 0, tz: TZ_NONE, digits: 255 }): ParsedTime {
  const codes = new Array<number>(text.length);
  for (let i = 0; i < text.length; i++) codes[i] = text.charCodeAt(i);
  parseTimeBytes(codes, 0, codes.length, out);
  return out;
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

/** Re-creates the canonical text written for (ms, ticks, tz, digits). */
export function formatTime(ms: number, ticks: number, tz: number, digits: number): string {
  if (!Number.isFinite(ms)) return '';
  const offsetMin = tz === TZ_UTC || tz === TZ_NONE ? 0 : tz;
  const d = new Date(ms + offsetMin * 60000);
  let s = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  if (digits > 0 && digits <= 7) {
    const frac = d.getUTCMilliseconds() * 10000 + ticks;
    s += '.' + pad(frac, 7).slice(0, digits);
  }
  if (tz === TZ_UTC) s += 'Z';
  else if (tz !== TZ_NONE) {
    const a = Math.abs(tz);
    s += `${tz < 0 ? '-' : '+'}${pad(Math.floor(a / 60), 2)}:${pad(a % 60, 2)}`;
  }
  return s;
}

/** ISO-8601 UTC text with 7 fraction digits, for exports and sorting by text. */
export function formatInstant(ms: number, ticks: number): string {
  return formatTime(ms, ticks, TZ_UTC, 7);
}
