// Step 9 (Intune connector): the connector account's Exchange RBAC role is limited to the cmdlets the
// connector needs, is assigned, and what the account can run matches that list.
import { partError, result } from '../envelope';
import { arr, bool, obj, str } from '../json';
import type { Evidence, StepSpec } from '../types';

/** The cmdlets the Intune on-premises Exchange connector needs (Microsoft's list, as in the German seed). */
export const INTUNE_CONNECTOR_CMDLETS = [
  'Get-ActiveSyncOrganizationSettings', 'Set-ActiveSyncOrganizationSettings',
  'Get-CasMailbox', 'Set-CasMailbox',
  'Get-ActiveSyncMailboxPolicy', 'Set-ActiveSyncMailboxPolicy', 'New-ActiveSyncMailboxPolicy', 'Remove-ActiveSyncMailboxPolicy',
  'Get-ActiveSyncDeviceAccessRule', 'Set-ActiveSyncDeviceAccessRule', 'New-ActiveSyncDeviceAccessRule', 'Remove-ActiveSyncDeviceAccessRule',
  'Get-ActiveSyncDeviceStatistics', 'Get-ActiveSyncDevice',
  'Get-ExchangeServer', 'Get-ActiveSyncDeviceClass', 'Get-Recipient',
  'Clear-ActiveSyncDevice', 'Remove-ActiveSyncDevice',
  'Set-ADServerSettings', 'Get-Command',
] as const;

/**
 * Commands every Exchange remote session exposes regardless of RBAC (the restricted runspace's built-ins);
 * they have no role entry, so they are neither missing nor "extra".
 */
export const ALWAYS_AVAILABLE = ['Get-Command', 'Get-Help', 'Get-FormatData', 'Exit-PSSession', 'Measure-Object', 'Out-Default', 'Select-Object'] as const;

const ROLE_CMDLETS = INTUNE_CONNECTOR_CMDLETS.filter((c) => !(ALWAYS_AVAILABLE as readonly string[]).includes(c));
const CMDLET_LIST = ROLE_CMDLETS.map((c) => `'${c}'`).join(', ');

/** The Exchange cmdlets a script calls through the Exchange endpoint when it is not running in the EMS. */
const CHECK_CMDLETS = ['Get-ManagementRoleAssignment', 'Get-ManagementRoleEntry', 'Get-User'];
const REMEDIATION_CMDLETS = [
  'Get-ManagementRole', 'New-ManagementRole', 'Get-ManagementRoleEntry', 'Remove-ManagementRoleEntry', 'Get-RoleGroup', 'New-RoleGroup',
  'Get-ManagementRoleAssignment', 'New-ManagementRoleAssignment', 'Get-RoleGroupMember', 'Add-RoleGroupMember', 'Get-User', 'Set-User',
];

/**
 * The Exchange cmdlets, RBAC-trimmed as Exchange means them to be: already there in the Exchange Management
 * Shell; otherwise imported from Exchange's own endpoint (Microsoft.Exchange at http://<server>/PowerShell/,
 * Kerberos, one hop from this machine). The endpoint runs in NoLanguage mode, so only the proxy commands cross
 * it and the logic runs here. Never the Microsoft.Exchange.Management.PowerShell.SnapIn snap-in: Microsoft
 * supports it only for transport-agent cmdlets, it bypasses RBAC, and PowerShell 7 cannot load snap-ins.
 */
function connectExchange(cmdlets: readonly string[]): string {
  return String.raw`$exchangeSession = $null
if (-not (Get-Command -Name 'Get-ManagementRoleAssignment' -ErrorAction SilentlyContinue)) {
    $exchangeSession = New-PSSession -ConfigurationName 'Microsoft.Exchange' -ConnectionUri ('http://' + $ersServer + '/PowerShell/') -Authentication Kerberos
    Import-PSSession -Session $exchangeSession -CommandName @(${cmdlets.map((c) => `'${c}'`).join(', ')}) -DisableNameChecking -AllowClobber | Out-Null
}`;
}

const DISCONNECT = String.raw`} finally {
    # Abandoned Exchange sessions use up the account's session budget until they expire.
    if ($null -ne $exchangeSession) { Remove-PSSession -Session $exchangeSession }
}`;

function indentBody(text: string): string {
  return text.split('\n').map((l) => (l.trim() ? `    ${l}` : l)).join('\n');
}

