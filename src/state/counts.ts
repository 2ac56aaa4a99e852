// Per-state counts of a server's steps (or of a whole report): not checked, passed, failed, warned, could not
// check, not applicable, running. Never-checked steps are never counted as failed or passed. Pure.
import type { RowState } from './rowState';

export interface StateCounts {
  readonly total: number;
  readonly notChecked: number;
  readonly passed: number;
  readonly failed: number;
  readonly warned: number;
  readonly couldNotCheck: number;
  readonly notApplicable: number;
  readonly running: number;
}

export type Translate = (message: string, ...args: (string | number)[]) => string;

export function countStates(states: readonly RowState[]): StateCounts {
  const n = (...wanted: RowState[]): number => states.filter((s) => wanted.includes(s)).length;
  return {
    total: states.length,
    notChecked: n('unknown'),
    passed: n('pass', 'confirmed'),
    failed: n('fail'),
    warned: n('warn'),
    couldNotCheck: n('error'),
    notApplicable: n('notApplicable'),
    running: n('running'),
  };
}

export function addCounts(a: StateCounts, b: StateCounts): StateCounts {
  return {
    total: a.total + b.total, notChecked: a.notChecked + b.notChecked, passed: a.passed + b.passed, failed: a.failed + b.failed,
    warned: a.warned + b.warned, couldNotCheck: a.couldNotCheck + b.couldNotCheck, notApplicable: a.notApplicable + b.notApplicable, running: a.running + b.running,
  };
}

export const EMPTY_COUNTS: StateCounts = countStates([]);

/** The counts as short words, worst first, zero counts left out ("2 failed, 1 could not check, 6 not checked"). */
export function countsText(c: StateCounts, t: Translate): string {
  if (c.total === 0) return t('no steps');
  if (c.notChecked === c.total) return t('not checked yet');
  const parts: string[] = [];
  if (c.running) parts.push(t('{0} checking', c.running));
  if (c.failed) parts.push(t('{0} failed', c.failed));
  if (c.couldNotCheck) parts.push(t('{0} could not check', c.couldNotCheck));
  if (c.warned) parts.push(c.warned === 1 ? t('1 warning') : t('{0} warnings', c.warned));
  if (c.passed) parts.push(t('{0} passed', c.passed));
  if (c.notChecked) parts.push(t('{0} not checked', c.notChecked));
  if (c.notApplicable) parts.push(t('{0} not applicable', c.notApplicable));
  return parts.join(', ');
}

/** One line per state, for tooltips and reports (all states, zeros included, so the reader sees the whole). */
export function countsTable(c: StateCounts, t: Translate): [string, number][] {
  return [
    [t('Passed'), c.passed],
    [t('Failed'), c.failed],
    [t('Warnings'), c.warned],
    [t('Could not check'), c.couldNotCheck],
    [t('Not checked yet'), c.notChecked],
    [t('Not applicable'), c.notApplicable],
  ];
}
