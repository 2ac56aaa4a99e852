# Step 1, service-account-access, on a German Exchange server: the built-in groups resolve by SID to
# VORDEFINIERT\Administratoren and VORDEFINIERT\Remoteverwaltungsbenutzer; their WinNT members carry real binary
# SIDs (an orphaned SID among them); the endpoint's real default SDDL; the S4U token's groups.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Ers.ps1')
    $script:Step = 'service-account-access'
    $script:Domain = 'S-1-5-21-1004336348-1177238915-682003330'
    $script:SvcSid = "$Domain-1105"
    $script:DefaultSddl = 'O:NSG:BAD:P(A;;GA;;;BA)(A;;GA;;;IU)(A;;GA;;;RM)S:P(AU;FA;GA;;;WD)(AU;SA;GXGW;;;WD)'
    function Member { param([string]$Path, [string]$Sid) @{ Path = $Path; Sid = $(if ($Sid) { ConvertTo-ErsSidBytes $Sid } else { $null }) } }
    function Set-Machine {
        param([object[]]$Admins = @((Member 'WinNT://EXCH01/Administrator' 'S-1-5-21-3623811015-3361044348-30300820-500'), (Member 'WinNT://CONTOSO/Domain Admins' "$Domain-512")),
              [object[]]$Rmu = @(), [string]$Sddl = $DefaultSddl, [string]$Enabled = 'True', [string]$AllowRemoteAccess = 'true', [string[]]$TokenGroups = @("$Domain-513", 'S-1-1-0', 'S-1-5-32-545', 'S-1-5-2', 'S-1-5-11'))
        Set-ErsAccounts @{ 'CONTOSO\svc_sync' = $SvcSid; 'FABRIKAM\svc_sync' = 'S-1-5-21-1-2-3-1105'; 'VORDEFINIERT\Administratoren' = 'S-1-5-32-544'; 'VORDEFINIERT\Remoteverwaltungsbenutzer' = 'S-1-5-32-580' }
        $global:ErsAdsi = @{ 'WinNT://./Administratoren,group' = @{ Members = $Admins }; 'WinNT://./Remoteverwaltungsbenutzer,group' = @{ Members = $Rmu } }
        $global:ErsAdsiLog.Clear()
        $script:Endpoint = @{ Sddl = $Sddl; Enabled = $Enabled }
        $script:AllowRemoteAccess = $AllowRemoteAccess
        $script:TokenGroups = $TokenGroups
    }
    Mock Get-PSSessionConfiguration {
        [pscustomobject]@{ Name = 'Microsoft.PowerShell'; PSVersion = '5.1'; Enabled = $script:Endpoint.Enabled; SecurityDescriptorSddl = $script:Endpoint.Sddl
            Permission = 'NT-AUTORITÄT\INTERAKTIV AccessAllowed, VORDEFINIERT\Administratoren AccessAllowed, VORDEFINIERT\Remoteverwaltungsbenutzer AccessAllowed' }
    } -ParameterFilter { $Name -eq 'Microsoft.PowerShell' }
    Mock Get-Item { New-ErsWsmanLeaf 'AllowRemoteAccess' $script:AllowRemoteAccess } -ParameterFilter { $Path -eq 'WSMan:\localhost\Service\AllowRemoteAccess' }
    # System.Security.Principal off Windows throws PlatformNotSupportedException: stand-ins over the account table.
    Mock New-Object { New-ErsIdentityObject -Kind NTAccount -Value ([string]@($ArgumentList)[0]) } -ParameterFilter { $TypeName -eq 'System.Security.Principal.NTAccount' }
    Mock New-Object {
        $a = @($ArgumentList)
        if ($a[0] -is [byte[]] -or $a[0] -is [object[]] -and $a.Count -eq 2 -and $a[1] -is [int]) { return New-ErsIdentityObject -Kind SecurityIdentifier -Value (ConvertFrom-ErsSidBytes -Bytes ([byte[]]$a[0]) -Offset $a[1]) }
        New-ErsIdentityObject -Kind SecurityIdentifier -Value ([string]$a[0])
    } -ParameterFilter { $TypeName -eq 'System.Security.Principal.SecurityIdentifier' }
    Mock New-Object {
        $global:ErsS4U = [string]@($ArgumentList)[0]
        if ($global:ErsS4U -ne 'svc_sync@contoso.com') { throw [System.Security.SecurityException]::new('The user name or password is incorrect.') }
        [pscustomobject]@{ Name = 'CONTOSO\svc_sync'; Groups = @($script:TokenGroups | ForEach-Object { [pscustomobject]@{ Value = $_ } }) }
    } -ParameterFilter { $TypeName -eq 'System.Security.Principal.WindowsIdentity' }
    Mock Add-LocalGroupMember {
        $group = $global:ErsAdsi['WinNT://./Remoteverwaltungsbenutzer,group']
        if (@($group.Members | Where-Object { $_.Path -eq 'WinNT://CONTOSO/svc_sync' }).Count) {
            throw [System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new('CONTOSO\svc_sync is already a member of group Remoteverwaltungsbenutzer.'), 'MemberExists,Microsoft.PowerShell.Commands.AddLocalGroupMemberCommand', 'ResourceExists', 'CONTOSO\svc_sync')
        }
        Invoke-ErsChange 'Add-LocalGroupMember' $PesterBoundParameters { $group.Members = @($group.Members) + @((Member 'WinNT://CONTOSO/svc_sync' $SvcSid)) } | Out-Null
    }
}
AfterAll { Save-ErsRecorded }

