// Kerberos delegation of an Exchange computer object, read over LDAPS without RSAT (step 2 of the catalog).
// The object is found by lookup (sAMAccountName=NAME$ or dNSHostName=fqdn, whole domain), never by assuming
// CN=Computers. Reads userAccountControl (0x80000 TRUSTED_FOR_DELEGATION and friends), msDS-AllowedToDelegateTo and
// msDS-AllowedToActOnBehalfOfOtherIdentity (decoded to trustee SIDs and names). Failures come back as distinct
// results: not found, wrong password, unreachable DC, TLS failure, timeout. Effects: ldapts (the only importer).
import * as tls from 'node:tls';
import { Client, EqualityFilter, InvalidCredentialsError, type Entry } from 'ldapts';
import { InputError, printable, validateAccount } from '../servers/validation';
import { escapeFilterValue, parseSecurityDescriptor, sidToBuffer, sidToString } from './securityDescriptor';

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
const FQDN = /^(?=.{3,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

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

function text(v: Entry[string] | undefined): string | undefined {
  const x = Array.isArray(v) ? v[0] : v;
  return x === undefined ? undefined : Buffer.isBuffer(x) ? x.toString('utf8') : String(x);
}

function texts(v: Entry[string] | undefined): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => (Buffer.isBuffer(x) ? x.toString('utf8') : String(x)));
}

function buffer(v: Entry[string] | undefined): Buffer | undefined {
  const x = Array.isArray(v) ? v[0] : v;
  return Buffer.isBuffer(x) ? x : undefined;
}

/** Classifies a connection, bind or TLS failure without relying on English text where a code exists. */
export function classifyDirectoryError(err: unknown, url: string): { kind: DirectoryErrorKind; message: string; code?: string } {
  const e = err as NodeJS.ErrnoException & { code?: string | number };
  const code = e?.code !== undefined ? String(e.code) : undefined;
  const msg = err instanceof Error ? err.message : String(err);
  if (err instanceof InvalidCredentialsError || code === '49') {
    return { kind: 'invalid-credentials', message: `The directory refused the user name or password (LDAP 49 invalidCredentials${/data ([0-9a-f]+)/i.exec(msg) ? `, data ${/data ([0-9a-f]+)/i.exec(msg)![1]}` : ''}).`, code: '49' };
  }
  if (code && /^(ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|ECONNRESET|EPIPE)$/.test(code)) {
    return { kind: 'unreachable', message: `The domain controller at ${url} cannot be reached (${code}).`, code };
  }
  if (code && /^(ERR_TLS_|ERR_SSL_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|CERT_)/.test(code)) {
    return { kind: 'tls-failure', message: `The LDAPS certificate of ${url} is not accepted (${code}): import the issuing CA, or name the DC as its certificate does.`, code };
  }
  if (/timeout|timed out/i.test(msg) || code === 'ETIMEDOUT') {
    return { kind: 'timeout', message: `The domain controller at ${url} did not answer in time.`, ...(code ? { code } : {}) };
  }
  return { kind: 'ldap-error', message: `LDAP error from ${url}: ${msg}`, ...(code ? { code } : {}) };
}

