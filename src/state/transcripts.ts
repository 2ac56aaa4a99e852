// What PowerShell printed for each check and remediation: output, errors, warnings, duration, target. The last
// check and the last remediation of every (server, step) are kept, bounded in size, persisted through an injected
// key-value store. Pure (the text rendering takes a translator and a time formatter).
import type { KeyValueStore } from './resultStore';

export type TranscriptKind = 'check' | 'remediation';

export interface Transcript {
  readonly server: string;
  readonly stepIds: readonly string[];
  readonly kind: TranscriptKind;
  /** Where it ran, in words ("exch01 over WinRM HTTPS (port 5986)"). */
  readonly target: string;
  readonly startedAt: string;
  readonly durationMs: number;
  /** ok, or the run error's kind (timeout, access-denied…). */
  readonly outcome: string;
  readonly output: string;
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
  /** Set when the output was cut to the size limit. */
  readonly truncated?: boolean;
}

export const TRANSCRIPT_LIMITS = { outputChars: 32_000, entries: 400, messageChars: 2000, messages: 50 } as const;
export const TRANSCRIPTS_STATE_VERSION = 1;

/** Warnings as PowerShell's host prints them ("WARNING: …") are lifted out of the output. */
export function splitWarnings(output: string): { output: string; warnings: string[] } {
  const warnings: string[] = [];
  const kept: string[] = [];
  for (const line of output.split(/\r?\n/)) {
    const m = /^\s*WARNING: (.*)$/.exec(line);
    if (m) warnings.push(m[1] as string);
    else kept.push(line);
  }
  return { output: kept.join('\n'), warnings };
}

/** Keeps the head and the tail of a long output (the start says what ran, the end how it ended). */
export function bound(text: string, max: number): { text: string; truncated: boolean } {
  if (text.length <= max) return { text, truncated: false };
  const half = Math.floor(max / 2);
  return { text: `${text.slice(0, half)}\n…\n${text.slice(-half)}`, truncated: true };
}

export class TranscriptStore {
  private readonly entries = new Map<string, Transcript>();

  constructor(private readonly storage: KeyValueStore, private readonly key: string, private readonly limits = TRANSCRIPT_LIMITS) {}

  load(): void {
    const raw = this.storage.get<unknown>(this.key) as { version?: unknown; entries?: unknown } | undefined;
    this.entries.clear();
    if (!raw || raw.version !== TRANSCRIPTS_STATE_VERSION || !Array.isArray(raw.entries)) return;
    for (const e of raw.entries) if (isTranscript(e)) for (const stepId of e.stepIds) this.entries.set(key(e.server, stepId, e.kind), e);
  }

  /** Keeps the transcript for each of its steps (one round trip may decide several). */
  async record(t: Transcript): Promise<void> {
    const out = bound(t.output, this.limits.outputChars);
    const clip = (list: readonly string[]): string[] => list.slice(0, this.limits.messages).map((m) => m.slice(0, this.limits.messageChars));
    const kept: Transcript = { ...t, output: out.text, errors: clip(t.errors), warnings: clip(t.warnings), ...(out.truncated || t.truncated ? { truncated: true } : {}) };
    for (const stepId of t.stepIds) {
      const k = key(t.server, stepId, t.kind);
      this.entries.delete(k);
      this.entries.set(k, kept);
    }
    while (this.entries.size > this.limits.entries) this.entries.delete(this.entries.keys().next().value as string);
    await this.persist();
  }

  get(server: string, stepId: string, kind: TranscriptKind): Transcript | undefined {
    return this.entries.get(key(server, stepId, kind));
  }

  /** The step's transcripts, newest first. */
  forStep(server: string, stepId: string): Transcript[] {
    return (['remediation', 'check'] as const).map((k) => this.get(server, stepId, k)).filter((x): x is Transcript => !!x)
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  private async persist(): Promise<void> {
    const unique = [...new Set(this.entries.values())];
    await this.storage.update(this.key, { version: TRANSCRIPTS_STATE_VERSION, entries: unique });
  }
}

type Translate = (message: string, ...args: (string | number)[]) => string;

/** A transcript as a plain-text document (read-only editor). */
export function renderTranscripts(title: string, list: readonly Transcript[], t: Translate, time: (iso: string) => string): string {
  if (!list.length) return `${title}\n\n${t('Nothing has run for this step yet.')}\n`;
  const out = [title, ''];
  for (const x of list) {
    out.push(`== ${x.kind === 'check' ? t('Check') : t('Remediation')} · ${time(x.startedAt)} · ${t('{0} ms', x.durationMs)} ==`);
    out.push(`${t('Target')}: ${x.target}`, `${t('Steps')}: ${x.stepIds.join(', ')}`, `${t('Outcome')}: ${x.outcome}`, '');
    if (x.errors.length) out.push(`-- ${t('Errors')} --`, ...x.errors, '');
    if (x.warnings.length) out.push(`-- ${t('Warnings')} --`, ...x.warnings, '');
    out.push(`-- ${t('Output')}${x.truncated ? ` (${t('shortened')})` : ''} --`, x.output.trim() || t('(no output)'), '');
  }
  return `${out.join('\n')}\n`;
}

function key(server: string, stepId: string, kind: TranscriptKind): string {
  return `${server}\u0000${stepId}\u0000${kind}`;
}

function isTranscript(v: unknown): v is Transcript {
  const x = v as Record<string, unknown> | null;
  return !!x && typeof x.server === 'string' && Array.isArray(x.stepIds) && x.stepIds.every((s) => typeof s === 'string')
    && (x.kind === 'check' || x.kind === 'remediation') && typeof x.target === 'string' && typeof x.startedAt === 'string'
    && typeof x.durationMs === 'number' && typeof x.outcome === 'string' && typeof x.output === 'string'
    && Array.isArray(x.errors) && x.errors.every((s) => typeof s === 'string') && Array.isArray(x.warnings) && x.warnings.every((s) => typeof s === 'string');
}
