# Steps 8a and 8b. firewall-5986: the ActiveStore's port filters, rules and address filters as NetSecurity
# returns them (piped filter → rule → address filter), the network profile. network-path-5986: real TCP and TLS servers on 127.0.0.1, real DNS for names outside the fake domain.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Ers.ps1')
    function New-Rule {
        param([string]$Name = 'ERS-WinRM-HTTPS-In-5986', [string]$DisplayName = 'Windows Remote Management (HTTPS-In 5986)', [string]$Enabled = 'True', [string]$Action = 'Allow', [string]$Profile = 'Domain', [string[]]$RemoteAddress = @('10.0.5.21'), [string]$Source = 'Local', [string[]]$LocalPort = @('5986'))
        @{ Name = $Name; DisplayName = $DisplayName; Enabled = $Enabled; Direction = 'Inbound'; Action = $Action; Profile = $Profile; PolicyStoreSourceType = $Source; Protocol = 'TCP'; LocalPort = $LocalPort; RemoteAddress = $RemoteAddress }
    }
    function Set-Machine { param([object[]]$Rules, [string]$Category = 'DomainAuthenticated') $script:Rules = [System.Collections.Generic.List[object]]::new(); foreach ($r in $Rules) { $script:Rules.Add($r) }; $script:Category = $Category }
    function ConvertTo-RuleObject { param($r) [pscustomobject]@{ Name = $r.Name; DisplayName = $r.DisplayName; Enabled = $r.Enabled; Direction = $r.Direction; Action = $r.Action; Profile = $r.Profile; PolicyStoreSourceType = $r.PolicyStoreSourceType; InstanceID = $r.Name } }
    $builtin = @(
        (New-Rule -Name 'WINRM-HTTP-In-TCP' -DisplayName 'Windows Remote Management (HTTP-In)' -LocalPort @('5985') -RemoteAddress @('Any')),
        (New-Rule -Name 'RemoteDesktop-UserMode-In-TCP' -DisplayName 'Remote Desktop - User Mode (TCP-In)' -LocalPort @('3389') -RemoteAddress @('Any'))
    )
    $script:Builtin = $builtin
    Mock Get-NetFirewallPortFilter {
        if ($AssociatedNetFirewallRule) { $r = $script:Rules | Where-Object Name -EQ $AssociatedNetFirewallRule.Name; return [pscustomobject]@{ Protocol = $r.Protocol; LocalPort = $r.LocalPort; InstanceID = $r.Name } }
        $script:Rules | ForEach-Object { [pscustomobject]@{ Protocol = $_.Protocol; LocalPort = $_.LocalPort; InstanceID = $_.Name } }
    }
    Mock Get-NetFirewallRule {
        if ($AssociatedNetFirewallPortFilter) { return ConvertTo-RuleObject ($script:Rules | Where-Object Name -EQ $AssociatedNetFirewallPortFilter.InstanceID) }
        if ($Name) { $r = $script:Rules | Where-Object Name -EQ $Name[0]; if ($r) { return ConvertTo-RuleObject $r }; Write-Error -Message ('No MSFT_NetFirewallRule objects found with property ''Name'' equal to ''' + $Name[0] + '''.') -Category ObjectNotFound; return }
        $script:Rules | ForEach-Object { ConvertTo-RuleObject $_ }
    }
    Mock Get-NetFirewallAddressFilter { $r = $script:Rules | Where-Object Name -EQ $AssociatedNetFirewallRule.Name; [pscustomobject]@{ RemoteAddress = $r.RemoteAddress; LocalAddress = 'Any' } }
    Mock Get-NetConnectionProfile { [pscustomobject]@{ Name = 'contoso.com'; InterfaceAlias = 'Ethernet0'; NetworkCategory = $script:Category } }
    Mock New-NetFirewallRule { Invoke-ErsChange 'New-NetFirewallRule' $PesterBoundParameters { $script:Rules.Add((New-Rule -Name $Name -DisplayName $DisplayName -RemoteAddress $RemoteAddress -LocalPort $LocalPort -Profile ($Profile -join ', '))) } | Out-Null }
    Mock Set-NetFirewallRule {
        Invoke-ErsChange 'Set-NetFirewallRule' $PesterBoundParameters {
            $r = $script:Rules | Where-Object Name -EQ $Name[0]
            $r.Enabled = $Enabled; $r.Action = $Action; $r.Profile = ($Profile -join ', '); $r.RemoteAddress = $RemoteAddress; $r.LocalPort = $LocalPort
        } | Out-Null
    }
}
AfterAll { Save-ErsRecorded }

Describe 'firewall-5986 check: every verdict' -Tag 'verdict' {
    BeforeAll { $script:In = @{ remoteAddresses = @('10.0.5.21') } }
    It 'pass: an enabled inbound allow rule scoped to the sync server' {
        Set-Machine -Rules ($Builtin + @((New-Rule)))
        $r = (Invoke-ErsCheck 'firewall-5986' -Inputs $In -Case 'scoped allow rule').Result
        $r.status | Should -Be 'pass'; $r.summary | Should -Be 'TCP 5986 allowed from 10.0.5.21'
    }
    It 'warn: open to any address, from Group Policy' {
        Set-Machine -Rules ($Builtin + @((New-Rule -RemoteAddress @('Any') -Source 'GroupPolicy')))
        $r = (Invoke-ErsCheck 'firewall-5986' -Inputs $In -Case 'any address, GPO').Result
        $r.status | Should -Be 'warn'; $r.reason | Should -Match 'Group Policy'
    }
    It 'fail: only the built-in 5985 rules exist' {
        Set-Machine -Rules $Builtin
        (Invoke-ErsCheck 'firewall-5986' -Inputs $In -Case 'no 5986 rule').Result.summary | Should -Be 'No inbound allow rule for TCP 5986'
    }
    It 'fail: the rule is disabled' {
        Set-Machine -Rules ($Builtin + @((New-Rule -Enabled 'False')))
        (Invoke-ErsCheck 'firewall-5986' -Inputs $In -Case 'disabled').Result.status | Should -Be 'fail'
    }
    It 'fail: a block rule wins' {
        Set-Machine -Rules ($Builtin + @((New-Rule), (New-Rule -Name 'Block-5986' -DisplayName 'Block WinRM HTTPS' -Action 'Block' -RemoteAddress @('Any'))))
        (Invoke-ErsCheck 'firewall-5986' -Inputs $In -Case 'block wins').Result.summary | Should -Match 'Blocked by'
    }
    It 'fail: scoped to other addresses' {
        Set-Machine -Rules ($Builtin + @((New-Rule -RemoteAddress @('10.9.9.9'))))
        (Invoke-ErsCheck 'firewall-5986' -Inputs $In -Case 'other addresses').Result.summary | Should -Match '10.0.5.21'
    }
    It 'fail: the rule is for the Public profile while the network is a domain network; a port range covers 5986' {
        Set-Machine -Rules ($Builtin + @((New-Rule -Profile 'Public' -LocalPort @('5980-5990'))))
        (Invoke-ErsCheck 'firewall-5986' -Inputs $In -Case 'public profile only').Result.status | Should -Be 'fail'
    }
    It 'error: the firewall service cannot be queried' {
        Set-Machine -Rules $Builtin
        Mock Get-NetFirewallPortFilter { throw [Microsoft.Management.Infrastructure.CimException]::new('Access denied') }
        (Invoke-ErsCheck 'firewall-5986' -Inputs $In -Case 'access denied').Result.status | Should -Be 'error'
    }
}

Describe 'network-path-5986 check: every verdict' -Tag 'verdict' {
    # Real servers on 127.0.0.1: TLS listeners presenting a certificate from a CA this pwsh trusts (CurrentUser\Root
    # under the tier's private HOME), a self-signed one, and one for another name; a plain TCP service that is not
    # TLS; a closed port. The fake domain's names resolve to them through Resolve-ErsHostAddress (the DNS of
    # contoso.com does not exist here); connect, handshake and chain validation are .NET's own.
    BeforeAll {
        $script:Ca = New-ErsTrustedCa
        $script:Trusted = Start-ErsTlsServer -Certificate (New-ErsCertificate -IssuerCertificate $script:Ca)
        $script:SelfSigned = Start-ErsTlsServer -Certificate (New-ErsCertificate)
        $script:OtherName = Start-ErsTlsServer -Certificate (New-ErsCertificate -Subject 'CN=mail.contoso.com' -DnsName @('mail.contoso.com') -IssuerCertificate $script:Ca)
        $script:Plain = Start-ErsPlainServer
        $closed = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $closed.Start(); $script:ClosedPort = $closed.LocalEndpoint.Port; $closed.Stop()
        function Use-Server { param([int]$Port) $global:ErsHostMap = @{ 'exch01.contoso.com' = @{ Address = '127.0.0.1'; Port = $Port } } }
        Register-ErsTcpMocks
    }
    AfterAll {
        foreach ($s in @($script:Trusted, $script:SelfSigned, $script:OtherName, $script:Plain)) { Stop-ErsTlsServer $s }
        Remove-ErsTrustedCa $script:Ca
        $global:ErsHostMap = @{}
    }
    It 'pass: the name resolves, TCP connects and the certificate chains to a trusted CA for the FQDN (real handshake)' {
        Use-Server $script:Trusted.Port
        $r = (Invoke-ErsCheck 'network-path-5986' -Case 'trusted certificate').Result
        $r.status | Should -Be 'pass'; $r.summary | Should -Be 'TCP 5986 reachable, TLS trusted'
        ($r.evidence | Where-Object label -EQ 'Resolves to').value | Should -Be '127.0.0.1'
        ($r.evidence | Where-Object label -EQ 'Presented certificate').value | Should -Match 'CN=exch01\.contoso\.com'
    }
    It 'warn: the certificate is self-signed, so the chain is not trusted (RemoteCertificateChainErrors)' {
        Use-Server $script:SelfSigned.Port
        $r = (Invoke-ErsCheck 'network-path-5986' -Case 'self-signed certificate').Result
        $r.status | Should -Be 'warn'; $r.summary | Should -Be 'TCP 5986 open; certificate not trusted or name mismatch'
        ($r.evidence | Where-Object label -EQ 'TLS policy errors').value | Should -Be 'RemoteCertificateChainErrors'
        $r.reason | Should -Match 'Trusted Root'
    }
    It 'warn: a trusted certificate for another name (RemoteCertificateNameMismatch)' {
        Use-Server $script:OtherName.Port
        $r = (Invoke-ErsCheck 'network-path-5986' -Case 'name mismatch').Result
        $r.status | Should -Be 'warn'
        ($r.evidence | Where-Object label -EQ 'TLS policy errors').value | Should -Be 'RemoteCertificateNameMismatch'
        $r.reason | Should -Match 'does not name the FQDN'
    }
    It 'warn: the port answers, but not with TLS (an HTTP-only service)' {
        Use-Server $script:Plain.Port
        $r = (Invoke-ErsCheck 'network-path-5986' -Case 'not TLS').Result
        $r.status | Should -Be 'warn'; $r.summary | Should -Be 'TCP 5986 open, TLS handshake failed'
    }
    It 'fail: nothing listens on the port (connection refused)' {
        Use-Server $script:ClosedPort
        $r = (Invoke-ErsCheck 'network-path-5986' -Case 'refused').Result
        $r.status | Should -Be 'fail'; $r.summary | Should -Be 'TCP 5986 refused'
    }
    It 'fail: the name does not resolve (real DNS lookup)' {
        $r = (Invoke-ErsCheck 'network-path-5986' -Inputs @{ server = 'exch01.contoso.invalid' } -Case 'does not resolve').Result
        $r.status | Should -Be 'fail'; $r.summary | Should -Be 'exch01.contoso.invalid does not resolve'
    }
    It 'error: the sync server cannot open a socket at all (WSAENOBUFS)' {
        Use-Server $script:Trusted.Port
        Mock New-Object { throw [System.Net.Sockets.SocketException]::new(10055) } -ParameterFilter { $TypeName -eq 'System.Net.Sockets.TcpClient' }
        $r = (Invoke-ErsCheck 'network-path-5986' -Case 'no socket').Result
        $r.status | Should -Be 'error'
    }
}

Describe 'firewall-5986 and network-path-5986 remediations' -Tag 'remediation' {
    BeforeEach { Reset-ErsChanges }
    It 'firewall: -WhatIf creates no rule' {
        Set-Machine -Rules $Builtin
        Invoke-ErsScript -Script (Get-ErsScript 'firewall-5986' remediation @{ remoteAddresses = @('10.0.5.21') }) -WhatIf | Out-Null
        $global:ErsChanges.Count | Should -Be 0
        $script:Rules.Count | Should -Be 2
    }
    It 'firewall: creates exactly the scoped rule; a second run changes nothing; the check then passes' {
        Set-Machine -Rules $Builtin
        $script = Get-ErsScript 'firewall-5986' remediation @{ remoteAddresses = @('10.0.5.21', '10.0.6.0/24') }
        Invoke-ErsScript -Script $script | Out-Null
        @($global:ErsChanges).Count | Should -Be 1
        $a = $global:ErsChanges[0].Arguments
        $global:ErsChanges[0].Command | Should -Be 'New-NetFirewallRule'
        $a.Name | Should -Be 'ERS-WinRM-HTTPS-In-5986'; $a.Direction | Should -Be 'Inbound'; $a.Protocol | Should -Be 'TCP'
        $a.LocalPort | Should -Be @('5986'); $a.Action | Should -Be 'Allow'; $a.Profile | Should -Be @('Domain')
        $a.RemoteAddress | Should -Be @('10.0.5.21', '10.0.6.0/24')
        Reset-ErsChanges
        Invoke-ErsScript -Script $script | Should -Match 'nothing to do'
        $global:ErsChanges.Count | Should -Be 0
        (Invoke-ErsCheck 'firewall-5986' -Inputs @{ remoteAddresses = @('10.0.5.21') }).Result.status | Should -Be 'pass'
    }
    It 'firewall: an existing rule with the wrong scope is updated, not duplicated' {
        Set-Machine -Rules ($Builtin + @((New-Rule -RemoteAddress @('Any') -Enabled 'False')))
        Invoke-ErsScript -Script (Get-ErsScript 'firewall-5986' remediation @{ remoteAddresses = @('10.0.5.21') }) | Out-Null
        @($global:ErsChanges | ForEach-Object Command) | Should -Be @('Set-NetFirewallRule')
        $script:Rules.Count | Should -Be 3
        (Invoke-ErsCheck 'firewall-5986' -Inputs @{ remoteAddresses = @('10.0.5.21') }).Result.status | Should -Be 'pass'
    }
    It 'network path: prints a change request and changes nothing' {
        Invoke-ErsScript -Script (Get-ErsScript 'network-path-5986' remediation) | Should -Match 'Firewall change request'
        $global:ErsChanges.Count | Should -Be 0
    }
}

Describe 'Firewall runbook' -Tag 'remediation' {
    It 'firewall-5986: the runbook under -WhatIf changes nothing and reports the check still failing' {
        Reset-ErsChanges; Set-Machine -Rules $Builtin
        $rb = Invoke-ErsRunbook -Step 'firewall-5986' -Inputs @{ remoteAddresses = @('10.0.5.21') } -WhatIf
        $global:ErsChanges.Count | Should -Be 0
        $rb.Result.status | Should -Not -Be 'pass'
    }
    It 'firewall-5986: the runbook remediates and ends with the check passing on the fixed state' {
        Reset-ErsChanges; Set-Machine -Rules $Builtin
        $rb = Invoke-ErsRunbook -Step 'firewall-5986' -Inputs @{ remoteAddresses = @('10.0.5.21') }
        $rb.Runbook.completed | Should -BeTrue
        $rb.Result.status | Should -Be 'pass'
    }
}
