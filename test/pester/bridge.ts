// The Pester tier's bridge to the TypeScript side: one Node process per Pester run, reading one JSON request
// per line on stdin and answering one JSON line on stdout. It renders the catalog's scripts exactly as the
// extension does and hands the output a script printed to the real evaluators, so a Pester test asserts the
// verdict the user would see. Started by test/pester/Ers.psm1 (Start-ErsBridge); not part of the product.
import { createInterface } from 'node:readline';
import { CATALOG } from '../../src/checks/catalog';
import { evaluate, evaluateCombined, outcomeFromStdout } from '../../src/checks/evaluate';
import { resolveInputs, type RawStepInputs } from '../../src/checks/inputs';
import { render, renderCheckAll, renderRunbook, runbookOutcome, type RunbookOptions } from '../../src/checks/render';
import { STEP_IDS, WHERE, isStepId, type StepId } from '../../src/checks/status';
import type { Observations } from '../../src/checks/types';
import { extractResult } from '../../src/pslang/resultMarkers';
import { quoteLiteral } from '../../src/pslang/quote';

interface Request {
  readonly op: string;
  readonly step?: string;
  readonly kind?: 'check' | 'remediation';
  readonly inputs?: RawStepInputs;
  readonly token?: string;
  readonly stdout?: string;
  readonly now?: string;
  readonly observed?: Observations;
  readonly results?: Record<string, string>;
  readonly options?: RunbookOptions;
  readonly value?: string;
  readonly expected?: string[];
}

function stepId(v: string | undefined): StepId {
  if (v === undefined || !isStepId(v)) throw new Error(`unknown step ${String(v)}`);
  return v;
}

function ctx(r: Request): { now: Date; inputs: ReturnType<typeof resolveInputs>; observed?: Observations } {
  return { now: r.now ? new Date(r.now) : new Date(), inputs: resolveInputs(r.inputs ?? { server: 'exch01.contoso.com' }), ...(r.observed ? { observed: r.observed } : {}) };
}

function handle(r: Request): unknown {
  switch (r.op) {
    case 'render':
      return { script: render(stepId(r.step), r.kind ?? 'check', r.inputs ?? { server: 'exch01.contoso.com' }, { token: r.token ?? 'PesterToken01' }) };
    case 'runbook':
      return { script: renderRunbook(r.inputs ?? { server: 'exch01.contoso.com' }, r.results as never, { token: r.token ?? 'PesterToken01', ...(r.options ?? {}) }) };
    case 'checkAll':
      return { script: renderCheckAll(r.inputs ?? { server: 'exch01.contoso.com' }, { token: r.token ?? 'PesterToken01', ...(r.options ?? {}) }) };
    case 'evaluate': {
      const outcome = outcomeFromStdout(r.stdout ?? '', r.token ?? 'PesterToken01');
      const result = evaluate(stepId(r.step), outcome, ctx(r));
      return { result, document: outcome.kind === 'json' ? outcome.json : null };
    }
    case 'evaluateCombined': {
      const x = extractResult(r.stdout ?? '', r.token ?? 'PesterToken01');
      if (!x.ok) return { results: [], error: x.detail };
      const results = evaluateCombined(x.json, ctx(r), (r.expected ?? []).map(stepId));
      return { results, runbook: runbookOutcome(x.json) ?? null, document: x.json };
    }
    case 'quote':
      return { literal: quoteLiteral(r.value ?? '') };
    case 'catalog':
      return { steps: CATALOG.map((s) => ({ id: s.id, where: s.where, profiles: s.profiles, needs: s.needs, supportsWhatIf: s.remediation.supportsWhatIf })), stepIds: STEP_IDS, where: WHERE };
    default:
      throw new Error(`unknown op ${r.op}`);
  }
}

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  if (!line.trim()) return;
  let answer: unknown;
  try {
    answer = { ok: true, value: handle(JSON.parse(line) as Request) };
  } catch (err) {
    answer = { ok: false, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
  // Non-ASCII as \u escapes so the pipe's encoding can never change a value.
  process.stdout.write(`${JSON.stringify(answer).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`);
});
