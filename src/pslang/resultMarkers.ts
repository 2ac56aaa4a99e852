// The contract between a generated check script and whoever runs it: the script prints exactly one JSON
// document between a begin and an end marker that carry a per-run token, so banners, warnings, transcript
// noise or a profile's output around it can never be mistaken for the result. Pure.

export const RESULT_BEGIN = '##ERS-RESULT-BEGIN';
export const RESULT_END = '##ERS-RESULT-END';

/** Whether a marker token is usable: 8–64 letters or digits. */
export function isMarkerToken(token: string): boolean {
  return /^[A-Za-z0-9]{8,64}$/.test(token);
}

/** Marker lines for one run; the token must be [A-Za-z0-9]{8,64} so it is safe inside any PowerShell string. */
export function markerLines(token: string): { begin: string; end: string } {
  if (!isMarkerToken(token)) throw new Error('marker token must be 8–64 letters or digits');
  return { begin: `${RESULT_BEGIN}:${token}##`, end: `${RESULT_END}:${token}##` };
}

export type ExtractedResult =
  | { readonly ok: true; readonly json: unknown; readonly before: string; readonly after: string }
  | { readonly ok: false; readonly reason: 'missing' | 'unterminated' | 'invalid-json' | 'duplicate'; readonly detail: string };

/** Finds the one JSON document between the markers of `token` in a script's stdout. */
export function extractResult(stdout: string, token: string): ExtractedResult {
  const { begin, end } = markerLines(token);
  const start = stdout.indexOf(begin);
  if (start < 0) return { ok: false, reason: 'missing', detail: 'The script printed no result marker.' };
  if (stdout.indexOf(begin, start + begin.length) >= 0) return { ok: false, reason: 'duplicate', detail: 'The script printed more than one result.' };
  const stop = stdout.indexOf(end, start + begin.length);
  if (stop < 0) return { ok: false, reason: 'unterminated', detail: 'The result was cut off before its end marker.' };
  const body = stdout.slice(start + begin.length, stop).trim();
  try {
    return { ok: true, json: JSON.parse(body) as unknown, before: stdout.slice(0, start), after: stdout.slice(stop + end.length) };
  } catch (err) {
    return { ok: false, reason: 'invalid-json', detail: `The result is not valid JSON: ${(err as Error).message}` };
  }
}
