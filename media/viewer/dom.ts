// DOM helpers. Text goes in only through textContent / createTextNode: no HTML parsing of anything, ever.

export type Child = Node | string | null | undefined | false;

export interface Props {
  className?: string;
  text?: string;
  title?: string;
  /** Attributes set with setAttribute (never `on*` handlers, never `style`, never URLs). */
  attrs?: Record<string, string>;
  dataset?: Record<string, string>;
}

const URL_ATTRS = new Set(['style', 'href', 'src', 'action', 'formaction', 'xlink:href', 'background', 'poster']);

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props | string = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  const p: Props = typeof props === 'string' ? { className: props } : props;
  if (p.className) node.className = p.className;
  if (p.title !== undefined) node.title = p.title;
  if (p.attrs) {
    for (const [k, v] of Object.entries(p.attrs)) {
      if (/^on/i.test(k) || URL_ATTRS.has(k.toLowerCase())) throw new Error(`attribute ${k} is not allowed`);
      node.setAttribute(k, v);
    }
  }
  if (p.dataset) for (const [k, v] of Object.entries(p.dataset)) node.dataset[k] = v;
  if (p.text !== undefined) node.textContent = p.text;
  append(node, children);
  return node;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

export function button(label: string, onClick: (ev: MouseEvent) => void, props: Props = {}): HTMLButtonElement {
  const b = el('button', { ...props, text: props.text ?? label, attrs: { type: 'button', ...(props.attrs ?? {}) } });
  b.addEventListener('click', onClick);
  return b;
}

export function toggle(b: HTMLButtonElement, on: boolean): void {
  b.setAttribute('aria-pressed', on ? 'true' : 'false');
  b.classList.toggle('on', on);
}

/** Something that finds matches in text (a plain case-insensitive needle or a regular expression). */
export type Matcher = ((text: string) => Array<[number, number]>) | undefined;

export function makeMatcher(text: string, regex: boolean): Matcher {
  if (!text) return undefined;
  if (regex) {
    let re: RegExp;
    try { re = new RegExp(text, 'gi'); } catch { return undefined; }
    return (s) => {
      const out: Array<[number, number]> = [];
      re.lastIndex = 0;
      for (let m = re.exec(s); m && out.length < 100; m = re.exec(s)) {
        if (m[0].length === 0) { re.lastIndex++; continue; }
        out.push([m.index, m.index + m[0].length]);
      }
      return out;
    };
  }
  const needle = text.toLowerCase();
  return (s) => {
    const out: Array<[number, number]> = [];
    const hay = s.toLowerCase();
    for (let i = hay.indexOf(needle); i >= 0 && out.length < 100; i = hay.indexOf(needle, i + needle.length)) out.push([i, i + needle.length]);
    return out;
  };
}

/** Sets `text` into `target`, wrapping matches in <mark> by splitting text nodes (never HTML). */
export function setText(target: HTMLElement, text: string, matcher?: Matcher): void {
  const hits = matcher && text ? matcher(text) : [];
  if (hits.length === 0) {
    if (target.childNodes.length === 1 && target.firstChild?.nodeType === Node.TEXT_NODE) {
      if (target.firstChild.nodeValue !== text) target.firstChild.nodeValue = text;
    } else target.textContent = text;
    return;
  }
  const parts: Node[] = [];
  let at = 0;
  for (const [s, e] of hits) {
    if (s > at) parts.push(document.createTextNode(text.slice(at, s)));
    const m = document.createElement('mark');
    m.textContent = text.slice(s, e);
    parts.push(m);
    at = e;
  }
  if (at < text.length) parts.push(document.createTextNode(text.slice(at)));
  target.replaceChildren(...parts);
}

// One formatter for every count (toLocaleString makes a new one per call: the facets and the table cost 15 ms of the
// first paint on the 500 MB file).
let counts: Intl.NumberFormat | undefined;
export function formatCount(n: number): string {
  counts ??= new Intl.NumberFormat();
  return counts.format(n);
}

/** "1 warning" / "3 warnings": the count with the singular or plural word (both already translated). */
export function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  if (m < 60) return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function debounce<A extends unknown[]>(f: (...a: A) => void, ms: number): (...a: A) => void {
  let t: ReturnType<typeof setTimeout> | undefined;
  return (...a: A) => {
    if (t) clearTimeout(t);
    t = setTimeout(() => { t = undefined; f(...a); }, ms);
  };
}

/** An instant as local wall-clock time, keeping the written fraction's digits: `2016-02-11 12:35:04.2519959`. */
export function localTime(written: string, ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return written;
  const d = new Date(Math.floor(ms));
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const frac = /\.(\d+)/.exec(written)?.[1] ?? (ms % 1000 ? p(Math.floor(ms % 1000), 3) : '');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}${frac ? `.${frac}` : ''}`;
}

/** A time difference for the Δ columns: `+0.004 s`, `+1 min 2 s`. */
export function formatDelta(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  const sign = ms < 0 ? '\u2212' : '+';
  const a = Math.abs(ms);
  if (a < 60_000) return `${sign}${(a / 1000).toFixed(a < 10_000 ? 4 : 2)} s`;
  return `${sign}${formatDuration(a)}`;
}
