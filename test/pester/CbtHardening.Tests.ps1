# Step 6, cbt-hardening: the WSMan:\localhost\Service\Auth container and AllowUnencrypted as the WSMan
# provider returns them (leaf elements with Name, Value, SourceOfValue), the WinRM policy key.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Ers.ps1')
    $script:Step = 'cbt-hardening'
    function Set-Machine {
        param([string]$Level = 'Relaxed', [string]$Source = '', [hashtable]$Policy)
        $script:Auth = @(
            (New-ErsWsmanLeaf 'Basic' 'false'), (New-ErsWsmanLeaf 'Kerberos' 'true'), (New-ErsWsmanLeaf 'Negotiate' 'true'),
            (New-ErsWsmanLeaf 'Certificate' 'false'), (New-ErsWsmanLeaf 'CredSSP' 'false'), (New-ErsWsmanLeaf 'CbtHardeningLevel' $Level $Source)
        )
        $script:Policy = $Policy
    }
    Mock Get-ChildItem { $script:Auth } -ParameterFilter { $Path -eq 'WSMan:\localhost\Service\Auth' }
    Mock Get-Item { $script:Auth | Where-Object Name -EQ 'CbtHardeningLevel' } -ParameterFilter { $Path -eq 'WSMan:\localhost\Service\Auth\CbtHardeningLevel' }
    Mock Get-Item { New-ErsWsmanLeaf 'AllowUnencrypted' 'false' } -ParameterFilter { $Path -eq 'WSMan:\localhost\Service\AllowUnencrypted' }
    Mock Test-Path { $null -ne $script:Policy } -ParameterFilter { $Path -eq 'HKLM:\SOFTWARE\Policies\Microsoft\Windows\WinRM\Service' }
    Mock Get-ItemProperty { [pscustomobject]($script:Policy + @{ PSPath = 'Microsoft.PowerShell.Core\Registry::HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Windows\WinRM\Service'; PSProvider = 'Registry' }) } -ParameterFilter { $Path -eq 'HKLM:\SOFTWARE\Policies\Microsoft\Windows\WinRM\Service' }
    Mock Set-Item { Invoke-ErsChange 'Set-Item' $PesterBoundParameters { ($script:Auth | Where-Object Name -EQ 'CbtHardeningLevel').Value = $Value } | Out-Null } -ParameterFilter { $Path -like 'WSMan:*' }
}
AfterAll { Save-ErsRecorded }

Describe 'cbt-hardening check: every verdict' -Tag 'verdict' {
    It 'pass: Relaxed, the default, as required' {
        Set-Machine -Level 'Relaxed'
        (Invoke-ErsCheck $Step -Case 'default Relaxed').Result.status | Should -Be 'pass'
    }
    It 'pass: Relaxed set by Group Policy' {
        Set-Machine -Level 'Relaxed' -Source 'GPO' -Policy @{ CbtHardeningLevel = 'Relaxed' }
        $r = (Invoke-ErsCheck $Step -Case 'Relaxed by GPO').Result
        $r.summary | Should -Be 'Relaxed (set by policy)'; $r.policy.setting | Should -Be 'CbtHardeningLevel'
    }
    It 'pass: Strict where Relaxed is required' {
        Set-Machine -Level 'Strict'
        $r = (Invoke-ErsCheck $Step -Case 'Strict where Relaxed is required').Result
        $r.status | Should -Be 'pass'; $r.summary | Should -Match 'Strict'
    }
    It 'warn: None where the product requires None' {
        Set-Machine -Level 'None'
        (Invoke-ErsCheck $Step -Inputs @{ cbtLevel = 'None' } -Case 'None as required').Result.status | Should -Be 'warn'
    }
    It 'warn: None, weaker than required' {
        Set-Machine -Level 'None'
        (Invoke-ErsCheck $Step -Case 'None although Relaxed suffices').Result.summary | Should -Match 'weaker'
    }
    It 'fail: Strict set by Group Policy while the product requires None, with the policy change proposed' {
        Set-Machine -Level 'Strict' -Source 'GPO' -Policy @{ CbtHardeningLevel = 'Strict' }
        $r = (Invoke-ErsCheck $Step -Inputs @{ cbtLevel = 'None' } -Case 'Strict by GPO, None required').Result
        $r.status | Should -Be 'fail'; $r.policy.setting | Should -Be 'CbtHardeningLevel'
    }
    It 'error: the WSMan: drive is unreadable (WinRM stopped)' {
        Set-Machine
        Mock Get-ChildItem { throw [System.InvalidOperationException]::new('The client cannot connect to the destination specified in the request. (0x80338012)') } -ParameterFilter { $Path -eq 'WSMan:\localhost\Service\Auth' }
        $r = (Invoke-ErsCheck $Step -Case 'WSMan unreadable').Result
        $r.status | Should -Be 'error'; $r.code | Should -Be '0x80338012'
    }
    It 'error: the Auth container does not list CbtHardeningLevel' {
        Set-Machine
        $script:Auth = @($script:Auth | Where-Object Name -NE 'CbtHardeningLevel')
        (Invoke-ErsCheck $Step -Case 'no CbtHardeningLevel item').Result.status | Should -Be 'error'
    }
}

