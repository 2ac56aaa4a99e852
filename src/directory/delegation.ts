// Kerberos delegation of an Exchange computer object, read over LDAPS without RSAT (step 2 of the catalog).
// The object is found by lookup (sAMAccountName=NAME$ or dNSHostName=fqdn, whole domain), never by assuming
// CN=Computers. Reads userAccountControl (0x80000 TRUSTED_FOR_DELEGATION and friends), msDS-AllowedToDelegateTo and
// msDS-AllowedToActOnBehalfOfOtherIdentity (decoded to trustee SIDs and names). Failures come back as distinct
// results: not found, wrong password, unreachable DC, TLS failure, timeout. Effects: ldapts (the only importer).
import * as tls from 'node:tls';
import { Client, EqualityFilter, InvalidCredentialsError, type Entry } from 'ldapts';
import { InputError, printable } from '../servers/validation';
import { escapeFilterValue, parseSecurityDescriptor, sidToBuffer, sidToString } from './securityDescriptor';

import { FQDN, UAC, DIRECTORY_ERROR_KINDS, computerFilter, accountFilter, decodeUac, type DirectoryConnection, type DelegationFlags, type RbcdTrustee, type ComputerDelegation, type DirectoryErrorKind, type DelegationCheckResult, type DirectoryError, type AccountDelegation, type AccountCheckResult, type SpnOwner, type SpnOwnersResult, type DelegationDirectory } from './model';

export { UAC, DIRECTORY_ERROR_KINDS, computerFilter, accountFilter, decodeUac };
export type { DirectoryConnection, DelegationFlags, RbcdTrustee, ComputerDelegation, DirectoryErrorKind, DelegationCheckResult, DirectoryError, AccountDelegation, AccountCheckResult, SpnOwner, SpnOwnersResult, DelegationDirectory };

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

