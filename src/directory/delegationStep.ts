// The catalog's delegation step (kerberos-delegation) decided from an LDAPS read instead of PowerShell: the
// directory's facts are put into the same JSON document the step's check script prints, and the catalog's own
// evaluator decides. So the step works from Linux/macOS and without RSAT. Effects only through the injected directory.
import { CHECK_SCHEMA } from '../checks/envelope';
import { evaluate, resolveInputs, type CheckOutcome, type RawStepInputs, type StepResult } from '../checks';
import type { DelegationDirectory, DirectoryError } from './delegation';

export interface DelegationStepInputs {
  /** The Exchange server's FQDN (its computer object is found by lookup). */
  readonly server: string;
  /** The sync service account, DOMAIN\user or UPN. */
  readonly account: string;
  readonly now?: Date;
}

/** Error facts in the catalog's shape; the LDAP code goes where the catalog looks for stable codes. */
function errorInfo(e: DirectoryError, source: string): Record<string, unknown> {
  return { fullyQualifiedErrorId: `LDAP.${e.kind}`, category: e.kind, message: e.message, source, hresults: [], ...(e.code && /^\d+$/.test(e.code) ? { nativeErrorCode: Number(e.code) } : {}) };
}

/** A compact SDDL of the RBCD descriptor (SIDs, not aliases): the evidence the PowerShell check shows too. */
function sddlOf(trustees: readonly { sid: string; access: 'allow' | 'deny' }[] | undefined): string {
  if (!trustees?.length) return '';
  return `D:${trustees.map((t) => `(${t.access === 'allow' ? 'A' : 'D'};;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;${t.sid})`).join('')}`;
}

/** Reads the directory and returns the step's check outcome (what the PowerShell check would have printed). */
export async function readDelegationOutcome(directory: DelegationDirectory, i: DelegationStepInputs): Promise<CheckOutcome> {
  const found = await directory.readComputerDelegation(i.server);
  if (found.status === 'error') return { kind: 'error', error: errorInfo(found, 'computer lookup') };
  const [account, spns] = await Promise.all([directory.readServiceAccount(i.account), directory.findHttpSpnOwners(i.server)]);
  const c = found.status === 'found' ? found.computer : undefined;
  const data = {
    domain: found.status === 'not-found' ? found.baseDn : (c?.distinguishedName.replace(/^.*?(?=DC=)/i, '') ?? ''),
    computer: c ? {
      distinguishedName: c.distinguishedName,
      dnsHostName: c.dNSHostName ?? '',
      userAccountControl: c.userAccountControl,
      allowedToDelegateTo: [...c.allowedToDelegateTo],
      rbcdSddl: sddlOf(c.allowedToActOnBehalf),
      servicePrincipalNames: [...c.servicePrincipalNames],
    } : null,
    account: account.status === 'found'
      ? { distinguishedName: account.account.distinguishedName, userAccountControl: account.account.userAccountControl, protectedUsers: account.account.protectedUsers ?? false }
      : null,
    accountError: account.status === 'error' ? errorInfo(account, 'service account lookup') : null,
    spnOwners: spns.status === 'ok' ? spns.owners.map((o) => ({ distinguishedName: o.distinguishedName, spns: [...o.spns] })) : [],
    spnError: spns.status === 'error' ? errorInfo(spns, 'SPN search') : null,
  };
  return {
    kind: 'json',
    json: { schema: CHECK_SCHEMA, step: 'kerberos-delegation', ok: true, computer: 'ldap', generatedAt: (i.now ?? new Date()).toISOString(), data, error: null },
  };
}

/** The kerberos-delegation step's result, decided by the catalog's evaluator from an LDAPS read. */
export async function checkDelegationOverLdap(directory: DelegationDirectory, i: DelegationStepInputs): Promise<StepResult> {
  const outcome = await readDelegationOutcome(directory, i);
  const raw: RawStepInputs = { server: i.server, account: i.account };
  return evaluate('kerberos-delegation', outcome, { now: i.now ?? new Date(), inputs: resolveInputs(raw) });
}
