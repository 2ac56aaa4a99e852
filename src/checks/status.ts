// The vocabularies of the step catalog, declared once. Pure.

/** Outcome of one check. `error` means the check could not decide; it never counts as a pass. */
export const STATUSES = ['pass', 'warn', 'fail', 'error', 'notApplicable'] as const;
export type Status = (typeof STATUSES)[number];

/** Where a step's scripts run. */
export const WHERE = ['exchangeServer', 'domain', 'client', 'network'] as const;
export type Where = (typeof WHERE)[number];

export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const SCRIPT_KINDS = ['check', 'remediation'] as const;
export type ScriptKind = (typeof SCRIPT_KINDS)[number];

/** The ids of the catalog's steps, in the order a runbook applies them. */
export const STEP_IDS = [
  'service-account-access',
  'kerberos-delegation',
  'ps-remoting',
  'https-listener',
  'listener-certificate',
  'cbt-hardening',
  'trusted-hosts',
  'firewall-5986',
  'network-path-5986',
  'intune-rbac-role',
  'connector-health',
  'connector-config',
] as const;
export type StepId = (typeof STEP_IDS)[number];

export function isStepId(value: string): value is StepId {
  return (STEP_IDS as readonly string[]).includes(value);
}

/** Sorting weight: worst first, for summaries. */
export const STATUS_SEVERITY: Readonly<Record<Status, number>> = { fail: 4, error: 3, warn: 2, pass: 1, notApplicable: 0 };