Describe 'cbt-hardening remediation' -Tag 'remediation' {
    BeforeEach { Reset-ErsChanges }
    It '-WhatIf changes nothing' {
        Set-Machine -Level 'Relaxed'
        Invoke-ErsScript -Script (Get-ErsScript $Step remediation @{ cbtLevel = 'None' }) -WhatIf | Out-Null
        $global:ErsChanges.Count | Should -Be 0
        ($script:Auth | Where-Object Name -EQ 'CbtHardeningLevel').Value | Should -Be 'Relaxed'
    }
    It 'sets exactly CbtHardeningLevel to the required level; a second run changes nothing; the check then passes' {
        Set-Machine -Level 'Relaxed'
        $script = Get-ErsScript $Step remediation @{ cbtLevel = 'Strict' }
        Invoke-ErsScript -Script $script | Out-Null
        @($global:ErsChanges).Count | Should -Be 1
        $global:ErsChanges[0].Arguments.Path | Should -Be 'WSMan:\localhost\Service\Auth\CbtHardeningLevel'
        $global:ErsChanges[0].Arguments.Value | Should -Be 'Strict'
        Should -Invoke Set-Item -Times 1 -Exactly -ParameterFilter { $Path -eq 'WSMan:\localhost\Service\Auth\CbtHardeningLevel' -and $Value -eq 'Strict' -and $Force }
        Reset-ErsChanges
        (Invoke-ErsScript -Script $script) | Should -Match 'already Strict'
        $global:ErsChanges.Count | Should -Be 0
        (Invoke-ErsCheck $Step -Inputs @{ cbtLevel = 'Strict' }).Result.status | Should -Be 'pass'
    }
    It 'refuses when Group Policy owns the value, changing nothing' {
        Set-Machine -Level 'Relaxed' -Source 'GPO'
        { Invoke-ErsScript -Script (Get-ErsScript $Step remediation @{ cbtLevel = 'None' }) } | Should -Throw '*controlled by policy*'
        $global:ErsChanges.Count | Should -Be 0
    }
}

Describe 'CbtHardening runbook' -Tag 'remediation' {
    It 'cbt-hardening: the runbook under -WhatIf changes nothing and reports the check still failing' {
        Reset-ErsChanges; Set-Machine -Level 'Relaxed'
        $rb = Invoke-ErsRunbook -Step 'cbt-hardening' -Inputs @{ cbtLevel = 'Strict' } -WhatIf
        $global:ErsChanges.Count | Should -Be 0
        $rb.Result.status | Should -Not -Be 'pass'
    }
    It 'cbt-hardening: the runbook remediates and ends with the check passing on the fixed state' {
        Reset-ErsChanges; Set-Machine -Level 'Relaxed'
        $rb = Invoke-ErsRunbook -Step 'cbt-hardening' -Inputs @{ cbtLevel = 'Strict' }
        $rb.Runbook.completed | Should -BeTrue
        $rb.Result.status | Should -Be 'pass'
    }
}
