// The state vocabulary of one step on one server, shared by the tree, the report and the CLI: a check status,
// or what is known when there is none, and the roll-up of a server's steps. Pure.
import type { Status } from '../checks/status';
import type { StoredResult } from './resultStore';

/** Row state: a check status, or what we know when there is none. */
export type RowState = Status | 'unknown' | 'running' | 'confirmed';

export function stepState(result: StoredResult | undefined, running: boolean): RowState {
  if (running) return 'running';
  if (!result) return 'unknown';
  if (result.manual) return 'confirmed';
  return result.status;
}

export interface ServerSummary {
  readonly passed: number;
  readonly applicable: number;
  readonly state: RowState;
}

/** Overall state of a server: running if any step runs, else the worst step state; "n/m passed" counts. */
export function summarizeServer(states: readonly RowState[]): ServerSummary {
  const order: RowState[] = ['running', 'fail', 'error', 'warn', 'unknown', 'pass', 'confirmed', 'notApplicable'];
  const applicable = states.filter((s) => s !== 'notApplicable').length;
  const passed = states.filter((s) => s === 'pass' || s === 'confirmed').length;
  const worst = order.find((s) => states.includes(s)) ?? 'unknown';
  const state = worst === 'confirmed' ? 'pass' : worst === 'notApplicable' && states.length ? 'notApplicable' : worst;
  return { passed, applicable, state };
}
