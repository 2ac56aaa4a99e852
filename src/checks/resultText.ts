// The evaluators' summaries, reasons and evidence labels in the display language. Evaluators write English; the German for each
// text (and for the fragments they join into one) is in resultTexts.de.ts, keyed by the English text with {0},
// {1}… where a value goes. A text is matched against the keys, the inserted values are translated in turn
// (they can be fragments such as "WinRM is Stopped"), and a text joined from several parts ("…; …", several
// sentences) is translated part by part. Values that are data (names, codes, numbers) stay as they are. Evidence
// labels come from evidenceLabels.de.ts the same way (exact or with {n}); labels that are data stay. Pure.
import { EVIDENCE_LABELS_DE } from './evidenceLabels.de';
import { RESULT_TEXTS_DE } from './resultTexts.de';

interface Template {
  readonly key: string;
  readonly re: RegExp;
  readonly de: string;
  readonly slots: readonly number[];
  readonly literal: number;
  /** No words of its own: "{0}.", "{0}: {1}". */
  readonly bare: boolean;
}

function compile(key: string, de: string): Template {
  const slots: number[] = [];
  const source = key.split(/(\{\d+\})/).map((part) => {
    const m = /^\{(\d+)\}$/.exec(part);
    if (m) { slots.push(Number(m[1])); return '([\\s\\S]+?)'; }
    return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }).join('');
  return { key, re: new RegExp(`^${source}$`), de, slots, literal: key.replace(/\{\d+\}/g, '').length, bare: !/[A-Za-z]/.test(key.replace(/\{\d+\}/g, '')) };
}

/** The entries of a table that have placeholders, most specific first: the template with the most fixed text wins. */
function templatesOf(table: Readonly<Record<string, string>>): readonly Template[] {
  return Object.entries(table).filter(([k]) => /\{\d+\}/.test(k)).map(([k, v]) => compile(k, v)).sort((a, b) => b.literal - a.literal);
}

/** A template's German with the values `m` matched put in their places (each passed through `value`). */
function fill(t: Template, m: RegExpExecArray, value: (v: string) => string = (v) => v): string {
  const values = new Map<number, string>();
  t.slots.forEach((slot, i) => values.set(slot, m[i + 1] ?? ''));
  return t.de.replace(/\{(\d+)\}/g, (_, n: string) => value(values.get(Number(n)) ?? ''));
}

const TEMPLATES = templatesOf(RESULT_TEXTS_DE);

/** The template key a text matches (exact texts first), or undefined. */
export function resultTextKey(text: string): string | undefined {
  if (RESULT_TEXTS_DE[text] !== undefined) return text;
  return TEMPLATES.find((t) => t.re.test(text))?.key;
}

/** Where one sentence ends and the next begins (the next may start with a host name: "…rejects it). exch01 …"). */
const SENTENCE_END = /(?<=[.?])\s+/;

/**
 * German for one text by an entry covering all of it (exact, or a template), or undefined. Which templates: 'clean'
 * those whose values hold no sentence break (so "{0} answered and refused…" cannot take in a whole finding before
 * it), 'any' all with words of their own, 'bare' those without ("{0}."), which would take in anything.
 */
function wholeText(text: string, depth: number, used: Set<string> | undefined, kind: 'clean' | 'any' | 'bare'): string | undefined {
  const exact = kind === 'bare' ? undefined : RESULT_TEXTS_DE[text];
  if (exact !== undefined) { used?.add(text); return exact; }
  for (const t of TEMPLATES) {
    if (t.bare !== (kind === 'bare')) continue;
    const m = t.re.exec(text);
    if (!m || (kind === 'clean' && m.slice(1).some((v) => SENTENCE_END.test(v)))) continue;
    used?.add(t.key);
    return fill(t, m, (v) => germanResultText(v, depth + 1, used) ?? v);
  }
  return undefined;
}

/**
 * Sentences grouped into runs that each match one entry, longest run first (a reason joined from messages of
 * several sentences each, as the probe's findings); undefined when no grouping covers every sentence.
 */