const CHECK = `${connectExchange(CHECK_CMDLETS)}
try {
${indentBody(String.raw`$assignments = @(Get-ManagementRoleAssignment -RoleAssignee $ersAccount -Delegating $false | ForEach-Object {
    [pscustomobject]@{
        role = [string]$_.Role
        roleAssigneeName = [string]$_.RoleAssigneeName
        roleAssigneeType = [string]$_.RoleAssigneeType
        assignmentMethod = [string]$_.AssignmentMethod
        recipientWriteScope = [string]$_.RecipientWriteScope
        configWriteScope = [string]$_.ConfigWriteScope
        enabled = [bool]$_.Enabled
    }
})
$entries = @()
foreach ($role in @($assignments | Where-Object { $_.enabled } | ForEach-Object { $_.role } | Sort-Object -Unique)) {
    $entries += @(Get-ManagementRoleEntry -Identity ($role + '\*') | ForEach-Object { [pscustomobject]@{ role = $role; name = [string]$_.Name } })
}
$remotePowerShellEnabled = $null
$userError = $null
try {
    $remotePowerShellEnabled = [bool](Get-User -Identity $ersAccount).RemotePowerShellEnabled
} catch {
    $userError = ConvertTo-ErsError -Record $_ -Source 'Get-User'
}
[pscustomobject]@{
    account = $ersAccount
    assignments = $assignments
    entries = $entries
    remotePowerShellEnabled = $remotePowerShellEnabled
    userError = $userError
}`)}
${DISCONNECT}`;

const REMEDIATION = `${connectExchange(REMEDIATION_CMDLETS)}
try {
${indentBody(String.raw`$required = @(${CMDLET_LIST})
# The cmdlets span several built-in roles: pick, greedily, the built-in root roles that cover the most of them.
# Only administrative roles: an end-user role (IsEndUserRole, e.g. MyBaseOptions) cannot be put in a role group.
$rolesByCmdlet = @{}
foreach ($cmdlet in $required) {
    $rolesByCmdlet[$cmdlet] = @(Get-ManagementRole -Cmdlet $cmdlet | Where-Object { $_.IsRootRole -and -not $_.IsEndUserRole } | ForEach-Object { [string]$_.Name })
}
$plan = @{}
$left = New-Object System.Collections.Generic.List[string]
foreach ($cmdlet in $required) {
    if ($rolesByCmdlet[$cmdlet].Count -gt 0) { $left.Add($cmdlet) } else { Write-Warning ('No built-in role grants ' + $cmdlet + ' in this organisation; it is left out.') }
}
while ($left.Count -gt 0) {
    $score = @{}
    foreach ($cmdlet in $left) { foreach ($parent in $rolesByCmdlet[$cmdlet]) { $score[$parent] = 1 + [int]$score[$parent] } }
    $bestParent = @($score.GetEnumerator() | Sort-Object -Property @{ Expression = 'Value'; Descending = $true }, @{ Expression = 'Name'; Descending = $false } | Select-Object -First 1)[0].Name
    $covered = @($left | Where-Object { $rolesByCmdlet[$_] -contains $bestParent })
    $plan[$bestParent] = $covered
    foreach ($cmdlet in $covered) { [void]$left.Remove($cmdlet) }
}
$childRoles = @()
foreach ($parent in @($plan.Keys | Sort-Object)) {
    $child = $ersRoleName + ' - ' + $parent
    $childRoles += $child
    if (-not (Get-ManagementRole -Identity $child -ErrorAction SilentlyContinue)) {
        New-ManagementRole -Parent $parent -Name $child | Out-Null
    }
    if ($WhatIfPreference) { continue }
    # Keep only the needed entries of this parent.
    Get-ManagementRoleEntry -Identity ($child + '\*') | Where-Object { $plan[$parent] -notcontains [string]$_.Name } | Remove-ManagementRoleEntry -Confirm:$false
    Write-Output ('Role ' + $child + ': ' + ($plan[$parent] -join ', '))
}
$notYet = @($childRoles | Where-Object { -not (Get-ManagementRole -Identity $_ -ErrorAction SilentlyContinue) })
if ($WhatIfPreference -and $notYet.Count -gt 0) {
    # -WhatIf created none of these child roles, and New-RoleGroup/New-ManagementRoleAssignment refuse roles that
    # do not exist: describe the rest of the plan instead of previewing commands that would fail.
    Write-Host ('What if: role group ' + $ersRoleGroupName + ' gets the roles ' + ($childRoles -join ', ') + ' and the member ' + $ersAccount + ' (after the child roles above exist).')
} elseif (-not (Get-RoleGroup -Identity $ersRoleGroupName -ErrorAction SilentlyContinue)) {
    New-RoleGroup -Name $ersRoleGroupName -Roles $childRoles -Members $ersAccount | Out-Null
} else {
    foreach ($child in $childRoles) {
        if (-not (Get-ManagementRoleAssignment -Role $child -RoleAssignee $ersRoleGroupName -ErrorAction SilentlyContinue)) {
            New-ManagementRoleAssignment -Role $child -SecurityGroup $ersRoleGroupName | Out-Null
        }
    }
    $me = Get-User -Identity $ersAccount
    $members = @(Get-RoleGroupMember -Identity $ersRoleGroupName | ForEach-Object { [string]$_.Guid })
    if ($members -notcontains [string]$me.Guid) {
        Add-RoleGroupMember -Identity $ersRoleGroupName -Member $ersAccount
    }
}
if (-not [bool](Get-User -Identity $ersAccount).RemotePowerShellEnabled) {
    Set-User -Identity $ersAccount -RemotePowerShellEnabled $true
}
Write-Output ('Role group ' + $ersRoleGroupName + ' ready. Compare again with the check; remove other role assignments of the account for least privilege.')`)}
${DISCONNECT}`;

