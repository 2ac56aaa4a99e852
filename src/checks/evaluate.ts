// One entry point for evaluation: any thrown exception inside an evaluator becomes an `error` result. Pure.
import { extractResult } from '../pslang/resultMarkers';
import { getStep } from './catalog';
import { splitCombinedResult } from './render';
import type { StepId } from './status';
import type { CheckOutcome, EvalContext, StepResult } from './types';

/** A check script's stdout as an outcome: the JSON between the markers of `token`, or a classified error. */
export function outcomeFromStdout(stdout: string, token: string): CheckOutcome {
  const x = extractResult(stdout, token);
  if (x.ok) return { kind: 'json', json: x.json };
  return { kind: 'error', error: { fullyQualifiedErrorId: `ResultMarker:${x.reason}`, message: x.detail, source: 'result markers' } };
}

/**
 * Evaluates a combined document (renderCheckAll / renderRunbook). Steps in `expected` that have no result
 * in the document come back as `error`, never silently missing.
 */
export function evaluateCombined(json: unknown, ctx: EvalContext, expected: readonly StepId[] = []): StepResult[] {
  const parts = splitCombinedResult(json);
  const ids = [...new Set([...expected, ...parts.keys()])];
  return ids.map((id) => {
    const outcome = parts.get(id);
    if (outcome) return evaluate(id, outcome, ctx);
    return { stepId: id, status: 'error', summary: 'No result for this step', evidence: [], reason: 'The combined output has no result for this step; the script may have stopped early.', code: 'missing-result' };
  });
}

export function evaluate(stepId: StepId, outcome: CheckOutcome, ctx: EvalContext): StepResult {
  try {
    return getStep(stepId).evaluate(outcome, ctx);
  } catch (err) {
    return { stepId, status: 'error', summary: 'Evaluation failed', evidence: [{ label: 'Error', value: err instanceof Error ? err.message : String(err) }], reason: 'The check output could not be interpreted; this is a defect of the tool, not a pass.', code: 'evaluator-exception' };
  }
}
