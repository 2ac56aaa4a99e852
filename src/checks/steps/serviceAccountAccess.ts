// Step 1: the service account may use remote PowerShell (group membership by SID + Microsoft.PowerShell endpoint ACL).
import { errorResult, partError, result } from '../envelope';
import { classifyError } from '../errors';
import { arr, bool, obj, str, strs } from '../json';
import { grantsUse, parseDacl, sidName } from '../sddl';
import type { Evidence, StepSpec } from '../types';

const ADMINS = 'S-1-5-32-544';
const RMU = 'S-1-5-32-580';
const NETWORK = 'S-1-5-2';

const CHECK = String.raw`# Guarded: under PowerShell 7, Get-PSSessionConfiguration lists only the PowerShell.7 endpoints and fails for
# Microsoft.PowerShell; the membership facts below still count.
$endpoint = $null
$endpointError = $null
try {
    $cfg = Get-PSSessionConfiguration -Name 'Microsoft.PowerShell'
    $endpoint = [pscustomobject]@{
        name = [string]$cfg.Name
        enabled = [string]$cfg.Enabled
        psVersion = [string]$cfg.PSVersion
        permission = [string]$cfg.Permission
        sddl = [string]$cfg.SecurityDescriptorSddl
    }
} catch {
    $endpointError = ConvertTo-ErsError -Record $_ -Source 'Get-PSSessionConfiguration'
}
$allowRemoteAccess = ''
try { $allowRemoteAccess = [string](Get-Item -Path 'WSMan:\localhost\Service\AllowRemoteAccess').Value } catch { $allowRemoteAccess = '' }
$accountSid = ''
$accountError = $null
try {
    $accountSid = (New-Object System.Security.Principal.NTAccount($ersAccount)).Translate([System.Security.Principal.SecurityIdentifier]).Value
} catch {
    $accountError = ConvertTo-ErsError -Record $_ -Source 'resolve account'
}
# The groups of the account's token (S4U logon on this server, done by the server's own computer account):
# includes nested domain groups and local groups. No directory lookup here: inside a remote session an LDAP
# bind is a second hop, which fails without delegation. A DOMAIN\user account is turned into its implicit
# UPN (user@dns-domain) when its NetBIOS domain is the first label of the server's DNS domain; otherwise the
# account must be given as a UPN.
$tokenGroups = @()
$tokenError = $null
$upn = $ersAccount
if ($upn -notlike '*@*') {
    $netbiosDomain = $ersAccount.Substring(0, $ersAccount.IndexOf('\'))
    $dnsDomain = $ersServer.Substring($ersServer.IndexOf('.') + 1)
    if ($dnsDomain.Split('.')[0] -eq $netbiosDomain) { $upn = $ersAccount.Substring($ersAccount.IndexOf('\') + 1) + '@' + $dnsDomain } else { $upn = '' }
}
if ($upn -eq '') {
    $tokenError = [pscustomobject]@{ fullyQualifiedErrorId = 'NeedsUpn'; category = 'InvalidArgument'; exceptionType = ''; hresults = @(); message = 'The account is not a UPN and its domain is not the server''s DNS domain.'; source = 'S4U token' }
} else {
    try {
        $identity = New-Object System.Security.Principal.WindowsIdentity($upn)
        $tokenGroups = @($identity.Groups | ForEach-Object { [string]$_.Value })
    } catch {
        $tokenError = ConvertTo-ErsError -Record $_ -Source 'S4U token'
    }
}
# Direct members of the built-in groups, resolved by SID through the WinNT provider (safe with orphaned SIDs).
$groups = @()
$groupsError = $null
try {
    $groups = @(foreach ($groupSid in @('S-1-5-32-544', 'S-1-5-32-580')) {
        $name = (New-Object System.Security.Principal.SecurityIdentifier($groupSid)).Translate([System.Security.Principal.NTAccount]).Value
        $short = $name.Substring($name.IndexOf('\') + 1)
        $group = [adsi]('WinNT://./' + $short + ',group')
        $members = @($group.psbase.Invoke('Members') | ForEach-Object {
            $bytes = $_.GetType().InvokeMember('objectSid', 'GetProperty', $null, $_, $null)
            $path = [string]$_.GetType().InvokeMember('ADsPath', 'GetProperty', $null, $_, $null)
            $sid = ''
            if ($null -ne $bytes) { $sid = (New-Object System.Security.Principal.SecurityIdentifier($bytes, 0)).Value }
            [pscustomobject]@{ path = $path; sid = $sid }
        })
        [pscustomobject]@{ sid = $groupSid; name = $name; members = $members }
    })
} catch {
    $groupsError = ConvertTo-ErsError -Record $_ -Source 'local groups'
}
[pscustomobject]@{
    account = $ersAccount
    accountSid = $accountSid
    accountError = $accountError
    endpoint = $endpoint
    endpointError = $endpointError
    allowRemoteAccess = $allowRemoteAccess
    tokenGroups = $tokenGroups
    tokenError = $tokenError
    groups = $groups
    groupsError = $groupsError
}`;

