// Plan before apply (DSC's test→set, Ansible's --check --diff, made visible): for one server, every step whose
// last check failed, with what its remediation would change, property by property (now, from the check's evidence;
// after, from the catalog), who owns it, whether WinRM restarts, and whether it can be applied at all. Pure.
import type { StepInputs } from '../checks/inputs';
import type { StepDefinition } from '../checks/types';
import type { StoredResult } from '../state/resultStore';
import { remedyMismatch } from './advice';
import { TARGETS } from './targets';

type Translate = (message: string, ...args: (string | number)[]) => string;

export interface PropertyChange {
  readonly property: string;
  readonly now: string;
  readonly after: string;
}

export interface PlanItem {
  readonly stepId: string;
  readonly title: string;
  readonly status: StoredResult['status'];
  readonly summary: string;
  /** The remediation's own description of what it changes. */
  readonly what: string;
  readonly properties: readonly PropertyChange[];
  /** Group Policy owns the setting (the plan proposes the policy change instead). */
  readonly owner?: string;
  readonly restartsWinRM: boolean;
  readonly risk: string;
  /** Why this item cannot be applied from here; absent when it can. */
  readonly blocked?: string;
}

export interface PlanInput {
  readonly server: string;
  /** The server's steps in catalog order. */
  readonly steps: readonly StepDefinition[];
  readonly resultOf: (stepId: string) => StoredResult | undefined;
  /** The server's inputs; undefined when its entry is invalid (every item is then blocked with that reason). */
  readonly inputs?: StepInputs;
  readonly inputProblem?: string;
  readonly text: (b: { en: string; de: string }) => string;
}

/** Whether a result asks for the step's remediation. */
export function needsRemediation(step: StepDefinition, r: StoredResult | undefined): boolean {
  if (!r || r.manual) return false;
  return r.status === 'fail' || (r.status === 'warn' && step.remediation.remediateOnWarn) || (r.status === 'warn' && step.id === 'firewall-5986');
}

export function computePlan(input: PlanInput, t: Translate): PlanItem[] {
  const items: PlanItem[] = [];
  for (const step of input.steps) {
    const r = input.resultOf(step.id);
    if (!r || !needsRemediation(step, r)) continue;
    const properties = (TARGETS[step.id] ?? []).map((p): PropertyChange => {
      const rows = r.evidence.filter((e) => p.evidence.test(e.label) && !/^Network profile$/.test(e.label));
      const now = step.id === 'firewall-5986' ? (rows.map((e) => `${e.label}: ${e.value}`).join('; ') || t('(no rule for the port)')) : rows.map((e) => e.value).join('; ');
      return { property: p.property, now: now || t('(not reported by the check)'), after: p.after(input.inputs, t) };
    });
    const blocked = input.inputProblem ?? remedyMismatch(step.id, r, t)
      ?? (step.id === 'firewall-5986' && input.inputs && !input.inputs.remoteAddresses.length ? t('No sync-server addresses are configured: the rule would admit any address. Add them to the server entry or the setting, or choose "any address" when you apply it alone.') : undefined);
    items.push({
      stepId: step.id, title: input.text(step.title), status: r.status, summary: r.summary,
      what: input.text(step.remediation.changes), properties,
      ...(r.policy ? { owner: `${r.policy.policy}: ${r.policy.proposal}` } : {}),
      restartsWinRM: step.remediation.restartsWinRM, risk: step.remediation.risk,
      ...(blocked ? { blocked } : {}),
    });
  }
  return items;
}

/** The risk level in words of the display language (never the raw id inside a German sentence). */
export function riskWord(risk: string, t: Translate): string {
  switch (risk) {
    case 'low': return t('low');
    case 'medium': return t('medium');
    case 'high': return t('high');
    default: return risk;
  }
}

/** Only what can run, in catalog order (the order the plan lists them in), restricted to the selection. */
export function applicable(plan: readonly PlanItem[], selected: readonly string[]): PlanItem[] {
  return plan.filter((i) => !i.blocked && selected.includes(i.stepId));
}

/** The plan as Markdown, for the read-only plan document. Values from servers are escaped. */
export function renderPlan(server: string, plan: readonly PlanItem[], t: Translate, generatedAt: string): string {
  const esc = (s: string): string => s.replace(/[\\`*_{}[\]<>#|]/g, '\\$&').replace(/\r?\n/g, ' ');
  const out = [`# ${t('Remediation plan for {0}', esc(server))}`, '', t('Nothing has run. Generated {0} from the last check results.', esc(generatedAt)), ''];
  if (!plan.length) {
    out.push(t('No step needs a remediation: every checked step passed, or none was checked yet.'));
    return `${out.join('\n')}\n`;
  }
  for (const [n, item] of plan.entries()) {
    out.push(`## ${n + 1}. ${esc(item.title)}`, '');
    out.push(`- ${t('Now')}: ${esc(item.summary)}`);
    out.push(`- ${t('Changes')}: ${esc(item.what)}`);
    out.push(`- ${t('WinRM restarts')}: ${item.restartsWinRM ? t('yes') : t('no')}`);
    out.push(`- ${t('Risk')}: ${esc(riskWord(item.risk, t))}`);
    if (item.owner) out.push(`- ${t('Owned by Group Policy')}: ${esc(item.owner)}`);
    out.push(`- ${item.blocked ? `${t('Cannot be applied from here')}: ${esc(item.blocked)}` : t('Can be applied')}`, '');
    out.push(`| ${t('Property')} | ${t('Now')} | ${t('After')} |`, '| --- | --- | --- |');
    for (const p of item.properties) out.push(`| ${esc(p.property)} | ${esc(p.now)} | ${esc(p.after)} |`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
