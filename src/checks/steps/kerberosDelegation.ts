// Step 2: Kerberos delegation on the Exchange computer object (the product's second hop), plus the service
// account's delegability and the HTTP/ SPN owners. Read over LDAP: no RSAT needed for the check.
import { partError, result } from '../envelope';
import { arr, bool, num, obj, str, strs } from '../json';
import type { Evidence, StepSpec } from '../types';

export const UAC = {
  WORKSTATION_TRUST_ACCOUNT: 0x1000,
  SERVER_TRUST_ACCOUNT: 0x2000,
  TRUSTED_FOR_DELEGATION: 0x80000,
  NOT_DELEGATED: 0x100000,
  TRUSTED_TO_AUTH_FOR_DELEGATION: 0x1000000,
  ACCOUNTDISABLE: 0x2,
} as const;

export function decodeUac(uac: number): string[] {
  return Object.entries(UAC).filter(([, bit]) => (uac & bit) !== 0).map(([name]) => name);
}

const CHECK = String.raw`$rootDse = [adsi]'LDAP://RootDSE'
$domainDn = [string]$rootDse.Properties['defaultNamingContext'].Value
$forestDn = [string]$rootDse.Properties['rootDomainNamingContext'].Value
$searcher = New-Object System.DirectoryServices.DirectorySearcher([adsi]('LDAP://' + $domainDn))
$searcher.Filter = '(&(objectCategory=computer)(sAMAccountName=' + (ConvertTo-ErsLdapValue -Value $ersNetbiosName) + '$))'
foreach ($p in @('distinguishedName', 'dNSHostName', 'userAccountControl', 'msDS-AllowedToDelegateTo', 'msDS-AllowedToActOnBehalfOfOtherIdentity', 'servicePrincipalName')) { [void]$searcher.PropertiesToLoad.Add($p) }
$found = $searcher.FindOne()
$computer = $null
if ($null -ne $found) {
    $rbcd = ''
    if ($found.Properties['msds-allowedtoactonbehalfofotheridentity'].Count -gt 0) {
        $sd = New-Object System.DirectoryServices.ActiveDirectorySecurity
        $sd.SetSecurityDescriptorBinaryForm([byte[]]$found.Properties['msds-allowedtoactonbehalfofotheridentity'][0])
        $rbcd = $sd.GetSecurityDescriptorSddlForm('Access')
    }
    $computer = [pscustomobject]@{
        distinguishedName = [string]$found.Properties['distinguishedname'][0]
        dnsHostName = [string]($found.Properties['dnshostname'] | Select-Object -First 1)
        userAccountControl = [int64]$found.Properties['useraccountcontrol'][0]
        allowedToDelegateTo = @($found.Properties['msds-allowedtodelegateto'] | ForEach-Object { [string]$_ })
        rbcdSddl = $rbcd
        servicePrincipalNames = @($found.Properties['serviceprincipalname'] | ForEach-Object { [string]$_ })
    }
}
# The service account: NOT_DELEGATED ("sensitive and cannot be delegated") and Protected Users (RID 525) both block delegation.
$account = $null
$accountError = $null
try {
    if ($ersAccount -like '*\*') {
        $accountFilter = '(&(objectCategory=person)(sAMAccountName=' + (ConvertTo-ErsLdapValue -Value $ersAccount.Substring($ersAccount.IndexOf('\') + 1)) + '))'
    } else {
        $accountFilter = '(&(objectCategory=person)(userPrincipalName=' + (ConvertTo-ErsLdapValue -Value $ersAccount) + '))'
    }
    $gc = New-Object System.DirectoryServices.DirectorySearcher([adsi]('GC://' + $forestDn))
    $gc.Filter = $accountFilter
    [void]$gc.PropertiesToLoad.Add('distinguishedName')
    [void]$gc.PropertiesToLoad.Add('userAccountControl')
    $hit = $gc.FindOne()
    if ($null -ne $hit) {
        $entry = [adsi]('LDAP://' + [string]$hit.Properties['distinguishedname'][0])
        $entry.RefreshCache(@('tokenGroups'))
        $groupSids = @($entry.Properties['tokenGroups'] | ForEach-Object { (New-Object System.Security.Principal.SecurityIdentifier([byte[]]$_, 0)).Value })
        $account = [pscustomobject]@{
            distinguishedName = [string]$hit.Properties['distinguishedname'][0]
            userAccountControl = [int64]$hit.Properties['useraccountcontrol'][0]
            protectedUsers = [bool](@($groupSids | Where-Object { $_ -like 'S-1-5-21-*-525' }).Count -gt 0)
        }
    }
} catch {
    $accountError = ConvertTo-ErsError -Record $_ -Source 'service account lookup'
}
# Owners of the HTTP/ SPNs of the Exchange host across the forest (global catalog).
$spnOwners = @()
$spnError = $null
try {
    $spnSearch = New-Object System.DirectoryServices.DirectorySearcher([adsi]('GC://' + $forestDn))
    $spnFilter = '(|'
    foreach ($spn in @(('HTTP/' + $ersServer), ('HTTP/' + $ersServer + ':5985'), ('HTTP/' + $ersServer + ':5986'), ('HTTP/' + $ersNetbiosName))) { $spnFilter += '(servicePrincipalName=' + (ConvertTo-ErsLdapValue -Value $spn) + ')' }
    $spnSearch.Filter = $spnFilter + ')'
    [void]$spnSearch.PropertiesToLoad.Add('distinguishedName')
    [void]$spnSearch.PropertiesToLoad.Add('servicePrincipalName')
    $spnOwners = @($spnSearch.FindAll() | ForEach-Object {
        [pscustomobject]@{
            distinguishedName = [string]$_.Properties['distinguishedname'][0]
            spns = @($_.Properties['serviceprincipalname'] | Where-Object { [string]$_ -like 'HTTP/*' } | ForEach-Object { [string]$_ })
        }
    })
} catch {
    $spnError = ConvertTo-ErsError -Record $_ -Source 'SPN search'
}
[pscustomobject]@{
    domain = $domainDn
    computer = $computer
    account = $account
    accountError = $accountError
    spnOwners = $spnOwners
    spnError = $spnError
}`;

