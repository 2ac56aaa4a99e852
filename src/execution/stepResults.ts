// What a run's raw outcome means as a step result or a remediation verdict. Pure.
import { REMEDIATION_SCHEMA } from '../checks/script';
import type { StepDefinition, StepResult } from '../checks/types';
import type { ServerRunResult } from '../powershell/runner';
import { InputError } from '../servers/validation';

export type RemediationVerdict = 'done' | 'not-confirmed' | 'failed';

/** Done only when the remediation's own success marker came back; output without it is "not confirmed". */
export function remediationVerdict(result: ServerRunResult): { confirmed: boolean; verdict: RemediationVerdict; why: string; message: string | undefined } {
  const output = result.output;
  const confirmed = result.status === 'ok' && isDone(result.result);
  const verdict: RemediationVerdict = confirmed ? 'done' : output.trim() ? 'not-confirmed' : 'failed';
  const why = result.status === 'error' ? result.error.message : 'It printed no success marker.';
  const message = confirmed ? undefined : verdict === 'not-confirmed'
    ? `Not confirmed: the remediation did not report that it reached its end (${why}). It may have changed part of what it should; read its output and check the step again.`
    : why;
  return { confirmed, verdict, why, message };
}

function isDone(document: unknown): boolean {
  return typeof document === 'object' && document !== null && (document as { schema?: unknown }).schema === REMEDIATION_SCHEMA && (document as { done?: unknown }).done === true;
}

/** The script ran and printed its document, but without this step: never a pass, and said plainly. */
export function missingStepResult(step: StepDefinition): StepResult {
  return {
    stepId: step.id, status: 'error', summary: 'No result for this step', evidence: [],
    reason: 'The check script ran but its result document has no entry for this step (the script was cut short or changed). Run the check again; if it persists, run the check script by hand and look at its output.',
    code: 'no-step-result',
  };
}

export function inputError(step: StepDefinition, err: unknown): StepResult {
  const message = err instanceof InputError ? err.message : err instanceof Error ? err.message : String(err);
  return {
    stepId: step.id, status: 'error', summary: 'Missing or invalid input', evidence: [{ label: 'Input', value: message }],
    reason: `${message} Edit the server entry (or the extension settings) and check again.`, code: 'input',
  };
}
