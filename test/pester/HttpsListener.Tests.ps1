# Steps 4 and 5, https-listener and listener-certificate: listeners as WS-Man XML, Cert:\LocalMachine\My
# holding real X509Certificate2s made with CertificateRequest (a CA-issued one, a self-signed one, expiring ones).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Ers.ps1')
    $now = Get-Date
    $script:Ca = New-ErsCertificate -Issuer 'CN=Contoso Issuing CA, DC=contoso, DC=com' -NotAfter $now.AddDays(200) -FriendlyName 'WinRM 2026'
    $script:Renewed = New-ErsCertificate -Issuer 'CN=Contoso Issuing CA, DC=contoso, DC=com' -NotBefore $now.AddDays(-1) -NotAfter $now.AddDays(365) -FriendlyName 'WinRM 2027'
    $script:Soon = New-ErsCertificate -Issuer 'CN=Contoso Issuing CA, DC=contoso, DC=com' -NotBefore $now.AddDays(-320) -NotAfter $now.AddDays(45)
    $script:VerySoon = New-ErsCertificate -Issuer 'CN=Contoso Issuing CA, DC=contoso, DC=com' -NotBefore $now.AddDays(-355) -NotAfter $now.AddDays(10)
    $script:Expired = New-ErsCertificate -Issuer 'CN=Contoso Issuing CA, DC=contoso, DC=com' -NotBefore $now.AddDays(-370) -NotAfter $now.AddDays(-5)
    $script:SelfSigned = New-ErsCertificate -Eku @('1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.1') -NotAfter $now.AddDays(300)
    $script:OtherName = New-ErsCertificate -Subject 'CN=mail.contoso.com' -DnsName @() -Issuer 'CN=Contoso Issuing CA, DC=contoso, DC=com'
    $script:Wildcard = New-ErsCertificate -Subject 'CN=*.contoso.com' -DnsName @('*.contoso.com') -Issuer 'CN=Contoso Issuing CA, DC=contoso, DC=com'
    $script:ClientOnly = New-ErsCertificate -Eku @('1.3.6.1.5.5.7.3.2') -Issuer 'CN=Contoso Issuing CA, DC=contoso, DC=com'
    function Set-Machine {
        param([object[]]$Listeners, [object[]]$Certificates)
        $script:Listeners = $Listeners
        Set-ErsCertStore -Certificates $Certificates
    }
    Register-ErsListenerMocks
    Register-ErsCertDriveMocks
}
AfterAll { Save-ErsRecorded }

