// Public surface of the step catalog (pure; no vscode).
export { CATALOG, catalogData, getStep, stepsFor } from './catalog';
export { classifyError, type ErrorClassification, type ErrorKind } from './errors';
export { evaluate, evaluateCombined, outcomeFromStdout } from './evaluate';
export { CBT_LEVELS, DEFAULTS, resolveInputs, type RawStepInputs, type StepInputs } from './inputs';
export { newToken, planRunbook, render, renderCheckAll, renderRunbook, runbookOutcome, splitCombinedResult, type RenderOptions, type RunbookOptions } from './render';
export { RISK_LEVELS, SCRIPT_KINDS, STATUSES, STEP_IDS, WHERE, isStepId, type RiskLevel, type ScriptKind, type Status, type StepId, type Where } from './status';
export type { CheckErrorInfo, CheckOutcome, EvalContext, Evidence, Observations, PolicyOwnership, StepDefinition, StepResult } from './types';