Describe 'service-account-access check: every verdict' -Tag 'verdict' {
    BeforeAll { $script:In = @{ account = 'CONTOSO\svc_sync' } }
    It 'pass: a direct member of Remoteverwaltungsbenutzer (localized names, resolved by SID)' {
        Set-Machine -Rmu @((Member 'WinNT://CONTOSO/svc_sync' $SvcSid))
        $r = (Invoke-ErsCheck $Step -Inputs $In -Case 'direct member, German server').Result
        $r.status | Should -Be 'pass'
        ($r.evidence | Where-Object label -EQ 'Local groups').value | Should -Match 'VORDEFINIERT\\Remoteverwaltungsbenutzer'
    }
    It 'pass: a member only through a nested domain group (the S4U token carries S-1-5-32-580), no LDAP bind (no second hop)' {
        Set-Machine -Rmu @((Member 'WinNT://CONTOSO/Sync Servers' "$Domain-2201")) -TokenGroups @("$Domain-513", "$Domain-2201", 'S-1-5-32-580', 'S-1-5-32-545')
        (Invoke-ErsCheck $Step -Inputs $In -Case 'nested domain group').Result.status | Should -Be 'pass'
        $global:ErsS4U | Should -Be 'svc_sync@contoso.com'
        @($global:ErsAdsiLog | Where-Object { $_ -like 'LDAP:*' -or $_ -like 'GC:*' }) | Should -BeNullOrEmpty
    }
    It 'fail: not a member; an orphaned SID sits in Administratoren' {
        Set-Machine -Admins @((Member 'WinNT://EXCH01/Administrator' 'S-1-5-21-3623811015-3361044348-30300820-500'), (Member "WinNT://$Domain-1377" "$Domain-1377"))
        $r = (Invoke-ErsCheck $Step -Inputs $In -Case 'not a member, orphaned SID').Result
        $r.status | Should -Be 'fail'; ($r.evidence | Where-Object label -EQ 'Orphaned SIDs in groups').value | Should -Match "$Domain-1377"
    }
    It 'fail: remoting disabled (NETWORK deny ACE first)' {
        Set-Machine -Rmu @((Member 'WinNT://CONTOSO/svc_sync' $SvcSid)) -Sddl ('O:NSG:BAD:P(D;;GA;;;NU)(A;;GA;;;BA)(A;;GA;;;RM)S:P(AU;FA;GA;;;WD)')
        (Invoke-ErsCheck $Step -Inputs $In -Case 'network denied').Result.summary | Should -Match 'Denied by NT AUTHORITY\\NETWORK'
    }
    It 'fail: the endpoint is disabled' {
        Set-Machine -Rmu @((Member 'WinNT://CONTOSO/svc_sync' $SvcSid)) -Enabled 'False'
        (Invoke-ErsCheck $Step -Inputs $In -Case 'endpoint disabled').Result.summary | Should -Match 'disabled'
    }
    It 'fail: AllowRemoteAccess is false' {
        Set-Machine -Rmu @((Member 'WinNT://CONTOSO/svc_sync' $SvcSid)) -AllowRemoteAccess 'false'
        (Invoke-ErsCheck $Step -Inputs $In -Case 'AllowRemoteAccess false').Result.summary | Should -Be 'AllowRemoteAccess is false'
    }
    It 'warn: member of Protected Users' {
        Set-Machine -Rmu @((Member 'WinNT://CONTOSO/svc_sync' $SvcSid)) -TokenGroups @("$Domain-513", "$Domain-525", 'S-1-5-32-580')
        (Invoke-ErsCheck $Step -Inputs $In -Case 'Protected Users').Result.summary | Should -Match 'Protected Users'
    }
    It 'error: not a direct member, a domain group is in the group, and the account''s domain is not the server''s: asks for a UPN' {
        Set-Machine -Rmu @((Member 'WinNT://FABRIKAM/Sync Servers' 'S-1-5-21-1-2-3-4000'))
        $r = (Invoke-ErsCheck $Step -Inputs @{ account = 'FABRIKAM\svc_sync' } -Case 'nested, needs UPN').Result
        $r.status | Should -Be 'error'; $r.reason | Should -Match 'UPN'
        @($global:ErsAdsiLog | Where-Object { $_ -like 'LDAP:*' }) | Should -BeNullOrEmpty
    }
    It 'fail: the account does not resolve' {
        Set-Machine
        (Invoke-ErsCheck $Step -Inputs @{ account = 'CONTOSO\nobody' } -Case 'unresolved').Result.summary | Should -Match 'cannot be resolved'
    }
    It 'error: Get-PSSessionConfiguration fails (PowerShell 7): the check still reports the membership' {
        Set-Machine -Rmu @((Member 'WinNT://CONTOSO/svc_sync' $SvcSid))
        Mock Get-PSSessionConfiguration { throw [System.Management.Automation.ErrorRecord]::new([System.ArgumentException]::new('No session configuration matches criteria "Microsoft.PowerShell".'), 'Microsoft.PowerShell.Commands.WriteErrorException', 'ObjectNotFound', 'Microsoft.PowerShell') } -ParameterFilter { $Name -eq 'Microsoft.PowerShell' }
        $r = (Invoke-ErsCheck $Step -Inputs $In -Case 'endpoint unreadable under pwsh 7').Result
        $r.status | Should -Be 'error'; $r.summary | Should -Be 'Endpoint unreadable'
        ($r.evidence | Where-Object label -EQ 'Local groups').value | Should -Match 'direct member'
    }
}