Describe 'https-listener check: every verdict' -Tag 'verdict' {
    It 'pass: HTTPS on 5986 with a CA certificate for the FQDN' {
        Set-Machine -Listeners @((New-ErsHttpListener), (New-ErsHttpsListener $Ca.Thumbprint)) -Certificates @($Ca)
        $r = (Invoke-ErsCheck 'https-listener' -Case 'CA certificate for the FQDN').Result
        $r.status | Should -Be 'pass'; ($r.evidence | Where-Object label -EQ 'Certificate').value | Should -Match $Ca.Thumbprint
    }
    It 'pass: a wildcard certificate covers the host; the Hostname WinRM sends as xsi:nil reads as empty' {
        Set-Machine -Listeners @((New-ErsHttpsListener $Wildcard.Thumbprint -Hostname $null)) -Certificates @($Wildcard)
        $c = Invoke-ErsCheck 'https-listener' -Case 'wildcard, Hostname nil'
        $c.Result.status | Should -Be 'pass'
        $c.Result.evidence[0].value | Should -Match 'hostname \(empty\)'
    }
    It 'warn: self-signed certificate' {
        Set-Machine -Listeners @((New-ErsHttpsListener $SelfSigned.Thumbprint)) -Certificates @($SelfSigned)
        (Invoke-ErsCheck 'https-listener' -Case 'self-signed').Result.summary | Should -Match 'self-signed'
    }
    It 'fail: only the HTTP listener' {
        Set-Machine -Listeners @((New-ErsHttpListener)) -Certificates @($Ca)
        (Invoke-ErsCheck 'https-listener' -Case 'only HTTP').Result.summary | Should -Be 'No HTTPS listener'
    }
    It 'fail: the certificate names another host (CN only, no SANs)' {
        Set-Machine -Listeners @((New-ErsHttpsListener $OtherName.Thumbprint)) -Certificates @($OtherName)
        (Invoke-ErsCheck 'https-listener' -Case 'other name').Result.summary | Should -Match 'does not name exch01.contoso.com'
    }
    It 'fail: the thumbprint is no longer in LocalMachine\My' {
        Set-Machine -Listeners @((New-ErsHttpsListener $Expired.Thumbprint)) -Certificates @($Ca)
        (Invoke-ErsCheck 'https-listener' -Case 'certificate gone').Result.summary | Should -Match 'missing'
    }
    It 'fail: listener bound to 443 (IIS owns it)' {
        Set-Machine -Listeners @((New-ErsHttpsListener $Ca.Thumbprint -Port '443')) -Certificates @($Ca)
        (Invoke-ErsCheck 'https-listener' -Case 'port 443').Result.reason | Should -Match 'IIS'
    }
    It 'fail: expired certificate' {
        Set-Machine -Listeners @((New-ErsHttpsListener $Expired.Thumbprint)) -Certificates @($Expired)
        (Invoke-ErsCheck 'https-listener' -Case 'expired').Result.summary | Should -Match 'expired'
    }
    It 'fail: no Server Authentication EKU' {
        Set-Machine -Listeners @((New-ErsHttpsListener $ClientOnly.Thumbprint)) -Certificates @($ClientOnly)
        (Invoke-ErsCheck 'https-listener' -Case 'client-auth only').Result.summary | Should -Match 'Server Authentication'
    }
    It 'error: the WSMan configuration cannot be read' {
        Set-Machine -Listeners @() -Certificates @()
        Mock Get-WSManInstance { throw [System.InvalidOperationException]::new('The client cannot connect to the destination specified in the request. (0x80338012)') } -ParameterFilter { $ResourceURI -eq 'winrm/config/listener' -and $Enumerate }
        $r = (Invoke-ErsCheck 'https-listener' -Case 'WSMan unreadable').Result
        $r.status | Should -Be 'error'; $r.code | Should -Be '0x80338012'
    }
}

Describe 'listener-certificate check: every verdict' -Tag 'verdict' {
    It 'pass: valid for about 200 more days' {
        Set-Machine -Listeners @((New-ErsHttpsListener $Ca.Thumbprint)) -Certificates @($Ca)
        (Invoke-ErsCheck 'listener-certificate' -Case 'valid 200 days').Result.summary | Should -Match 'Certificate valid for 19\d more days'
    }
    It 'warn: 45 days left, a renewed certificate is installed (listed as candidate)' {
        Set-Machine -Listeners @((New-ErsHttpsListener $Soon.Thumbprint)) -Certificates @($Soon, $Renewed)
        $r = (Invoke-ErsCheck 'listener-certificate' -Case '45 days, renewal installed').Result
        $r.status | Should -Be 'warn'; ($r.evidence | Where-Object label -EQ 'Replacement candidates').value | Should -Match $Renewed.Thumbprint
    }
    It 'warn: 45 days left, no replacement installed yet' {
        Set-Machine -Listeners @((New-ErsHttpsListener $Soon.Thumbprint)) -Certificates @($Soon)
        (Invoke-ErsCheck 'listener-certificate' -Case '45 days, no renewal').Result.reason | Should -Match 'plan the replacement\.$'
    }
    It 'fail: 10 days left, a renewed certificate is installed' {
        Set-Machine -Listeners @((New-ErsHttpsListener $VerySoon.Thumbprint)) -Certificates @($VerySoon, $Renewed)
        (Invoke-ErsCheck 'listener-certificate' -Case '10 days, renewal installed').Result.reason | Should -Match 'Rebind the listener to the replacement candidate'
    }
    It 'warn: the listener presents another certificate than its configuration names' {
        Set-Machine -Listeners @((New-ErsHttpsListener $Ca.Thumbprint)) -Certificates @($Ca, $Renewed)
        $obs = @{ presentedCertificate = @{ thumbprint = $Renewed.Thumbprint; notAfter = $Renewed.NotAfter.ToUniversalTime().ToString('o'); trusted = $true } }
        (Invoke-ErsCheck 'listener-certificate' -Observed $obs -Case 'presented differs').Result.summary | Should -Match 'differs'
    }
    It 'fail: 10 days left' {
        Set-Machine -Listeners @((New-ErsHttpsListener $VerySoon.Thumbprint)) -Certificates @($VerySoon)
        (Invoke-ErsCheck 'listener-certificate' -Case '10 days').Result.summary | Should -Match 'expires in (9|10) days'
    }
    It 'fail: expired 5 days ago' {
        Set-Machine -Listeners @((New-ErsHttpsListener $Expired.Thumbprint)) -Certificates @($Expired)
        (Invoke-ErsCheck 'listener-certificate' -Case 'expired').Result.summary | Should -Match 'expired (5|6) days ago'
    }
    It 'fail: the configured certificate was deleted; a replacement is installed' {
        Set-Machine -Listeners @((New-ErsHttpsListener $Expired.Thumbprint)) -Certificates @($Renewed)
        (Invoke-ErsCheck 'listener-certificate' -Case 'deleted').Result.reason | Should -Match 'replacement candidate'
    }
    It 'notApplicable: no HTTPS listener yet' {
        Set-Machine -Listeners @((New-ErsHttpListener)) -Certificates @($Ca)
        (Invoke-ErsCheck 'listener-certificate' -Case 'no HTTPS listener').Result.status | Should -Be 'notApplicable'
    }
    It 'error: the certificate store cannot be read' {
        Set-Machine -Listeners @((New-ErsHttpsListener $Ca.Thumbprint)) -Certificates @($Ca)
        Mock Get-ChildItem { throw [System.UnauthorizedAccessException]::new('Access is denied.') } -ParameterFilter { $Path -eq 'Cert:\LocalMachine\My' }
        (Invoke-ErsCheck 'listener-certificate' -Case 'store unreadable').Result.status | Should -Be 'error'
    }
}