export const intuneRbacRole: StepSpec = {
  id: 'intune-rbac-role',
  number: '10',
  profiles: ['intune'],
  title: { en: 'Connector account RBAC role limited to the required cmdlets', de: 'RBAC-Rolle des Connector-Kontos beschränkt' },
  explanation: {
    en: 'Retired: Microsoft stopped new installations of the on-premises Intune Exchange connector in 2020 and ended its support in early 2024; its replacement is Exchange hybrid modern authentication with Conditional Access. This step stays for organisations still running it. The connector\'s service account needs exactly the ActiveSync, CAS mailbox, recipient and server cmdlets Microsoft lists; there is no built-in role for that, so a custom role (children of the built-in roles, trimmed to those entries) is assigned through a role group. The check compares the union of the account\'s role entries with the list: missing cmdlets fail, extra ones warn.',
    de: 'Eingestellt: Microsoft hat Neuinstallationen des lokalen Intune Exchange-Connectors 2020 beendet und den Support Anfang 2024 eingestellt; Ersatz ist Exchange-Hybrid mit moderner Authentifizierung und bedingtem Zugriff. Der Schritt bleibt für Organisationen, die ihn noch betreiben. Das Dienstkonto des Connectors braucht genau die von Microsoft genannten ActiveSync-, CAS-Postfach-, Empfänger- und Server-Cmdlets; eine eingebaute Rolle dafür gibt es nicht, daher wird eine eigene Rolle (Kinder der eingebauten Rollen, auf diese Einträge gekürzt) über eine Rollengruppe zugewiesen. Die Prüfung vergleicht die Vereinigung der Rolleneinträge des Kontos mit der Liste: fehlende Cmdlets sind ein Fehler, zusätzliche eine Warnung.',
  },
  // Runs here, not inside a WinRM session on the Exchange server: from there the Exchange endpoint would be a second hop.
  where: 'domain',
  whereDetail: {
    en: 'on a domain-joined machine (this one), as a member of Organization Management (or Role Management): the script connects to Exchange\'s own endpoint (Microsoft.Exchange at http://<server>/PowerShell/, Kerberos) and imports only the cmdlets it calls; in the Exchange Management Shell it uses the cmdlets already there',
    de: 'auf einem Domänenmitglied (diesem Rechner), als Mitglied von Organization Management (oder Role Management): das Skript verbindet sich mit dem Exchange-eigenen Endpunkt (Microsoft.Exchange unter http://<Server>/PowerShell/, Kerberos) und importiert nur die Cmdlets, die es aufruft; in der Exchange-Verwaltungsshell verwendet es die vorhandenen Cmdlets',
  },
  needsElevation: false,
  needs: ['account', 'roleName', 'roleGroupName'],
  docLink: 'https://learn.microsoft.com/mem/intune/protect/exchange-connector-install',
  checkHelpers: [],
  remediationHelpers: [],
  remediation: {
    changes: {
      en: 'Creates, for each built-in parent role needed, a child role "<role name> - <parent>" trimmed to the required cmdlets; creates the role group (or adds the missing assignments and the member) and enables remote PowerShell for the account. Existing objects are reused, not duplicated.',
      de: 'Legt für jede benötigte integrierte Verwaltungsrolle eine untergeordnete Rolle „<Rollenname> - <übergeordnete Rolle>“ an, gekürzt auf die nötigen Cmdlets; legt die Rollengruppe an (oder ergänzt fehlende Zuweisungen und das Mitglied) und aktiviert Remote-PowerShell für das Konto. Vorhandene Objekte werden wiederverwendet, nicht doppelt angelegt.',
    },
    restartsWinRM: false,
    risk: 'medium',
    // Checked against "Set up the on-premises Intune Exchange connector" (the cmdlet list; the connector is
    // deprecated and replaced by Exchange hybrid modern authentication; https://learn.microsoft.com/mem/intune/protect/exchange-connector-install),
    // "Create a custom role group" / management role scopes (Role Management, recipient write scope;
    // https://learn.microsoft.com/exchange/permissions/role-groups and https://learn.microsoft.com/exchange/understanding-management-role-scopes-exchange-2013-help)
    // and "Using hybrid Modern Authentication with Outlook for iOS and Android" (https://learn.microsoft.com/exchange/clients/outlook-for-ios-and-android/use-hybrid-modern-auth).
    // A recipient scope narrows only recipient objects: organisation settings and device access rules stay organisation-wide.
    riskNote: {
      en: 'Changes Exchange RBAC for the organisation; needs Organization Management (or Role Management). The cmdlets can still change device access for every mailbox in the write scope.',
      de: 'Ändert Exchange-RBAC für die Organisation; erfordert Organization Management (oder Role Management). Die Cmdlets können weiterhin den Gerätezugriff aller Postfächer im Schreibbereich ändern.',
    },
    saferAlternative: {
      en: 'Move to Exchange hybrid modern authentication with Conditional Access (Microsoft\'s replacement for the connector). Until then, a recipient write scope on the role assignments can limit which mailboxes\' devices the connector changes; devices of mailboxes outside it are then not managed, and organisation settings and device access rules stay organisation-wide.',
      de: 'Auf Exchange-Hybrid mit moderner Authentifizierung und bedingtem Zugriff umsteigen (Microsofts Ersatz für den Connector). Bis dahin kann ein Empfängerschreibbereich der Rollenzuweisungen begrenzen, bei welchen Postfächern der Connector Geräte ändert; Geräte von Postfächern außerhalb werden dann nicht verwaltet, und Organisationseinstellungen sowie Gerätezugriffsregeln gelten weiter für die ganze Organisation.',
    },
    supportsWhatIf: true,
    remediateOnWarn: false,
  },
  checkBody: () => CHECK,
  remediationBody: () => REMEDIATION,
  decide(opened, ctx) {
    const id = 'intune-rbac-role' as const;
    const d = opened.data;
    const assignments = arr(d.assignments).map(obj);
    const evidence: Evidence[] = assignments.map((a) => ({ label: `Role ${str(a.role) ?? '?'}`, value: `${bool(a.enabled) === false ? 'disabled; ' : ''}via ${str(a.roleAssigneeName) ?? '?'} (${str(a.assignmentMethod) ?? '?'}); scope ${str(a.recipientWriteScope) ?? '?'}` }));
    if (assignments.filter((a) => bool(a.enabled) !== false).length === 0) {
      return result(id, { status: 'fail', summary: 'No role assigned', evidence, reason: `${ctx.inputs.account ?? 'The account'} has no enabled management role assignment. Create the custom role and role group.` });
    }
    const have = new Set(arr(d.entries).map(obj).map((e) => (str(e.name) ?? '').toLowerCase()).filter(Boolean));
    for (const a of ALWAYS_AVAILABLE) have.delete(a.toLowerCase());
    const need = ROLE_CMDLETS.map((c) => c.toLowerCase());
    const missing = ROLE_CMDLETS.filter((c) => !have.has(c.toLowerCase()));
    const extra = [...have].filter((c) => !need.includes(c)).sort();
    evidence.push({ label: 'Cmdlets granted', value: `${have.size} (${ROLE_CMDLETS.length - missing.length} of ${ROLE_CMDLETS.length} required; Get-Command is always available)` });
    if (missing.length) evidence.push({ label: 'Missing', value: missing.join(', ') });
    if (extra.length) evidence.push({ label: 'Beyond the list', value: extra.length > 25 ? `${extra.slice(0, 25).join(', ')} … (+${extra.length - 25})` : extra.join(', ') });
    const rps = bool(d.remotePowerShellEnabled);
    const userErr = partError(d, 'userError');
    evidence.push({ label: 'RemotePowerShellEnabled', value: rps === undefined ? `unknown${userErr ? ` (${userErr.fullyQualifiedErrorId ?? 'error'})` : ''}` : String(rps) });
    if (missing.length) return result(id, { status: 'fail', summary: `Required cmdlets missing: ${missing.length}`, evidence, reason: `The connector cannot manage the quarantine without: ${missing.join(', ')}.` });
    if (rps === false) return result(id, { status: 'fail', summary: 'Remote PowerShell disabled for the account', evidence, reason: 'Set-User -RemotePowerShellEnabled $true: the connector uses Exchange remote PowerShell.' });
    if (extra.length) return result(id, { status: 'warn', summary: `All required cmdlets, plus ${extra.length} more`, evidence, reason: 'Not least privilege: the account can run cmdlets beyond the connector\'s list. Remove the broader role assignments.' });
    if (rps === undefined) return result(id, { status: 'warn', summary: 'Role exact; remote PowerShell unverified', evidence, reason: 'The role entries match the list, but RemotePowerShellEnabled could not be read.' });
    return result(id, { status: 'pass', summary: 'Role limited to the connector\'s cmdlets', evidence, reason: 'The account can run exactly the required cmdlets and may use remote PowerShell.' });
  },
};
