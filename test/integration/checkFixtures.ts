// Recorded check outputs (test/fixtures/check-output) used by the host tests' PowerShell double.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

export function recordedCheck(step: string, caseIndex: number): unknown {
  const f = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'check-output', `${step}.json`), 'utf8')) as { cases: { outcome: { json: unknown } }[] };
  return f.cases[caseIndex]?.outcome.json;
}

/** Writes the double's scenario (re-read by the double for every script). */
export function setDoubleScenario(scenario: unknown): void {
  const file = process.env.ERS_PS_DOUBLE_SCENARIO;
  if (!file) throw new Error('ERS_PS_DOUBLE_SCENARIO is not set: run the host tests through out/test/integration/runTest.js');
  writeFileSync(file, JSON.stringify(scenario));
}

export function doubleScripts(): string[] {
  const file = process.env.ERS_PS_DOUBLE_LOG as string;
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { event: string; script?: string }).filter((r) => r.event === 'script').map((r) => r.script ?? '');
  } catch {
    return [];
  }
}

export const CHECKED_SERVER = 'exch01.contoso.com';
