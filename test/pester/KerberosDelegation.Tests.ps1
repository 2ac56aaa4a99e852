# Step 2, kerberos-delegation: RootDSE, the computer object, the service account (userAccountControl, tokenGroups
# as binary SIDs) and the HTTP/ SPN owners from a directory behind DirectorySearcher; RSAT for the remediation.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Ers.ps1')
    $script:Step = 'kerberos-delegation'
    $script:Dom = 'S-1-5-21-1004336348-1177238915-682003330'
    function Computer { param([int]$Uac = 528384, [string[]]$A2D = @(), [string]$Rbcd = '')
        $o = @{ domain = 'DC=contoso,DC=com'; objectcategory = 'CN=Computer,CN=Schema,CN=Configuration,DC=contoso,DC=com'; samaccountname = 'EXCH01$'; distinguishedname = 'CN=EXCH01,OU=Exchange Servers,DC=contoso,DC=com'; dnshostname = 'exch01.contoso.com'
            useraccountcontrol = $Uac; 'msds-allowedtodelegateto' = $A2D; serviceprincipalname = @('HTTP/exch01.contoso.com', 'HTTP/EXCH01', 'WSMAN/exch01.contoso.com', 'HOST/exch01.contoso.com') }
        if ($Rbcd) { $o['msds-allowedtoactonbehalfofotheridentity'] = @(, [System.Text.Encoding]::Unicode.GetBytes($Rbcd)) }
        $o }
    function Account { param([int]$Uac = 66048, [string[]]$Groups = @("$Dom-513"))
        $global:ErsAdsiGroups = $Groups
        @{ domain = 'DC=contoso,DC=com'; objectcategory = 'CN=Person,CN=Schema,CN=Configuration,DC=contoso,DC=com'; samaccountname = 'svc_sync'; userprincipalname = 'svc_sync@contoso.com'; distinguishedname = 'CN=svc_sync,OU=Service Accounts,DC=contoso,DC=com'; useraccountcontrol = $Uac } }
    function Set-Directory { param([object[]]$Objects)
        $global:ErsDirectory = $Objects
        $global:ErsDirectoryFault = $null
        $global:ErsAdsi = @{
            'LDAP://RootDSE' = @{ Properties = @{ defaultNamingContext = 'DC=contoso,DC=com'; rootDomainNamingContext = 'DC=contoso,DC=com' } }
            'LDAP://DC=contoso,DC=com' = @{ Properties = @{} }
            'GC://DC=contoso,DC=com' = @{ Properties = @{} }
            'LDAP://CN=svc_sync,OU=Service Accounts,DC=contoso,DC=com' = @{ Properties = @{ tokenGroups = @($global:ErsAdsiGroups | ForEach-Object { , (ConvertTo-ErsSidBytes $_) }) } }
        }
    }
    Register-ErsDirectoryMocks
    Mock Import-Module { } -ParameterFilter { $Name -eq 'ActiveDirectory' }
    Mock Get-ADComputer {
        $c = $global:ErsDirectory | Where-Object { $_.samaccountname -eq 'EXCH01$' }
        [pscustomobject]@{ DistinguishedName = $c.distinguishedname; Name = 'EXCH01'; SamAccountName = 'EXCH01$'; userAccountControl = $c.useraccountcontrol; TrustedForDelegation = [bool]($c.useraccountcontrol -band 0x80000) }
    }
    Mock Set-ADAccountControl {
        if (Invoke-ErsChange 'Set-ADAccountControl' $PesterBoundParameters) {
            $c = $global:ErsDirectory | Where-Object { $_.samaccountname -eq 'EXCH01$' }
            $c.useraccountcontrol = $(if ($TrustedForDelegation) { $c.useraccountcontrol -bor 0x80000 } else { $c.useraccountcontrol -band -bnot 0x80000 })
        }
    }
    $script:In = @{ account = 'CONTOSO\svc_sync' }
}
AfterAll { Save-ErsRecorded }