const REMEDIATION = String.raw`$groupSid = 'S-1-5-32-580'
$groupName = (New-Object System.Security.Principal.SecurityIdentifier($groupSid)).Translate([System.Security.Principal.NTAccount]).Value
if (Get-Command -Name 'Add-LocalGroupMember' -ErrorAction SilentlyContinue) {
    try {
        Add-LocalGroupMember -SID $groupSid -Member $ersAccount
        if (-not $WhatIfPreference) { Write-Output ('Added ' + $ersAccount + ' to ' + $groupName + ' (S-1-5-32-580).') }
    } catch {
        if ([string]$_.FullyQualifiedErrorId -like 'MemberExists*') { Write-Output ($ersAccount + ' is already a member of ' + $groupName + '; nothing to do.') } else { throw }
    }
} else {
    # Windows PowerShell without the LocalAccounts module: the WinNT provider, by SID.
    $accountSid = (New-Object System.Security.Principal.NTAccount($ersAccount)).Translate([System.Security.Principal.SecurityIdentifier]).Value
    if (Test-ErsShouldChange -Target $groupName -Action ('Add member ' + $ersAccount)) {
        $short = $groupName.Substring($groupName.IndexOf('\') + 1)
        $group = [adsi]('WinNT://./' + $short + ',group')
        try {
            $group.Add('WinNT://' + $accountSid)
            Write-Output ('Added ' + $ersAccount + ' to ' + $groupName + '.')
        } catch {
            # 0x80070562 ERROR_MEMBER_IN_ALIAS: already a member.
            if ($_.Exception.InnerException -and $_.Exception.InnerException.HResult -eq -2147023518) { Write-Output ($ersAccount + ' is already a member; nothing to do.') } else { throw }
        }
    }
}
Write-Output 'Takes effect at the account''s next logon; no WinRM restart. Restricted Groups policies may remove the member again: re-check after gpupdate.'`;

