// A small, safe XML parser for one event (details on demand, not the hot path), plus a serializer that keeps
// namespace prefixes bound. Safety: a DOCTYPE is reported and skipped, never read; no entity other than the five
// predefined ones and numeric references exists, so nothing can expand and nothing outside the text is ever loaded.
// Lenient: errors are collected with their offsets and parsing goes on, so a damaged event still shows what it can.

import { escapeXml, isXmlChar } from './text';

export interface XmlAttr {
  /** Qualified name as written. */
  readonly name: string;
  readonly prefix: string;
  readonly local: string;
  /** Namespace URI ('' for unprefixed attributes and unbound prefixes). */
  readonly ns: string;
  readonly value: string;
}

export interface XmlText {
  readonly kind: 'text';
  readonly text: string;
  readonly cdata: boolean;
}

export interface XmlComment {
  readonly kind: 'comment';
  readonly text: string;
}

export interface XmlElement {
  readonly kind: 'element';
  readonly name: string;
  readonly prefix: string;
  readonly local: string;
  readonly ns: string;
  readonly attrs: XmlAttr[];
  readonly children: XmlNode[];
  /** Namespace declarations made on this element (prefix '' = default namespace). */
  readonly nsDecls: ReadonlyMap<string, string>;
  /** All bindings in scope on this element (inherited + own). */
  readonly scope: ReadonlyMap<string, string>;
  /** Character offsets of the element in the parsed text. */
  readonly start: number;
  end: number;
}

export type XmlNode = XmlElement | XmlText | XmlComment;

export interface XmlError {
  /** Character offset in the parsed text. */
  readonly offset: number;
  readonly message: string;
  readonly kind: 'malformed' | 'invalid-char' | 'doctype' | 'entity';
}

export interface XmlParseResult {
  /** Top-level elements (an event is one; a fragment may have several). */
  readonly roots: XmlElement[];
  readonly errors: XmlError[];
}