Describe 'kerberos-delegation check: every verdict' -Tag 'verdict' {
    It 'pass: trusted for delegation to any service (UAC 528384), flagged high risk' {
        Set-Directory @((Computer), (Account))
        $r = (Invoke-ErsCheck $Step -Inputs $In -Case 'unconstrained').Result
        $r.status | Should -Be 'pass'; $r.highRisk | Should -BeTrue
        ($r.evidence | Where-Object label -EQ 'userAccountControl').value | Should -Be '528384 (WORKSTATION_TRUST_ACCOUNT, TRUSTED_FOR_DELEGATION)'
    }
    It 'fail: not trusted (UAC 4096)' {
        Set-Directory @((Computer -Uac 4096), (Account))
        (Invoke-ErsCheck $Step -Inputs $In -Case 'not trusted').Result.summary | Should -Be 'Not trusted for delegation'
    }
    It 'fail: only resource-based constrained delegation, which Microsoft says does not carry the WinRM second hop' {
        Set-Directory @((Computer -Uac 4096 -Rbcd 'O:BAD:(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;S-1-5-21-1004336348-1177238915-682003330-2105)'), (Account))
        ($(Invoke-ErsCheck $Step -Inputs $In -Case 'RBCD').Result).summary | Should -Be 'Constrained delegation only (no WinRM second hop)'
    }
    It 'fail: the service account is sensitive and cannot be delegated' {
        Set-Directory @((Computer), (Account -Uac (66048 -bor 0x100000)))
        (Invoke-ErsCheck $Step -Inputs $In -Case 'NOT_DELEGATED').Result.summary | Should -Be 'Delegation set but blocked'
    }
    It 'fail: the service account is in Protected Users (tokenGroups, RID 525)' {
        $acct = Account -Groups @("$Dom-513", "$Dom-525")
        Set-Directory @((Computer), $acct)
        (Invoke-ErsCheck $Step -Inputs $In -Case 'Protected Users').Result.reason | Should -Match 'Protected Users'
    }
    It 'fail: HTTP/ SPN registered on the Exchange alternate service account' {
        Set-Directory @((Computer), (Account), @{ domain = 'DC=contoso,DC=com'; objectcategory = 'CN=Computer,CN=Schema,CN=Configuration,DC=contoso,DC=com'; samaccountname = 'EXCH-ASA$'; distinguishedname = 'CN=EXCH-ASA,CN=Computers,DC=contoso,DC=com'; serviceprincipalname = @('HTTP/exch01.contoso.com', 'HTTP/mail.contoso.com') })
        ($(Invoke-ErsCheck $Step -Inputs $In -Case 'foreign SPN').Result.evidence | Where-Object label -EQ 'Foreign HTTP/ SPNs').value | Should -Match 'CN=EXCH-ASA'
    }
    It 'warn: trusted for delegation, but the global catalog''s SPN search fails' {
        Set-Directory @((Computer), (Account))
        $global:ErsDirectoryFault = @{ Filter = 'servicePrincipalName'; Exception = [System.Runtime.InteropServices.COMException]::new('The server is not operational.', -2147016646) }
        $r = (Invoke-ErsCheck $Step -Inputs $In -Case 'SPN search fails').Result
        $r.status | Should -Be 'warn'; $r.summary | Should -Be 'Trusted for delegation; parts unverified'; $r.highRisk | Should -BeTrue
    }
    It 'fail: no computer object' {
        Set-Directory @((Account))
        (Invoke-ErsCheck $Step -Inputs $In -Case 'no computer').Result.summary | Should -Be 'No computer account EXCH01$'
    }
    It 'error: the domain cannot be reached' {
        Set-Directory @()
        $global:ErsAdsi.Remove('LDAP://RootDSE')
        (Invoke-ErsCheck $Step -Inputs $In -Case 'no domain').Result.status | Should -Be 'error'
    }
}

Describe 'kerberos-delegation remediation' -Tag 'remediation' {
    BeforeEach { Reset-ErsChanges }
    It '-WhatIf sets nothing' {
        Set-Directory @((Computer -Uac 4096), (Account))
        Invoke-ErsScript -Script (Get-ErsScript $Step remediation $In) -WhatIf | Out-Null
        $global:ErsChanges.Count | Should -Be 0
    }
    It 'sets exactly TrustedForDelegation on the object Get-ADComputer returned; a second run changes nothing; the check then passes' {
        Set-Directory @((Computer -Uac 4096), (Account))
        $script = Get-ErsScript $Step remediation $In
        $out = Invoke-ErsScript -Script $script
        $out | Should -Match 'userAccountControl before: 4096'
        @($global:ErsChanges).Count | Should -Be 1
        $global:ErsChanges[0].Arguments.TrustedForDelegation | Should -BeTrue
        $global:ErsChanges[0].Arguments.Identity.DistinguishedName | Should -Be 'CN=EXCH01,OU=Exchange Servers,DC=contoso,DC=com'
        Reset-ErsChanges
        Invoke-ErsScript -Script $script | Should -Match 'nothing to do'
        $global:ErsChanges.Count | Should -Be 0
        (Invoke-ErsCheck $Step -Inputs $In).Result.status | Should -Be 'pass'
    }
}

Describe 'KerberosDelegation runbook' -Tag 'remediation' {
    It 'kerberos-delegation: the runbook under -WhatIf changes nothing and reports the check still failing' {
        Reset-ErsChanges; Set-Directory @((Computer -Uac 4096), (Account))
        $rb = Invoke-ErsRunbook -Step 'kerberos-delegation' -Inputs $In -WhatIf
        $global:ErsChanges.Count | Should -Be 0
        $rb.Result.status | Should -Not -Be 'pass'
    }
    It 'kerberos-delegation: the runbook remediates and ends with the check passing on the fixed state' {
        Reset-ErsChanges; Set-Directory @((Computer -Uac 4096), (Account))
        $rb = Invoke-ErsRunbook -Step 'kerberos-delegation' -Inputs $In
        $rb.Runbook.completed | Should -BeTrue
        $rb.Result.status | Should -Be 'pass'
    }
}