const REMEDIATION = String.raw`Import-Module -Name ActiveDirectory
if ($ersComputerDn -ne '') {
    $computer = Get-ADComputer -Identity $ersComputerDn -Properties 'userAccountControl', 'TrustedForDelegation'
} else {
    $computer = Get-ADComputer -Identity ($ersNetbiosName + '$') -Properties 'userAccountControl', 'TrustedForDelegation'
}
# Record the previous value for rollback (Set-ADAccountControl -TrustedForDelegation $false).
Write-Output ('Computer: ' + $computer.DistinguishedName + '; userAccountControl before: ' + $computer.userAccountControl)
if ($computer.TrustedForDelegation) {
    Write-Output 'TrustedForDelegation is already set; nothing to do.'
} else {
    Set-ADAccountControl -Identity $computer -TrustedForDelegation $true
    if (-not $WhatIfPreference) {
        Write-Output 'TrustedForDelegation set. Wait for AD replication, then purge cached tickets of the sync service (klist purge) or wait for them to expire; the KDC caches denials for about 15 minutes.'
    }
}`;

export const kerberosDelegation: StepSpec = {
  id: 'kerberos-delegation',
  number: '2',
  profiles: ['remoting'],
  title: { en: 'Kerberos delegation on the Exchange computer object', de: 'Kerberos-Delegierung des Exchange-Servers' },
  explanation: {
    en: 'The product opens a second PowerShell connection with Kerberos from inside the first one, so it asks for "Trust this computer for delegation to any service" (TrustedForDelegation) on the Exchange computer object. The check also shows the constrained and resource-based delegation attributes, whether the service account can be delegated at all, and who owns the HTTP/ SPNs of the server.',
    de: 'Das Produkt öffnet aus der ersten PowerShell-Verbindung heraus eine zweite mit Kerberos und verlangt daher „Computer bei Delegierungen aller Dienste vertrauen“ (TrustedForDelegation) am Computerobjekt des Exchange-Servers. Die Prüfung zeigt auch eingeschränkte und ressourcenbasierte Delegierung, ob das Dienstkonto überhaupt delegiert werden kann und wem die HTTP/-SPNs des Servers gehören.',
  },
  where: 'domain',
  whereDetail: { en: 'on any domain-joined machine for the check (LDAP read); the change on a DC or an admin workstation with RSAT-AD-PowerShell', de: 'Prüfung auf einem beliebigen Domänenmitglied (LDAP-Lesezugriff); Änderung auf einem DC oder Admin-Arbeitsplatz mit RSAT-AD-PowerShell' },
  needsElevation: false,
  needs: ['account', 'netbiosName'],
  docLink: 'https://learn.microsoft.com/powershell/scripting/security/remoting/ps-remoting-second-hop',
  checkHelpers: ['ldap'],
  remediationHelpers: [],
  remediation: {
    changes: {
      en: 'Sets TRUSTED_FOR_DELEGATION (0x80000) on the Exchange computer account with Set-ADAccountControl -TrustedForDelegation $true, resolving the object with Get-ADComputer instead of a hard-coded DN. Prints the previous userAccountControl for rollback.',
      de: 'Setzt TRUSTED_FOR_DELEGATION (0x80000) am Computerkonto des Exchange-Servers mit Set-ADAccountControl -TrustedForDelegation $true; das Objekt wird mit Get-ADComputer ermittelt statt über einen festen DN. Gibt den bisherigen userAccountControl-Wert für die Rücknahme aus.',
    },
    restartsWinRM: false,
    risk: 'high',
    // Checked against Microsoft's "Making the second hop in PowerShell Remoting" (unconstrained delegation: ranked last, "Not recommended", no control over
    // where delegated credentials go; https://learn.microsoft.com/powershell/scripting/security/remoting/ps-remoting-second-hop).
    riskNote: {
      en: 'Unconstrained delegation is Microsoft\'s last, "not recommended" option: every Kerberos client of every service on the Exchange server leaves a forwardable TGT in LSASS, and such hosts are the classic target for coercing a domain controller to authenticate (printer-bug style) and stealing its TGT. Needs Domain Admin or SeEnableDelegationPrivilege.',
      de: 'Uneingeschränkte Delegierung ist Microsofts letzte, „nicht empfohlene“ Option: Jeder Kerberos-Client jedes Dienstes auf dem Exchange-Server hinterlässt ein weiterleitbares TGT in LSASS, und solche Hosts sind das klassische Ziel, um einen Domänencontroller zur Anmeldung zu zwingen (Printer-Bug) und sein TGT zu stehlen. Erfordert Domänen-Admin oder SeEnableDelegationPrivilege.',
    },
    // Checked against Microsoft's "Making the second hop in PowerShell Remoting"
    // (https://learn.microsoft.com/powershell/scripting/security/remoting/ps-remoting-second-hop): Kerberos
    // delegation (unconstrained), constrained delegation and resource-based constrained delegation are each listed
    // as not supporting the second hop for WinRM, so none of them is offered as an alternative here.
    saferAlternative: {
      en: 'Connect directly from the sync server to http://<exchange>/PowerShell/ with -ConfigurationName Microsoft.Exchange -Authentication Kerberos: a single hop that needs no delegation at all. For a second hop that WinRM supports, Microsoft lists CredSSP (scoped to the named hosts; it leaves the credentials on the Exchange server), JEA or a session configuration with RunAs, and passing an explicit credential to the second connection. Constrained and resource-based constrained delegation are not alternatives: Microsoft documents that neither supports the second hop for WinRM (https://learn.microsoft.com/powershell/scripting/security/remoting/ps-remoting-second-hop).',
      de: 'Direkt vom Sync-Server zu http://<exchange>/PowerShell/ mit -ConfigurationName Microsoft.Exchange -Authentication Kerberos verbinden: ein einziger Hop, der gar keine Delegierung braucht. Für einen zweiten Hop, den WinRM unterstützt, nennt Microsoft CredSSP (auf die genannten Hosts beschränkt; die Anmeldeinformationen bleiben auf dem Exchange-Server), JEA oder eine Sitzungskonfiguration mit RunAs und die Übergabe expliziter Anmeldeinformationen an die zweite Verbindung. Eingeschränkte und ressourcenbasierte eingeschränkte Delegierung sind keine Alternativen: laut Microsoft unterstützt keine von beiden den zweiten Hop für WinRM (https://learn.microsoft.com/powershell/scripting/security/remoting/ps-remoting-second-hop).',
    },
    supportsWhatIf: true,
    remediateOnWarn: false,
  },
  checkBody: () => CHECK,
  remediationBody: () => REMEDIATION,
  decide(opened, ctx) {
    const id = 'kerberos-delegation' as const;
    const d = opened.data;
    const evidence: Evidence[] = [];
    const c = d.computer === null || d.computer === undefined ? undefined : obj(d.computer);
    const name = `${ctx.inputs.netbiosName ?? '?'}$`;
    if (!c) {
      return result(id, { status: 'fail', summary: `No computer account ${name}`, evidence: [{ label: 'Domain', value: str(d.domain) ?? '?' }], reason: `The domain has no computer object with sAMAccountName ${name}. Check the NetBIOS name, or run the check in the Exchange server's domain.` });
    }
    const uac = num(c.userAccountControl) ?? 0;
    const flags = decodeUac(uac);
    evidence.push({ label: 'Computer', value: str(c.distinguishedName) ?? '?' });
    evidence.push({ label: 'userAccountControl', value: `${uac} (${flags.join(', ') || 'no flags'})` });
    const a2d = strs(c.allowedToDelegateTo);
    const rbcd = str(c.rbcdSddl) ?? '';
    evidence.push({ label: 'msDS-AllowedToDelegateTo', value: a2d.length ? a2d.join(', ') : '(empty)' });
    evidence.push({ label: 'msDS-AllowedToActOnBehalfOfOtherIdentity', value: rbcd || '(empty)' });
    const problems: string[] = [];
    const unverified: string[] = [];
    // The service account must be delegable.
    const acct = d.account === null || d.account === undefined ? undefined : obj(d.account);
    const acctErr = partError(d, 'accountError');
    if (acct) {
      const auac = num(acct.userAccountControl) ?? 0;
      evidence.push({ label: 'Service account', value: `${str(acct.distinguishedName) ?? '?'} (userAccountControl ${auac})` });
      if ((auac & UAC.NOT_DELEGATED) !== 0) problems.push('the service account is marked "sensitive and cannot be delegated" (NOT_DELEGATED 0x100000)');
      if (bool(acct.protectedUsers) === true) problems.push('the service account is in Protected Users, which never gets forwardable tickets');
    } else if (acctErr) unverified.push(`the service account could not be read (${acctErr.fullyQualifiedErrorId ?? 'error'})`);
    else problems.push(`the service account ${ctx.inputs.account ?? ''} was not found in the global catalog`);
    // HTTP/ SPNs must belong to the computer itself.
    const spnErr = partError(d, 'spnError');
    const compDn = (str(c.distinguishedName) ?? '').toLowerCase();
    const foreign = arr(d.spnOwners).map(obj).filter((o) => (str(o.distinguishedName) ?? '').toLowerCase() !== compDn);
    if (foreign.length) {
      const list = foreign.map((o) => `${strs(o.spns).join(' ')} on ${str(o.distinguishedName) ?? '?'}`).join('; ');
      evidence.push({ label: 'Foreign HTTP/ SPNs', value: list });
      problems.push('an HTTP/ SPN of the server is registered on another account (Kerberos fails with 0x80090322, KB 4549715)');
    } else if (spnErr) unverified.push('the SPN owners could not be searched');
    const tfd = (uac & UAC.TRUSTED_FOR_DELEGATION) !== 0;
    if (problems.length) {
      return result(id, { status: 'fail', summary: tfd ? 'Delegation set but blocked' : 'Not trusted for delegation', evidence, reason: `Delegation cannot work: ${problems.join('; ')}.` });
    }
    if (!tfd) {
      const safer = a2d.length > 0 || rbcd !== '';
      if (safer) {
        return result(id, { status: 'fail', summary: 'Constrained delegation only (no WinRM second hop)', evidence, reason: 'The computer is not trusted for delegation to any service; constrained or resource-based delegation is configured instead, and Microsoft documents that neither supports the second hop for WinRM. Connect the sync server directly to the Exchange endpoint (a single hop), or set the delegation the product documents.' });
      }
      return result(id, { status: 'fail', summary: 'Not trusted for delegation', evidence, reason: 'TRUSTED_FOR_DELEGATION is not set, so the product\'s second (Kerberos) hop fails with 0x8009030E. Consider the single-hop alternative before enabling it.' });
    }
    if (unverified.length) {
      return result(id, { status: 'warn', summary: 'Trusted for delegation; parts unverified', evidence, reason: `The computer is trusted for delegation (high-risk configuration), but ${unverified.join(' and ')}.`, highRisk: true });
    }
    return result(id, { status: 'pass', summary: 'Trusted for delegation to any service (high-risk configuration)', evidence, reason: 'The product\'s documented requirement is met. Unconstrained delegation is Microsoft\'s least recommended option; see the safer alternatives.', highRisk: true });
  },
};