export interface XmlParseOptions {
  /** Deepest nesting accepted (default 512); deeper content is kept as text. */
  readonly maxDepth?: number;
  /** Stop collecting errors after this many (default 100). */
  readonly maxErrors?: number;
  /**
   * Check only (well-formedness): text is validated by scanning, never decoded or kept (text nodes are empty), so
   * memory stays bounded by the input whatever the text holds (a 50 MB run of entity references).
   */
  readonly checkOnly?: boolean;
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const NAME_RE = /^[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_.\-\u00B7\u00C0-\uFFFF]*(:[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_.\-\u00B7\u00C0-\uFFFF]*)?$/;

function splitName(name: string): [string, string] {
  const i = name.indexOf(':');
  return i < 0 ? ['', name] : [name.slice(0, i), name.slice(i + 1)];
}

export function parseXml(text: string, options: XmlParseOptions = {}): XmlParseResult {
  const maxDepth = options.maxDepth ?? 512;
  const maxErrors = options.maxErrors ?? 100;
  const errors: XmlError[] = [];
  const roots: XmlElement[] = [];
  const stack: XmlElement[] = [];
  const rootScope = new Map<string, string>([['xml', XML_NS], ['', '']]);
  const err = (offset: number, message: string, kind: XmlError['kind'] = 'malformed'): void => {
    if (errors.length < maxErrors) errors.push({ offset, message, kind });
  };
  const scopeOf = (): ReadonlyMap<string, string> => (stack.length ? stack[stack.length - 1].scope : rootScope);

  const decode = (raw: string, at: number): string => {
    checkChars(raw, at);
    if (raw.indexOf('&') < 0) return raw;
    return raw.replace(/&([^;&<\s]{0,32});?/g, (whole, body: string, off: number) => {
      if (!whole.endsWith(';')) { err(at + off, 'Unescaped "&"', 'entity'); return whole; }
      if (body.startsWith('#')) {
        const hex = body[1] === 'x' || body[1] === 'X';
        const digits = body.slice(hex ? 2 : 1);
        const cp = hex ? (/^[0-9a-fA-F]{1,6}$/.test(digits) ? parseInt(digits, 16) : NaN) : (/^[0-9]{1,7}$/.test(digits) ? parseInt(digits, 10) : NaN);
        if (!Number.isFinite(cp) || !isXmlChar(cp)) { err(at + off, `Character reference ${whole} is not an XML character`, 'invalid-char'); return '\uFFFD'; }
        return String.fromCodePoint(cp);
      }
      const v = PREDEFINED[body];
      if (v === undefined) { err(at + off, `Undefined entity ${whole} (no DTD is ever read)`, 'entity'); return whole; }
      return v;
    });
  };

  /** The same checks as decode, by scanning: no decoded copy is made. */
  const check = (raw: string, at: number): string => {
    checkChars(raw, at);
    for (let k = raw.indexOf('&'); k >= 0 && errors.length < maxErrors; k = raw.indexOf('&', k + 1)) {
      let end = k + 1;
      while (end < raw.length && end - k <= 33 && raw.charCodeAt(end) !== 59 /* ; */ && raw.charCodeAt(end) !== 38 && raw.charCodeAt(end) > 32) end++;
      if (raw.charCodeAt(end) !== 59) { err(at + k, 'Unescaped "&"', 'entity'); continue; }
      const body = raw.slice(k + 1, end);
      if (body.startsWith('#')) {
        const hex = body[1] === 'x' || body[1] === 'X';
        const digits = body.slice(hex ? 2 : 1);
        const cp = hex ? (/^[0-9a-fA-F]{1,6}$/.test(digits) ? parseInt(digits, 16) : NaN) : (/^[0-9]{1,7}$/.test(digits) ? parseInt(digits, 10) : NaN);
        if (!Number.isFinite(cp) || !isXmlChar(cp)) err(at + k, `Character reference &${body}; is not an XML character`, 'invalid-char');
      } else if (PREDEFINED[body] === undefined) err(at + k, `Undefined entity &${body}; (no DTD is ever read)`, 'entity');
      k = end;
    }
    return /\S/.test(raw) ? '.' : ''; // only "is there text" matters (text outside the event element)
  };

  const checkChars = (raw: string, at: number): void => {
    for (let i = 0; i < raw.length; i++) {
      const c = raw.charCodeAt(i);
      if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffe || c === 0xffff) {
        err(at + i, `Invalid XML character U+${c.toString(16).padStart(4, '0').toUpperCase()}`, 'invalid-char');
        return;
      }
      if (c >= 0xd800 && c <= 0xdbff) {
        const d = raw.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) { i++; continue; }
        err(at + i, 'Unpaired surrogate', 'invalid-char');
        return;
      }
      if (c >= 0xdc00 && c <= 0xdfff) { err(at + i, 'Unpaired surrogate', 'invalid-char'); return; }
    }
  };

  const addNode = (node: XmlNode, at: number): void => {
    if (stack.length) stack[stack.length - 1].children.push(node);
    else if (node.kind === 'element') roots.push(node);
    else if (node.kind === 'text' && node.text.trim() !== '') err(at, 'Text outside the event element');
  };

  const n = text.length;
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  let depthOverflow = 0;
  while (i < n) {
    const lt = text.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) {
      const raw = text.slice(i, textEnd);
      if (raw.includes(']]>')) err(i + raw.indexOf(']]>'), '"]]>" in text');
      addNode({ kind: 'text', text: options.checkOnly ? check(raw, i) : decode(raw, i), cdata: false }, i);
    }
    if (lt < 0) break;
    i = lt;
    if (text.startsWith('<!--', i)) {
      const e = text.indexOf('-->', i + 4);
      if (e < 0) { err(i, 'Unterminated comment'); break; }
      const body = text.slice(i + 4, e);
      if (body.includes('--')) err(i, '"--" inside a comment');
      if (stack.length) stack[stack.length - 1].children.push({ kind: 'comment', text: body });
      i = e + 3;
      continue;
    }
    if (text.startsWith('<![CDATA[', i)) {
      const e = text.indexOf(']]>', i + 9);
      if (e < 0) { err(i, 'Unterminated CDATA section'); addNode({ kind: 'text', text: text.slice(i + 9), cdata: true }, i); break; }
      const body = text.slice(i + 9, e);
      checkChars(body, i + 9);
      if (!stack.length) err(i, 'CDATA outside the event element');
      addNode({ kind: 'text', text: body, cdata: true }, i);
      i = e + 3;
      continue;
    }
    if (text.startsWith('<!', i)) {
      // DOCTYPE or another declaration: reported and skipped (brackets of an internal subset balanced), never read.
      err(i, text.startsWith('<!DOCTYPE', i) ? 'DOCTYPE is not allowed (ignored; no entity is defined or loaded)' : 'Markup declaration is not allowed', 'doctype');
      let j = i + 2;
      let depth = 0;
      let quote = '';
      for (; j < n; j++) {
        const c = text[j];
        if (quote) { if (c === quote) quote = ''; continue; }
        if (c === '"' || c === "'") quote = c;
        else if (c === '[') depth++;
        else if (c === ']') depth--;
        else if (c === '>' && depth <= 0) break;
      }
      i = j + 1;
      continue;
    }
    if (text.startsWith('<?', i)) {
      const e = text.indexOf('?>', i + 2);
      if (e < 0) { err(i, 'Unterminated processing instruction'); break; }
      i = e + 2;
      continue;
    }
    if (text.startsWith('</', i)) {
      const e = text.indexOf('>', i + 2);
      if (e < 0) { err(i, 'Unterminated end tag'); break; }
      const name = text.slice(i + 2, e).trim();
      if (depthOverflow > 0) { depthOverflow--; i = e + 1; continue; }
      const k = findOpen(stack, name);
      if (k < 0) err(i, `End tag </${name}> without a start tag`);
      else {
        if (k !== stack.length - 1) err(i, `End tag </${name}> closes unclosed <${stack[stack.length - 1].name}>`);
        while (stack.length > k) {
          const el = stack.pop()!;
          el.end = e + 1;
        }
      }
      i = e + 1;
      continue;
    }
    // Start tag.
    const tag = readStartTag(text, i + 1, err);
    if (!tag) {
      err(i, 'Not a tag; "<" must be escaped');
      addNode({ kind: 'text', text: '<', cdata: false }, i);
      i++;
      continue;
    }
    const parentScope = scopeOf();
    let scope = parentScope;
    const decls = new Map<string, string>();
    for (const a of tag.attrs) {
      if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) {
        const p = a.name === 'xmlns' ? '' : a.name.slice(6);
        const uri = decode(a.raw, a.at);
        decls.set(p, uri);
      }
    }
    if (decls.size) {
      const m = new Map(parentScope);
      for (const [p, u] of decls) m.set(p, u);
      scope = m;
    }
    const [prefix, local] = splitName(tag.name);
    if (prefix && !scope.has(prefix)) err(i, `Unbound namespace prefix "${prefix}"`);
    const seen = new Set<string>();
    const attrs: XmlAttr[] = tag.attrs.map((a) => {
      if (seen.has(a.name)) err(a.at, `Duplicate attribute ${a.name}`);
      seen.add(a.name);
      if (a.raw.includes('<')) err(a.at, '"<" in an attribute value');
      const [ap, al] = splitName(a.name);
      const isDecl = a.name === 'xmlns' || ap === 'xmlns';
      if (ap && !isDecl && !scope.has(ap)) err(a.at, `Unbound namespace prefix "${ap}"`);
      return { name: a.name, prefix: ap, local: al, ns: isDecl ? XMLNS_NS : ap ? scope.get(ap) ?? '' : '', value: decode(a.raw, a.at) };
    });
    const el: XmlElement = {
      kind: 'element', name: tag.name, prefix, local, ns: scope.get(prefix) ?? '', attrs, children: [], nsDecls: decls, scope,
      start: i, end: tag.end,
    };
    if (stack.length >= maxDepth) {
      err(i, `Nesting deeper than ${maxDepth}; the rest is kept as text`);
      if (!tag.selfClosing) depthOverflow++;
      i = tag.end;
      continue;
    }
    addNode(el, i);
    if (!tag.selfClosing) stack.push(el);
    i = tag.end;
  }
  if (stack.length) {
    err(n, `Unexpected end: <${stack[stack.length - 1].name}> is not closed`);
    for (const el of stack) el.end = n;
  }
  if (roots.length === 0 && errors.length === 0) err(0, 'No element');
  return { roots, errors };
}

