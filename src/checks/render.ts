// Script rendering: render(stepId, kind, inputs) and the per-server runbook. Pure apart from the random
// marker token (node:crypto) when the caller supplies none.
import { randomBytes } from 'node:crypto';
import type { Profile } from '../servers/server';
import { getStep, stepsFor } from './catalog';
import { COMBINED_SCHEMA } from './envelope';
import { InputError } from '../servers/validation';
import { requireInputs, resolveInputs, type RawStepInputs, type StepInputs } from './inputs';
import { isObject, str } from './json';
import { helperText, type HelperName } from './psHelpers';
import {
  PREFERENCES, WHATIF_NOTE, WHATIF_PARAM, checkScript, combinedCheckBlock, combinedCheckScript, comment, indent, inputBlock,
  remediationNotes, remediationScript,
} from './script';
import { type ScriptKind, type Status, type StepId, type Where, isStepId } from './status';
import type { CheckOutcome, StepDefinition, StepResult } from './types';

/** A fresh marker token (32 hex digits). */
export function newToken(): string {
  return randomBytes(16).toString('hex');
}

export interface RenderOptions {
  /** The marker token for check scripts (8–64 letters or digits); a random one when omitted. */
  readonly token?: string;
}

function toInputs(inputs: RawStepInputs | StepInputs): StepInputs {
  return resolveInputs(inputs as RawStepInputs);
}

/**
 * The check or remediation script of one step. Every input is validated (InputError on anything invalid)
 * and enters the script only as a single-quoted literal in the input block.
 */
export function render(stepId: StepId, kind: ScriptKind, inputs: RawStepInputs | StepInputs, options: RenderOptions = {}): string {
  const step = getStep(stepId);
  const v = toInputs(inputs);
  requireInputs(v, step.needs, step.title.en);
  return kind === 'check' ? checkScript(step, v, options.token ?? newToken()) : remediationScript(step, v);
}

export interface RunbookOptions extends RenderOptions {
  readonly profile?: Profile;
  /** Which machine the runbook is for (default: the Exchange server). */
  readonly where?: Where;
  /** Restrict the runbook or check-all to these steps (default: every step of the scope). */
  readonly only?: readonly StepId[];
}

function scopeSteps(options: RunbookOptions): StepDefinition[] {
  const steps = stepsFor(options.profile ?? 'remoting', options.where ?? 'exchangeServer');
  return options.only ? steps.filter((s) => options.only?.includes(s.id)) : steps;
}

/** What a runbook will do with each step of its scope. */
export interface RunbookPlanEntry {
  readonly stepId: StepId;
  readonly action: 'remediate' | 'skip';
  readonly why: string;
}

function statusOf(r: StepResult | Status | undefined): Status | undefined {
  if (r === undefined) return undefined;
  return typeof r === 'string' ? r : r.status;
}

/**
 * Decides which remediations a runbook runs. Without results every step of the scope is included (each
 * remediation checks first and is idempotent). With results: fail → remediate, warn → remediate only where
 * the step says so (e.g. a certificate about to expire); pass, notApplicable → skip; error or missing →
 * skip, listed as "check first" (an undecided step is never fixed blindly).
 */
export function planRunbook(steps: readonly StepDefinition[], results?: Partial<Record<StepId, StepResult | Status>>): RunbookPlanEntry[] {
  return steps.map((s) => {
    if (results === undefined) return { stepId: s.id, action: 'remediate', why: 'no check results given' };
    const st = statusOf(results[s.id]);
    if (st === 'fail') return { stepId: s.id, action: 'remediate', why: 'check failed' };
    if (st === 'warn' && s.remediation.remediateOnWarn) return { stepId: s.id, action: 'remediate', why: 'check warned' };
    if (st === 'warn') return { stepId: s.id, action: 'skip', why: 'check warned; review by hand' };
    if (st === 'pass' || st === 'notApplicable') return { stepId: s.id, action: 'skip', why: st === 'pass' ? 'check passed' : 'not applicable' };
    return { stepId: s.id, action: 'skip', why: st === 'error' ? 'check could not decide; run it again first' : 'not checked yet; run its check first' };
  });
}

/**
 * One script for one machine: the remediations still needed, in catalog order, each with its comments and
 * honouring -WhatIf; stops at the first failing step; ends with the checks of every step in scope, printed
 * as one combined JSON document between the markers (split it with splitCombinedResult).
 */
/** Splits a scope's steps into those the inputs suffice for and those left out (with the reason). */
function usableSteps(v: StepInputs, steps: readonly StepDefinition[]): { usable: StepDefinition[]; leftOut: string[] } {
  const usable: StepDefinition[] = [];
  const leftOut: string[] = [];
  for (const s of steps) {
    try {
      requireInputs(v, s.needs, s.title.en);
      usable.push(s);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      leftOut.push(`${s.id}: left out, ${err.message}`);
    }
  }
  if (usable.length === 0 && leftOut.length > 0) throw new InputError('inputs', `No step can be rendered: ${leftOut.join(' ')}`);
  return { usable, leftOut };
}

