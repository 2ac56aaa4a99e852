// One entry point for evaluation: any thrown exception inside an evaluator becomes an `error` result. Pure.
import { getStep } from './catalog';
import type { StepId } from './status';
import type { CheckOutcome, EvalContext, StepResult } from './types';

export function evaluate(stepId: StepId, outcome: CheckOutcome, ctx: EvalContext): StepResult {
  try {
    return getStep(stepId).evaluate(outcome, ctx);
  } catch (err) {
    return { stepId, status: 'error', summary: 'Evaluation failed', evidence: [{ label: 'Error', value: err instanceof Error ? err.message : String(err) }], reason: 'The check output could not be interpreted; this is a defect of the tool, not a pass.', code: 'evaluator-exception' };
  }
}
