# Step 12, connector-config: the real check script against the sample configuration files made here
# (test/fixtures/intune-connector, see its MANIFEST.md), served through a mocked file system (Test-Path,
# Get-ChildItem, Get-Content on C:\ paths) and a mocked Get-Counter; nothing else is mocked. The counter set's
# counter names are made here too (the seed shows them only in a screenshot).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Ers.ps1')
    $script:Step = 'connector-config'
    $script:DataFolder = 'C:\ProgramData\Microsoft\Windows Intune Exchange Connector'
    $script:Samples = Join-Path $PSScriptRoot '..' 'fixtures' 'intune-connector'
    $script:Secret = 'SAMPLE_NOT_A_REAL_SECRET'
    function Sample { param([string]$Name) [System.IO.File]::ReadAllText((Join-Path $script:Samples $Name)) }
    # The fake machine: folders, and files (path → @{ Content; Error }).
    function Set-Machine {
        param([switch]$NoConnector, [switch]$OnlyLogs, [hashtable]$Replace = @{}, [string]$Unreadable, [string[]]$LeftoverCerts = @(), [switch]$NoCounters)
        $script:Dirs = [System.Collections.Generic.List[string]]::new()
        $script:Files = @{}
        foreach ($d in @('C:\Users', 'C:\Users\admin', 'C:\Users\admin\Downloads', 'C:\Users\admin\Desktop', 'C:\Program Files (x86)\Windows Intune Exchange Connector')) { $script:Dirs.Add($d) }
        if (-not $NoConnector) {
            $script:Dirs.Add($script:DataFolder); $script:Dirs.Add($script:DataFolder + '\Logs')
            foreach ($n in @(if (-not $OnlyLogs) { 'On-PremisesExchangeConnectorCasFailoverConfiguration.xml', 'On-PremisesExchangeConnectorServiceConfiguration.xml', 'IntuneServiceConfiguration.xml' })) {
                $text = Sample $n
                foreach ($k in $Replace.Keys) { $text = $text.Replace($k, $Replace[$k]) }
                $script:Files[$script:DataFolder + '\' + $n] = @{ Content = $text; Error = $(if ($n -eq $Unreadable) { [System.UnauthorizedAccessException]::new("Access to the path '" + $script:DataFolder + '\' + $n + "' is denied.") } else { $null }) }
            }
            $script:Files[$script:DataFolder + '\Logs\ExchangeConnector.svclog'] = @{ Content = '<E2ETraceEvent />'; Error = $null }
        }
        foreach ($c in $LeftoverCerts) {
            $parent = $c.Substring(0, $c.LastIndexOf('\'))
            if (-not $script:Dirs.Contains($parent)) { $script:Dirs.Add($parent) }
            $script:Files[$c] = @{ Content = 'binary'; Error = $null }
        }
        $script:Counters = -not $NoCounters
    }
    function Get-FakeItems {
        param([string]$Path, [bool]$Recurse, [int]$Depth, [string]$Filter)
        $prefix = $Path.TrimEnd('\') + '\'
        $entries = @($script:Files.Keys | ForEach-Object { @{ Path = $_; Dir = $false } }) + @($script:Dirs | ForEach-Object { @{ Path = $_; Dir = $true } })
        foreach ($e in $entries) {
            if (-not $e.Path.StartsWith($prefix, [System.StringComparison]::OrdinalIgnoreCase)) { continue }
            $rel = $e.Path.Substring($prefix.Length)
            $levels = $rel.Split('\').Count - 1
            if ((-not $Recurse -and $levels -gt 0) -or ($Recurse -and $levels -gt $Depth)) { continue }
            $leaf = $rel.Split('\')[-1]
            if ($Filter -and $leaf -ne $Filter) { continue }
            $bytes = $(if ($e.Dir) { 0 } else { [System.Text.Encoding]::UTF8.GetByteCount([string]$script:Files[$e.Path].Content) })
            [pscustomobject]@{ Name = $leaf; FullName = $e.Path; PSIsContainer = $e.Dir; Length = [long]$bytes; LastWriteTime = [datetime]'2019-05-01T20:31:45Z' }
        }
    }
    Mock Test-Path { $script:Dirs.Contains($LiteralPath) } -ParameterFilter { $LiteralPath -like 'C:\*' }
    Mock Get-ChildItem { Get-FakeItems -Path $LiteralPath -Recurse ([bool]$Recurse) -Depth $Depth -Filter $Filter } -ParameterFilter { $LiteralPath -like 'C:\*' }
    Mock Get-Content {
        $f = $script:Files[$LiteralPath]
        if ($null -eq $f) { throw [System.Management.Automation.ItemNotFoundException]::new("Cannot find path '$LiteralPath' because it does not exist.") }
        if ($f.Error) { throw $f.Error }
        $f.Content
    } -ParameterFilter { $LiteralPath -like 'C:\*' }
    Mock Get-Counter {
        if (-not $script:Counters) { return }
        if ($ListSet) {
            return [pscustomobject]@{ CounterSetName = 'Microsoft Intune Exchange Connector'; Paths = @('\Microsoft Intune Exchange Connector\Quick syncs completed', '\Microsoft Intune Exchange Connector\Full syncs completed', '\Microsoft Intune Exchange Connector\Devices processed') }
        }
        [pscustomobject]@{ CounterSamples = @($Counter | ForEach-Object { [pscustomobject]@{ Path = ('\\conn01' + $_).ToLowerInvariant(); CookedValue = [double](3 * ($_.Length % 5)) } }) }
    }
    $script:Consistent = @{ account = 'CONTOSO\svc_intune' }
    $script:Listed = @{ configuredServers = @('exch01.contoso.com', 'exch02.contoso.com', 'conn01.contoso.com') }
    function Ev { param($Result, [string]$Label) @($Result.evidence | Where-Object label -EQ $Label | ForEach-Object value) }
}
AfterAll { Save-ErsRecorded }

Describe 'connector-config check: every verdict' -Tag 'verdict' {
    It 'pass: all three files present and consistent; the URLs listed, counters as evidence, the password never printed' {
        Set-Machine
        $run = Invoke-ErsCheck $Step -Inputs $Consistent -Observed $Listed -Case 'all present and consistent'
        $r = $run.Result
        $r.status | Should -Be 'pass'
        $r.summary | Should -Be 'Files consistent; cloud URLs to allow: 4'
        Ev $r 'Cloud service URL' | Should -Be @('https://manage.microsoft.com/RestUserAuthLocationService/RestUserAuthLocationService/ServiceAddresses', 'https://login.microsoftonline.com/', 'https://fef.msua06.manage.microsoft.com/', 'https://enterpriseregistration.windows.net/')
        Ev $r 'Connector account' | Should -Be 'CONTOSO\svc_intune'
        Ev $r 'Exchange server' | Should -Be 'exch01.contoso.com'
        Ev $r 'AD site' | Should -Be 'Default-First-Site-Name'
        Ev $r 'CAS failover servers' | Should -Be 'exch01.contoso.com:443, exch02.contoso.com:443'
        Ev $r 'Counter set' | Should -Be 'Microsoft Intune Exchange Connector'
        @(Ev $r 'Counter').Count | Should -Be 3
        $run.Stdout | Should -Not -Match $Secret
        $run.Stdout | Should -Not -Match 'EncryptedPassword'
    }
    It 'pass: no counters is no failure (they exist only while the connector is installed)' {
        Set-Machine -NoCounters
        $r = (Invoke-ErsCheck $Step -Inputs $Consistent -Observed $Listed).Result
        $r.status | Should -Be 'pass'
        Ev $r 'Counter set' | Should -Match '^none found'
    }
    It 'fail: the connector signs in with another account than the RBAC step checks (both names shown)' {
        Set-Machine -Replace @{ 'CONTOSO\svc_intune' = 'CONTOSO\old_admin' }
        $r = (Invoke-ErsCheck $Step -Inputs $Consistent -Observed $Listed -Case 'account mismatch').Result
        $r.status | Should -Be 'fail'
        $r.summary | Should -Be 'Connector uses CONTOSO\old_admin, RBAC step checks CONTOSO\svc_intune'
        $r.reason | Should -Match 'old_admin.*svc_intune'
    }
    It 'warn: a CAS server the connector fails over to is missing from the configured server list' {
        Set-Machine
        $r = (Invoke-ErsCheck $Step -Inputs $Consistent -Observed @{ configuredServers = @('exch01.contoso.com') } -Case 'CAS server not in the list').Result
        $r.status | Should -Be 'warn'
        $r.summary | Should -Be 'CAS servers not in the server list: 1'
        Ev $r 'Not in the configured server list' | Should -Be 'exch02.contoso.com'
    }
    It 'warn: a CAS server does not answer when the extension probes it (evidence says from where)' {
        Set-Machine
        $probes = @(@{ host = 'exch01.contoso.com'; port = 443; resolved = $true; answered = $true; address = '10.0.5.11'; verdict = 'ok' }, @{ host = 'exch02.contoso.com'; port = 443; resolved = $true; answered = $false; address = '10.0.5.12'; verdict = 'timeout' })
        $r = (Invoke-ErsCheck $Step -Inputs $Consistent -Observed @{ configuredServers = $Listed.configuredServers; casProbes = $probes }).Result
        $r.status | Should -Be 'warn'
        Ev $r 'CAS exch02.contoso.com:443 (probed from the VS Code machine)' | Should -Be 'resolves to 10.0.5.12, no answer on TCP 443 (timeout)'
    }
    It 'notApplicable: no connector installed on this machine' {
        Set-Machine -NoConnector
        $r = (Invoke-ErsCheck $Step -Inputs $Consistent -Observed $Listed -Case 'no connector').Result
        $r.status | Should -Be 'notApplicable'
        $r.summary | Should -Be 'Connector not installed here'
    }
    It 'notApplicable: a data folder holding only logs (left by an uninstall)' {
        Set-Machine -OnlyLogs
        $r = (Invoke-ErsCheck $Step -Inputs $Consistent -Observed $Listed).Result
        $r.status | Should -Be 'notApplicable'
        $r.summary | Should -Be 'No connector configuration here'
    }
    It 'error: a configuration file cannot be read (access denied), never a pass' {
        Set-Machine -Unreadable 'On-PremisesExchangeConnectorServiceConfiguration.xml'
        $r = (Invoke-ErsCheck $Step -Inputs $Consistent -Observed $Listed -Case 'unreadable file').Result
        $r.status | Should -Be 'error'
        $r.summary | Should -Be 'Cannot read On-PremisesExchangeConnectorServiceConfiguration.xml'
        Ev $r 'Code' | Should -Not -BeNullOrEmpty
    }
    It 'warn: MicrosoftIntune.accountcert left beside the extracted setup, with where' {
        $left = 'C:\Users\admin\Downloads\Exchange_Connector_Setup\MicrosoftIntune.accountcert'
        Set-Machine -LeftoverCerts @($left)
        $r = (Invoke-ErsCheck $Step -Inputs $Consistent -Observed $Listed -Case 'leftover accountcert').Result
        $r.status | Should -Be 'warn'
        $r.summary | Should -Be 'Leftover MicrosoftIntune.accountcert'
        Ev $r 'Leftover MicrosoftIntune.accountcert' | Should -Be $left
        $r.reason | Should -Match ([regex]::Escape($left))
    }
    It 'fail: a configuration file that is not XML' {
        Set-Machine -Replace @{ '</CasFailoverConfiguration>' = '</CasFailover' }
        $r = (Invoke-ErsCheck $Step -Inputs $Consistent -Observed $Listed).Result
        $r.status | Should -Be 'fail'
        $r.summary | Should -Be 'On-PremisesExchangeConnectorCasFailoverConfiguration.xml is not valid XML'
    }
    It 'values from the files are bounded: a 5000-character account name arrives cut' {
        Set-Machine -Replace @{ 'CONTOSO\svc_intune' = ('CONTOSO\' + ('x' * 5000)) }
        $r = (Invoke-ErsCheck $Step -Inputs $Consistent -Observed $Listed).Result
        $r.status | Should -Be 'fail'
        (Ev $r 'Connector account').Length | Should -BeLessOrEqual 301
        $r.summary.Length | Should -BeLessOrEqual 120
    }
}

Describe 'connector-config remediation (read-only)' -Tag 'remediation' {
    BeforeEach { Reset-ErsChanges }
    It 'prints the URL allow-list and the leftover certificate, changes nothing, with and without -WhatIf' {
        $left = 'C:\Users\admin\Desktop\MicrosoftIntune.accountcert'
        Set-Machine -LeftoverCerts @($left)
        Mock Remove-Item { Add-ErsChange 'Remove-Item' @{ LiteralPath = $LiteralPath } }
        $script = Get-ErsScript $Step remediation -Inputs $Consistent
        foreach ($whatIf in @($false, $true)) {
            $out = Invoke-ErsScript -Script $script -WhatIf:$whatIf
            $out | Should -Match ([regex]::Escape('  https://login.microsoftonline.com/'))
            $out | Should -Match ([regex]::Escape('Leftover MicrosoftIntune.accountcert: ' + $left))
            $out | Should -Not -Match $Secret
        }
        $global:ErsChanges.Count | Should -Be 0
        Should -Invoke Remove-Item -Times 0 -Exactly
        $script:Files.ContainsKey($left) | Should -BeTrue
    }
}

Describe 'ConnectorConfig runbook' -Tag 'remediation' {
    It 'connector-config: the runbook changes nothing and ends with the check passing on a consistent connector' {
        Reset-ErsChanges; Set-Machine
        $rb = Invoke-ErsRunbook -Step 'connector-config' -Inputs $Consistent
        $rb.Runbook.completed | Should -BeTrue
        $rb.Result.status | Should -Be 'pass'
        $global:ErsChanges.Count | Should -Be 0
    }
}