Describe 'service-account-access remediation' -Tag 'remediation' {
    BeforeEach { Reset-ErsChanges }
    It '-WhatIf adds nobody' {
        Set-Machine
        Invoke-ErsScript -Script (Get-ErsScript $Step remediation @{ account = 'CONTOSO\svc_sync' }) -WhatIf | Out-Null
        $global:ErsChanges.Count | Should -Be 0
    }
    It 'adds exactly the account to S-1-5-32-580; a second run changes nothing; the check then passes' {
        Set-Machine
        $script = Get-ErsScript $Step remediation @{ account = 'CONTOSO\svc_sync' }
        Invoke-ErsScript -Script $script | Out-Null
        @($global:ErsChanges).Count | Should -Be 1
        $global:ErsChanges[0].Arguments.SID | Should -Be 'S-1-5-32-580'
        $global:ErsChanges[0].Arguments.Member | Should -Be @('CONTOSO\svc_sync')
        Reset-ErsChanges
        Invoke-ErsScript -Script $script | Should -Match 'already a member'
        $global:ErsChanges.Count | Should -Be 0
        (Invoke-ErsCheck $Step -Inputs @{ account = 'CONTOSO\svc_sync' }).Result.status | Should -Be 'pass'
    }
}

Describe 'ServiceAccountAccess runbook' -Tag 'remediation' {
    It 'service-account-access: the runbook under -WhatIf changes nothing and reports the check still failing' {
        Reset-ErsChanges; Set-Machine
        $rb = Invoke-ErsRunbook -Step 'service-account-access' -Inputs @{ account = 'CONTOSO\svc_sync' } -WhatIf
        $global:ErsChanges.Count | Should -Be 0
        $rb.Result.status | Should -Not -Be 'pass'
    }
    It 'service-account-access: the runbook remediates and ends with the check passing on the fixed state' {
        Reset-ErsChanges; Set-Machine
        $rb = Invoke-ErsRunbook -Step 'service-account-access' -Inputs @{ account = 'CONTOSO\svc_sync' }
        $rb.Runbook.completed | Should -BeTrue
        $rb.Result.status | Should -Be 'pass'
    }
}
