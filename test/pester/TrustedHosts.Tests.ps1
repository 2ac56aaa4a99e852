# Step 7, trusted-hosts (on the sync server): WSMan:\localhost\Client\TrustedHosts, Win32_ComputerSystem and,
# for HTTPS, a real TLS handshake with a listener on 127.0.0.1 that presents a self-signed certificate.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Ers.ps1')
    $script:Step = 'trusted-hosts'
    $script:Tls = Start-ErsTlsServer -Certificate (New-ErsCertificate)
    $global:ErsHostMap = @{ 'exch01.contoso.com' = @{ Address = '127.0.0.1'; Port = $script:Tls.Port } }
    function Set-Machine { param([string]$Value = '', [string]$Source = '', [bool]$Domain = $true) $script:TH = New-ErsWsmanLeaf 'TrustedHosts' $Value $Source; $script:Domain = $Domain }
    Mock Get-Item { $script:TH } -ParameterFilter { $Path -eq 'WSMan:\localhost\Client\TrustedHosts' }
    Mock Get-CimInstance { [pscustomobject]@{ Name = 'SYNC01'; PartOfDomain = $script:Domain; Domain = $(if ($script:Domain) { 'contoso.com' } else { 'WORKGROUP' }) } } -ParameterFilter { $ClassName -eq 'Win32_ComputerSystem' }
    # -Concatenate is a dynamic parameter of the WSMan provider, which does not exist here: Set-Item with the
    # WSMan provider's parameters, for the Mock to stand in for.
    function Set-Item { [CmdletBinding(SupportsShouldProcess)] param([Parameter(Position = 0)][string[]]$Path, [Parameter(Position = 1)]$Value, [switch]$Concatenate, [switch]$Force) throw 'WSMan provider not available' }
    Mock Set-Item {
        Invoke-ErsChange 'Set-Item' $PesterBoundParameters {
            $script:TH.Value = $(if ($Concatenate -and $script:TH.Value) { $script:TH.Value + ',' + $Value } else { $Value })
        } | Out-Null
    } -ParameterFilter { $Path -eq 'WSMan:\localhost\Client\TrustedHosts' }
    Register-ErsTcpMocks
}
AfterAll { Stop-ErsTlsServer $script:Tls; Save-ErsRecorded }

Describe 'trusted-hosts check: every verdict' -Tag 'verdict' {
    It 'notApplicable: Kerberos by FQDN from a domain member' {
        Set-Machine
        (Invoke-ErsCheck $Step -Inputs @{ connection = 'http-kerberos' } -Case 'Kerberos by FQDN').Result.status | Should -Be 'notApplicable'
    }
    It 'notApplicable: HTTPS, and the listener''s certificate chains to a CA this client trusts (real handshake)' {
        Set-Machine -Domain $false
        $ca = New-ErsTrustedCa
        $trusted = Start-ErsTlsServer -Certificate (New-ErsCertificate -IssuerCertificate $ca)
        try {
            $global:ErsHostMap = @{ 'exch01.contoso.com' = @{ Address = '127.0.0.1'; Port = $trusted.Port } }
            $r = (Invoke-ErsCheck $Step -Case 'trusted HTTPS').Result
            $r.status | Should -Be 'notApplicable'; $r.summary | Should -Be 'HTTPS with a trusted certificate proves identity'
            ($r.evidence | Where-Object label -EQ 'TLS to listener').value | Should -Be 'handshake ok; policy errors: None'
        } finally {
            Stop-ErsTlsServer $trusted; Remove-ErsTrustedCa $ca
            $global:ErsHostMap = @{ 'exch01.contoso.com' = @{ Address = '127.0.0.1'; Port = $script:Tls.Port } }
        }
    }
    It 'notApplicable: the product runs on the Exchange server itself (local)' {
        Set-Machine -Domain $false
        (Invoke-ErsCheck $Step -Inputs @{ connection = 'local' } -Case 'local').Result.summary | Should -Be 'Local connection'
    }
    It 'fail: workgroup sync server, the listener''s self-signed certificate is not trusted (real handshake), empty list' {
        Set-Machine -Domain $false
        $r = (Invoke-ErsCheck $Step -Case 'workgroup, untrusted certificate').Result
        $r.status | Should -Be 'fail'
        ($r.evidence | Where-Object label -EQ 'TLS to listener').value | Should -Match 'RemoteCertificateChainErrors'
    }
    It 'warn: the seed''s "*"' {
        Set-Machine -Value '*' -Domain $false
        (Invoke-ErsCheck $Step -Case 'star').Result.summary | Should -Be 'TrustedHosts is "*"'
    }
    It 'pass: covered by *.contoso.com' {
        Set-Machine -Value '*.contoso.com,10.0.0.5' -Domain $false
        (Invoke-ErsCheck $Step -Case 'covered by domain pattern').Result.summary | Should -Match 'covered by \*\.contoso\.com'
    }
    It 'fail: list owned by Group Policy and not covering the server' {
        Set-Machine -Value 'other.contoso.com' -Source 'GPO' -Domain $false
        $r = (Invoke-ErsCheck $Step -Case 'GPO list').Result
        $r.status | Should -Be 'fail'; $r.policy.setting | Should -Be 'TrustedHosts'
    }
    It 'error: WinRM stopped on the sync server (WSMan: unreadable)' {
        Set-Machine
        Mock Get-Item { throw [System.InvalidOperationException]::new('The client cannot connect to the destination specified in the request. (0x80338012)') } -ParameterFilter { $Path -eq 'WSMan:\localhost\Client\TrustedHosts' }
        (Invoke-ErsCheck $Step -Case 'WSMan unreadable').Result.code | Should -Be '0x80338012'
    }
}