Describe 'https-listener remediation' -Tag 'remediation' {
    BeforeEach { Reset-ErsChanges }
    It '-WhatIf creates neither a certificate nor a listener' {
        Set-Machine -Listeners @((New-ErsHttpListener)) -Certificates @()
        Invoke-ErsScript -Script (Get-ErsScript 'https-listener' remediation @{ allowSelfSigned = $true }) -WhatIf | Out-Null
        $global:ErsChanges.Count | Should -Be 0
        Should -Invoke New-WSManInstance -Times 0 -Exactly
        Should -Invoke Set-WSManInstance -Times 0 -Exactly
    }
    It 'creates exactly the HTTPS listener for the CA certificate; a second run changes nothing; the check then passes' {
        Set-Machine -Listeners @((New-ErsHttpListener)) -Certificates @($Ca, $ClientOnly, $Expired)
        $script = Get-ErsScript 'https-listener' remediation
        Invoke-ErsScript -Script $script | Out-Null
        @($global:ErsChanges).Count | Should -Be 1
        $ch = $global:ErsChanges[0]
        $ch.Command | Should -Be 'New-WSManInstance'
        $ch.Arguments.ResourceURI | Should -Be 'winrm/config/Listener'
        $ch.Arguments.SelectorSet.Address | Should -Be '*'; $ch.Arguments.SelectorSet.Transport | Should -Be 'HTTPS'
        $ch.Arguments.ValueSet.CertificateThumbprint | Should -Be $Ca.Thumbprint
        $ch.Arguments.ValueSet.Hostname | Should -Be 'exch01.contoso.com'
        $ch.Arguments.ValueSet.Port | Should -Be '5986'
        Reset-ErsChanges
        Invoke-ErsScript -Script $script | Should -Match 'nothing to do'
        $global:ErsChanges.Count | Should -Be 0
        (Invoke-ErsCheck 'https-listener').Result.status | Should -Be 'pass'
    }
    It 'refuses without a usable certificate unless self-signed is allowed, then issues one' {
        Set-Machine -Listeners @() -Certificates @($Expired)
        { Invoke-ErsScript -Script (Get-ErsScript 'https-listener' remediation) } | Should -Throw '*Request one from the enterprise CA*'
        $global:ErsChanges.Count | Should -Be 0
        Invoke-ErsScript -Script (Get-ErsScript 'https-listener' remediation @{ allowSelfSigned = $true }) | Out-Null
        @($global:ErsChanges | ForEach-Object Command) | Should -Be @('New-SelfSignedCertificate', 'New-WSManInstance')
        $global:ErsChanges[0].Arguments.DnsName | Should -Be @('exch01.contoso.com')
        $global:ErsChanges[0].Arguments.CertStoreLocation | Should -Be 'Cert:\LocalMachine\My'
        (Invoke-ErsCheck 'https-listener').Result.status | Should -Be 'warn'
    }
}