function findOpen(stack: XmlElement[], name: string): number {
  for (let k = stack.length - 1; k >= 0; k--) if (stack[k].name === name) return k;
  return -1;
}

interface RawTag {
  name: string;
  attrs: Array<{ name: string; raw: string; at: number }>;
  selfClosing: boolean;
  end: number;
}

function readStartTag(text: string, i: number, err: (o: number, m: string) => void): RawTag | undefined {
  const n = text.length;
  let j = i;
  while (j < n && !/[\s/>]/.test(text[j])) j++;
  const name = text.slice(i, j);
  if (!NAME_RE.test(name)) return undefined;
  const attrs: RawTag['attrs'] = [];
  for (;;) {
    const ws = j;
    while (j < n && /\s/.test(text[j])) j++;
    if (j >= n) { err(i, `Unterminated start tag <${name}`); return { name, attrs, selfClosing: false, end: n }; }
    if (text[j] === '>') return { name, attrs, selfClosing: false, end: j + 1 };
    if (text[j] === '/' && text[j + 1] === '>') return { name, attrs, selfClosing: true, end: j + 2 };
    if (j === ws) err(j, 'Missing whitespace between attributes');
    const an = j;
    while (j < n && !/[\s=/>]/.test(text[j])) j++;
    const aname = text.slice(an, j);
    while (j < n && /\s/.test(text[j])) j++;
    if (text[j] !== '=' || !NAME_RE.test(aname)) {
      err(an, `Malformed attribute in <${name}>`);
      // Skip to the end of the tag.
      const e = text.indexOf('>', j);
      return { name, attrs, selfClosing: e > 0 && text[e - 1] === '/', end: e < 0 ? n : e + 1 };
    }
    j++;
    while (j < n && /\s/.test(text[j])) j++;
    const q = text[j];
    if (q !== '"' && q !== "'") {
      err(j, `Unquoted attribute value in <${name}>`);
      const e = text.indexOf('>', j);
      return { name, attrs, selfClosing: false, end: e < 0 ? n : e + 1 };
    }
    const ve = text.indexOf(q, j + 1);
    if (ve < 0) { err(j, 'Unterminated attribute value'); return { name, attrs, selfClosing: false, end: n }; }
    attrs.push({ name: aname, raw: text.slice(j + 1, ve), at: j + 1 });
    j = ve + 1;
  }
}

