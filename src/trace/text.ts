// Text helpers shared by the fast decoder and the details parser: entities, one-line messages, invalid characters.

/** Longest one-line message kept in the index (characters); longer text ends with an ellipsis. */
export const MESSAGE_MAX = 300;

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Number of numeric references to characters XML forbids seen by decodeEntities (the decoder reads and resets it). */
export const entityStats = { invalidRefs: 0 };

/**
 * Decodes the five predefined entities and numeric character references, once. Anything else (`&nbsp;`, a lone `&`)
 * is left as written: there is no DTD, so nothing else can be defined, and nothing is ever expanded recursively.
 */
export function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{0,15});/g, (whole, body: string) => {
    if (body.charCodeAt(0) === 35 /* # */) {
      const cp = body.charCodeAt(1) === 120 || body.charCodeAt(1) === 88 ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!isXmlChar(cp)) { entityStats.invalidRefs++; return '\uFFFD'; }
      return String.fromCodePoint(cp);
    }
    return PREDEFINED[body] ?? whole;
  });
}

/** XML 1.0 Char production. */
export function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/** Characters XML 1.0 forbids in text (C0 controls other than TAB/CR/LF, U+FFFE/U+FFFF). */
// eslint-disable-next-line no-control-regex
export const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
// eslint-disable-next-line no-control-regex
const INVALID_XML_CHARS_G = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/**
 * The one-line form used in lists: entities decoded once, invalid characters shown as U+FFFD, every whitespace run
 * (including line breaks) collapsed to one space, trimmed, cut at MESSAGE_MAX characters.
 */
export function oneLine(decoded: string): string {
  let s = decoded;
  if (INVALID_XML_CHARS.test(s)) s = s.replace(INVALID_XML_CHARS_G, '\uFFFD');
  s = s.replace(/\s+/g, ' ').trim();
  if (s.length > MESSAGE_MAX) s = s.slice(0, MESSAGE_MAX - 1) + '…';
  return s;
}

/** Escapes text for XML output. */
export function escapeXml(s: string, attr = false): string {
  let out = s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  if (attr) out = out.replace(/"/g, '&quot;').replace(/\r/g, '&#xD;').replace(/\n/g, '&#xA;').replace(/\t/g, '&#x9;');
  return out;
}