function sentenceRuns(parts: readonly string[], used?: Set<string>): string[] | undefined {
  const memo = new Map<number, string[] | undefined>();
  const from = (i: number): string[] | undefined => {
    if (i === parts.length) return [];
    if (memo.has(i)) return memo.get(i);
    let found: string[] | undefined;
    for (let j = parts.length - (i === 0 ? 1 : 0); j > i && !found; j--) {
      const en = parts.slice(i, j).join(' ');
      const de = j - i === 1 ? germanResultText(en, 1, used) : wholeText(en, 1, used, 'clean');
      const rest = de !== undefined && (de !== en || !/[a-z]{3}/.test(en)) ? from(j) : undefined;
      if (de !== undefined && rest) found = [de, ...rest];
    }
    memo.set(i, found);
    return found;
  };
  return from(0);
}

/** German for one text, or undefined when no entry covers it. */
export function germanResultText(text: string, depth = 0, used?: Set<string>): string | undefined {
  if (depth > 4 || text === '') return depth > 0 ? text : undefined;
  const clean = wholeText(text, depth, used, 'clean');
  if (clean !== undefined) return clean;
  // Several messages joined into one reason (the probe's findings): each run of sentences by its own entry.
  const runs = depth === 0 ? sentenceRuns(text.split(SENTENCE_END), used) : undefined;
  if (runs) return runs.join(' ');
  const whole = wholeText(text, depth, used, 'any');
  if (whole !== undefined) return whole;
  // A list joined with "; " or several sentences: each part on its own.
  for (const sep of ['; ', ' ']) {
    const parts = sep === '; ' ? text.split('; ') : text.split(/(?<=[.:])\s+(?=[A-Z"])/);
    if (parts.length < 2) continue;
    const de = parts.map((p) => germanResultText(p, depth + 1, used));
    if (depth === 0 ? de.every((p, i) => p !== undefined && (p !== parts[i] || !/[a-z]{3}/.test(parts[i] ?? ''))) : de.some((p, i) => p !== parts[i])) {
      return de.map((p, i) => p ?? parts[i]).join(sep);
    }
  }
  return wholeText(text, depth, used, 'bare');
}

const LABEL_TEMPLATES = templatesOf(EVIDENCE_LABELS_DE);

/** The key of evidenceLabels.de.ts an evidence label matches, or undefined (labels that are data). */
export function evidenceLabelKey(label: string): string | undefined {
  if (EVIDENCE_LABELS_DE[label] !== undefined) return label;
  return LABEL_TEMPLATES.find((t) => t.re.test(label))?.key;
}

/** German for an evidence label; a label that is data (a rule's name, a setting's name) comes back as it is. */
export function germanEvidenceLabel(label: string): string {
  const exact = EVIDENCE_LABELS_DE[label];
  if (exact !== undefined) return exact;
  for (const t of LABEL_TEMPLATES) {
    const m = t.re.exec(label);
    if (m) return fill(t, m);
  }
  return label;
}

interface Localizable {
  readonly summary: string;
  readonly reason: string;
  readonly evidence?: readonly { readonly label: string; readonly value: string }[];
}

/** A result (or stored result) with its summary, reason and evidence labels in the display language (values are data). */
export function localizeResult<T extends Localizable>(r: T, lang: 'en' | 'de'): T;
export function localizeResult<T extends Localizable>(r: T | undefined, lang: 'en' | 'de'): T | undefined;
export function localizeResult<T extends Localizable>(r: T | undefined, lang: 'en' | 'de'): T | undefined {
  if (!r || lang === 'en') return r;
  return {
    ...r,
    summary: germanResultText(r.summary) ?? r.summary,
    reason: germanResultText(r.reason) ?? r.reason,
    ...(r.evidence ? { evidence: r.evidence.map((e) => ({ ...e, label: germanEvidenceLabel(e.label) })) } : {}),
  };
}