Describe 'listener-certificate remediation' -Tag 'remediation' {
    BeforeEach { Reset-ErsChanges }
    It '-WhatIf rebinds nothing' {
        Set-Machine -Listeners @((New-ErsHttpsListener $Soon.Thumbprint)) -Certificates @($Soon, $Renewed)
        Invoke-ErsScript -Script (Get-ErsScript 'listener-certificate' remediation) -WhatIf | Out-Null
        Should -Invoke Set-WSManInstance -Times 0 -Exactly
        $global:ErsChanges.Count | Should -Be 0
    }
    It 'rebinds exactly the listener to the renewed certificate; a second run changes nothing; the check then passes' {
        Set-Machine -Listeners @((New-ErsHttpsListener $Soon.Thumbprint)) -Certificates @($Soon, $Renewed)
        $script = Get-ErsScript 'listener-certificate' remediation
        Invoke-ErsScript -Script $script | Out-Null
        @($global:ErsChanges).Count | Should -Be 1
        $global:ErsChanges[0].Command | Should -Be 'Set-WSManInstance'
        $global:ErsChanges[0].Arguments.SelectorSet.Address | Should -Be '*'
        $global:ErsChanges[0].Arguments.SelectorSet.Transport | Should -Be 'HTTPS'
        @($global:ErsChanges[0].Arguments.ValueSet.Keys) | Should -Be @('CertificateThumbprint')
        $global:ErsChanges[0].Arguments.ValueSet.CertificateThumbprint | Should -Be $Renewed.Thumbprint
        Reset-ErsChanges
        Invoke-ErsScript -Script $script | Should -Match 'nothing to do'
        $global:ErsChanges.Count | Should -Be 0
        (Invoke-ErsCheck 'listener-certificate').Result.status | Should -Be 'pass'
    }
}

Describe 'HttpsListener runbook' -Tag 'remediation' {
    It 'https-listener: the runbook under -WhatIf changes nothing and reports the check still failing' {
        Reset-ErsChanges; Set-Machine -Listeners @((New-ErsHttpListener)) -Certificates @($Ca)
        $rb = Invoke-ErsRunbook -Step 'https-listener' -Inputs @{} -WhatIf
        $global:ErsChanges.Count | Should -Be 0
        $rb.Result.status | Should -Not -Be 'pass'
    }
    It 'https-listener: the runbook remediates and ends with the check passing on the fixed state' {
        Reset-ErsChanges; Set-Machine -Listeners @((New-ErsHttpListener)) -Certificates @($Ca)
        $rb = Invoke-ErsRunbook -Step 'https-listener' -Inputs @{}
        $rb.Runbook.completed | Should -BeTrue
        $rb.Result.status | Should -Be 'pass'
    }
    It 'listener-certificate: the runbook under -WhatIf changes nothing and reports the check still failing' {
        Reset-ErsChanges; Set-Machine -Listeners @((New-ErsHttpsListener $Soon.Thumbprint)) -Certificates @($Soon, $Renewed)
        $rb = Invoke-ErsRunbook -Step 'listener-certificate' -Inputs @{} -WhatIf
        $global:ErsChanges.Count | Should -Be 0
        $rb.Result.status | Should -Not -Be 'pass'
    }
    It 'listener-certificate: the runbook remediates and ends with the check passing on the fixed state' {
        Reset-ErsChanges; Set-Machine -Listeners @((New-ErsHttpsListener $Soon.Thumbprint)) -Certificates @($Soon, $Renewed)
        $rb = Invoke-ErsRunbook -Step 'listener-certificate' -Inputs @{}
        $rb.Runbook.completed | Should -BeTrue
        $rb.Result.status | Should -Be 'pass'
    }
}
