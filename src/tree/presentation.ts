// What a tree row shows, as plain data: label, description, icon and colour ids, contextValue tokens and a
// Markdown tooltip. Pure (no vscode): the tree items turn these into ThemeIcon/ThemeColor/MarkdownString.
import { ItemTokens } from '../ids';
import { cloudUrlsInResult } from '../checks/steps/connectorConfig';
import { isStale, type StoredResult } from '../state/resultStore';
import type { StepChange } from '../state/history';
import type { TimeFormat } from '../util/localTime';
import { stepState, type RowState } from '../state/rowState';
import { escapeMarkdown, escapeMarkdownInline } from '../util/markdown';

export interface IconSpec {
  readonly id: string;
  readonly color?: string;
}

/** The one place that maps state to icon (codicon ids and theme colour ids). */
export const STATE_ICONS: Readonly<Record<RowState, IconSpec>> = {
  pass: { id: 'pass', color: 'testing.iconPassed' },
  warn: { id: 'warning', color: 'problemsWarningIcon.foreground' },
  fail: { id: 'error', color: 'testing.iconFailed' },
  error: { id: 'question', color: 'problemsErrorIcon.foreground' },
  notApplicable: { id: 'circle-slash', color: 'disabledForeground' },
  unknown: { id: 'circle-large-outline' },
  running: { id: 'loading~spin' },
  confirmed: { id: 'verified', color: 'testing.iconPassed' },
};

export interface Translate {
  (message: string, ...args: (string | number)[]): string;
}

export interface StepRowInput {
  readonly stepId: string;
  readonly title: string;
  /** What the step checks, in full (the title is short enough for a normal side bar). */
  readonly explanation?: string;
  readonly result?: StoredResult;
  readonly running: boolean;
  readonly hasRemediation: boolean;
  /** Steps that cannot be checked from here can be ticked by hand. */
  readonly manualAllowed: boolean;
  readonly riskNote?: string;
  readonly docLink?: string;
  readonly now: Date;
  readonly staleAfterMinutes: number;
  /** Instants for people (locale and time zone); ISO text when not given. */
  readonly formatTime?: TimeFormat;
  /** The step's state differs from the previous run's (history). */
  readonly change?: StepChange;
  /** Why a step without a result has not been checked (e.g. no PowerShell here), in words. */
  readonly uncheckedReason?: string;
  /** Set when the remediation does not fit the result's cause (a DNS failure is no firewall problem): the advice. */
  readonly noRemedy?: string;
}

export interface RowPresentation {
  readonly label: string;
  readonly description: string;
  readonly state: RowState;
  readonly icon: IconSpec;
  readonly contextValue: string;
  readonly tooltipMarkdown: string;
  readonly stale: boolean;
}

export function presentStep(i: StepRowInput, t: Translate): RowPresentation {
  const state = stepState(i.result, i.running);
  const stale = !!i.result && !i.running && isStale(i.result, i.now, i.staleAfterMinutes);
  const tokens = [ItemTokens.step, ItemTokens.status(state), ItemTokens.stepId(i.stepId)];
  if (i.hasRemediation) tokens.push(ItemTokens.hasRemediation);
  if (i.manualAllowed) tokens.push(ItemTokens.manual);
  if (stale) tokens.push(ItemTokens.stale);
  if (i.noRemedy) tokens.push(ItemTokens.noRemedy);
  if (i.result && !i.result.manual && !i.running && (i.result.status === 'fail' || i.result.status === 'warn') && !i.noRemedy) tokens.push(ItemTokens.remedyFits);
  if (i.change && !i.running) tokens.push(ItemTokens.changed);
  if (i.result && !i.result.manual) tokens.push(ItemTokens.hasTranscript);
  if (!i.running && cloudUrlsInResult(i.result).length) tokens.push(ItemTokens.hasCopyList);
  const time = i.formatTime ?? ((iso: string) => iso);
  let description: string;
  if (state === 'running') description = t('checking…');
  else if (!i.result) description = i.uncheckedReason ? t('not checked: {0}', i.uncheckedReason) : t('not checked yet');
  else if (i.result.manual) description = t('confirmed manually by {0} on {1}', i.result.manual.by, time(i.result.manual.at));
  else description = i.result.summary;
  if (stale) description = `${t('(stale)')} ${description}`;
  if (i.change && !i.running) description = `${t('(changed)')} ${description}`;
  return {
    label: i.title,
    description,
    state,
    icon: STATE_ICONS[state],
    contextValue: tokens.sort().join(';'),
    tooltipMarkdown: stepTooltip(i, state, stale, t),
    stale,
  };
}

