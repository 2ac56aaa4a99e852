// Types of the step catalog: step definitions as data, check outcomes, evaluation results. Pure.
import type { Profile } from '../servers/server';
import type { RiskLevel, Status, StepId, Where } from './status';
import type { InputName, StepInputs } from './inputs';
import type { HelperName } from './psHelpers';
import type { JsonObject } from './json';

/** Text in the two languages of the source documents. */
export interface Bilingual {
  readonly en: string;
  readonly de: string;
}

export interface Remediation {
  /** What the remediation changes, in plain words. */
  readonly changes: Bilingual;
  readonly restartsWinRM: boolean;
  readonly risk: RiskLevel;
  /** Why the risk level is what it is. */
  readonly riskNote: Bilingual;
  /** The safer alternative, most preferred first. */
  readonly saferAlternative: Bilingual;
  /** Whether the remediation honours -WhatIf (all its changing commands do, or are guarded by $WhatIfPreference). */
  readonly supportsWhatIf: boolean;
  /** Whether a `warn` result also puts the remediation into a runbook (e.g. a certificate about to expire). */
  readonly remediateOnWarn: boolean;
}

/** One step of the catalog, as data plus its pure script and evaluator functions. */
export interface StepDefinition {
  readonly id: StepId;
  /** Number in the checklist, unique, so a user can refer to each step. */
  readonly number: string;
  readonly profiles: readonly Profile[];
  readonly title: Bilingual;
  readonly explanation: Bilingual;
  readonly where: Where;
  /** Where exactly, in words (e.g. "on each sync server"). */
  readonly whereDetail: Bilingual;
  readonly needsElevation: boolean;
  readonly needs: readonly InputName[];
  readonly docLink: string;
  readonly remediation: Remediation;
  /** PowerShell helper functions the check and the remediation bodies call. */
  readonly checkHelpers: readonly HelperName[];
  readonly remediationHelpers: readonly HelperName[];
  /** The PowerShell body of the check: reads `$ers*` variables, outputs exactly one object (the data). */
  checkBody(inputs: StepInputs): string;
  /** The PowerShell body of the remediation: reads `$ers*` variables, honours $WhatIfPreference. */
  remediationBody(inputs: StepInputs): string;
  /** Decides from the check's output. Pure; the clock comes in ctx.now. */
  evaluate(outcome: CheckOutcome, ctx: EvalContext): StepResult;
}

/** What the script said about where it ran (the envelope around its data). */
export interface EnvelopeMeta {
  readonly psVersion?: string;
  readonly computer?: string;
  readonly elevated?: boolean;
  readonly generatedAt?: string;
}

/** A valid envelope of the step's own check: its data and where it ran. */
export interface OpenedEnvelope {
  readonly data: JsonObject;
  readonly meta: EnvelopeMeta;
}

/**
 * A step as its file writes it. The catalog makes the StepDefinition: it opens the envelope once for every step (a
 * failed check, unreadable output, another step's output or a missing elevation never reaches `decide`) and derives
 * `whereDetail` from `where` and `needsElevation` unless the step words it itself.
 */
export interface StepSpec extends Omit<StepDefinition, 'evaluate' | 'whereDetail'> {
  /** Only where the derived wording would not say enough. */
  readonly whereDetail?: Bilingual;
  /** Decides from a valid envelope of this step. Pure; the clock comes in ctx.now. */
  decide(opened: OpenedEnvelope, ctx: EvalContext): StepResult;
}

/** Error facts as the check script (or the runner) captured them. All optional: take what there is. */
export interface CheckErrorInfo {
  readonly fullyQualifiedErrorId?: string;
  readonly category?: string;
  readonly exceptionType?: string;
  /** HRESULTs of the exception chain, as 0xXXXXXXXX strings or signed 32-bit numbers. */
  readonly hresults?: readonly (string | number)[];
  readonly nativeErrorCode?: number;
  /** The (possibly localized) message: used only to find embedded hex codes and as evidence. */
  readonly message?: string;
  /** What failed, e.g. 'Get-WSManInstance' or 'transport'. */
  readonly source?: string;
  /** Whether the PowerShell that ran the check runs on Windows (false: Linux/macOS; undefined: not reported). */
  readonly onWindows?: boolean;
}

/** What a check produced: the JSON between the markers, or an error before any JSON existed. */
export type CheckOutcome =
  | { readonly kind: 'json'; readonly json: unknown }
  | { readonly kind: 'error'; readonly error: CheckErrorInfo };

/** Facts the runner observed outside the check script (optional). */
export interface Observations {
  /** The certificate the client saw in a TLS handshake to the listener (e.g. from node:tls). */
  readonly presentedCertificate?: { readonly thumbprint: string; readonly notAfter: string; readonly trusted?: boolean; readonly nameMatches?: boolean };
  /** The Exchange servers configured in the extension (the sidebar's list), for a step that compares against it. */
  readonly configuredServers?: readonly string[];
  /** What the extension's probe saw, from the machine VS Code runs on, for each CAS server the connector fails over to. */
  readonly casProbes?: readonly HostProbe[];
}

/** One host probed for name resolution and an answer on its port. */
export interface HostProbe {
  readonly host: string;
  readonly port: number;
  readonly resolved: boolean;
  readonly answered: boolean;
  /** The address it connected to, when it resolved. */
  readonly address?: string;
  /** The probe's verdict code (ok, dns-failure, refused, timeout…). */
  readonly verdict: string;
}

export interface EvalContext {
  readonly now: Date;
  readonly inputs: StepInputs;
  readonly observed?: Observations;
}

export interface Evidence {
  readonly label: string;
  readonly value: string;
}

/** A setting that Group Policy owns: change the policy, not the machine. */
export interface PolicyOwnership {
  readonly setting: string;
  readonly policy: string;
  readonly proposal: string;
}

export interface StepResult {
  readonly stepId: StepId;
  readonly status: Status;
  /** One short evidence line for a tree row or a table cell. */
  readonly summary: string;
  readonly evidence: readonly Evidence[];
  /** Why this status; what to do. */
  readonly reason: string;
  /** The stable code the decision rests on, for errors (e.g. 0x80090322, AccessDenied). */
  readonly code?: string;
  /** Set when the setting is owned by Group Policy. */
  readonly policy?: PolicyOwnership;
  /** Set when the step passes only with a configuration that carries high risk (unconstrained delegation). */
  readonly highRisk?: boolean;
}
