// Says drift once, when a run finds it: a step that had passed and now does not, with the two results side by side.
import * as vscode from 'vscode';
import type { StepChange } from '../state/history';
import { localTime } from '../util/localTime';
import { stateName } from './presentation';
import { stepTitle } from './serverTreeProvider';
import { Commands } from '../ids';
import { getStep } from '../checks';
import { isStepId } from '../checks/status';

/** The drift notice text (one line per step), or undefined when the changes hold no drift. */
export function driftText(changes: readonly StepChange[]): string | undefined {
  const drift = changes.filter((c) => c.drift);
  if (!drift.length) return undefined;
  const time = (iso: string): string => localTime(iso, vscode.env.language);
  const lines = drift.map((c) => vscode.l10n.t('{0} on {1}: was {2} ({3}, {4}), now {5} ({6}, {7}).',
    isStepId(c.stepId) ? stepTitle(getStep(c.stepId)) : c.stepId, c.server,
    stateName(c.before.status, vscode.l10n.t), c.before.summary, time(c.before.checkedAt),
    stateName(c.after.status, vscode.l10n.t), c.after.summary, time(c.after.checkedAt)));
  return `${(drift.length === 1 ? vscode.l10n.t('Drift: 1 step that had passed no longer passes.') : vscode.l10n.t('Drift: {0} steps that had passed no longer pass.', drift.length))} ${lines.join(' ')}`;
}

export function announceChanges(changes: readonly StepChange[]): void {
  const text = driftText(changes);
  if (!text) return;
  const show = vscode.l10n.t('Show Plan');
  void vscode.window.showWarningMessage(text, show).then((a) => {
    if (a !== show) return;
    const server = changes.find((c) => c.drift)?.server;
    void vscode.commands.executeCommand(Commands.showPlan, server);
  });
}
