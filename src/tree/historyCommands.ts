// Transcripts and history of the checklist: open a step's last transcript, a server's run history, and the optional
// periodic re-check (off by default) that runs every server's checks in the background and says drift once.
import * as vscode from 'vscode';
import { getStep } from '../checks';
import { isStepId } from '../checks/status';
import { Commands, Settings } from '../ids';
import type { Logger } from '../log';
import type { CheckService } from '../execution/checkService';
import type { History } from '../state/history';
import { renderTranscripts, type TranscriptStore } from '../state/transcripts';
import { localTime } from '../util/localTime';
import { asNode } from './nodePicker';
import { announceChanges } from './driftNotice';
import { stateName } from './presentation';
import type { ReviewDocuments } from './reviewDocuments';
import { stepTitle, type ServerTreeProvider } from './serverTreeProvider';

export interface HistoryDeps {
  readonly tree: ServerTreeProvider;
  readonly service: CheckService;
  readonly history: History;
  readonly transcripts: TranscriptStore;
  readonly reviews: ReviewDocuments;
  readonly log: Logger;
}

const time = (iso: string): string => localTime(iso, vscode.env.language);

export function registerHistoryCommands(deps: HistoryDeps): vscode.Disposable {
  const { tree, history, transcripts } = deps;
  return vscode.Disposable.from(
    vscode.commands.registerCommand(Commands.openTranscript, async (arg?: unknown) => {
      const node = asNode(arg);
      if (!node || node.kind !== 'step') {
        void vscode.window.showInformationMessage(vscode.l10n.t('Open a transcript from a step row of the checklist.'));
        return undefined;
      }
      const title = `${stepTitle(node.step)} — ${node.server.fqdn}`;
      const text = renderTranscripts(title, transcripts.forStep(node.server.fqdn, node.step.id), vscode.l10n.t, time);
      return (await deps.reviews.show('transcript', node.server.fqdn, stepTitle(node.step), text)).document.uri;
    }),
    vscode.commands.registerCommand(Commands.showHistory, async (arg?: unknown) => {
      const node = asNode(arg);
      const server = node && node.kind !== 'problem' ? node.server
        : tree.servers.find((s) => s.fqdn === (typeof arg === 'string' ? arg : undefined)) ?? tree.servers[0];
      if (!server) return undefined;
      const title = (id: string): string => (isStepId(id) ? stepTitle(getStep(id)) : id);
      const runs = [...history.runsOf(server.fqdn)].reverse();
      const lines = [`# ${vscode.l10n.t('Check history of {0}', server.fqdn)}`, ''];
      if (!runs.length) lines.push(vscode.l10n.t('No runs recorded yet.'));
      for (const run of runs) {
        lines.push(`## ${time(run.at)} · ${run.kind === 'remediation' ? vscode.l10n.t('remediation and re-check') : run.kind === 'periodic' ? vscode.l10n.t('periodic re-check') : vscode.l10n.t('check')}`, '');
        lines.push(`| ${vscode.l10n.t('Step')} | ${vscode.l10n.t('State')} | ${vscode.l10n.t('Evidence')} |`, '| --- | --- | --- |');
        for (const [id, snap] of Object.entries(run.steps)) lines.push(`| ${title(id)} | ${stateName(snap.status, vscode.l10n.t)} | ${snap.summary.replace(/[|\\`*_<>[\]]/g, '\\$&')} |`);
        lines.push('');
      }
      return (await deps.reviews.show('history', server.fqdn, vscode.l10n.t('history'), `${lines.join('\n')}\n`)).document.uri;
    }),
    new PeriodicRecheck(deps),
  );
}

/** Runs every server's checks every N minutes (setting, 0 = off), only in a trusted workspace, never twice at once. */
class PeriodicRecheck implements vscode.Disposable {
  private timer: ReturnType<typeof setInterval> | undefined;
  private running = false;
  private readonly watch: vscode.Disposable;

  constructor(private readonly deps: HistoryDeps) {
    this.watch = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${Settings.section}.${Settings.recheckIntervalMinutes}`)) this.schedule();
    });
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const minutes = vscode.workspace.getConfiguration(Settings.section).get<number>(Settings.recheckIntervalMinutes) ?? 0;
    if (!Number.isFinite(minutes) || minutes <= 0) return;
    this.timer = setInterval(() => void this.tick(), Math.max(5, Math.min(1440, minutes)) * 60_000);
  }

  private async tick(): Promise<void> {
    if (this.running || !vscode.workspace.isTrusted || !this.deps.tree.servers.length) return;
    this.running = true;
    try {
      const jobs = this.deps.tree.servers.map((server) => ({ server, steps: this.deps.tree.stepsOf(server) }));
      const summary = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: (jobs.length === 1 ? vscode.l10n.t('Periodic re-check of 1 server') : vscode.l10n.t('Periodic re-check of {0} servers', jobs.length)) },
        () => this.deps.service.check(jobs, { kind: 'periodic' }));
      this.deps.log.info(`Periodic re-check of ${jobs.length} server(s): ${summary.changes.length} change(s), ${summary.changes.filter((c) => c.drift).length} drift`);
      announceChanges(summary.changes);
    } catch (err) {
      this.deps.log.warn(`Periodic re-check failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.running = false;
    }
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.watch.dispose();
  }
}
