# Step 10, connector-health: the connector service as Win32_Service reports it, Application-log records from
# the provider "Microsoft Intune Exchange Connector" as Get-WinEvent returns them (TimeCreated, Id, Level,
# Keywords with the classic audit bits, Message), and Get-WinEvent's "no events" error.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Ers.ps1')
    $script:Step = 'connector-health'
    $script:KwClassic = [long]0x0080000000000000
    $script:KwSuccessAudit = [long]0x0020000000000000
    $script:KwFailureAudit = [long]0x0010000000000000
    function Ev { param([int]$MinutesAgo, [int]$Id, [int]$Level = 4, [long]$Keywords = $KwClassic, [string]$Message = 'Quick sync completed successfully.')
        [pscustomobject]@{ TimeCreated = (Get-Date).AddMinutes(-$MinutesAgo); Id = $Id; Level = $Level; Keywords = $Keywords; ProviderName = 'Microsoft Intune Exchange Connector'; LogName = 'Application'; Message = $Message } }
    function Set-Machine { param($Service = @{ Name = 'MSExchangeConnector'; State = 'Running'; StartMode = 'Auto' }, [object[]]$Events = @()) $script:Service = $Service; $script:Events = $Events }
    Mock Get-CimInstance {
        if (-not $script:Service) { return }
        [pscustomobject]@{ Name = $script:Service.Name; DisplayName = 'Microsoft Intune Exchange Connector Service'; State = $script:Service.State; StartMode = $script:Service.StartMode; DelayedAutoStart = $false; StartName = '.\WIEC_USER' }
    } -ParameterFilter { $ClassName -eq 'Win32_Service' -and $Filter -eq "DisplayName='Microsoft Intune Exchange Connector Service'" }
    Mock Get-WinEvent {
        $f = $FilterHashtable[0]
        $list = @($script:Events | Where-Object { $_.ProviderName -eq $f.ProviderName -and (-not $f.StartTime -or $_.TimeCreated -ge $f.StartTime) } | Sort-Object TimeCreated -Descending | Select-Object -First $MaxEvents)
        if ($list.Count -eq 0) { throw [System.Management.Automation.ErrorRecord]::new([System.Exception]::new('No events were found that match the specified selection criteria.'), 'NoMatchingEventsFound,Microsoft.PowerShell.Commands.GetWinEventCommand', 'ObjectNotFound', $null) }
        $list
    }
    Mock Set-Service { Invoke-ErsChange 'Set-Service' $PesterBoundParameters { $script:Service.StartMode = 'Auto' } | Out-Null }
    Mock Start-Service { Invoke-ErsChange 'Start-Service' $PesterBoundParameters { $script:Service.State = 'Running'; $script:Events = @($script:Events) + @((Ev 0 7001)) } | Out-Null }
}
AfterAll { Save-ErsRecorded }

