// Recorded check outputs (test/fixtures/check-output) used by the host tests' PowerShell double.
import { readFileSync, writeFileSync } from 'node:fs';
import { scriptsInLog } from '../doubles/pwshDouble';
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
  return scriptsInLog(process.env.ERS_PS_DOUBLE_LOG as string);
}

export const CHECKED_SERVER = 'exch01.contoso.com';