export class LdapDelegationDirectory implements DelegationDirectory {
  constructor(private readonly conn: DirectoryConnection) {
    if (!/^ldaps:\/\//i.test(conn.url)) throw new InputError('url', 'Use ldaps:// (simple binds send the password; they need TLS).');
  }

  async readComputerDelegation(computer: string): Promise<DelegationCheckResult> {
    const filter = computerFilter(computer);
    return this.session(async (client, baseDn): Promise<DelegationCheckResult> => {
      const { searchEntries } = await client.search(baseDn, {
        scope: 'sub', filter, sizeLimit: 10,
        attributes: ['distinguishedName', 'sAMAccountName', 'dNSHostName', 'userAccountControl', 'msDS-AllowedToDelegateTo',
          'msDS-AllowedToActOnBehalfOfOtherIdentity', 'servicePrincipalName'],
        explicitBufferAttributes: ['msDS-AllowedToActOnBehalfOfOtherIdentity'],
      });
      if (searchEntries.length === 0) {
        return { status: 'not-found', filter, baseDn, message: `No computer object matches ${printable(computer)} anywhere under ${baseDn} (searched by sAMAccountName and dNSHostName).` };
      }
      let entry = searchEntries[0]!;
      if (searchEntries.length > 1) {
        const fqdn = computer.trim().replace(/\.$/, '').toLowerCase();
        const exact = searchEntries.filter((e) => text(e.dNSHostName)?.toLowerCase() === fqdn);
        if (exact.length !== 1) {
          return { status: 'error', kind: 'ambiguous', message: `${searchEntries.length} computer objects match ${printable(computer)}: ${searchEntries.map((e) => e.dn).join('; ')}.` };
        }
        entry = exact[0]!;
      }
      const uac = Number(text(entry.userAccountControl) ?? '0');
      const sd = buffer(entry['msDS-AllowedToActOnBehalfOfOtherIdentity']);
      const result: { -readonly [K in keyof ComputerDelegation]: ComputerDelegation[K] } = {
        distinguishedName: entry.dn,
        sAMAccountName: text(entry.sAMAccountName) ?? '',
        userAccountControl: uac,
        flags: decodeUac(uac),
        allowedToDelegateTo: texts(entry['msDS-AllowedToDelegateTo']),
        servicePrincipalNames: texts(entry.servicePrincipalName),
      };
      const dns = text(entry.dNSHostName);
      if (dns) result.dNSHostName = dns;
      if (sd && sd.length) result.allowedToActOnBehalf = await this.trustees(client, baseDn, sd);
      return { status: 'found', computer: result };
    });
  }

  async readServiceAccount(account: string): Promise<AccountCheckResult> {
    const filter = accountFilter(account);
    return this.session(async (client, baseDn): Promise<AccountCheckResult> => {
      const { searchEntries } = await client.search(baseDn, {
        scope: 'sub', filter, sizeLimit: 2, attributes: ['sAMAccountName', 'userPrincipalName', 'userAccountControl'],
      });
      if (searchEntries.length === 0) return { status: 'not-found', filter, baseDn, message: `No account matches ${printable(account)} under ${baseDn}.` };
      if (searchEntries.length > 1) return { status: 'error', kind: 'ambiguous', message: `Several accounts match ${printable(account)}: ${searchEntries.map((e) => e.dn).join('; ')}.` };
      const entry = searchEntries[0]!;
      const uac = Number(text(entry.userAccountControl) ?? '0');
      const out: { -readonly [K in keyof AccountDelegation]: AccountDelegation[K] } = {
        distinguishedName: entry.dn,
        sAMAccountName: text(entry.sAMAccountName) ?? '',
        userAccountControl: uac,
        notDelegated: (uac & UAC.NOT_DELEGATED) !== 0,
        disabled: (uac & UAC.ACCOUNTDISABLE) !== 0,
      };
      const upn = text(entry.userPrincipalName);
      if (upn) out.userPrincipalName = upn;
      const protectedUsers = await this.protectedUsersDn(client, baseDn);
      if (protectedUsers) {
        const { searchEntries: hit } = await client.search(entry.dn, {
          scope: 'base', filter: `(memberOf:1.2.840.113556.1.4.1941:=${escapeFilterValue(protectedUsers)})`, attributes: ['1.1'],
        });
        out.protectedUsers = hit.length > 0;
      }
      return { status: 'found', account: out };
    });
  }

  async findHttpSpnOwners(fqdn: string): Promise<SpnOwnersResult> {
    const host = fqdn.trim().replace(/\.$/, '').toLowerCase();
    if (!FQDN.test(host)) throw new InputError('server', `"${printable(fqdn)}" is not a fully qualified DNS name.`);
    const short = host.split('.')[0] ?? host;
    const names = [host, short].map((n) => escapeFilterValue(`HTTP/${n}`));
    const filter = `(|${names.map((n) => `(servicePrincipalName=${n})(servicePrincipalName=${n}:*)`).join('')})`;
    return this.session(async (client, baseDn): Promise<SpnOwnersResult> => {
      const { searchEntries } = await client.search(baseDn, { scope: 'sub', filter, sizeLimit: 50, attributes: ['sAMAccountName', 'servicePrincipalName'] });
      const wanted = new RegExp(`^HTTP/(${host.replace(/\./g, '\\.')}|${short})(:\\d+)?$`, 'i');
      return {
        status: 'ok',
        owners: searchEntries.map((e) => ({
          distinguishedName: e.dn,
          sAMAccountName: text(e.sAMAccountName) ?? '',
          spns: texts(e.servicePrincipalName).filter((spn) => wanted.test(spn)),
        })),
      };
    });
  }

  /** Binds, finds the base, runs `fn`, unbinds; connection, bind and TLS failures become distinct error results. */
  private async session<T>(fn: (client: Client, baseDn: string) => Promise<T>): Promise<T | DirectoryError> {
    const timeout = this.conn.timeoutMs ?? 10_000;
    const tlsOptions: tls.ConnectionOptions = { rejectUnauthorized: true, minVersion: 'TLSv1.2' };
    if (this.conn.ca !== undefined) {
      tlsOptions.ca = [...tls.rootCertificates, ...(typeof this.conn.ca === 'string' ? [this.conn.ca] : this.conn.ca)];
    }
    if (this.conn.serverName) tlsOptions.servername = this.conn.serverName;
    const client = new Client({ url: this.conn.url, timeout, connectTimeout: timeout, tlsOptions, strictDN: false });
    try {
      await client.bind(this.conn.bindName, this.conn.password);
      const baseDn = this.conn.baseDn ?? await this.defaultNamingContext(client);
      return await fn(client, baseDn);
    } catch (err) {
      if (err instanceof InputError) throw err;
      return { status: 'error', ...classifyDirectoryError(err, this.conn.url) };
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }

  /** The Protected Users group (well-known RID 525 in the domain), or undefined where it does not exist. */
  private async protectedUsersDn(client: Client, baseDn: string): Promise<string | undefined> {
    const { searchEntries } = await client.search(baseDn, { scope: 'base', filter: '(objectClass=*)', attributes: ['objectSid'], explicitBufferAttributes: ['objectSid'] });
    const domainSid = buffer(searchEntries[0]?.objectSid);
    if (!domainSid) return undefined;
    const sid = `${sidToString(domainSid).sid}-525`;
    const { searchEntries: group } = await client.search(baseDn, { scope: 'sub', filter: new EqualityFilter({ attribute: 'objectSid', value: sidToBuffer(sid) }), attributes: ['1.1'], sizeLimit: 1 });
    return group[0]?.dn;
  }

  private async defaultNamingContext(client: Client): Promise<string> {
    const { searchEntries } = await client.search('', { scope: 'base', filter: '(objectClass=*)', attributes: ['defaultNamingContext'] });
    const dn = text(searchEntries[0]?.defaultNamingContext);
    if (!dn) throw new Error('The domain controller did not report its defaultNamingContext; give the search base.');
    return dn;
  }

  private async trustees(client: Client, baseDn: string, sd: Buffer): Promise<RbcdTrustee[]> {
    const parsed = parseSecurityDescriptor(sd);
    const out: RbcdTrustee[] = [];
    for (const ace of parsed.dacl) {
      if (ace.type === 'other') continue;
      const access = ace.type.startsWith('allow') ? 'allow' as const : 'deny' as const;
      let name: string | undefined;
      try {
        const { searchEntries } = await client.search(baseDn, {
          scope: 'sub', filter: new EqualityFilter({ attribute: 'objectSid', value: sidToBuffer(ace.sid) }), attributes: ['sAMAccountName'], sizeLimit: 1,
        });
        name = text(searchEntries[0]?.sAMAccountName);
      } catch { /* unresolved SIDs stay SIDs */ }
      out.push({ sid: ace.sid, access, ...(name ? { name } : {}) });
    }
    return out;
  }
}