Describe 'connector-health check: every verdict' -Tag 'verdict' {
    It 'pass: running; quick syncs (7001 SuccessAudit) in the window' {
        Set-Machine -Events @((Ev 8 7001 -Keywords $KwSuccessAudit), (Ev 70 7001 -Keywords $KwSuccessAudit), (Ev 300 7001))
        $r = (Invoke-ErsCheck $Step -Case 'quick syncs in the window').Result
        $r.status | Should -Be 'pass'; ($r.evidence | Where-Object label -Like 'Events in the last*').value | Should -Be '2 (2 activity, 0 error, 0 warning)'
    }
    It 'fail: nothing in the last 130 minutes (the connector hangs)' {
        Set-Machine -Events @((Ev 260 7001))
        (Invoke-ErsCheck $Step -Case 'no activity').Result.summary | Should -Be 'No activity in 130 min'
    }
    It 'fail: an Error event in the window' {
        Set-Machine -Events @((Ev 8 7001), (Ev 20 2 -Level 2 -Message "The connector could not reach the Exchange server (0x0000001).`r`nDetails follow."))
        $r = (Invoke-ErsCheck $Step -Case 'error event').Result
        $r.summary | Should -Be 'Error events in 130 min: 1'
        ($r.evidence | Where-Object label -EQ 'Event').value | Should -Not -Match 'Details follow'
    }
    It 'fail: a FailureAudit entry (level 0, audit-failure keyword)' {
        Set-Machine -Events @((Ev 8 7001), (Ev 9 7002 -Level 0 -Keywords $KwFailureAudit -Message 'Sign-in failed.'))
        ($(Invoke-ErsCheck $Step -Case 'failure audit').Result.evidence | Where-Object label -EQ 'Event').value | Should -Match 'FailureAudit'
    }
    It 'warn: a Warning in the window' {
        Set-Machine -Events @((Ev 8 7001), (Ev 30 7005 -Level 3 -Message 'Throttled by Exchange.'))
        (Invoke-ErsCheck $Step -Case 'warning').Result.status | Should -Be 'warn'
    }
    It 'fail: service stopped' {
        Set-Machine -Service @{ Name = 'MSExchangeConnector'; State = 'Stopped'; StartMode = 'Auto' } -Events @((Ev 8 7004 -Message 'Stopping the service.'))
        (Invoke-ErsCheck $Step -Case 'stopped').Result.summary | Should -Be 'Service Stopped'
    }
    It 'fail: service not installed (no events either)' {
        Set-Machine -Service $null
        (Invoke-ErsCheck $Step -Case 'not installed').Result.summary | Should -Match 'not installed'
    }
    It 'warn: running but manual start' {
        Set-Machine -Service @{ Name = 'MSExchangeConnector'; State = 'Running'; StartMode = 'Manual' } -Events @((Ev 8 7001))
        (Invoke-ErsCheck $Step -Case 'manual start').Result.summary | Should -Match 'starts Manual'
    }
    It 'error: the Application log cannot be read' {
        Set-Machine -Events @((Ev 8 7001))
        Mock Get-WinEvent { throw [System.UnauthorizedAccessException]::new('Attempted to perform an unauthorized operation.') }
        (Invoke-ErsCheck $Step -Case 'log unreadable').Result.status | Should -Be 'error'
    }
}

Describe 'connector-health remediation' -Tag 'remediation' {
    BeforeEach { Reset-ErsChanges }
    It '-WhatIf starts nothing' {
        Set-Machine -Service @{ Name = 'MSExchangeConnector'; State = 'Stopped'; StartMode = 'Manual' }
        Invoke-ErsScript -Script (Get-ErsScript $Step remediation) -WhatIf | Out-Null
        $global:ErsChanges.Count | Should -Be 0
    }
    It 'sets Automatic and starts exactly the connector service; a second run changes nothing; the check then passes' {
        Set-Machine -Service @{ Name = 'MSExchangeConnector'; State = 'Stopped'; StartMode = 'Manual' }
        $script = Get-ErsScript $Step remediation
        Invoke-ErsScript -Script $script | Out-Null
        @($global:ErsChanges | ForEach-Object Command) | Should -Be @('Set-Service', 'Start-Service')
        $global:ErsChanges[0].Arguments.Name | Should -Be 'MSExchangeConnector'; $global:ErsChanges[0].Arguments.StartupType | Should -Be 'Automatic'
        @($global:ErsChanges[1].Arguments.Name) | Should -Be @('MSExchangeConnector')
        Reset-ErsChanges
        Invoke-ErsScript -Script $script | Out-Null
        $global:ErsChanges.Count | Should -Be 0
        (Invoke-ErsCheck $Step).Result.status | Should -Be 'pass'
    }
}

Describe 'ConnectorHealth runbook' -Tag 'remediation' {
    It 'connector-health: the runbook under -WhatIf changes nothing and reports the check still failing' {
        Reset-ErsChanges; Set-Machine -Service @{ Name = 'MSExchangeConnector'; State = 'Stopped'; StartMode = 'Manual' }
        $rb = Invoke-ErsRunbook -Step 'connector-health' -Inputs @{} -WhatIf
        $global:ErsChanges.Count | Should -Be 0
        $rb.Result.status | Should -Not -Be 'pass'
    }
    It 'connector-health: the runbook remediates and ends with the check passing on the fixed state' {
        Reset-ErsChanges; Set-Machine -Service @{ Name = 'MSExchangeConnector'; State = 'Stopped'; StartMode = 'Manual' }
        $rb = Invoke-ErsRunbook -Step 'connector-health' -Inputs @{}
        $rb.Runbook.completed | Should -BeTrue
        $rb.Result.status | Should -Be 'pass'
    }
}