/** Strict well-formedness check of one event's UTF-8 bytes (for the decoder's optional `validate`). */
export function checkWellFormed(bytes: Uint8Array): 'malformed' | 'invalid-char' | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const r = parseXml(text, { maxErrors: 1, checkOnly: true });
  if (r.errors.length === 0) return r.roots.length === 1 ? undefined : 'malformed';
  return r.errors[0].kind === 'invalid-char' ? 'invalid-char' : 'malformed';
}

// ---------------------------------------------------------------------------------------------------------------
// Queries and serialisation

export function childElements(el: XmlElement, local?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) if (c.kind === 'element' && (local === undefined || c.local === local)) out.push(c);
  return out;
}

export function firstChild(el: XmlElement | undefined, local: string): XmlElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) if (c.kind === 'element' && c.local === local) return c;
  return undefined;
}

/** First descendant (document order) with this local name. */
export function findDescendant(el: XmlElement | undefined, local: string): XmlElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) {
    if (c.kind !== 'element') continue;
    if (c.local === local) return c;
    const d = findDescendant(c, local);
    if (d) return d;
  }
  return undefined;
}

/** Concatenated text of all descendants. */
export function textContent(node: XmlNode | undefined): string {
  if (!node) return '';
  if (node.kind === 'text') return node.text;
  if (node.kind === 'comment') return '';
  let s = '';
  for (const c of node.children) s += textContent(c);
  return s;
}

