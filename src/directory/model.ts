// The directory's vocabulary for the delegation check: userAccountControl flags, the result types of a lookup, and
// the LDAP search filters for a computer or an account. Pure (delegation.ts does the LDAPS work and re-exports these).
import { InputError, printable, validateAccount } from '../servers/validation';
import { escapeFilterValue } from './securityDescriptor';

export const UAC = {
  ACCOUNTDISABLE: 0x2,
  WORKSTATION_TRUST_ACCOUNT: 0x1000,
  SERVER_TRUST_ACCOUNT: 0x2000,
  TRUSTED_FOR_DELEGATION: 0x80000,
  NOT_DELEGATED: 0x100000,
  TRUSTED_TO_AUTH_FOR_DELEGATION: 0x1000000,
} as const;

export interface DirectoryConnection {
  /** ldaps://dc01.contoso.com (port 636 unless given). Plain ldap:// is refused: simple binds need TLS. */
  readonly url: string;
  /** user@domain (UPN), DOMAIN\user or a DN. Any authenticated user may read these attributes. */
  readonly bindName: string;
  readonly password: string;
  /** Search base; the DC's defaultNamingContext when omitted. */
  readonly baseDn?: string;
  /** Extra trusted CA certificates (PEM) for the DC's LDAPS certificate. */
  readonly ca?: string | readonly string[];
  /** Name to verify the DC's certificate against when the URL holds an address. */
  readonly serverName?: string;
  /** Per operation and for the TCP connect; default 10 s. */
  readonly timeoutMs?: number;
}

export interface DelegationFlags {
  /** 0x80000, "Trust this computer for delegation to any service" (unconstrained). */
  readonly trustedForDelegation: boolean;
  /** 0x1000000, protocol transition for constrained delegation. */
  readonly trustedToAuthForDelegation: boolean;
  readonly notDelegated: boolean;
  readonly disabled: boolean;
  readonly workstationTrustAccount: boolean;
  readonly serverTrustAccount: boolean;
}

export interface RbcdTrustee {
  readonly sid: string;
  /** sAMAccountName when the SID resolves in this domain. */
  readonly name?: string;
  readonly access: 'allow' | 'deny';
}

export interface ComputerDelegation {
  readonly distinguishedName: string;
  readonly sAMAccountName: string;
  readonly dNSHostName?: string;
  readonly userAccountControl: number;
  readonly flags: DelegationFlags;
  /** Constrained delegation targets (SPNs). */
  readonly allowedToDelegateTo: readonly string[];
  /** Resource-based constrained delegation: who may delegate TO this computer; undefined when not set. */
  readonly allowedToActOnBehalf?: readonly RbcdTrustee[];
  readonly servicePrincipalNames: readonly string[];
}

export const DIRECTORY_ERROR_KINDS = ['invalid-credentials', 'unreachable', 'tls-failure', 'timeout', 'ambiguous', 'ldap-error'] as const;
export type DirectoryErrorKind = (typeof DIRECTORY_ERROR_KINDS)[number];

export type DelegationCheckResult =
  | { readonly status: 'found'; readonly computer: ComputerDelegation }
  | { readonly status: 'not-found'; readonly message: string; readonly filter: string; readonly baseDn: string }
  | { readonly status: 'error'; readonly kind: DirectoryErrorKind; readonly message: string; readonly code?: string };

export type DirectoryError = Extract<DelegationCheckResult, { status: 'error' }>;

/** The service account's side of delegation: "sensitive and cannot be delegated" or Protected Users block it. */
export interface AccountDelegation {
  readonly distinguishedName: string;
  readonly sAMAccountName: string;
  readonly userPrincipalName?: string;
  readonly userAccountControl: number;
  /** 0x100000 NOT_DELEGATED ("Account is sensitive and cannot be delegated"). */
  readonly notDelegated: boolean;
  readonly disabled: boolean;
  /** Member (also nested) of Protected Users; undefined when the domain has no such group. */
  readonly protectedUsers?: boolean;
}

export type AccountCheckResult =
  | { readonly status: 'found'; readonly account: AccountDelegation }
  | { readonly status: 'not-found'; readonly message: string; readonly filter: string; readonly baseDn: string }
  | DirectoryError;

export interface SpnOwner {
  readonly distinguishedName: string;
  readonly sAMAccountName: string;
  /** The HTTP/<host>[:port] SPNs of this owner. */
  readonly spns: readonly string[];
}

export type SpnOwnersResult = { readonly status: 'ok'; readonly owners: readonly SpnOwner[] } | DirectoryError;

/** The effect seam: one real implementation (LdapDelegationDirectory), fakes in callers' tests. */
export interface DelegationDirectory {
  /** The Exchange computer object's delegation settings, found by lookup. */
  readComputerDelegation(computer: string): Promise<DelegationCheckResult>;
  /** The service account's delegability (NOT_DELEGATED, Protected Users). */
  readServiceAccount(account: string): Promise<AccountCheckResult>;
  /** Every account holding HTTP/<fqdn> or HTTP/<short name> SPNs (a foreign owner breaks Kerberos: 0x80090322). */
  findHttpSpnOwners(fqdn: string): Promise<SpnOwnersResult>;
}

const NETBIOS = /^[A-Za-z0-9][A-Za-z0-9_-]{0,14}$/;
/** A fully qualified DNS name, as the directory stores dNSHostName. */
export const FQDN = /^(?=.{3,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** The search filter for a computer given as NetBIOS name (EXCH01, EXCH01$) or FQDN. Throws InputError otherwise. */
export function computerFilter(computer: string): string {
  const value = computer.trim().replace(/\.$/, '');
  if (FQDN.test(value)) {
    const first = value.split('.')[0] ?? '';
    const sam = `${first.slice(0, 15).toUpperCase()}$`;
    return `(&(objectCategory=computer)(|(dNSHostName=${escapeFilterValue(value.toLowerCase())})(sAMAccountName=${escapeFilterValue(sam)})))`;
  }
  const name = value.replace(/\$$/, '');
  if (NETBIOS.test(name)) return `(&(objectCategory=computer)(sAMAccountName=${escapeFilterValue(`${name.toUpperCase()}$`)}))`;
  throw new InputError('computer', `"${printable(computer)}" is neither a computer name (up to 15 letters, digits, - or _) nor a fully qualified DNS name.`);
}

/** The search filter for a user or service account given as DOMAIN\\user or user@domain. */
export function accountFilter(account: string): string {
  const value = validateAccount(account, 'account');
  if (value.includes('\\')) return `(&(objectClass=user)(sAMAccountName=${escapeFilterValue(value.split('\\')[1] ?? '')}))`;
  const user = value.slice(0, value.lastIndexOf('@'));
  return `(&(objectClass=user)(|(userPrincipalName=${escapeFilterValue(value)})(sAMAccountName=${escapeFilterValue(user)})))`;
}

export function decodeUac(uac: number): DelegationFlags {
  return {
    trustedForDelegation: (uac & UAC.TRUSTED_FOR_DELEGATION) !== 0,
    trustedToAuthForDelegation: (uac & UAC.TRUSTED_TO_AUTH_FOR_DELEGATION) !== 0,
    notDelegated: (uac & UAC.NOT_DELEGATED) !== 0,
    disabled: (uac & UAC.ACCOUNTDISABLE) !== 0,
    workstationTrustAccount: (uac & UAC.WORKSTATION_TRUST_ACCOUNT) !== 0,
    serverTrustAccount: (uac & UAC.SERVER_TRUST_ACCOUNT) !== 0,
  };
}
