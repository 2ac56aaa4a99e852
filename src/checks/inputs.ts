// The values a step's scripts are rendered with: raw (as typed or configured) and validated. Pure.
import { CONNECTIONS, type Connection } from '../servers/server';
import {
  InputError, netbiosFromFqdn, validateAccount, validateChoice, validateDistinguishedName, validateFqdn, validateInteger,
  validateNetbiosName, validatePort,
} from '../servers/validation';
import { validateEventId, validateRemoteAddress, validateRoleName, validateThumbprint, validateTrustedHostList } from './inputValidators';
/** Which inputs a step's scripts need beyond the server FQDN. */
export type InputName = 'account' | 'netbiosName' | 'computerDn' | 'thumbprint' | 'trustedHosts' | 'remoteAddresses'
  | 'cbtLevel' | 'connection' | 'port' | 'roleName' | 'roleGroupName' | 'windowMinutes' | 'activityEventIds'
  | 'errorEventIds' | 'allowSelfSigned' | 'allowAllTrustedHosts';

export const CBT_LEVELS = ['Strict', 'Relaxed', 'None'] as const;
export type CbtLevel = (typeof CBT_LEVELS)[number];

/** Defaults, named once. */
export const DEFAULTS = {
  port: 5986,
  cbtLevel: 'Relaxed' as CbtLevel,
  connection: 'https' as Connection,
  roleName: 'Intune Exchange Connector',
  roleGroupName: 'Intune Exchange Connector',
  windowMinutes: 130,
  certWarnDays: 60,
  certFailDays: 30,
} as const;

/** Inputs as they arrive from settings, the CLI or a form: every field optional except the server. */
export interface RawStepInputs {
  readonly server: string;
  readonly account?: string;
  readonly netbiosName?: string;
  readonly computerDn?: string;
  readonly thumbprint?: string;
  readonly trustedHosts?: string | readonly string[];
  readonly remoteAddresses?: string | readonly string[];
  readonly cbtLevel?: string;
  readonly connection?: string;
  readonly port?: string | number;
  readonly roleName?: string;
  readonly roleGroupName?: string;
  readonly windowMinutes?: string | number;
  readonly activityEventIds?: string | readonly (string | number)[];
  readonly errorEventIds?: string | readonly (string | number)[];
  readonly certWarnDays?: string | number;
  readonly certFailDays?: string | number;
  readonly allowSelfSigned?: boolean;
  readonly allowAllTrustedHosts?: boolean;
  /** The firewall rule may admit any remote address (chosen explicitly in the confirmation; never a default). */
  readonly allowAnyRemoteAddress?: boolean;
}

/** Validated, normalised inputs. Optional fields stay undefined when not given and not derivable. */
export interface StepInputs {
  readonly server: string;
  readonly account?: string;
  readonly netbiosName?: string;
  readonly computerDn?: string;
  readonly thumbprint?: string;
  readonly trustedHosts: readonly string[];
  readonly remoteAddresses: readonly string[];
  readonly cbtLevel: CbtLevel;
  readonly connection: Connection;
  readonly port: number;
  readonly roleName: string;
  readonly roleGroupName: string;
  readonly windowMinutes: number;
  readonly activityEventIds: readonly number[];
  readonly errorEventIds: readonly number[];
  readonly certWarnDays: number;
  readonly certFailDays: number;
  readonly allowSelfSigned: boolean;
  readonly allowAllTrustedHosts: boolean;
  readonly allowAnyRemoteAddress: boolean;
}

function list(raw: string | readonly (string | number)[] | undefined): (string | number)[] {
  if (raw === undefined) return [];
  return (typeof raw === 'string' ? raw.split(',') : [...raw]).map((v) => (typeof v === 'string' ? v.trim() : v)).filter((v) => v !== '');
}

function opt(raw: string | undefined): string | undefined {
  return raw === undefined || raw.trim() === '' ? undefined : raw;
}

