// Pure: text from a server, a trace file or a report shown inside Markdown (tooltips) stays text. Every ASCII
// punctuation character is backslash-escaped (CommonMark allows that for all of them), so no link, image, autolink,
// HTML tag, heading, table cell break or `$(icon)` can be built from the data; control characters are removed and
// the length is capped.

/** Longest value shown; longer ones end in "…". */
export const MAX_MARKDOWN_VALUE = 2000;

const PUNCTUATION = /[!-/:-@[-`{-~]/g;
// C0/C1 controls except TAB and LF, plus bidi overrides and zero-width characters that would disguise text.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Escaped text; line breaks stay line breaks (hard breaks). Non-strings are shown as their JSON text. */
export function escapeMarkdown(value: unknown, max = MAX_MARKDOWN_VALUE): string {
  const text = typeof value === 'string' ? value : value === undefined ? '' : safeString(value);
  return clip(text.replace(/\r\n?/g, '\n').replace(INVISIBLE, ''), max)
    .replace(PUNCTUATION, '\\$&')
    .replace(/\t/g, ' ')
    .replace(/\n/g, '  \n');
}

/** Escaped text on one line (table cells, labels): line breaks become spaces. */
export function escapeMarkdownInline(value: unknown, max = MAX_MARKDOWN_VALUE): string {
  return escapeMarkdown(typeof value === 'string' ? value.replace(/[\r\n]+/g, ' ') : value, max).replace(/ {2}\n/g, ' ');
}

function safeString(value: unknown): string {
  try {
    return typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
