// Issue 10: no message to the webview carries more than it can show. Damage and facet lists go out a page at a time
// (MESSAGE_LIMITS in protocol.ts) with their totals; getDamage / getFacet answer the rest. Pure.
import type { DamageRange } from '../trace';
import { damageDto } from './dto';
import { MESSAGE_LIMITS, type DamageDto, type FacetCount, type RowDto, type ToWebview } from './protocol';

export function clampInt(n: unknown, min: number, max: number): number {
  const v = typeof n === 'number' && Number.isFinite(n) ? Math.floor(n) : min;
  return Math.min(max, Math.max(min, v));
}

/** One page of facet values, each value cut to MESSAGE_LIMITS.facetValueLength. */
export function facetPage(list: readonly FacetCount[], start: number, count: number = MESSAGE_LIMITS.facetValues): FacetCount[] {
  const max = MESSAGE_LIMITS.facetValueLength;
  const cut = (t: string): string => (t.length > max ? `${t.slice(0, max - 1)}…` : t);
  return list.slice(start, start + count).map((f) => (f.value.length > max || (f.label?.length ?? 0) > max
    ? { ...f, value: cut(f.value), ...(f.label !== undefined ? { label: cut(f.label) } : {}) } : f));
}

/** The `damage` notification: the first page and the total. */
export function damageMessage(ranges: readonly DamageRange[]): ToWebview {
  const damaged = ranges.filter((d) => d.reason !== 'declaration').length; // an ignored DOCTYPE is no damage
  return { type: 'damage', total: ranges.length, damaged, ranges: ranges.slice(0, MESSAGE_LIMITS.damagePage).map(damageDto) };
}

/** A getDamage answer. */
export function damagePage(all: readonly DamageRange[], start: number, count: number): { total: number; start: number; ranges: DamageDto[] } {
  const from = clampInt(start, 0, all.length);
  return { total: all.length, start: from, ranges: all.slice(from, from + clampInt(count, 0, MESSAGE_LIMITS.damagePage)).map(damageDto) };
}

/** A getFacet answer: most frequent first, optionally only values whose value or label contains `contains` (case-insensitive). */
export function facetValuesPage(all: readonly FacetCount[], start: number, count: number, contains?: string): { total: number; start: number; values: FacetCount[] } {
  let list = all;
  if (typeof contains === 'string' && contains !== '') {
    const needle = contains.slice(0, 200).toLowerCase();
    list = list.filter((f) => f.value.toLowerCase().includes(needle) || (f.label?.toLowerCase().includes(needle) ?? false));
  }
  const from = clampInt(start, 0, list.length);
  return { total: list.length, start: from, values: facetPage(list, from, clampInt(count, 0, MESSAGE_LIMITS.facetValues)) };
}

/** The first rows whose JSON (about: their strings plus the fixed fields) fits in MESSAGE_LIMITS.viewRowsBytes. */
export function rowsWithin(rows: readonly RowDto[], bytes: number = MESSAGE_LIMITS.viewRowsBytes): RowDto[] {
  let used = 0, n = 0;
  for (; n < rows.length; n++) {
    const r = rows[n];
    used += 320 + r.time.length + r.source.length + r.activityId.length + (r.activityName?.length ?? 0) + r.relatedActivityId.length
      + r.process.length + r.threadId.length + r.computer.length + r.message.length + (r.damage?.reason.length ?? 0);
    if (used > bytes) break;
  }
  return rows.slice(0, n);
}
