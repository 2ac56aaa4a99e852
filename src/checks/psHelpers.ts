// PowerShell helper functions shared by the generated scripts. Constant text (no inputs). They run on
// Windows PowerShell 5.1 and PowerShell 7 alike and produce only primitives (strings, numbers, booleans,
// arrays of them) so ConvertTo-Json gives the same JSON on both.

export const HELPER_NAMES = ['error', 'elevated', 'certInfo', 'certSearch', 'dns', 'tls', 'ldap', 'listeners', 'winrmPolicy', 'change'] as const;
export type HelperName = (typeof HELPER_NAMES)[number];

export const PS_HELPERS: Readonly<Record<HelperName, string>> = {
  // The stable facts of an ErrorRecord: FullyQualifiedErrorId, category, exception type and every HRESULT of
  // the exception chain. The message is kept for display only (it is localized).
  error: `function ConvertTo-ErsError {
    param($Record, [string]$Source)
    $codes = New-Object System.Collections.Generic.List[string]
    $ex = $Record.Exception
    while ($null -ne $ex) {
        $codes.Add(('0x{0:X8}' -f $ex.HResult))
        if ($null -ne $ex.PSObject.Properties['NativeErrorCode']) { $codes.Add(('0x{0:X8}' -f (0x80070000 -bor ([int]$ex.NativeErrorCode -band 0xFFFF)))) }
        # Off Windows a SocketException's NativeErrorCode is the errno (111); its SocketErrorCode is the Winsock code (10061).
        if ($null -ne $ex.PSObject.Properties['SocketErrorCode'] -and [int]$ex.SocketErrorCode -ne [int]$ex.NativeErrorCode) { $codes.Add(('0x{0:X8}' -f (0x80070000 -bor ([int]$ex.SocketErrorCode -band 0xFFFF)))) }
        $ex = $ex.InnerException
    }
    [pscustomobject]@{
        fullyQualifiedErrorId = [string]$Record.FullyQualifiedErrorId
        category = [string]$Record.CategoryInfo.Category
        exceptionType = [string]$Record.Exception.GetType().FullName
        hresults = $codes.ToArray()
        message = [string]$Record.Exception.Message
        source = $Source
        windows = (($PSVersionTable.PSEdition -ne 'Core') -or [bool]$IsWindows)
    }
}`,
  // $null off Windows: there is no Windows elevation to report, and "run it elevated" would be the wrong advice.
  elevated: `function Test-ErsElevated {
    if (($PSVersionTable.PSEdition -eq 'Core') -and -not $IsWindows) { return $null }
    try {
        $identity = [System.Security.Principal.WindowsIdentity]::GetCurrent()
        $principal = New-Object System.Security.Principal.WindowsPrincipal($identity)
        return $principal.IsInRole([System.Security.Principal.WindowsBuiltInRole]::Administrator)
    } catch {
        return $false
    }
}`,
  // A certificate from Cert:\\LocalMachine\\My as primitives.
  certInfo: `function Get-ErsCertInfo {
    param($Cert)
    $names = @()
    if ($null -ne $Cert.DnsNameList) { $names = @($Cert.DnsNameList | ForEach-Object { [string]$_.Unicode }) }
    $ekus = @()
    if ($null -ne $Cert.EnhancedKeyUsageList) { $ekus = @($Cert.EnhancedKeyUsageList | ForEach-Object { [string]$_.ObjectId }) }
    [pscustomobject]@{
        thumbprint = [string]$Cert.Thumbprint
        subject = [string]$Cert.Subject
        issuer = [string]$Cert.Issuer
        friendlyName = [string]$Cert.FriendlyName
        dnsNames = $names
        ekus = $ekus
        notBefore = $Cert.NotBefore.ToUniversalTime().ToString('o')
        notAfter = $Cert.NotAfter.ToUniversalTime().ToString('o')
        hasPrivateKey = [bool]$Cert.HasPrivateKey
        selfSigned = ([string]$Cert.Subject -eq [string]$Cert.Issuer)
    }
}`,
  // Certificates in LocalMachine\\My that fit a WinRM HTTPS listener for a host name: private key, Server
  // Authentication EKU (or no EKU restriction), the name in the SAN list (or a wildcard one label up) or,
  // without SANs, in the subject CN. Newest expiry first.
  certSearch: `function Get-ErsListenerCertificates {
    param([string]$HostName)
    $parent = '*.' + $HostName.Substring($HostName.IndexOf('.') + 1)
    @(Get-ChildItem -Path 'Cert:\\LocalMachine\\My' | Where-Object {
        $names = @($_.DnsNameList | ForEach-Object { [string]$_.Unicode })
        $ekus = @($_.EnhancedKeyUsageList | ForEach-Object { [string]$_.ObjectId })
        $nameOk = ($names -contains $HostName) -or ($names -contains $parent) -or (($names.Count -eq 0) -and ([string]$_.Subject -eq ('CN=' + $HostName)))
        $ekuOk = ($ekus.Count -eq 0) -or ($ekus -contains '1.3.6.1.5.5.7.3.1')
        $_.HasPrivateKey -and $nameOk -and $ekuOk
    } | Sort-Object -Property NotAfter -Descending)
}`,
  // The addresses a name resolves to on this machine (the resolver Windows uses: DNS, hosts file), as strings.
  // One function so that every lookup of a step goes through the same place.
  dns: `function Resolve-ErsHostAddress {
    param([string]$HostName)
    @([System.Net.Dns]::GetHostAddresses($HostName) | ForEach-Object { $_.IPAddressToString })
}`,
  // What a client sees: TCP connect with a timeout, then a TLS handshake that records (and does not enforce)
  // the certificate policy errors.
  tls: `function Get-ErsTlsInfo {
    param([string]$HostName, [int]$Port)
    $out = [ordered]@{ tcpSucceeded = $false; tlsSucceeded = $false; policyErrors = ''; certificate = $null; error = $null }
    $client = New-Object System.Net.Sockets.TcpClient
    try {
        $pending = $client.BeginConnect($HostName, $Port, $null, $null)
        if (-not $pending.AsyncWaitHandle.WaitOne(5000)) { throw (New-Object System.TimeoutException('TCP connect timed out')) }
        $client.EndConnect($pending)
        $out.tcpSucceeded = $true
        $script:ersPolicyErrors = ''
        $callback = [System.Net.Security.RemoteCertificateValidationCallback]{ param($s, $c, $ch, $e) $script:ersPolicyErrors = $e.ToString(); return $true }
        $ssl = New-Object System.Net.Security.SslStream($client.GetStream(), $false, $callback)
        try {
            # TLS 1.2 explicitly: Windows PowerShell 5.1 on older .NET would otherwise offer only TLS 1.0.
            $ssl.AuthenticateAsClient($HostName, $null, [System.Security.Authentication.SslProtocols]::Tls12, $false)
            $out.tlsSucceeded = $true
            $out.policyErrors = [string]$script:ersPolicyErrors
            $cert = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2($ssl.RemoteCertificate)
            $out.certificate = [pscustomobject]@{
                thumbprint = [string]$cert.Thumbprint
                subject = [string]$cert.Subject
                issuer = [string]$cert.Issuer
                notAfter = $cert.NotAfter.ToUniversalTime().ToString('o')
            }
        } finally {
            $ssl.Dispose()
        }
    } catch {
        $out.error = ConvertTo-ErsError -Record $_ -Source 'TLS handshake'
    } finally {
        $client.Close()
    }
    [pscustomobject]$out
}`,
  ldap: `function ConvertTo-ErsLdapValue {
    param([string]$Value)
    $Value.Replace('\\', '\\5c').Replace('*', '\\2a').Replace('(', '\\28').Replace(')', '\\29')
}`,
  // Get-WSManInstance returns XmlElements; a field WinRM sends as xsi:nil (an empty Hostname or
  // CertificateThumbprint) comes back as the element itself, which [string] would turn into the text
  // "System.Xml.XmlElement". Get-ErsXmlText reads such a field as '' and any other as its text.
  listeners: `function Get-ErsXmlText {
    param($Value)
    if ($Value -is [System.Xml.XmlElement]) {
        if ($Value.GetAttribute('nil', 'http://www.w3.org/2001/XMLSchema-instance') -eq 'true') { return '' }
        return [string]$Value.InnerText
    }
    return [string]$Value
}

function Get-ErsListeners {
    @(Get-WSManInstance -ResourceURI 'winrm/config/listener' -Enumerate | ForEach-Object {
        $port = Get-ErsXmlText $_.Port
        [pscustomobject]@{
            address = Get-ErsXmlText $_.Address
            transport = Get-ErsXmlText $_.Transport
            port = $(if ($port -match '^[0-9]+$') { [int]$port } else { 0 })
            hostname = Get-ErsXmlText $_.Hostname
            enabled = Get-ErsXmlText $_.Enabled
            certificateThumbprint = Get-ErsXmlText $_.CertificateThumbprint
            listeningOn = @($_.ListeningOn | ForEach-Object { Get-ErsXmlText $_ })
        }
    })
}`,
  // Values Group Policy sets for the WinRM service ("Allow remote server management through WinRM" and friends),
  // as Name=Value strings; empty when no policy applies. A policy-owned value is changed in the GPO, not locally.
  winrmPolicy: `function Get-ErsWinRMServicePolicy {
    $policyKey = 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Service'
    if (-not (Test-Path -Path $policyKey)) { return @() }
    $item = Get-ItemProperty -Path $policyKey
    @($item.PSObject.Properties | Where-Object { $_.Name -notlike 'PS*' } | ForEach-Object { $_.Name + '=' + [string]$_.Value })
}`,
  // For changes made by commands without -WhatIf support (winrm config via WSMan instances, ADSI).
  change: `function Test-ErsShouldChange {
    param([string]$Target, [string]$Action)
    if ($WhatIfPreference) {
        Write-Host ('What if: Performing the operation "' + $Action + '" on target "' + $Target + '".')
        return $false
    }
    return $true
}`,
};

/** Helpers in a stable order, always including the error helper. */
export function helperText(names: Iterable<HelperName>): string {
  const wanted = new Set<HelperName>(['error', ...names]);
  return HELPER_NAMES.filter((n) => wanted.has(n)).map((n) => PS_HELPERS[n]).join('\n\n');
}
