// Instants as the user reads them: in their locale and time zone, never as a raw UTC ISO string. Pure (Intl).

/** Formats an ISO instant for people ("1 Dec 2026, 10:42"); text that is not an instant is returned as is. */
export function localTime(iso: string, locale?: string, timeZone?: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) }).format(new Date(ms));
  } catch {
    return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
  }
}

/** The formatter a caller passes down (so pure modules need not know the locale). */
export type TimeFormat = (iso: string) => string;

/** Name of the time zone in use, for report headers ("Europe/Berlin"). */
export function timeZoneName(timeZone?: string): string {
  return timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
}