export const serviceAccountAccess: StepSpec = {
  id: 'service-account-access',
  number: '1',
  profiles: ['remoting'],
  title: {
    en: 'Service account may use remote PowerShell',
    de: 'Dienstkonto darf Remote-PowerShell verwenden',
  },
  explanation: {
    en: 'The sync service account must be in Administrators (S-1-5-32-544) or, better, Remote Management Users (S-1-5-32-580), and the Microsoft.PowerShell endpoint\'s ACL must allow it. Groups are resolved by SID because their names are localized; membership through nested domain groups counts.',
    de: 'Das Dienstkonto der Synchronisation muss Mitglied von Administratoren (S-1-5-32-544) oder besser Remoteverwaltungsbenutzer (S-1-5-32-580) sein, und die ACL des Endpunkts Microsoft.PowerShell muss es zulassen. Gruppen werden über die SID aufgelöst, weil ihre Namen lokalisiert sind; auch verschachtelte Domänengruppen zählen.',
  },
  where: 'exchangeServer',
  needsElevation: true,
  needs: ['account'],
  docLink: 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_remote_troubleshooting',
  checkHelpers: [],
  remediationHelpers: [],
  remediation: {
    changes: {
      en: 'Adds the service account to the local Remote Management Users group (S-1-5-32-580) on the Exchange server. Already a member counts as success.',
      de: 'Nimmt das Dienstkonto in die lokale Gruppe Remoteverwaltungsbenutzer (S-1-5-32-580) auf dem Exchange-Server auf. Bereits Mitglied gilt als Erfolg.',
    },
    restartsWinRM: false,
    risk: 'low',
    // Checked against about_Remote_Requirements ("Remote Management Users" may connect to the default endpoints
    // without being administrators; https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_remote_requirements),
    // Set-PSSessionConfiguration (-ShowSecurityDescriptorUI is interactive, and the cmdlet restarts WinRM;
    // https://learn.microsoft.com/powershell/module/microsoft.powershell.core/set-pssessionconfiguration) and the JEA
    // overview (a JEA endpoint is its own configuration name in NoLanguage mode with a fixed command list;
    // https://learn.microsoft.com/powershell/scripting/security/remoting/jea/overview).
    riskNote: {
      en: 'Grants WinRM and WMI-over-WSMan access without local admin rights. Exchange RBAC is unaffected.',
      de: 'Gewährt WinRM- und WMI-über-WSMan-Zugriff ohne lokale Administratorrechte. Exchange-RBAC bleibt unberührt.',
    },
    saferAlternative: {
      en: 'Remote Management Users instead of Administrators. A JEA endpoint only if the product lets you name the endpoint it connects to and runs nothing but commands the role capability lists (JEA runs in NoLanguage mode, so product scripts fail there). Never edit the endpoint SDDL interactively (-ShowSecurityDescriptorUI): it is a dialog, and Set-PSSessionConfiguration restarts WinRM.',
      de: 'Remoteverwaltungsbenutzer statt Administratoren. Ein JEA-Endpunkt nur, wenn das Produkt den Endpunkt, mit dem es sich verbindet, frei wählen lässt und nur Befehle ausführt, die die Rollenfunktion freigibt (JEA läuft im NoLanguage-Modus; Produktskripte scheitern dort). Die SDDL des Endpunkts nie interaktiv ändern (-ShowSecurityDescriptorUI): Das ist ein Dialog, und Set-PSSessionConfiguration startet WinRM neu.',
    },
    supportsWhatIf: true,
    remediateOnWarn: false,
  },
  checkBody: () => CHECK,
  remediationBody: () => REMEDIATION,
  decide(opened, ctx) {
    const id = 'service-account-access' as const;
    const d = opened.data;
    const ep = obj(d.endpoint);
    const evidence: Evidence[] = [];
    const enabled = bool(ep.enabled);
    evidence.push({ label: 'Endpoint', value: `${str(ep.name) ?? 'Microsoft.PowerShell'} (enabled: ${str(ep.enabled) ?? '?'})` });
    if (str(ep.permission)) evidence.push({ label: 'Permission', value: str(ep.permission) ?? '' });
    const accountErr = partError(d, 'accountError');
    const account = str(d.account) ?? ctx.inputs.account ?? '?';
    // Off Windows the account cannot be translated at all: that is "needs Windows", not "cannot be resolved".
    if (accountErr && classifyError(accountErr).kind === 'needsWindows') return errorResult(id, accountErr);
    if (accountErr || !str(d.accountSid)) {
      return result(id, { status: 'fail', summary: `${account} cannot be resolved`, evidence, reason: `The account ${account} does not resolve to a SID on the Exchange server; check the spelling and the domain trust.`, code: accountErr?.fullyQualifiedErrorId ?? 'unresolved' });
    }
    const accountSid = str(d.accountSid) ?? '';
    evidence.push({ label: 'Account SID', value: accountSid });
    if (enabled === false) {
      return result(id, { status: 'fail', summary: 'Microsoft.PowerShell endpoint is disabled', evidence, reason: 'The default endpoint is disabled; enable remoting (step ps-remoting: Enable-PSRemoting -Force).' });
    }
    if (bool(d.allowRemoteAccess) === false) {
      return result(id, { status: 'fail', summary: 'AllowRemoteAccess is false', evidence, reason: 'WSMan:\\localhost\\Service\\AllowRemoteAccess is false, so no remote connection is accepted; enable remoting (step ps-remoting).' });
    }
    const aces = parseDacl(str(ep.sddl) ?? '');
    const endpointErr = partError(d, 'endpointError');
    if (endpointErr) {
      const groupsText = arr(d.groups).map(obj).map((g) => `${str(g.name) ?? str(g.sid) ?? '?'}: ${arr(g.members).map(obj).some((m) => str(m.sid) === accountSid) ? 'direct member' : 'not a direct member'}`).join('; ');
      if (groupsText) evidence.push({ label: 'Local groups', value: groupsText });
      return result(id, { status: 'error', summary: 'Endpoint unreadable', evidence, reason: 'Get-PSSessionConfiguration could not read the Microsoft.PowerShell endpoint (PowerShell 7 lists only its own endpoints): run the check in Windows PowerShell 5.1, elevated. The group membership above is still valid.', code: endpointErr.fullyQualifiedErrorId ?? 'endpoint' });
    }
    if (aces.length === 0) {
      return result(id, { status: 'error', summary: 'Endpoint ACL unreadable', evidence, reason: 'The endpoint\'s security descriptor could not be read, so access cannot be decided.', code: 'no-sddl' });
    }
    // The SIDs the account's network logon would carry: its own, its token groups, NETWORK.
    const tokenErr = partError(d, 'tokenError');
    const tokenGroups = strs(d.tokenGroups);
    const groups = arr(d.groups).map(obj);
    const orphans: string[] = [];
    const directIn: string[] = [];
    for (const g of groups) {
      for (const m of arr(g.members).map(obj)) {
        const path = str(m.path) ?? '';
        if (/^WinNT:\/\/S-1-/i.test(path)) orphans.push(`${str(g.name) ?? str(g.sid)}: ${path.slice(8)}`);
        if (str(m.sid) === accountSid) directIn.push(str(g.sid) ?? '');
      }
    }
    const localNames = groups.map((g) => `${str(g.name) ?? '?'} (${str(g.sid) ?? '?'})`).join(', ');
    if (localNames) evidence.push({ label: 'Local groups', value: localNames });
    if (orphans.length) evidence.push({ label: 'Orphaned SIDs in groups', value: orphans.join('; ') });
    const sids = new Set<string>([accountSid, NETWORK, 'S-1-1-0', 'S-1-5-11', ...tokenGroups, ...directIn]);
    const deny = aces.find((a) => a.type === 'deny' && sids.has(a.sid));
    if (deny) {
      return result(id, { status: 'fail', summary: `Denied by ${sidName(deny.sid)}`, evidence, reason: deny.sid === NETWORK ? 'The endpoint denies all network logons (NT AUTHORITY\\NETWORK AccessDenied, as left by Disable-PSRemoting); re-enable remoting (step ps-remoting).' : `The endpoint ACL denies ${sidName(deny.sid)}, which the account carries.` });
    }
    const allow = aces.filter((a) => a.type === 'allow' && grantsUse(a.rights) && sids.has(a.sid));
    const protectedUsers = tokenGroups.find((s) => /^S-1-5-21-\d+-\d+-\d+-525$/.test(s));
    if (allow.length > 0) {
      const via = allow.map((a) => sidName(a.sid)).join(', ');
      evidence.push({ label: 'Allowed through', value: via });
      if (protectedUsers) {
        return result(id, { status: 'warn', summary: `Allowed via ${via}, but in Protected Users`, evidence, reason: 'The account is in Protected Users: remote PowerShell then fails with Access denied for NTLM and delegation never happens. Remove it from Protected Users.' });
      }
      const onlyAdmins = allow.every((a) => a.sid === ADMINS);
      return result(id, { status: 'pass', summary: `Allowed via ${via}`, evidence, reason: onlyAdmins ? 'The account is allowed as a local administrator; Remote Management Users would give it less privilege.' : 'The account may open remote PowerShell sessions on the Microsoft.PowerShell endpoint.' });
    }
    if (tokenErr && directIn.length === 0) {
      evidence.push({ label: 'Token groups', value: `not available (${tokenErr.fullyQualifiedErrorId ?? 'error'})` });
      const domainMembers = groups.some((g) => arr(g.members).map(obj).some((m) => /^WinNT:\/\/[^/]+\/[^/]+$/i.test(str(m.path) ?? '') && !/^WinNT:\/\/S-1-/i.test(str(m.path) ?? '')));
      if (domainMembers) {
        return result(id, { status: 'error', summary: 'Nested membership could not be checked', evidence, reason: `The account is not a direct member, and its token groups could not be read, so membership through a domain group in Administrators or Remote Management Users cannot be ruled out. ${tokenErr.fullyQualifiedErrorId === 'NeedsUpn' ? 'Enter the account as a UPN (user@domain): the server can then read its token groups itself, without a directory lookup.' : 'Run the check as a domain user who can read the account, or test a connection as the account.'}`, code: tokenErr.fullyQualifiedErrorId ?? 'token' });
      }
    }
    return result(id, { status: 'fail', summary: `${account} is not allowed on Microsoft.PowerShell`, evidence, reason: `Neither the account nor any of its groups has an allow entry on the endpoint. Add it to Remote Management Users (${RMU}).` });
  },
};