function stepTooltip(i: StepRowInput, state: RowState, stale: boolean, t: Translate): string {
  const time = i.formatTime ?? ((iso: string) => iso);
  const lines = [`**${md(i.title)}**`, ...(i.explanation ? ['', md(i.explanation)] : []), '', `${t('State')}: ${md(stateName(state, t))}${stale ? ` — ${t('stale')}` : ''}`];
  const r = i.result;
  if (!r && i.uncheckedReason) lines.push('', md(i.uncheckedReason));
  if (i.change) {
    const c = i.change;
    lines.push('', t('Changed since the previous run: was {0} ({1}, {2}), now {3} ({4}).', md(stateName(c.before.status, t)), md(c.before.summary), md(time(c.before.checkedAt)), md(stateName(c.after.status, t)), md(time(c.after.checkedAt))));
  }
  if (r) {
    lines.push('', md(r.reason));
    if (r.evidence.length) {
      lines.push('', `| ${t('Evidence')} | |`, '| --- | --- |');
      for (const e of r.evidence) lines.push(`| ${mdCell(e.label)} | ${mdCell(e.value)} |`);
    }
    // The code is a server's FullyQualifiedErrorId: text like every other server value, never a code span.
    if (r.code) lines.push('', `${t('Code')}: ${mdCell(r.code)}`);
    if (r.policy) lines.push('', `${t('Owned by Group Policy')}: ${md(r.policy.policy)} — ${md(r.policy.proposal)}`);
    if (r.manual) lines.push('', t('confirmed manually by {0} on {1}', md(r.manual.by), md(time(r.manual.at))));
    else lines.push('', `${t('Checked')}: ${md(time(r.checkedAt))}`);
  }
  if (i.noRemedy) lines.push('', `${t('What to do')}: ${md(i.noRemedy)}`);
  if (i.riskNote) lines.push('', `${t('Risk')}: ${md(i.riskNote)}`);
  if (i.docLink && /^https:\/\//.test(i.docLink)) lines.push('', `[${t('Documentation')}](${i.docLink.replace(/[()\s]/g, encodeURIComponent)})`);
  return lines.join('\n');
}

/** A remediation's risk level in the UI language (the catalog's ids are English words). */
export function riskName(risk: 'low' | 'medium' | 'high', t: Translate): string {
  switch (risk) {
    case 'low': return t('Low');
    case 'medium': return t('Medium');
    case 'high': return t('High');
  }
}

/** A server entry's connection in the UI language (the settings hold ids). */
export function connectionName(connection: 'https' | 'http-kerberos' | 'local' | 'ssh', t: Translate): string {
  switch (connection) {
    case 'https': return t('WinRM over HTTPS');
    case 'http-kerberos': return t('WinRM over HTTP with Kerberos');
    case 'local': return t('Local PowerShell (this machine is the Exchange server)');
    case 'ssh': return t('PowerShell remoting over SSH');
  }
}

export function stateName(state: RowState, t: Translate): string {
  switch (state) {
    case 'pass': return t('passed');
    case 'warn': return t('warning');
    case 'fail': return t('failed');
    case 'error': return t('could not check');
    case 'notApplicable': return t('not applicable');
    case 'unknown': return t('not checked yet');
    case 'running': return t('checking…');
    case 'confirmed': return t('confirmed manually');
  }
}

/** Escapes text for Markdown (tooltips are Markdown; evidence comes from servers and must stay text). */
export function md(text: unknown): string {
  return escapeMarkdown(text);
}

function mdCell(text: unknown): string {
  return escapeMarkdownInline(text);
}
