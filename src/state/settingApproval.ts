// Pure: which value of a setting that chooses WHICH PROGRAM RUNS or WHERE A CREDENTIAL GOES may be used.
// User and remote (global) settings are the administrator's own and are used as they are. A workspace or
// workspace-folder value is used only in a trusted workspace, and only after the administrator approved that exact
// value for that workspace (approvals are kept outside the workspace, by the VS Code adapter). No vscode import:
// the adapter passes in what `WorkspaceConfiguration.inspect()` returned, the trust state and the approvals.

/** The settings this rule guards (keys below the `exchangeRemoting` section). */
export const GUARDED_SETTINGS = ['powershell.executable', 'directory.url', 'directory.caFile'] as const;
export type GuardedSetting = (typeof GUARDED_SETTINGS)[number];

/** The parts of `inspect()` this decision reads. */
/** What reading a guarded setting needs: the value to use (the user's own, or an approved workspace value), or a
 * throw that says why none may be used. The VS Code side (host/workspaceApprovals.ts) is the one implementation. */
export interface GuardedValues {
  value(setting: GuardedSetting): string;
}

export interface Inspected {
  readonly defaultValue?: unknown;
  readonly globalValue?: unknown;
  readonly workspaceValue?: unknown;
  readonly workspaceFolderValue?: unknown;
}

export type ValueSource = 'default' | 'user' | 'workspace' | 'workspaceFolder';

/** One approval: this exact value of this setting, for this workspace (or folder). */
export interface Approval {
  /** The workspace file or folder URI the value came from. */
  readonly scope: string;
  readonly setting: GuardedSetting;
  readonly value: string;
}

export interface DecideInput {
  readonly setting: GuardedSetting;
  readonly inspected: Inspected | undefined;
  readonly trusted: boolean;
  /** Where a workspace value lives (workspace file or first folder) and a folder value (that folder). */
  readonly workspaceScope?: string;
  readonly folderScope?: string;
  readonly approvals: readonly Approval[];
}

export type Decision =
  /** Use this value (a string; '' when unset). `ignored` names a workspace value that was not used, and why. */
  | { readonly kind: 'use'; readonly value: string; readonly source: ValueSource; readonly ignored?: IgnoredValue }
  /** A workspace value that needs the administrator's approval before anything uses it. */
  | { readonly kind: 'needs-approval'; readonly approval: Approval; readonly source: 'workspace' | 'workspaceFolder' }
  /** The effective value has the wrong type or size: nothing uses it; the message says which setting and why. */
  | { readonly kind: 'invalid'; readonly source: ValueSource; readonly message: string };

export interface IgnoredValue {
  readonly source: 'workspace' | 'workspaceFolder';
  readonly value: string;
  readonly reason: 'restricted-mode' | 'invalid';
}

/** Longest value accepted (paths and URLs); anything longer is a mistake or an attack. */
export const MAX_GUARDED_VALUE_LENGTH = 2048;

function check(setting: GuardedSetting, value: unknown, source: ValueSource): { ok: true; value: string } | { ok: false; message: string } {
  const where = source === 'user' ? 'user settings' : source === 'default' ? 'default' : source === 'workspace' ? 'workspace settings' : 'folder settings';
  if (typeof value !== 'string') {
    return { ok: false, message: `The setting exchangeRemoting.${setting} must be a string, but the ${where} give ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`}.` };
  }
  if (value.length > MAX_GUARDED_VALUE_LENGTH) {
    return { ok: false, message: `The setting exchangeRemoting.${setting} in the ${where} is ${value.length} characters long; at most ${MAX_GUARDED_VALUE_LENGTH} are accepted.` };
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    return { ok: false, message: `The setting exchangeRemoting.${setting} in the ${where} contains a control character.` };
  }
  return { ok: true, value: value.trim() };
}

export function isApproved(approvals: readonly Approval[], a: Approval): boolean {
  return approvals.some((x) => x.scope === a.scope && x.setting === a.setting && x.value === a.value);
}

/** The value to use, or why none may be used yet. */
export function decide(input: DecideInput): Decision {
  const i = input.inspected ?? {};
  const base = (): Decision => {
    if (i.globalValue !== undefined) {
      const c = check(input.setting, i.globalValue, 'user');
      return c.ok ? { kind: 'use', value: c.value, source: 'user' } : { kind: 'invalid', source: 'user', message: c.message };
    }
    const c = check(input.setting, i.defaultValue ?? '', 'default');
    return { kind: 'use', value: c.ok ? c.value : '', source: 'default' };
  };
  const folder = i.workspaceFolderValue !== undefined && input.folderScope !== undefined;
  const raw = folder ? i.workspaceFolderValue : i.workspaceValue;
  if (raw === undefined) return base();
  const source = folder ? 'workspaceFolder' as const : 'workspace' as const;
  const scope = folder ? input.folderScope : input.workspaceScope;
  const c = check(input.setting, raw, source);
  if (!c.ok) return { kind: 'invalid', source, message: c.message };
  if (!input.trusted) {
    const fallback = base();
    return fallback.kind === 'use' ? { ...fallback, ignored: { source, value: c.value, reason: 'restricted-mode' } } : fallback;
  }
  const global = base();
  // A workspace value equal to the user's own value (or the default) chooses nothing new.
  if (global.kind === 'use' && global.value === c.value) return { kind: 'use', value: c.value, source };
  if (scope === undefined) return { kind: 'needs-approval', approval: { scope: '', setting: input.setting, value: c.value }, source };
  const approval: Approval = { scope, setting: input.setting, value: c.value };
  return isApproved(input.approvals, approval) ? { kind: 'use', value: c.value, source } : { kind: 'needs-approval', approval, source };
}

/** Approvals as read back from storage: anything malformed is dropped, the list is capped. */
export const MAX_APPROVALS = 500;
export function parseApprovals(raw: unknown): Approval[] {
  if (!Array.isArray(raw)) return [];
  const out: Approval[] = [];
  for (const a of raw.slice(-MAX_APPROVALS)) {
    const r = a as Partial<Record<keyof Approval, unknown>> | null;
    if (r && typeof r.scope === 'string' && typeof r.value === 'string' && typeof r.setting === 'string'
      && (GUARDED_SETTINGS as readonly string[]).includes(r.setting) && r.value.length <= MAX_GUARDED_VALUE_LENGTH && r.scope.length <= 4096) {
      out.push({ scope: r.scope, setting: r.setting as GuardedSetting, value: r.value });
    }
  }
  return out;
}

/** The list after approving `a` (once) or revoking it; newest last, capped. */
export function withApproval(list: readonly Approval[], a: Approval): Approval[] {
  return [...list.filter((x) => !(x.scope === a.scope && x.setting === a.setting && x.value === a.value)), a].slice(-MAX_APPROVALS);
}
export function withoutApproval(list: readonly Approval[], a: Pick<Approval, 'scope' | 'setting'> & { value?: string }): Approval[] {
  return list.filter((x) => !(x.scope === a.scope && x.setting === a.setting && (a.value === undefined || x.value === a.value)));
}
