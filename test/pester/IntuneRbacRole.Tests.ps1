# Step 9, intune-rbac-role: a small Exchange RBAC model (built-in roles with their entries, end-user roles,
# child roles, role groups, assignments, users) behind the Exchange cmdlets. The cmdlets answer like Exchange:
# New-RoleGroup refuses roles that do not exist (also under -WhatIf) and end-user roles.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Ers.ps1')
    $script:Step = 'intune-rbac-role'
    $script:Account = 'CONTOSO\svc_intune'
    $script:Required = @('Get-ActiveSyncOrganizationSettings', 'Set-ActiveSyncOrganizationSettings', 'Get-CasMailbox', 'Set-CasMailbox', 'Get-ActiveSyncMailboxPolicy', 'Set-ActiveSyncMailboxPolicy', 'New-ActiveSyncMailboxPolicy', 'Remove-ActiveSyncMailboxPolicy', 'Get-ActiveSyncDeviceAccessRule', 'Set-ActiveSyncDeviceAccessRule', 'New-ActiveSyncDeviceAccessRule', 'Remove-ActiveSyncDeviceAccessRule', 'Get-ActiveSyncDeviceStatistics', 'Get-ActiveSyncDevice', 'Get-ExchangeServer', 'Get-ActiveSyncDeviceClass', 'Get-Recipient', 'Clear-ActiveSyncDevice', 'Remove-ActiveSyncDevice', 'Set-ADServerSettings')
    function New-Org {
        $oca = @($Required | Where-Object { $_ -notin @('Get-Recipient', 'Set-ADServerSettings', 'Get-ExchangeServer', 'Get-ActiveSyncDeviceStatistics') }) + @('Set-CASMailboxPlan', 'Get-OwaVirtualDirectory', 'Set-OwaVirtualDirectory')
        $script:Roles = @{
            'Organization Client Access' = @{ Root = $true; EndUser = $false; Parent = $null; Entries = [System.Collections.Generic.List[string]]$oca }
            # An end-user role that grants several of the cmdlets: it must never be chosen (it cannot go into a role group).
            'MyBaseOptions'              = @{ Root = $true; EndUser = $true; Parent = $null; Entries = [System.Collections.Generic.List[string]]@('Get-Recipient', 'Set-ADServerSettings', 'Get-ActiveSyncDeviceStatistics', 'Get-CasMailbox', 'Get-Mailbox') }
            'View-Only Recipients'       = @{ Root = $true; EndUser = $false; Parent = $null; Entries = [System.Collections.Generic.List[string]]@('Get-Recipient', 'Set-ADServerSettings', 'Get-ActiveSyncDeviceStatistics', 'Get-Mailbox', 'Get-MailUser') }
            'View-Only Configuration'    = @{ Root = $true; EndUser = $false; Parent = $null; Entries = [System.Collections.Generic.List[string]]@('Get-ExchangeServer', 'Set-ADServerSettings', 'Get-SendConnector') }
            'Mail Recipient Creation'    = @{ Root = $true; EndUser = $false; Parent = $null; Entries = [System.Collections.Generic.List[string]]@('New-Mailbox', 'New-MailUser', 'New-MailboxExportRequest') }
        }
        $script:Groups = @{}
        $script:Direct = [System.Collections.Generic.List[string]]::new()
        $script:User = @{ Guid = '3f2a9d1e-6c4b-4f0e-9a71-2d5c8e0b7a13'; RemotePowerShellEnabled = $true }
    }
    function Add-Group { param([string]$Name, [string[]]$Roles) $script:Groups[$Name] = @{ Roles = [System.Collections.Generic.List[string]]$Roles; Members = [System.Collections.Generic.List[string]]@($Account) } }
    function New-Fault { param([string]$Message, [string]$Id) throw [System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new($Message), $Id, 'NotSpecified', $null) }

    Mock Get-ManagementRole {
        if ($Cmdlet) { return @($script:Roles.Keys | Sort-Object | Where-Object { $script:Roles[$_].Entries -contains $Cmdlet } | ForEach-Object { [pscustomobject]@{ Name = $_; IsRootRole = $script:Roles[$_].Root; IsEndUserRole = $script:Roles[$_].EndUser; Parent = $script:Roles[$_].Parent } }) }
        $r = $script:Roles[[string]$Identity]
        if (-not $r) { Write-Error -Message ("The operation couldn't be performed because object '" + $Identity + "' couldn't be found on 'DC01.contoso.com'.") -ErrorId 'ManagementObjectNotFoundException'; return }
        [pscustomobject]@{ Name = [string]$Identity; IsRootRole = $r.Root; IsEndUserRole = $r.EndUser; Parent = $r.Parent }
    }
    Mock New-ManagementRole {
        if ($script:Roles.ContainsKey($Name)) { New-Fault "The role $Name already exists." 'ManagementObjectAlreadyExistsException' }
        $p = $script:Roles[[string]$Parent]
        if (Invoke-ErsChange 'New-ManagementRole' $PesterBoundParameters) { $script:Roles[$Name] = @{ Root = $false; EndUser = $p.EndUser; Parent = [string]$Parent; Entries = [System.Collections.Generic.List[string]]@($p.Entries) } }
    }
    Mock Get-ManagementRoleEntry { $role = ([string]$Identity).Split('\')[0]; @($script:Roles[$role].Entries | ForEach-Object { [pscustomobject]@{ Name = $_; Role = $role; Identity = "$role\$_" } }) }
    Mock Remove-ManagementRoleEntry { $role, $entry = ([string]$Identity.Identity).Split('\'); if (Invoke-ErsChange 'Remove-ManagementRoleEntry' @{ Identity = [string]$Identity.Identity }) { [void]$script:Roles[$role].Entries.Remove($entry) } }
    Mock Get-RoleGroup { $g = $script:Groups[[string]$Identity]; if (-not $g) { Write-Error -Message ("The operation couldn't be performed because object '" + $Identity + "' couldn't be found.") -ErrorId 'ManagementObjectNotFoundException'; return }; [pscustomobject]@{ Name = [string]$Identity; Roles = @($g.Roles) } }
    Mock New-RoleGroup {
        foreach ($r in $Roles) {
            if (-not $script:Roles.ContainsKey([string]$r)) { New-Fault ("Couldn't find object `"" + $r + "`". Please make sure that it was spelled correctly or specify a different object.") 'ManagementObjectNotFoundException' }
            if ($script:Roles[[string]$r].EndUser) { New-Fault ("The role `"" + $r + "`" is an end-user role and can't be assigned to a role group.") 'InvalidOperationException' }
        }
        if (Invoke-ErsChange 'New-RoleGroup' $PesterBoundParameters) { $script:Groups[$Name] = @{ Roles = [System.Collections.Generic.List[string]]@($Roles | ForEach-Object { [string]$_ }); Members = [System.Collections.Generic.List[string]]@($Members | ForEach-Object { [string]$_ }) } }
    }
    Mock New-ManagementRoleAssignment { if (Invoke-ErsChange 'New-ManagementRoleAssignment' $PesterBoundParameters) { $script:Groups[[string]$SecurityGroup].Roles.Add([string]$Role) } }
    Mock Get-RoleGroupMember { @($script:Groups[[string]$Identity].Members | ForEach-Object { [pscustomobject]@{ Name = $_; Guid = $(if ($_ -eq $Account) { $script:User.Guid } else { [guid]::NewGuid().ToString() }) } }) }
    Mock Add-RoleGroupMember { if (Invoke-ErsChange 'Add-RoleGroupMember' $PesterBoundParameters) { $script:Groups[[string]$Identity].Members.Add([string]$Member) } }
    Mock Get-User { [pscustomobject]@{ Identity = $Account; Guid = [guid]$script:User.Guid; RemotePowerShellEnabled = $script:User.RemotePowerShellEnabled } }
    Mock Set-User { if (Invoke-ErsChange 'Set-User' $PesterBoundParameters) { $script:User.RemotePowerShellEnabled = $RemotePowerShellEnabled } }
    Mock Get-ManagementRoleAssignment {
        if ($Role) { $g = $script:Groups[[string]$RoleAssignee]; if ($g -and $g.Roles -contains [string]$Role) { return [pscustomobject]@{ Role = [string]$Role; RoleAssigneeName = [string]$RoleAssignee } }; return }
        $out = foreach ($gn in @($script:Groups.Keys | Sort-Object)) {
            $g = $script:Groups[$gn]
            if ($g.Members -notcontains [string]$RoleAssignee) { continue }
            foreach ($r in $g.Roles) { [pscustomobject]@{ Role = $r; RoleAssigneeName = $gn; RoleAssigneeType = 'RoleGroup'; AssignmentMethod = 'SecurityGroup'; RecipientWriteScope = 'Organization'; ConfigWriteScope = 'OrganizationConfig'; Enabled = $true } }
        }
        foreach ($r in $script:Direct) { [pscustomobject]@{ Role = $r; RoleAssigneeName = 'svc_intune'; RoleAssigneeType = 'User'; AssignmentMethod = 'Direct'; RecipientWriteScope = 'Organization'; ConfigWriteScope = 'OrganizationConfig'; Enabled = $true } }
        $out
    }
    # Outside the Exchange Management Shell the cmdlets come from Exchange's endpoint (never from a snap-in).
    Mock New-PSSession { [pscustomobject]@{ Id = 7; Name = 'Exchange'; ComputerName = 'exch01.contoso.com'; ConfigurationName = $ConfigurationName } }
    Mock Import-PSSession { [pscustomobject]@{ Name = 'tmp_exchange'; ExportedCommands = @{} } } -RemoveParameterType Session
    Mock Remove-PSSession { } -RemoveParameterType Session
    $script:In = @{ account = $Account }
}
AfterAll { Save-ErsRecorded }

Describe 'intune-rbac-role check: every verdict' -Tag 'verdict' {
    It 'pass: custom child roles with exactly the required cmdlets' {
        New-Org
        $script:Roles['Intune - A'] = @{ Root = $false; EndUser = $false; Parent = 'Organization Client Access'; Entries = [System.Collections.Generic.List[string]]@($Required | Where-Object { $_ -notin @('Get-Recipient', 'Set-ADServerSettings', 'Get-ExchangeServer', 'Get-ActiveSyncDeviceStatistics') }) }
        $script:Roles['Intune - B'] = @{ Root = $false; EndUser = $false; Parent = 'View-Only Recipients'; Entries = [System.Collections.Generic.List[string]]@('Get-Recipient', 'Set-ADServerSettings', 'Get-ActiveSyncDeviceStatistics') }
        $script:Roles['Intune - C'] = @{ Root = $false; EndUser = $false; Parent = 'View-Only Configuration'; Entries = [System.Collections.Generic.List[string]]@('Get-ExchangeServer') }
        Add-Group 'Intune Exchange Connector' @('Intune - A', 'Intune - B', 'Intune - C')
        $r = (Invoke-ErsCheck $Step -Inputs $In -Case 'exact custom roles').Result
        $r.status | Should -Be 'pass'
    }
    It 'fail: the device access rule cmdlets are missing' {
        New-Org
        $script:Roles['Intune - A'] = @{ Root = $false; EndUser = $false; Parent = 'Organization Client Access'; Entries = [System.Collections.Generic.List[string]]@($Required | Where-Object { $_ -notlike '*DeviceAccessRule' }) }
        Add-Group 'Intune Exchange Connector' @('Intune - A')
        $r = (Invoke-ErsCheck $Step -Inputs $In -Case 'device access rules missing').Result
        $r.summary | Should -Be 'Required cmdlets missing: 4'
    }
    It 'warn: everything plus more (a broad built-in role)' {
        New-Org
        Add-Group 'Organization Management' @('Organization Client Access', 'View-Only Recipients', 'View-Only Configuration', 'Mail Recipient Creation')
        $r = (Invoke-ErsCheck $Step -Inputs $In -Case 'broad roles').Result
        $r.status | Should -Be 'warn'; ($r.evidence | Where-Object label -EQ 'Beyond the list').value | Should -Match 'new-mailboxexportrequest'
    }
    It 'fail: no role assignment at all' {
        New-Org
        (Invoke-ErsCheck $Step -Inputs $In -Case 'no assignment').Result.summary | Should -Be 'No role assigned'
    }
    It 'fail: remote PowerShell disabled for the account' {
        New-Org; Add-Group 'Organization Management' @('Organization Client Access', 'View-Only Recipients', 'View-Only Configuration'); $script:User.RemotePowerShellEnabled = $false
        (Invoke-ErsCheck $Step -Inputs $In -Case 'remote PowerShell disabled').Result.summary | Should -Be 'Remote PowerShell disabled for the account'
    }
    It 'error: outside the EMS the Exchange endpoint is used (Microsoft.Exchange, Kerberos, no snap-in); it refuses the connection' {
        New-Org
        Mock Get-Command { $null } -ParameterFilter { $Name -eq 'Get-ManagementRoleAssignment' }
        Mock New-PSSession { throw [System.Management.Automation.Remoting.PSRemotingTransportException]::new('Connecting to remote server exch01.contoso.com failed with the following error message : Access is denied.') }
        $r = (Invoke-ErsCheck $Step -Inputs $In -Case 'endpoint refuses').Result
        $r.status | Should -Be 'error'
        Should -Invoke New-PSSession -Times 1 -Exactly -ParameterFilter { $ConfigurationName -eq 'Microsoft.Exchange' -and $ConnectionUri -eq 'http://exch01.contoso.com/PowerShell/' -and $Authentication -eq 'Kerberos' }
    }
    It 'the check imports the cmdlets from the endpoint and removes the session afterwards' {
        New-Org
        Mock Get-Command { $null } -ParameterFilter { $Name -eq 'Get-ManagementRoleAssignment' }
        (Invoke-ErsCheck $Step -Inputs $In).Result.summary | Should -Be 'No role assigned'
        Should -Invoke Import-PSSession -Times 1 -Exactly -ParameterFilter { @($CommandName) -contains 'Get-ManagementRoleEntry' }
        Should -Invoke Remove-PSSession -Times 1 -Exactly
    }
}

Describe 'intune-rbac-role remediation' -Tag 'remediation' {
    BeforeEach { Reset-ErsChanges; New-Org }
    It '-WhatIf changes nothing and does not stop at the role group' {
        { Invoke-ErsScript -Script (Get-ErsScript $Step remediation $In) -WhatIf } | Should -Not -Throw
        $global:ErsChanges.Count | Should -Be 0
        $script:Groups.Count | Should -Be 0
    }
    It 'creates child roles of administrative roles only (never the end-user MyBaseOptions), the role group with the account; a second run changes nothing; the check then passes' {
        $script = Get-ErsScript $Step remediation $In
        Invoke-ErsScript -Script $script | Out-Null
        $created = @($global:ErsChanges | Where-Object Command -EQ 'New-ManagementRole')
        @($created | ForEach-Object { [string]$_.Arguments.Parent }) | Should -Be @('Organization Client Access', 'View-Only Configuration', 'View-Only Recipients')
        @($created | ForEach-Object { $_.Arguments.Name }) | Should -Be @('Intune Exchange Connector - Organization Client Access', 'Intune Exchange Connector - View-Only Configuration', 'Intune Exchange Connector - View-Only Recipients')
        $rg = @($global:ErsChanges | Where-Object Command -EQ 'New-RoleGroup')
        $rg.Count | Should -Be 1
        $rg[0].Arguments.Name | Should -Be 'Intune Exchange Connector'
        @($rg[0].Arguments.Members) | Should -Be @($Account)
        @($global:ErsChanges | Where-Object Command -EQ 'Remove-ManagementRoleEntry').Count | Should -BeGreaterThan 0
        Reset-ErsChanges
        Invoke-ErsScript -Script $script | Out-Null
        @($global:ErsChanges | Where-Object Command -NE 'Remove-ManagementRoleEntry').Count | Should -Be 0
        @($global:ErsChanges).Count | Should -Be 0
        (Invoke-ErsCheck $Step -Inputs $In).Result.status | Should -Be 'pass'
    }
    It 'enables remote PowerShell for the account when it is off' {
        $script:User.RemotePowerShellEnabled = $false
        Invoke-ErsScript -Script (Get-ErsScript $Step remediation $In) | Out-Null
        $su = @($global:ErsChanges | Where-Object Command -EQ 'Set-User')
        $su.Count | Should -Be 1; $su[0].Arguments.RemotePowerShellEnabled | Should -BeTrue
    }
}

Describe 'IntuneRbacRole runbook' -Tag 'remediation' {
    It 'intune-rbac-role: the runbook under -WhatIf changes nothing and reports the check still failing' {
        Reset-ErsChanges; New-Org
        $rb = Invoke-ErsRunbook -Step 'intune-rbac-role' -Inputs $In -WhatIf
        $global:ErsChanges.Count | Should -Be 0
        $rb.Result.status | Should -Not -Be 'pass'
    }
    It 'intune-rbac-role: the runbook remediates and ends with the check passing on the fixed state' {
        Reset-ErsChanges; New-Org
        $rb = Invoke-ErsRunbook -Step 'intune-rbac-role' -Inputs $In
        $rb.Runbook.completed | Should -BeTrue
        $rb.Result.status | Should -Be 'pass'
    }
}
