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

const LOAD_EMS = String.raw`if (-not (Get-Command -Name 'Get-ManagementRoleAssignment' -ErrorAction SilentlyContinue)) {
    # Exchange Management Shell cmdlets in a plain Windows PowerShell on an Exchange server.
    Add-PSSnapin -Name 'Microsoft.Exchange.Management.PowerShell.SnapIn'
}`;

const CHECK = `${LOAD_EMS}
$assignments = @(Get-ManagementRoleAssignment -RoleAssignee $ersAccount -Delegating $false | ForEach-Object {
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
    $entries += @(Get-ManagementRoleEntry -Identity ($role + '\\*') | ForEach-Object { [pscustomobject]@{ role = $role; name = [string]$_.Name } })
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
}`;

const REMEDIATION = `${LOAD_EMS}
$required = @(${CMDLET_LIST})
# The cmdlets span several built-in roles: pick, greedily, the built-in root roles that cover the most of them.
$rolesByCmdlet = @{}
foreach ($cmdlet in $required) {
    $rolesByCmdlet[$cmdlet] = @(Get-ManagementRole -Cmdlet $cmdlet | Where-Object { $_.IsRootRole } | ForEach-Object { [string]$_.Name })
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
    Get-ManagementRoleEntry -Identity ($child + '\\*') | Where-Object { $plan[$parent] -notcontains [string]$_.Name } | Remove-ManagementRoleEntry -Confirm:$false
    Write-Output ('Role ' + $child + ': ' + ($plan[$parent] -join ', '))
}
if (-not (Get-RoleGroup -Identity $ersRoleGroupName -ErrorAction SilentlyContinue)) {
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
Write-Output ('Role group ' + $ersRoleGroupName + ' ready. Compare again with the check; remove other role assignments of the account for least privilege.')`;

export const intuneRbacRole: StepSpec = {
  id: 'intune-rbac-role',
  number: '9',
  profiles: ['intune'],
  title: { en: 'Connector account RBAC role limited to the required cmdlets', de: 'RBAC-Rolle des Connector-Kontos auf die nötigen Cmdlets beschränkt' },
  explanation: {
    en: 'Legacy (the on-premises Intune Exchange connector is deprecated since June 2020). The connector\'s service account needs exactly the ActiveSync, CAS mailbox, recipient and server cmdlets Microsoft lists; there is no built-in role for that, so a custom role (children of the built-in roles, trimmed to those entries) is assigned through a role group. The check compares the union of the account\'s role entries with the list: missing cmdlets fail, extra ones warn.',
    de: 'Veraltet (der lokale Intune-Exchange-Connector ist seit Juni 2020 abgekündigt). Das Dienstkonto des Connectors braucht genau die von Microsoft genannten ActiveSync-, CAS-Postfach-, Empfänger- und Server-Cmdlets; eine eingebaute Rolle dafür gibt es nicht, daher wird eine eigene Rolle (Kinder der eingebauten Rollen, auf diese Einträge gekürzt) über eine Rollengruppe zugewiesen. Die Prüfung vergleicht die Vereinigung der Rolleneinträge des Kontos mit der Liste: fehlende Cmdlets sind ein Fehler, zusätzliche eine Warnung.',
  },
  where: 'exchangeServer',
  whereDetail: { en: 'in a full Windows PowerShell on an Exchange server (Exchange Management Shell snap-in), as an Organization Management member; not through the NoLanguage Microsoft.Exchange endpoint', de: 'in einer vollständigen Windows PowerShell auf einem Exchange-Server (Snap-in der Exchange-Verwaltungsshell) als Mitglied von Organization Management; nicht über den NoLanguage-Endpunkt Microsoft.Exchange' },
  needsElevation: false,
  needs: ['account', 'roleName', 'roleGroupName'],
  docLink: 'https://learn.microsoft.com/mem/intune/protect/exchange-connector-install',
  checkHelpers: [],
  remediationHelpers: [],
  remediation: {
    changes: {
      en: 'Creates, for each built-in parent role needed, a child role "<role name> - <parent>" trimmed to the required cmdlets; creates the role group (or adds the missing assignments and the member) and enables remote PowerShell for the account. Existing objects are reused, not duplicated.',
      de: 'Legt für jede benötigte eingebaute Elternrolle eine Kindrolle „<Rollenname> - <Eltern>“ an, gekürzt auf die nötigen Cmdlets; legt die Rollengruppe an (oder ergänzt fehlende Zuweisungen und das Mitglied) und aktiviert Remote-PowerShell für das Konto. Vorhandene Objekte werden wiederverwendet, nicht doppelt angelegt.',
    },
    restartsWinRM: false,
    risk: 'medium',
    riskNote: {
      en: 'Changes Exchange RBAC for the organisation; needs Organization Management (or Role Management). The cmdlets can still change device access for every mailbox in the write scope.',
      de: 'Ändert Exchange-RBAC für die Organisation; erfordert Organization Management (oder Role Management). Die Cmdlets können weiterhin den Gerätezugriff aller Postfächer im Schreibbereich ändern.',
    },
    saferAlternative: {
      en: 'Move to Exchange hybrid modern authentication with Conditional Access (Microsoft\'s replacement for the connector). Otherwise narrow the role assignment\'s recipient scope.',
      de: 'Auf Exchange-Hybrid mit moderner Authentifizierung und bedingtem Zugriff umsteigen (Microsofts Ersatz für den Connector). Sonst den Empfängerbereich der Rollenzuweisung einschränken.',
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
    if (missing.length) return result(id, { status: 'fail', summary: `${missing.length} required cmdlet(s) missing`, evidence, reason: `The connector cannot manage the quarantine without: ${missing.join(', ')}.` });
    if (rps === false) return result(id, { status: 'fail', summary: 'Remote PowerShell disabled for the account', evidence, reason: 'Set-User -RemotePowerShellEnabled $true: the connector uses Exchange remote PowerShell.' });
    if (extra.length) return result(id, { status: 'warn', summary: `All required cmdlets, plus ${extra.length} more`, evidence, reason: 'Not least privilege: the account can run cmdlets beyond the connector\'s list. Remove the broader role assignments.' });
    if (rps === undefined) return result(id, { status: 'warn', summary: 'Role exact; remote PowerShell unverified', evidence, reason: 'The role entries match the list, but RemotePowerShellEnabled could not be read.' });
    return result(id, { status: 'pass', summary: 'Role limited to the connector\'s cmdlets', evidence, reason: 'The account can run exactly the required cmdlets and may use remote PowerShell.' });
  },
};