/** Validates every field; throws InputError naming the field on the first invalid one. */
export function resolveInputs(raw: RawStepInputs): StepInputs {
  if (typeof raw?.server !== 'string') throw new InputError('server', 'Enter the Exchange server\'s fully qualified DNS name.');
  const server = validateFqdn(raw.server, 'server');
  let netbiosName: string | undefined;
  const nb = opt(raw.netbiosName);
  if (nb !== undefined) netbiosName = validateNetbiosName(nb);
  else {
    try { netbiosName = netbiosFromFqdn(server); } catch { netbiosName = undefined; }
  }
  const account = opt(raw.account);
  const computerDn = opt(raw.computerDn);
  const thumbprint = opt(raw.thumbprint);
  const allowAllTrustedHosts = raw.allowAllTrustedHosts === true;
  const th = list(raw.trustedHosts).map(String);
  const certWarnDays = raw.certWarnDays === undefined ? DEFAULTS.certWarnDays : validateInteger(raw.certWarnDays, 1, 3650, 'certWarnDays', 'days');
  const certFailDays = raw.certFailDays === undefined ? DEFAULTS.certFailDays : validateInteger(raw.certFailDays, 0, 3650, 'certFailDays', 'days');
  if (certFailDays > certWarnDays) throw new InputError('certFailDays', `The fail threshold (${certFailDays} days) must not exceed the warn threshold (${certWarnDays} days).`);
  return {
    server,
    ...(account !== undefined ? { account: validateAccount(account) } : {}),
    ...(netbiosName !== undefined ? { netbiosName } : {}),
    ...(computerDn !== undefined ? { computerDn: validateDistinguishedName(computerDn, 'computerDn') } : {}),
    ...(thumbprint !== undefined ? { thumbprint: validateThumbprint(thumbprint) } : {}),
    trustedHosts: th.length ? validateTrustedHostList(th, 'trustedHosts', allowAllTrustedHosts) : [server],
    remoteAddresses: list(raw.remoteAddresses).map((v) => validateRemoteAddress(String(v), 'remoteAddresses')),
    cbtLevel: raw.cbtLevel === undefined ? DEFAULTS.cbtLevel : validateChoice(raw.cbtLevel, CBT_LEVELS, 'cbtLevel'),
    connection: raw.connection === undefined ? DEFAULTS.connection : validateChoice(raw.connection, CONNECTIONS, 'connection'),
    port: raw.port === undefined ? DEFAULTS.port : validatePort(raw.port),
    // The child roles are named "<roleName> - <built-in parent>"; Exchange allows 64 characters in all.
    roleName: raw.roleName === undefined ? DEFAULTS.roleName : validateRoleName(raw.roleName, 'roleName', 30),
    roleGroupName: raw.roleGroupName === undefined ? DEFAULTS.roleGroupName : validateRoleName(raw.roleGroupName, 'roleGroupName'),
    windowMinutes: raw.windowMinutes === undefined ? DEFAULTS.windowMinutes : validateInteger(raw.windowMinutes, 5, 10080, 'windowMinutes', 'minutes'),
    activityEventIds: dedupe(list(raw.activityEventIds).map((v) => validateEventId(v, 'activityEventIds'))),
    errorEventIds: dedupe(list(raw.errorEventIds).map((v) => validateEventId(v, 'errorEventIds'))),
    certWarnDays,
    certFailDays,
    allowSelfSigned: raw.allowSelfSigned === true,
    allowAllTrustedHosts,
    allowAnyRemoteAddress: raw.allowAnyRemoteAddress === true,
  };
}

function dedupe<T>(items: T[]): T[] {
  return [...new Set(items)];
}

const NEED_MESSAGES: Partial<Record<InputName, string>> = {
  account: 'needs the service account (DOMAIN\\user or user@domain.com)',
  netbiosName: 'needs the computer\'s NetBIOS name (the host name is longer than 15 characters)',
};

/** Throws InputError when a step needs an input that is missing. */
export function requireInputs(inputs: StepInputs, needs: readonly InputName[], stepTitle: string): void {
  for (const need of needs) {
    const missing = (need === 'account' && inputs.account === undefined) || (need === 'netbiosName' && inputs.netbiosName === undefined);
    if (missing) throw new InputError(need, `"${stepTitle}" ${NEED_MESSAGES[need] ?? `needs ${need}`}.`);
  }
}

/** The `$ers*` variables every script binds, in a fixed order so that the script's shape never depends on which are set. */
export function scriptVariables(inputs: StepInputs): Record<string, string | number | boolean | readonly string[] | readonly number[]> {
  return {
    ersServer: inputs.server,
    ersNetbiosName: inputs.netbiosName ?? '',
    ersAccount: inputs.account ?? '',
    ersComputerDn: inputs.computerDn ?? '',
    ersThumbprint: inputs.thumbprint ?? '',
    ersTrustedHosts: inputs.trustedHosts,
    ersRemoteAddresses: inputs.remoteAddresses,
    ersCbtLevel: inputs.cbtLevel,
    ersConnection: inputs.connection,
    ersPort: inputs.port,
    ersRoleName: inputs.roleName,
    ersRoleGroupName: inputs.roleGroupName,
    ersWindowMinutes: inputs.windowMinutes,
    ersActivityEventIds: inputs.activityEventIds,
    ersErrorEventIds: inputs.errorEventIds,
    ersAllowSelfSigned: inputs.allowSelfSigned,
    ersAllowAnyRemoteAddress: inputs.allowAnyRemoteAddress,
  };
}
