// Safe embedding of values in generated PowerShell. Pure.
//
// Values only ever enter a script as single-quoted literals (or as [int]/[bool] literals rendered from
// validated numbers and booleans). Inside a single-quoted literal PowerShell gives meaning to exactly one
// thing: a single-quote character, and it recognises five of them: ' (U+0027), ‘ (U+2018), ’ (U+2019),
// ‚ (U+201A) and ‛ (U+201B). Any of them ends the literal; two in a row (any two of the five) stand for
// one quote character, namely the second. Doubling each quote character therefore keeps the value exactly
// and can never end the literal. No other character ($, `, ", “ ” „, newlines) is special there.

/** The characters PowerShell treats as a single quote (tokenizer: CharExtensions.IsSingleQuote). */
export const SINGLE_QUOTES = ['\u0027', '\u2018', '\u2019', '\u201A', '\u201B'] as const;
/** The characters PowerShell treats as a double quote; harmless inside single quotes, listed for tests. */
export const DOUBLE_QUOTES = ['\u0022', '\u201C', '\u201D', '\u201E'] as const;

const SINGLE_QUOTE_RE = /['\u2018\u2019\u201A\u201B]/g;

export class QuoteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuoteError';
  }
}

/**
 * Returns `value` as a PowerShell single-quoted string literal, e.g. O'Brien → 'O''Brien'.
 * Refuses NUL (the tokenizer treats it as end of input) and lone UTF-16 surrogates.
 */
export function quoteLiteral(value: string): string {
  if (typeof value !== 'string') throw new QuoteError('Only text can be quoted as a PowerShell literal.');
  if (value.includes('\u0000')) throw new QuoteError('A value contains a NUL character, which PowerShell cannot hold in a script.');
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value)) {
    throw new QuoteError('A value contains a broken UTF-16 character.');
  }
  return `'${value.replace(SINGLE_QUOTE_RE, (q) => q + q)}'`;
}

/** Reverses quoteLiteral for a literal it produced (used by tests and by anyone reading scripts back). */
export function unquoteLiteral(literal: string): string {
  const first = literal[0];
  const last = literal[literal.length - 1];
  if (literal.length < 2 || !isSingleQuote(first) || !isSingleQuote(last)) throw new QuoteError('Not a single-quoted literal.');
  const body = literal.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (isSingleQuote(c)) {
      const next = body[i + 1];
      if (next === undefined || !isSingleQuote(next)) throw new QuoteError('An unescaped quote ends the literal early.');
      out += next;
      i++;
    } else {
      out += c;
    }
  }
  return out;
}

export function isSingleQuote(c: string | undefined): boolean {
  return c !== undefined && (SINGLE_QUOTES as readonly string[]).includes(c);
}

/** `@('a', 'b')`: an array of single-quoted literals (always an array, also for 0 or 1 items). */
export function quoteList(values: readonly string[]): string {
  return `@(${values.map(quoteLiteral).join(', ')})`;
}

/** An integer literal; refuses anything that is not a safe integer. */
export function intLiteral(value: number): string {
  if (!Number.isSafeInteger(value)) throw new QuoteError(`${String(value)} is not an integer.`);
  return String(value);
}

export function boolLiteral(value: boolean): string {
  return value ? '$true' : '$false';
}

/** A value that may be bound to a script variable: text, an integer, a boolean, or a list of text or integers. */
export type PsValue = string | number | boolean | readonly string[] | readonly number[];

const VARIABLE_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

/** Renders one value as a PowerShell expression. */
export function psValue(value: PsValue): string {
  if (typeof value === 'string') return quoteLiteral(value);
  if (typeof value === 'number') return intLiteral(value);
  if (typeof value === 'boolean') return boolLiteral(value);
  const items = value as readonly (string | number)[];
  if (items.every((v) => typeof v === 'number')) return `@(${items.map((v) => intLiteral(v as number)).join(', ')})`;
  if (items.every((v) => typeof v === 'string')) return quoteList(items as readonly string[]);
  throw new QuoteError('A list must hold only text or only integers.');
}

/**
 * Parameter binding: one `$name = <literal>` line per value, in the given order. The script body refers
 * to the variables only, so its shape never depends on the values.
 */
export function bindVariables(values: Readonly<Record<string, PsValue>>): string {
  return Object.entries(values).map(([name, value]) => {
    if (!VARIABLE_NAME.test(name)) throw new QuoteError(`"${name}" is not a safe variable name.`);
    return `$${name} = ${psValue(value)}`;
  }).join('\n');
}