/** Text of direct text children only. */
export function ownText(el: XmlElement): string {
  let s = '';
  for (const c of el.children) if (c.kind === 'text') s += c.text;
  return s;
}

export function attr(el: XmlElement | undefined, local: string): string | undefined {
  if (!el) return undefined;
  for (const a of el.attrs) if (a.local === local && a.prefix !== 'xmlns' && a.name !== 'xmlns') return a.value;
  return undefined;
}

export interface SerializeOptions {
  /** Indent string; '' writes the element as it is (no added whitespace). */
  readonly indent?: string;
  /**
   * Declare, on the root of the serialised subtree, the in-scope namespaces it uses but does not declare itself, so
   * a fragment (e.g. a SOAP Body) keeps its prefixes bound. Default true.
   */
  readonly bindNamespaces?: boolean;
}

/** Serialises an element; with an indent, element-only content is pretty-printed and mixed content left alone. */
export function serializeXml(el: XmlElement, options: SerializeOptions = {}): string {
  const indent = options.indent ?? '  ';
  const extra = options.bindNamespaces === false ? new Map<string, string>() : missingBindings(el);
  const out: string[] = [];
  write(el, 0, extra);
  return out.join('');

  function write(e: XmlElement, depth: number, add: ReadonlyMap<string, string>): void {
    out.push('<', e.name);
    for (const [p, u] of add) out.push(' ', p ? `xmlns:${p}` : 'xmlns', '="', escapeXml(u, true), '"');
    for (const a of e.attrs) out.push(' ', a.name, '="', escapeXml(a.value, true), '"');
    if (e.children.length === 0) { out.push('/>'); return; }
    out.push('>');
    const elementOnly = indent !== '' && e.children.every((c) => c.kind !== 'text' || (!c.cdata && c.text.trim() === ''));
    const none = new Map<string, string>();
    for (const c of e.children) {
      if (elementOnly) {
        if (c.kind === 'text') continue;
        out.push('\n', indent.repeat(depth + 1));
      }
      if (c.kind === 'element') write(c, elementOnly ? depth + 1 : depth, none);
      else if (c.kind === 'comment') out.push('<!--', c.text, '-->');
      else if (c.cdata) out.push('<![CDATA[', c.text.replace(/]]>/g, ']]]]><![CDATA[>'), ']]>');
      else out.push(escapeXml(c.text));
    }
    if (elementOnly) out.push('\n', indent.repeat(depth));
    out.push('</', e.name, '>');
  }
}

/** In-scope bindings used inside `el` (element/attribute prefixes, QName-like attribute values) not declared on it. */
function missingBindings(el: XmlElement): Map<string, string> {
  const used = new Set<string>();
  const visit = (e: XmlElement): void => {
    used.add(e.prefix);
    for (const a of e.attrs) {
      if (a.prefix && a.prefix !== 'xmlns') used.add(a.prefix);
      const m = /^([A-Za-z_][\w.-]*):[A-Za-z_]/.exec(a.value);
      if (m) used.add(m[1]);
    }
    for (const c of e.children) if (c.kind === 'element') visit(c);
  };
  visit(el);
  const add = new Map<string, string>();
  for (const p of used) {
    if (p === 'xml' || p === 'xmlns' || el.nsDecls.has(p)) continue;
    const u = el.scope.get(p);
    if (u === undefined) continue;
    if (p === '' && u === '') continue;
    add.set(p, u);
  }
  return add;
}