export function renderRunbook(inputs: RawStepInputs | StepInputs, results?: Partial<Record<StepId, StepResult | Status>>, options: RunbookOptions = {}): string {
  const v = toInputs(inputs);
  const where = options.where ?? 'exchangeServer';
  const { usable: steps, leftOut } = usableSteps(v, scopeSteps(options));
  const plan = planRunbook(steps, results);
  const todo = steps.filter((s) => plan.find((p) => p.stepId === s.id)?.action === 'remediate');
  const helpers = new Set<HelperName>(['change', 'elevated']);
  for (const s of steps) for (const h of [...s.remediationHelpers, ...s.checkHelpers]) helpers.add(h);
  const restarts = todo.filter((s) => s.remediation.restartsWinRM);
  const header = [
    `Exchange Remoting Setup runbook (${options.profile ?? 'remoting'} profile) for the ${where === 'exchangeServer' ? 'Exchange server' : where} given in $ersServer below.`,
    ...plan.map((p) => `- ${p.stepId}: ${p.action === 'remediate' ? 'REMEDIATE' : 'skip'} (${p.why})`),
    ...leftOut.map((l) => `- ${l}`),
    restarts.length ? `WARNING: ${restarts.map((s) => s.id).join(', ')} restarts WinRM. Run this runbook locally on the server in an elevated Windows PowerShell, not through a WinRM session.` : 'No step restarts WinRM.',
    'The runbook stops at the first failing step, then runs all checks of this scope and prints their results.',
  ].join('\n');
  const body: string[] = ["$ersFailedStep = ''", "$ersFailMessage = ''", 'try {'];
  if (todo.length === 0) body.push("    Write-Output 'Nothing to remediate.'");
  for (const s of todo) {
    body.push(indent([
      comment(`Step ${s.number}: ${s.title.en} (${s.id})`),
      remediationNotes(s),
      `$ersFailedStep = '${s.id}'`,
      `Write-Output '== ${s.id} =='`,
      `& {\n${indent(s.remediationBody(v))}\n}`,
    ].join('\n')));
  }
  body.push("    $ersFailedStep = ''");
  body.push('} catch {');
  body.push('    $ersFailMessage = [string]$_.Exception.Message');
  body.push("    Write-Warning ('Runbook stopped at step ' + $ersFailedStep + ': ' + $ersFailMessage)");
  body.push('}');
  return [
    WHATIF_PARAM,
    comment(header),
    WHATIF_NOTE,
    PREFERENCES,
    inputBlock(v),
    helperText(helpers),
    body.join('\n'),
    comment('Final check: the state after the remediations.'),
    combinedCheckBlock(steps, v, options.token ?? newToken(), true),
    '',
  ].join('\n\n');
}

/** One check script for every step of a scope; prints one combined JSON document. */
export function renderCheckAll(inputs: RawStepInputs | StepInputs, options: RunbookOptions = {}): string {
  const v = toInputs(inputs);
  const where = options.where ?? 'exchangeServer';
  const { usable, leftOut } = usableSteps(v, scopeSteps(options));
  const title = [`Exchange Remoting Setup: all checks of the ${options.profile ?? 'remoting'} profile that run on the ${where}.`, ...leftOut.map((l) => `- ${l}`)].join('\n');
  return combinedCheckScript(usable, v, options.token ?? newToken(), title);
}

/** The runbook part of a combined document: which step stopped it (undefined when all ran). */
export function runbookOutcome(json: unknown): { readonly completed: boolean; readonly failedStep?: StepId; readonly message?: string } | undefined {
  if (!isObject(json) || json.schema !== COMBINED_SCHEMA || !isObject(json.runbook)) return undefined;
  const step = str(json.runbook.failedStep) ?? '';
  const message = str(json.runbook.message) ?? '';
  if (!step) return { completed: true };
  return { completed: false, ...(isStepId(step) ? { failedStep: step } : {}), ...(message ? { message } : {}) };
}

/** Splits the combined document of renderCheckAll/renderRunbook into one outcome per step. */
export function splitCombinedResult(json: unknown): Map<StepId, CheckOutcome> {
  const out = new Map<StepId, CheckOutcome>();
  if (!isObject(json) || json.schema !== COMBINED_SCHEMA) return out;
  const list = Array.isArray(json.results) ? json.results : json.results === undefined || json.results === null ? [] : [json.results];
  for (const item of list) {
    const id = isObject(item) ? str(item.step) : undefined;
    if (id !== undefined && isStepId(id)) out.set(id, { kind: 'json', json: item });
  }
  return out;
}
