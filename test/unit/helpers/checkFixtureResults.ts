// Every recorded check output (test/fixtures/check-output: hand-written shapes, and recorded/ from the Pester tier)
// evaluated as the extension evaluates it: what the text tests (German result texts, evidence labels) run over.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { evaluate } from '../../../src/checks/evaluate';
import { resolveInputs, type RawStepInputs } from '../../../src/checks/inputs';
import type { StepId } from '../../../src/checks/status';
import type { CheckOutcome, Observations, StepResult } from '../../../src/checks/types';

const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'check-output');

interface Case { name: string; inputs?: RawStepInputs; now?: string; observed?: Observations; outcome: CheckOutcome }
interface FixtureFile { step: string; now?: string; inputs?: RawStepInputs; cases: Case[] }

export function fixtureResults(): StepResult[] {
  const out: StepResult[] = [];
  for (const dir of [FIXTURES, path.join(FIXTURES, 'recorded')]) {
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      const fx = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as FixtureFile;
      for (const c of fx.cases) {
        const inputs = resolveInputs(c.inputs ?? fx.inputs ?? { server: 'exch01.contoso.com' });
        out.push(evaluate(fx.step as StepId, c.outcome, { now: new Date(c.now ?? fx.now ?? '2026-11-22T00:00:00Z'), inputs, ...(c.observed ? { observed: c.observed } : {}) }));
      }
    }
  }
  return out;
}
