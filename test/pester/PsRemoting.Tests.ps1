# Step 3, ps-remoting: Get-Service / Win32_Service for WinRM, the listeners as WS-Man XML, AllowRemoteAccess,
# the Microsoft.PowerShell session configuration and the WinRM policy key.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Ers.ps1')
    $script:Step = 'ps-remoting'
    function Set-Machine {
        param([string]$Status = 'Running', [string]$StartType = 'Automatic', [bool]$Delayed = $false, [object[]]$Listeners = @((New-ErsHttpListener)), [string]$AllowRemoteAccess = 'true', [bool]$EndpointEnabled = $true, [hashtable]$Policy)
        $script:Service = @{ Status = $Status; StartType = $StartType; Delayed = $Delayed }
        $script:Listeners = $Listeners
        $script:AllowRemoteAccess = $AllowRemoteAccess
        $script:EndpointEnabled = $EndpointEnabled
        $script:Policy = $Policy
    }
    Mock Get-Service {
        [pscustomobject]@{ Name = 'WinRM'; DisplayName = 'Windows Remote Management (WS-Management)'
            Status = [System.ServiceProcess.ServiceControllerStatus]$script:Service.Status; StartType = [System.ServiceProcess.ServiceStartMode]$script:Service.StartType }
    } -ParameterFilter { $Name -eq 'WinRM' }
    Mock Get-CimInstance {
        $mode = @{ Automatic = 'Auto'; Manual = 'Manual'; Disabled = 'Disabled' }[$script:Service.StartType]
        [pscustomobject]@{ PSTypeName = 'Microsoft.Management.Infrastructure.CimInstance#root/cimv2/Win32_Service'; Name = 'WinRM'; State = $script:Service.Status; StartMode = $mode; DelayedAutoStart = $script:Service.Delayed; StartName = 'NT AUTHORITY\NetworkService' }
    } -ParameterFilter { $ClassName -eq 'Win32_Service' -and $Filter -eq "Name='WinRM'" }
    Register-ErsListenerMocks
    Register-ErsPolicyMocks
    Mock Get-Item { New-ErsWsmanLeaf 'AllowRemoteAccess' $script:AllowRemoteAccess } -ParameterFilter { $Path -eq 'WSMan:\localhost\Service\AllowRemoteAccess' }
    Mock Get-PSSessionConfiguration {
        [pscustomobject]@{ Name = 'Microsoft.PowerShell'; PSVersion = '5.1'; Enabled = $script:EndpointEnabled; Permission = 'NT AUTHORITY\INTERACTIVE AccessAllowed, BUILTIN\Administrators AccessAllowed, BUILTIN\Remote Management Users AccessAllowed' }
    } -ParameterFilter { $Name -eq 'Microsoft.PowerShell' }
    Mock Set-Service { Invoke-ErsChange 'Set-Service' $PesterBoundParameters { $script:Service.StartType = $StartupType } | Out-Null }
    Mock Enable-PSRemoting {
        Invoke-ErsChange 'Enable-PSRemoting' $PesterBoundParameters {
            $script:Service.Status = 'Running'; $script:Service.StartType = 'Automatic'; $script:AllowRemoteAccess = 'true'; $script:EndpointEnabled = $true
            if (-not @($script:Listeners | Where-Object { $_.Transport -eq 'HTTP' })) { $script:Listeners = @($script:Listeners) + @((New-ErsHttpListener)) }
        } | Out-Null
    }
}
AfterAll { Save-ErsRecorded }