Describe 'trusted-hosts remediation' -Tag 'remediation' {
    BeforeEach { Reset-ErsChanges }
    It '-WhatIf changes nothing' {
        Set-Machine -Value 'legacy01.contoso.com' -Domain $false
        Invoke-ErsScript -Script (Get-ErsScript $Step remediation) -WhatIf | Out-Null
        $global:ErsChanges.Count | Should -Be 0
        $script:TH.Value | Should -Be 'legacy01.contoso.com'
    }
    It 'appends exactly the missing entry with -Concatenate; a second run changes nothing; the check then passes' {
        Set-Machine -Value 'legacy01.contoso.com' -Domain $false
        $script = Get-ErsScript $Step remediation
        Invoke-ErsScript -Script $script | Out-Null
        @($global:ErsChanges).Count | Should -Be 1
        $global:ErsChanges[0].Arguments.Value | Should -Be 'exch01.contoso.com'
        $global:ErsChanges[0].Arguments.Concatenate | Should -BeTrue
        $script:TH.Value | Should -Be 'legacy01.contoso.com,exch01.contoso.com'
        Reset-ErsChanges
        Invoke-ErsScript -Script $script | Should -Match 'nothing to do'
        $global:ErsChanges.Count | Should -Be 0
        (Invoke-ErsCheck $Step).Result.status | Should -Be 'pass'
    }
    It 'refuses when Group Policy owns the list' {
        Set-Machine -Source 'GPO'
        { Invoke-ErsScript -Script (Get-ErsScript $Step remediation) } | Should -Throw '*controlled by policy*'
        $global:ErsChanges.Count | Should -Be 0
    }
}

Describe 'TrustedHosts runbook' -Tag 'remediation' {
    It 'trusted-hosts: the runbook under -WhatIf changes nothing and reports the check still failing' {
        Reset-ErsChanges; Set-Machine -Value 'legacy01.contoso.com' -Domain $false
        $rb = Invoke-ErsRunbook -Step 'trusted-hosts' -Inputs @{} -WhatIf
        $global:ErsChanges.Count | Should -Be 0
        $rb.Result.status | Should -Not -Be 'pass'
    }
    It 'trusted-hosts: the runbook remediates and ends with the check passing on the fixed state' {
        Reset-ErsChanges; Set-Machine -Value 'legacy01.contoso.com' -Domain $false
        $rb = Invoke-ErsRunbook -Step 'trusted-hosts' -Inputs @{}
        $rb.Runbook.completed | Should -BeTrue
        $rb.Result.status | Should -Be 'pass'
    }
}