Describe 'ps-remoting check: every verdict' -Tag 'verdict' {
    It 'pass: running, automatic, the default HTTP listener (whose empty Hostname WinRM sends as xsi:nil)' {
        Set-Machine
        $c = Invoke-ErsCheck $Step -Case 'running and automatic'
        $c.Result.status | Should -Be 'pass'
        # The listener fields sent as xsi:nil are empty, never the text "System.Xml.XmlElement".
        $c.Stdout | Should -Not -Match 'System\.Xml\.XmlElement'
    }
    It 'pass: delayed automatic start' {
        Set-Machine -Delayed $true
        (Invoke-ErsCheck $Step -Case 'delayed start').Result.evidence[0].value | Should -Match 'delayed start'
    }
    It 'fail: stopped and disabled' {
        Set-Machine -Status 'Stopped' -StartType 'Disabled'
        (Invoke-ErsCheck $Step -Case 'stopped and disabled').Result.summary | Should -Be 'WinRM is Stopped; WinRM starts Disabled'
    }
    It 'fail: no listener, Group Policy owns the listeners' {
        Set-Machine -Listeners @() -Policy @{ AllowAutoConfig = 1; IPv4Filter = '10.0.5.*' }
        $r = (Invoke-ErsCheck $Step -Case 'no listener, policy').Result
        $r.status | Should -Be 'fail'; $r.summary | Should -Match 'no enabled listener'; $r.policy.setting | Should -Be 'WinRM listeners'
    }
    It 'fail: the Microsoft.PowerShell endpoint is disabled' {
        Set-Machine -EndpointEnabled $false
        (Invoke-ErsCheck $Step -Case 'endpoint disabled').Result.summary | Should -Match 'endpoint is disabled'
    }
    It 'error: listeners unreadable (access denied reading WSMan:)' {
        Set-Machine
        Mock Get-WSManInstance { throw [System.UnauthorizedAccessException]::new('Access is denied.') } -ParameterFilter { $ResourceURI -eq 'winrm/config/listener' }
        (Invoke-ErsCheck $Step -Case 'listeners unreadable').Result.status | Should -Be 'error'
    }
    It 'error: the endpoint is unreadable (pwsh 7 lists only its own endpoints)' {
        Set-Machine
        # What $ErrorActionPreference = 'Stop' makes of the non-terminating error pwsh 7 writes.
        Mock Get-PSSessionConfiguration { throw [System.Management.Automation.ErrorRecord]::new([System.ArgumentException]::new('No session configuration matches criteria "Microsoft.PowerShell".'), 'Microsoft.PowerShell.Commands.WriteErrorException', 'ObjectNotFound', 'Microsoft.PowerShell') } -ParameterFilter { $Name -eq 'Microsoft.PowerShell' }
        (Invoke-ErsCheck $Step -Case 'endpoint unreadable').Result.summary | Should -Be 'Endpoint unreadable'
    }
}

Describe 'ps-remoting remediation' -Tag 'remediation' {
    BeforeEach { Reset-ErsChanges }
    It '-WhatIf changes nothing' {
        Set-Machine -Status 'Stopped' -StartType 'Disabled' -Listeners @()
        Invoke-ErsScript -Script (Get-ErsScript $Step remediation) -WhatIf | Out-Null
        $global:ErsChanges.Count | Should -Be 0
        $script:Service.Status | Should -Be 'Stopped'
    }
    It 'runs exactly Set-Service WinRM Automatic and Enable-PSRemoting -Force; then the check passes' {
        Set-Machine -Status 'Stopped' -StartType 'Disabled' -Listeners @()
        Invoke-ErsScript -Script (Get-ErsScript $Step remediation) | Out-Null
        @($global:ErsChanges | ForEach-Object Command) | Should -Be @('Set-Service', 'Enable-PSRemoting')
        $global:ErsChanges[0].Arguments.Name | Should -Be 'WinRM'
        $global:ErsChanges[0].Arguments.StartupType | Should -Be 'Automatic'
        $global:ErsChanges[1].Arguments.Force | Should -BeTrue
        (Invoke-ErsCheck $Step).Result.status | Should -Be 'pass'
    }
    It 'on the already-fixed state changes nothing (no needless WinRM restart)' {
        Set-Machine
        Invoke-ErsScript -Script (Get-ErsScript $Step remediation) | Should -Match 'nothing to do'
        $global:ErsChanges.Count | Should -Be 0
        Should -Invoke Enable-PSRemoting -Times 0 -Exactly
    }
}

Describe 'PsRemoting runbook' -Tag 'remediation' {
    It 'ps-remoting: the runbook under -WhatIf changes nothing and reports the check still failing' {
        Reset-ErsChanges; Set-Machine -Status 'Stopped' -StartType 'Disabled' -Listeners @()
        $rb = Invoke-ErsRunbook -Step 'ps-remoting' -Inputs @{} -WhatIf
        $global:ErsChanges.Count | Should -Be 0
        $rb.Result.status | Should -Not -Be 'pass'
    }
    It 'ps-remoting: the runbook remediates and ends with the check passing on the fixed state' {
        Reset-ErsChanges; Set-Machine -Status 'Stopped' -StartType 'Disabled' -Listeners @()
        $rb = Invoke-ErsRunbook -Step 'ps-remoting' -Inputs @{}
        $rb.Runbook.completed | Should -BeTrue
        $rb.Result.status | Should -Be 'pass'
    }
}
