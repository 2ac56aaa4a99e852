# Shared helpers of the Pester tier (dot-sourced by every *.Tests.ps1 in BeforeAll).
#  - the bridge to the TypeScript side (render scripts exactly as the extension does; evaluate their output);
#  - Invoke-ErsScript: runs a rendered script in this pwsh, in the caller's scope so Pester's Mocks apply;
#  - stand-ins for what does not exist off Windows: the Windows-only commands (as functions with the real
#    parameter names, which throw unless a test mocks them), the [adsi] accelerator, Windows SIDs;
#  - builders of realistic objects: X509Certificate2 from CertificateRequest, WS-Man listener XML, SID bytes.
Set-StrictMode -Off
$script:ErsRoot = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path

# ---------------------------------------------------------------------------------------------------------
# Bridge (one Node process per Pester run)
function Start-ErsBridge {
    if ($global:ErsBridge -and -not $global:ErsBridge.HasExited) { return }
    $psi = [System.Diagnostics.ProcessStartInfo]::new('node', (Join-Path $script:ErsRoot 'out/test/pester/bridge.js'))
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.UseShellExecute = $false
    $psi.StandardOutputEncoding = [System.Text.UTF8Encoding]::new($false)
    $global:ErsBridge = [System.Diagnostics.Process]::Start($psi)
}

function Invoke-ErsBridge {
    param([Parameter(Mandatory)][hashtable]$Request)
    Start-ErsBridge
    $line = ConvertTo-Json -InputObject $Request -Depth 20 -Compress
    $line = [regex]::Replace($line, '[^\u0000-\u007F]', { param($m) '\u{0:x4}' -f [int][char]$m.Value })
    $global:ErsBridge.StandardInput.WriteLine($line)
    $global:ErsBridge.StandardInput.Flush()
    $answer = $global:ErsBridge.StandardOutput.ReadLine()
    if ($null -eq $answer) { throw 'The Node bridge exited.' }
    $o = ConvertFrom-Json -InputObject $answer -Depth 50
    if (-not $o.ok) { throw ('bridge: ' + $o.error) }
    $o.value
}

function Merge-ErsInputs {
    param([hashtable]$Inputs)
    $i = @{ server = 'exch01.contoso.com' }
    if ($Inputs) { foreach ($k in $Inputs.Keys) { $i[$k] = $Inputs[$k] } }
    $i
}

function Get-ErsScript {
    param([string]$Step, [ValidateSet('check', 'remediation')][string]$Kind = 'check', [hashtable]$Inputs = @{}, [string]$Token = 'PesterToken01')
    $i = Merge-ErsInputs $Inputs
    (Invoke-ErsBridge @{ op = 'render'; step = $Step; kind = $Kind; inputs = $i; token = $Token }).script
}

function Get-ErsRunbook {
    param([hashtable]$Inputs = @{}, [hashtable]$Options = @{}, [hashtable]$Results, [string]$Token = 'PesterToken01')
    $r = @{ op = 'runbook'; inputs = (Merge-ErsInputs $Inputs); options = $Options; token = $Token }
    if ($Results) { $r.results = $Results }
    (Invoke-ErsBridge $r).script
}

# The log of every change a fake made (command and arguments), newest last. Tests reset it per case.
$global:ErsChanges = [System.Collections.Generic.List[object]]::new()
function Reset-ErsChanges { $global:ErsChanges.Clear() }
function Add-ErsChange { param([string]$Command, [hashtable]$Arguments = @{}) $global:ErsChanges.Add([pscustomobject]@{ Command = $Command; Arguments = $Arguments }) }

# Runs a rendered script here, in the caller's scope chain (so Mocks defined by the test apply). Returns the
# success output as text, one line per object, the way a console would show the strings the script prints.
function Invoke-ErsScript {
    param([Parameter(Mandatory)][string]$Script, [switch]$WhatIf)
    $block = [scriptblock]::Create($Script)
    $out = if ($WhatIf) { & $block -WhatIf 6>$null 3>$null } else { & $block 6>$null 3>$null }
    (@($out | ForEach-Object { [string]$_ }) -join "`n")
}

# Recorded documents (test/fixtures/check-output/recorded/<step>.json) when ERS_RECORD_FIXTURES is set.
$global:ErsRecorded = @{}
function Save-ErsRecorded {
    if (-not $env:ERS_RECORD_FIXTURES) { return }
    $dir = Join-Path $script:ErsRoot 'test/fixtures/check-output/recorded'
    New-Item -ItemType Directory -Force -Path $dir | Out-Null
    foreach ($step in @($global:ErsRecorded.Keys)) {
        $doc = [ordered]@{
            step = $step
            source = 'Produced by the Pester tier (test/pester): the rendered check script run in the real pwsh 7.6.9 with only the Windows-only commands mocked. Regenerate with ERS_RECORD_FIXTURES=1 bash scripts/test-pester.sh.'
            cases = @($global:ErsRecorded[$step])
        }
        $json = ConvertTo-Json -InputObject $doc -Depth 40
        [System.IO.File]::WriteAllText((Join-Path $dir ($step + '.json')), $json + "`n")
    }
}

if ($null -eq $global:ErsVerdictsSeen) { $global:ErsVerdictsSeen = @{} }
# Runs the check of a step and evaluates its printed document with the TypeScript evaluator.
function Invoke-ErsCheck {
    param([Parameter(Mandatory)][string]$Step, [hashtable]$Inputs = @{}, [string]$Case, [datetime]$Now = (Get-Date), [hashtable]$Observed)
    $token = 'PesterToken01'
    $i = Merge-ErsInputs $Inputs
    $script = Get-ErsScript -Step $Step -Kind check -Inputs $i -Token $token
    $stdout = Invoke-ErsScript -Script $script
    $req = @{ op = 'evaluate'; step = $Step; stdout = $stdout; token = $token; inputs = $i; now = $Now.ToUniversalTime().ToString('o') }
    if ($Observed) { $req.observed = $Observed }
    $v = Invoke-ErsBridge $req
    # Which step/verdict pairs this run really produced (Coverage.Tests.ps1 compares them with what the evaluators know).
    if ($v.result.status) { $global:ErsVerdictsSeen[$Step + ' ' + $v.result.status] = $true }
    if ($Case -and $null -ne $v.document) {
        if (-not $global:ErsRecorded.ContainsKey($Step)) { $global:ErsRecorded[$Step] = [System.Collections.Generic.List[object]]::new() }
        $entry = [ordered]@{ name = $Case; now = $Now.ToUniversalTime().ToString('o'); inputs = $i; outcome = [ordered]@{ kind = 'json'; json = $v.document }; expect = [ordered]@{ status = $v.result.status; summary = $v.result.summary } }
        if ($Observed) { $entry.observed = $Observed }
        $global:ErsRecorded[$Step].Add($entry)
    }
    [pscustomobject]@{ Result = $v.result; Document = $v.document; Stdout = $stdout }
}

# ---------------------------------------------------------------------------------------------------------
# Windows-only commands: functions with the real parameter names (so Mocks and -ParameterFilter see the
# same parameters as on Windows). Unmocked, they throw: a test never silently reaches one.
$script:ErsWindowsOnly = [ordered]@{
    'Get-Service'                  = 'param([Parameter(Position = 0)][string[]]$Name, [string[]]$DisplayName)'
    'Set-Service'                  = '[CmdletBinding(SupportsShouldProcess)] param([Parameter(Position = 0)][string]$Name, [string]$StartupType, [string]$Status, [string]$DisplayName)'
    'Start-Service'                = '[CmdletBinding(SupportsShouldProcess)] param([Parameter(Position = 0)][string[]]$Name, [string[]]$DisplayName)'
    'Get-CimInstance'              = 'param([Parameter(Position = 0)][string]$ClassName, [string]$Filter, [string]$Namespace, [string]$Query)'
    'Get-PSSessionConfiguration'   = 'param([Parameter(Position = 0)][string[]]$Name, [switch]$Force)'
    'Enable-PSRemoting'            = '[CmdletBinding(SupportsShouldProcess)] param([switch]$Force, [switch]$SkipNetworkProfileCheck)'
    'Get-Counter'                  = '[CmdletBinding()] param([string[]]$ListSet, [Parameter(Position = 0)][string[]]$Counter, [int]$MaxSamples)'
    'Get-WinEvent'                 = '[CmdletBinding()] param([Parameter(Position = 0)][string[]]$LogName, [hashtable[]]$FilterHashtable, [long]$MaxEvents, [switch]$Oldest)'
    'Get-WSManInstance'            = 'param([Parameter(Position = 0)][string]$ResourceURI, [hashtable]$SelectorSet, [switch]$Enumerate, [string]$ComputerName)'
    'Set-WSManInstance'            = 'param([Parameter(Position = 0)][string]$ResourceURI, [hashtable]$SelectorSet, [hashtable]$ValueSet)'
    'New-WSManInstance'            = 'param([Parameter(Position = 0)][string]$ResourceURI, [hashtable]$SelectorSet, [hashtable]$ValueSet)'
    'New-SelfSignedCertificate'    = '[CmdletBinding(SupportsShouldProcess)] param([string[]]$DnsName, [string]$CertStoreLocation, [datetime]$NotAfter, [string]$Subject)'
    'Get-NetConnectionProfile'     = 'param([string]$InterfaceAlias, [string]$NetworkCategory)'
    'Get-NetFirewallPortFilter'    = 'param([string]$Protocol, [string]$PolicyStore, [Parameter(ValueFromPipeline)]$AssociatedNetFirewallRule)'
    'Get-NetFirewallAddressFilter' = 'param([string]$PolicyStore, [Parameter(ValueFromPipeline)]$AssociatedNetFirewallRule)'
    'Get-NetFirewallRule'          = 'param([string[]]$Name, [string[]]$DisplayName, [string]$PolicyStore, [Parameter(ValueFromPipeline)]$AssociatedNetFirewallPortFilter)'
    'New-NetFirewallRule'          = '[CmdletBinding(SupportsShouldProcess)] param([string]$Name, [string]$DisplayName, [string]$Direction, [string]$Protocol, [string[]]$LocalPort, [string]$Action, [string[]]$Profile, [string[]]$RemoteAddress, [string]$Group, [string]$Description, [string]$Enabled)'
    'Set-NetFirewallRule'          = '[CmdletBinding(SupportsShouldProcess)] param([string[]]$Name, [string]$Enabled, [string]$Direction, [string]$Protocol, [string[]]$LocalPort, [string[]]$RemoteAddress, [string[]]$Profile, [string]$Action)'
    'Add-LocalGroupMember'         = '[CmdletBinding(SupportsShouldProcess)] param([string]$Group, [string]$Name, [string]$SID, [Parameter(Mandatory)][string[]]$Member)'
    'Get-ADComputer'               = 'param([Parameter(Position = 0)]$Identity, [string[]]$Properties, [string]$Server)'
    'Set-ADAccountControl'         = '[CmdletBinding(SupportsShouldProcess)] param([Parameter(Position = 0)]$Identity, [bool]$TrustedForDelegation, [bool]$TrustedToAuthForDelegation)'
    'Get-ManagementRoleAssignment' = 'param([Parameter(Position = 0)]$Identity, $RoleAssignee, $Role, [bool]$Delegating, [bool]$Enabled)'
    'Get-ManagementRoleEntry'      = 'param([Parameter(Position = 0)]$Identity)'
    'Get-ManagementRole'           = 'param([Parameter(Position = 0)]$Identity, [string]$Cmdlet, [switch]$RoleType)'
    'New-ManagementRole'           = '[CmdletBinding(SupportsShouldProcess)] param([Parameter(Position = 0)][string]$Name, $Parent)'
    'Remove-ManagementRoleEntry'   = '[CmdletBinding(SupportsShouldProcess, ConfirmImpact = ''High'')] param([Parameter(Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]$Identity)'
    'New-ManagementRoleAssignment' = '[CmdletBinding(SupportsShouldProcess)] param([Parameter(Position = 0)][string]$Name, $Role, $SecurityGroup, $User)'
    'Get-RoleGroup'                = 'param([Parameter(Position = 0)]$Identity)'
    'New-RoleGroup'                = '[CmdletBinding(SupportsShouldProcess)] param([Parameter(Position = 0)][string]$Name, [object[]]$Roles, [object[]]$Members)'
    'Get-RoleGroupMember'          = 'param([Parameter(Position = 0)]$Identity)'
    'Add-RoleGroupMember'          = '[CmdletBinding(SupportsShouldProcess)] param([Parameter(Position = 0)]$Identity, $Member)'
    'Get-User'                     = 'param([Parameter(Position = 0)]$Identity)'
    'Set-User'                     = '[CmdletBinding(SupportsShouldProcess)] param([Parameter(Position = 0)]$Identity, [bool]$RemotePowerShellEnabled)'
}
foreach ($name in $script:ErsWindowsOnly.Keys) {
    if (Get-Command -Name $name -CommandType Cmdlet, Function -ErrorAction Ignore) { continue }
    $body = $script:ErsWindowsOnly[$name] + "`n throw ('" + $name + " is Windows-only and was called without a Mock.')"
    Set-Item -Path ('function:global:' + $name) -Value ([scriptblock]::Create($body))
}

# A change-making fake honours -WhatIf/$WhatIfPreference like the real cmdlet: it logs the change only when
# the change would really happen. Call it from a Mock body with the command name and $PesterBoundParameters.
function Invoke-ErsChange {
    param([string]$Command, [hashtable]$Bound, [scriptblock]$Apply)
    $whatIf = $WhatIfPreference -or ($Bound.ContainsKey('WhatIf') -and $Bound['WhatIf'])
    if ($whatIf) { return $false }
    $args2 = @{}
    foreach ($k in $Bound.Keys) { if ($k -notin @('WhatIf', 'Confirm', 'ErrorAction', 'WarningAction')) { $args2[$k] = $Bound[$k] } }
    Add-ErsChange -Command $Command -Arguments $args2
    if ($Apply) { & $Apply }
    return $true
}

# ---------------------------------------------------------------------------------------------------------
# Windows SIDs as bytes (the binary layout Windows uses), and a SecurityIdentifier stand-in (the real class
# throws PlatformNotSupportedException off Windows).
function ConvertTo-ErsSidBytes {
    param([string]$Sid)
    $parts = $Sid.Split('-')
    $subs = @($parts[3..($parts.Count - 1)])
    $bytes = [System.Collections.Generic.List[byte]]::new()
    $bytes.Add([byte]$parts[1]); $bytes.Add([byte]$subs.Count)
    $auth = [uint64]$parts[2]
    for ($i = 5; $i -ge 0; $i--) { $bytes.Add([byte](($auth -shr (8 * $i)) -band 0xFF)) }
    foreach ($s in $subs) { $bytes.AddRange([System.BitConverter]::GetBytes([uint32]$s)) }
    , $bytes.ToArray()
}

function ConvertFrom-ErsSidBytes {
    param([byte[]]$Bytes, [int]$Offset = 0)
    $count = $Bytes[$Offset + 1]
    [uint64]$auth = 0
    for ($i = 2; $i -le 7; $i++) { $auth = ($auth -shl 8) -bor $Bytes[$Offset + $i] }
    $subs = for ($i = 0; $i -lt $count; $i++) { [System.BitConverter]::ToUInt32($Bytes, $Offset + 8 + 4 * $i) }
    'S-' + $Bytes[$Offset] + '-' + $auth + $(if ($count) { '-' + ($subs -join '-') } else { '' })
}

# The account/SID directory of the fake machine: NT names ↔ SIDs, as LookupAccountName/LookupAccountSid answer.
$global:ErsAccounts = @{}
function Set-ErsAccounts { param([hashtable]$Map) $global:ErsAccounts = $Map }

function New-ErsIdentityObject {
    param([string]$Kind, $Value)
    $o = [pscustomobject]@{ Value = [string]$Value; Kind = $Kind }
    $o | Add-Member -MemberType ScriptMethod -Name Translate -Value {
        param($Type)
        if ($Type.Name -eq 'SecurityIdentifier') {
            $sid = $global:ErsAccounts[$this.Value]
            if (-not $sid) { throw [System.Management.Automation.MethodInvocationException]::new('Exception calling "Translate" with "1" argument(s): "Some or all identity references could not be translated."') }
            return (New-ErsIdentityObject -Kind SecurityIdentifier -Value $sid)
        }
        $name = @($global:ErsAccounts.Keys | Where-Object { $global:ErsAccounts[$_] -eq $this.Value }) | Select-Object -First 1
        if (-not $name) { throw [System.Management.Automation.MethodInvocationException]::new('Exception calling "Translate" with "1" argument(s): "Some or all identity references could not be translated."') }
        return (New-ErsIdentityObject -Kind NTAccount -Value $name)
    }
    $o
}

# ---------------------------------------------------------------------------------------------------------
# [adsi] off Windows: a stand-in DirectoryEntry over $global:ErsAdsi (path → @{ Members = …; Properties = … }).
# Every path the scripts bind is logged in $global:ErsAdsiLog (the second-hop test reads it).
$global:ErsAdsi = @{}
$global:ErsAdsiLog = [System.Collections.Generic.List[string]]::new()
class ErsAdsiMember {
    [object]$objectSid
    [string]$ADsPath
    ErsAdsiMember([object]$sid, [string]$path) { $this.objectSid = $sid; $this.ADsPath = $path }
}
class ErsAdsiBase {
    hidden [string]$Path
    ErsAdsiBase([string]$path) { $this.Path = $path }
    [object] Invoke([string]$method) {
        $entry = $global:ErsAdsi[$this.Path]
        if ($method -eq 'Members') { return @($entry.Members | ForEach-Object { [ErsAdsiMember]::new($_.Sid, $_.Path) }) }
        throw "ADSI method $method not faked"
    }
}
# DirectoryEntry.Properties[name] / SearchResult.Properties[name]: enumerable values with .Value and .Count.
class ErsPropertyValues : System.Collections.Generic.List[object] {
    [object]$Value
    ErsPropertyValues([object[]]$items) {
        foreach ($i in $items) { $this.Add($i) }
        $this.Value = $(if ($items.Count -eq 1) { $items[0] } elseif ($items.Count -eq 0) { $null } else { $items })
    }
}
class ErsAdsi {
    [string]$Path
    [hashtable]$Properties
    # $entry.psbase is PowerShell's own member set (the object itself): Invoke lives here, as on DirectoryEntry.
    [object] Invoke([string]$method) { return [ErsAdsiBase]::new($this.Path).Invoke($method) }
    ErsAdsi([string]$path) {
        $global:ErsAdsiLog.Add($path)
        if (-not $global:ErsAdsi.ContainsKey($path)) { throw [System.Runtime.InteropServices.COMException]::new('The group name could not be found.', -2147022676) }
        $this.Path = $path
        $this.Properties = @{}
        $p = $global:ErsAdsi[$path].Properties
        if ($p) { foreach ($k in $p.Keys) { $this.Properties[$k] = [ErsPropertyValues]::new(@($p[$k])) } }
    }
    [void] RefreshCache([string[]]$names) { }
    [void] Add([string]$member) {
        $entry = $global:ErsAdsi[$this.Path]
        Add-ErsChange -Command 'ADSI.Add' -Arguments @{ Group = $this.Path; Member = $member }
        $entry.Members = @($entry.Members) + @(@{ Sid = $null; Path = $member })
    }
}
$accelerators = [psobject].Assembly.GetType('System.Management.Automation.TypeAccelerators')
[void]$accelerators::Remove('adsi')
$accelerators::Add('adsi', [ErsAdsi])

# ---------------------------------------------------------------------------------------------------------
# Real certificates: X509Certificate2 made by CertificateRequest (RSA 2048, SHA-256), with a private key,
# SANs, EKUs and validity as asked. DnsNameList and EnhancedKeyUsageList are what the Windows certificate
# provider adds to each certificate; the stand-in adds them from the real extensions.
function New-ErsCertificate {
    param(
        [string]$Subject = 'CN=exch01.contoso.com', [string[]]$DnsName = @('exch01.contoso.com'), [string[]]$Eku = @('1.3.6.1.5.5.7.3.1'),
        [datetime]$NotBefore = (Get-Date).AddDays(-30), [datetime]$NotAfter = (Get-Date).AddDays(200), [switch]$NoPrivateKey,
        [string]$Issuer, $IssuerCertificate, [string]$FriendlyName = ''
    )
    $rsa = [System.Security.Cryptography.RSA]::Create(2048)
    $req = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new($Subject, $rsa, [System.Security.Cryptography.HashAlgorithmName]::SHA256, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
    if ($DnsName.Count) {
        $san = [System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
        foreach ($n in $DnsName) { $san.AddDnsName($n) }
        $req.CertificateExtensions.Add($san.Build())
    }
    if ($Eku.Count) {
        $oids = [System.Security.Cryptography.OidCollection]::new()
        foreach ($e in $Eku) { [void]$oids.Add([System.Security.Cryptography.Oid]::new($e)) }
        $req.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension]::new($oids, $false))
    }
    $req.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509KeyUsageExtension]::new('DigitalSignature, KeyEncipherment', $false))
    if ($IssuerCertificate) {
        $serial = [byte[]](1..16 | ForEach-Object { Get-Random -Maximum 256 })
        $cert = [System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::CopyWithPrivateKey($req.Create($IssuerCertificate, $NotBefore, $NotAfter, $serial), $rsa)
    } elseif ($Issuer) {
        $caKey = [System.Security.Cryptography.RSA]::Create(2048)
        $caReq = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new($Issuer, $caKey, [System.Security.Cryptography.HashAlgorithmName]::SHA256, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
        $caReq.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($true, $false, 0, $true))
        $ca = $caReq.CreateSelfSigned($NotBefore.AddDays(-1), $NotAfter.AddDays(1))
        $serial = [byte[]](1..16 | ForEach-Object { Get-Random -Maximum 256 })
        $cert = [System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::CopyWithPrivateKey($req.Create($ca, $NotBefore, $NotAfter, $serial), $rsa)
    } else {
        $cert = $req.CreateSelfSigned($NotBefore, $NotAfter)
    }
    if ($NoPrivateKey) { $cert = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($cert.RawData) }
    if ($FriendlyName) { try { $cert.FriendlyName = $FriendlyName } catch { } }
    Add-ErsCertProviderProperties -Cert $cert
}

# What the Windows certificate provider's type data adds to every X509Certificate2: DnsNameList (the SAN DNS
# names, else the CN) and EnhancedKeyUsageList. pwsh off Windows declares both but they come back empty, so
# they are computed here from the certificate's real extensions, the way Windows does.
Update-TypeData -TypeName 'System.Security.Cryptography.X509Certificates.X509Certificate2' -MemberType ScriptProperty -MemberName DnsNameList -Force -Value {
    $names = @()
    foreach ($ext in $this.Extensions) {
        if ($ext.Oid.Value -eq '2.5.29.17') { $names = @(([System.Security.Cryptography.X509Certificates.X509SubjectAlternativeNameExtension]$ext).EnumerateDnsNames()) }
    }
    if ($names.Count -eq 0) { $names = @($this.GetNameInfo([System.Security.Cryptography.X509Certificates.X509NameType]::SimpleName, $false)) }
    , @($names | ForEach-Object { [pscustomobject]@{ Punycode = $_; Unicode = $_ } })
}
Update-TypeData -TypeName 'System.Security.Cryptography.X509Certificates.X509Certificate2' -MemberType ScriptProperty -MemberName EnhancedKeyUsageList -Force -Value {
    $ekus = @()
    foreach ($ext in $this.Extensions) {
        if ($ext -is [System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension]) {
            $ekus = @($ext.EnhancedKeyUsages | ForEach-Object { [pscustomobject]@{ FriendlyName = $_.FriendlyName; ObjectId = $_.Value } })
        }
    }
    , $ekus
}
function Add-ErsCertProviderProperties { param($Cert) $Cert }

# The Cert: and WSMan: drives do not exist off Windows. Provider cmdlets resolve their dynamic parameters from
# the drive of -Path before any Mock runs, so both drives exist here as empty folders; every read of them is mocked.
foreach ($drive in @('Cert', 'WSMan')) {
    if (-not (Get-PSDrive -Name $drive -ErrorAction Ignore)) {
        $root = Join-Path ([System.IO.Path]::GetTempPath()) ('ers-pester-' + $drive.ToLowerInvariant())
        New-Item -ItemType Directory -Force -Path $root | Out-Null
        New-PSDrive -Name $drive -PSProvider FileSystem -Root $root -Scope Global | Out-Null
    }
}

# The LocalMachine\My store of the fake machine (thumbprint → X509Certificate2) and the Cert: drive over it.
$global:ErsCertStore = [ordered]@{}
function Set-ErsCertStore { param([object[]]$Certificates) $global:ErsCertStore = [ordered]@{}; foreach ($c in $Certificates) { $global:ErsCertStore[$c.Thumbprint] = $c } }

# ---------------------------------------------------------------------------------------------------------
# WS-Man listener enumeration as Get-WSManInstance returns it: real XmlElements of the config/listener schema.
function New-ErsListenerXml {
    param([object[]]$Listeners)
    $ns = 'http://schemas.microsoft.com/wbem/wsman/1/config/listener'
    $xsi = 'http://www.w3.org/2001/XMLSchema-instance'
    $sb = [System.Text.StringBuilder]::new()
    [void]$sb.Append('<Items xmlns:cfg="' + $ns + '" xmlns:xsi="' + $xsi + '">')
    foreach ($l in $Listeners) {
        [void]$sb.Append('<cfg:Listener xml:lang="en-US">')
        foreach ($field in @('Address', 'Transport', 'Port', 'Hostname', 'Enabled', 'URLPrefix', 'CertificateThumbprint')) {
            if (-not $l.Contains($field)) { continue }
            $v = $l[$field]
            if ($null -eq $v) { [void]$sb.Append('<cfg:' + $field + ' xsi:nil="true"/>') }
            else { [void]$sb.Append('<cfg:' + $field + '>' + [System.Security.SecurityElement]::Escape([string]$v) + '</cfg:' + $field + '>') }
        }
        foreach ($ip in @($l['ListeningOn'])) { if ($ip) { [void]$sb.Append('<cfg:ListeningOn>' + $ip + '</cfg:ListeningOn>') } }
        [void]$sb.Append('</cfg:Listener>')
    }
    [void]$sb.Append('</Items>')
    $doc = [xml]$sb.ToString()
    @($doc.DocumentElement.ChildNodes)
}

# A WSMan: configuration leaf as the WSMan provider returns it (WSManConfigLeafElement's properties).
function New-ErsWsmanLeaf {
    param([string]$Name, [string]$Value, [string]$SourceOfValue = '')
    [pscustomobject]@{ PSTypeName = 'Microsoft.WSMan.Management.WSManConfigLeafElement'; Name = $Name; Value = $Value; SourceOfValue = $SourceOfValue; Type = 'System.String' }
}

function Get-ErsStatusCounts { $global:ErsStatusCounts }

# ---------------------------------------------------------------------------------------------------------
# Mock sets shared by several steps. Call them from BeforeAll (Pester scopes the Mocks to that block).
function Register-ErsListenerMocks {
    # $script:Listeners: ordered hashtables with the MS-WSMV ListenerType fields (a $null value is sent as xsi:nil).
    Mock Get-WSManInstance { New-ErsListenerXml $script:Listeners } -ParameterFilter { $ResourceURI -eq 'winrm/config/listener' -and $Enumerate }
    Mock Set-WSManInstance {
        $sel = $SelectorSet; $vals = $ValueSet
        Add-ErsChange -Command 'Set-WSManInstance' -Arguments @{ ResourceURI = $ResourceURI; SelectorSet = $sel; ValueSet = $vals }
        $l = $script:Listeners | Where-Object { $_.Address -eq $sel.Address -and $_.Transport -eq $sel.Transport } | Select-Object -First 1
        foreach ($k in $vals.Keys) { $l[$k] = [string]$vals[$k] }
    }
    Mock New-WSManInstance {
        $sel = $SelectorSet; $vals = $ValueSet
        Add-ErsChange -Command 'New-WSManInstance' -Arguments @{ ResourceURI = $ResourceURI; SelectorSet = $sel; ValueSet = $vals }
        $script:Listeners = @($script:Listeners) + @([ordered]@{ Address = $sel.Address; Transport = $sel.Transport; Port = [string]$vals.Port; Hostname = $vals.Hostname; Enabled = 'true'; URLPrefix = 'wsman'; CertificateThumbprint = $vals.CertificateThumbprint; ListeningOn = @('10.0.5.10', '127.0.0.1', '::1') })
    }
}

function Register-ErsCertDriveMocks {
    # $global:ErsCertStore: Cert:\LocalMachine\My of the fake machine.
    Mock Get-ChildItem { @($global:ErsCertStore.Values) } -ParameterFilter { $Path -eq 'Cert:\LocalMachine\My' }
    Mock Test-Path { $global:ErsCertStore.Contains($Path.Substring('Cert:\LocalMachine\My\'.Length).ToUpperInvariant()) } -ParameterFilter { $Path -like 'Cert:\LocalMachine\My\*' }
    Mock Get-Item { $c = $global:ErsCertStore[$Path.Substring('Cert:\LocalMachine\My\'.Length).ToUpperInvariant()]; if (-not $c) { throw "Cannot find path '$Path' because it does not exist." }; $c } -ParameterFilter { $Path -like 'Cert:\LocalMachine\My\*' }
    Mock New-SelfSignedCertificate {
        $c = $null
        if (Invoke-ErsChange 'New-SelfSignedCertificate' $PesterBoundParameters) {
            $c = New-ErsCertificate -Subject ('CN=' + $DnsName[0]) -DnsName $DnsName -Eku @('1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.1') -NotBefore (Get-Date).AddMinutes(-10) -NotAfter (Get-Date).AddYears(1)
            $global:ErsCertStore[$c.Thumbprint] = $c
        }
        $c
    }
}

function Register-ErsPolicyMocks {
    # $script:Policy: values under HKLM:\SOFTWARE\Policies\Microsoft\Windows\WinRM\Service, or $null.
    Mock Test-Path { $null -ne $script:Policy } -ParameterFilter { $Path -eq 'HKLM:\SOFTWARE\Policies\Microsoft\Windows\WinRM\Service' }
    Mock Get-ItemProperty { [pscustomobject]($script:Policy + @{ PSPath = 'Microsoft.PowerShell.Core\Registry::HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Windows\WinRM\Service'; PSProvider = 'Registry' }) } -ParameterFilter { $Path -eq 'HKLM:\SOFTWARE\Policies\Microsoft\Windows\WinRM\Service' }
}

function New-ErsHttpsListener {
    param([string]$Thumbprint, [string]$Port = '5986', $Hostname = 'exch01.contoso.com', [string]$Enabled = 'true', [string]$Address = '*')
    [ordered]@{ Address = $Address; Transport = 'HTTPS'; Port = $Port; Hostname = $Hostname; Enabled = $Enabled; URLPrefix = 'wsman'; CertificateThumbprint = $Thumbprint; ListeningOn = @('10.0.5.10', '127.0.0.1', '::1') }
}
function New-ErsHttpListener {
    [ordered]@{ Address = '*'; Transport = 'HTTP'; Port = '5985'; Hostname = $null; Enabled = 'true'; URLPrefix = 'wsman'; CertificateThumbprint = $null; ListeningOn = @('10.0.5.10', '127.0.0.1', '::1') }
}

# ---------------------------------------------------------------------------------------------------------
# A real TLS listener on 127.0.0.1 (a background runspace doing SslStream.AuthenticateAsServer) and the name
# resolution of the test FQDNs to it: New-Object System.Net.Sockets.TcpClient gives a real TcpClient whose
# BeginConnect maps the name (this machine's DNS does not know contoso.com). The handshake is real.
function Start-ErsTlsServer {
    param($Certificate)
    $pfx = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($Certificate.Export('Pfx'), '', 'Exportable')
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $ps = [powershell]::Create()
    [void]$ps.AddScript({
        param($l, $c)
        while ($true) {
            try { $t = $l.AcceptTcpClient() } catch { break }
            try { $s = [System.Net.Security.SslStream]::new($t.GetStream(), $false); $s.AuthenticateAsServer($c, $false, [System.Security.Authentication.SslProtocols]::Tls12, $false); $s.Dispose() } catch { } finally { $t.Close() }
        }
    }).AddArgument($listener).AddArgument($pfx)
    $handle = $ps.BeginInvoke()
    [pscustomobject]@{ Listener = $listener; Port = $listener.LocalEndpoint.Port; PowerShell = $ps; Handle = $handle }
}
# A real TCP server on 127.0.0.1 that is not TLS: it answers every connection with a plain HTTP error and closes
# it, as an HTTP-only listener or another service on the port would.
function Start-ErsPlainServer {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $ps = [powershell]::Create()
    [void]$ps.AddScript({
        param($l)
        $answer = [System.Text.Encoding]::ASCII.GetBytes("HTTP/1.1 400 Bad Request`r`nContent-Length: 0`r`nConnection: close`r`n`r`n")
        while ($true) {
            try { $t = $l.AcceptTcpClient() } catch { break }
            try { $s = $t.GetStream(); $s.Write($answer, 0, $answer.Length); $s.Flush() } catch { } finally { $t.Close() }
        }
    }).AddArgument($listener)
    $handle = $ps.BeginInvoke()
    [pscustomobject]@{ Listener = $listener; Port = $listener.LocalEndpoint.Port; PowerShell = $ps; Handle = $handle }
}

# A certification authority this pwsh trusts for real: its certificate goes into the CurrentUser\Root store, which
# .NET on Linux consults when it builds a chain (the handshake's policy errors are then None). Only under the
# private HOME scripts/test-pester.sh makes for the tier (ERS_PESTER_HOME), never in a user's own store.
function New-ErsTrustedCa {
    param([string]$Subject = 'CN=Contoso Issuing CA 01, DC=contoso, DC=com')
    if (-not $env:ERS_PESTER_HOME -or $env:ERS_PESTER_HOME -ne $env:HOME) { throw 'A trusted test CA needs the private HOME of scripts/test-pester.sh (ERS_PESTER_HOME).' }
    $key = [System.Security.Cryptography.RSA]::Create(2048)
    $req = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new($Subject, $key, [System.Security.Cryptography.HashAlgorithmName]::SHA256, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
    $req.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($true, $false, 0, $true))
    $req.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509KeyUsageExtension]::new('KeyCertSign, CrlSign', $true))
    $ca = $req.CreateSelfSigned((Get-Date).AddDays(-60), (Get-Date).AddYears(2))
    $store = [System.Security.Cryptography.X509Certificates.X509Store]::new('Root', 'CurrentUser')
    $store.Open('ReadWrite'); $store.Add([System.Security.Cryptography.X509Certificates.X509Certificate2]::new($ca.RawData)); $store.Close()
    $ca
}
function Remove-ErsTrustedCa {
    param($Ca)
    if (-not $Ca) { return }
    $store = [System.Security.Cryptography.X509Certificates.X509Store]::new('Root', 'CurrentUser')
    $store.Open('ReadWrite'); $store.Remove([System.Security.Cryptography.X509Certificates.X509Certificate2]::new($Ca.RawData)); $store.Close()
}

function Stop-ErsTlsServer { param($Server) if ($Server) { $Server.Listener.Stop(); $Server.PowerShell.Stop(); $Server.PowerShell.Dispose() } }

$global:ErsHostMap = @{}
function Register-ErsTcpMocks {
    # $global:ErsHostMap: name → @{ Address; Port } (a port of 0 answers "connection refused").
    # Name resolution (the scripts' Resolve-ErsHostAddress): a mapped name resolves to its address, as the DNS of
    # the fake domain would answer; every other name goes to this machine's real resolver.
    # The helper itself (the text the scripts carry) must exist for Mock to stand in for it.
    $text = (Invoke-ErsBridge @{ op = 'helper'; value = 'dns' }).text
    . ([scriptblock]::Create($text.Replace('function Resolve-ErsHostAddress', 'function global:Resolve-ErsHostAddress')))
    Mock Resolve-ErsHostAddress {
        $target = $global:ErsHostMap[$HostName]
        if ($target) { return @([string]$target.Address) }
        @([System.Net.Dns]::GetHostAddresses($HostName) | ForEach-Object { $_.IPAddressToString })
    }
    Mock New-Object {
        $c = [System.Net.Sockets.TcpClient]::new()
        $c | Add-Member -MemberType ScriptMethod -Name BeginConnect -Force -PassThru -Value {
            param($HostName, $Port, $Callback, $State)
            $target = $global:ErsHostMap[$HostName]
            if ($target) { $HostName = $target.Address; if ($target.Port) { $Port = $target.Port } }
            # Through reflection: a method call on the object would find this ScriptMethod again.
            $m = [System.Net.Sockets.TcpClient].GetMethod('BeginConnect', [type[]]@([string], [int], [System.AsyncCallback], [object]))
            return $m.Invoke($this.PSObject.BaseObject, @([string]$HostName, [int]$Port, $Callback, $State))
        }
    } -ParameterFilter { $TypeName -eq 'System.Net.Sockets.TcpClient' }
}

# ---------------------------------------------------------------------------------------------------------
# A directory for System.DirectoryServices.DirectorySearcher (absent off Windows): $global:ErsDirectory holds
# objects as hashtables of lower-case attribute → values; FindOne/FindAll evaluate the LDAP filter (RFC 4515
# AND/OR/equality with \XX escapes, * as presence or substring).
$global:ErsDirectory = @()
function Test-ErsLdapFilter {
    param([string]$Filter, [hashtable]$Object)
    $f = $Filter.Trim()
    if ($f.StartsWith('(') -and $f.EndsWith(')')) { $f = $f.Substring(1, $f.Length - 2) }
    if ($f[0] -eq '&' -or $f[0] -eq '|') {
        $parts = @(); $depth = 0; $start = -1
        for ($i = 1; $i -lt $f.Length; $i++) {
            if ($f[$i] -eq '(') { if ($depth -eq 0) { $start = $i }; $depth++ }
            elseif ($f[$i] -eq ')') { $depth--; if ($depth -eq 0) { $parts += $f.Substring($start, $i - $start + 1) } }
        }
        $results = @($parts | ForEach-Object { Test-ErsLdapFilter -Filter $_ -Object $Object })
        if ($f[0] -eq '&') { return -not ($results -contains $false) } else { return $results -contains $true }
    }
    $eq = $f.IndexOf('=')
    $attr = $f.Substring(0, $eq).ToLowerInvariant()
    $raw = $f.Substring($eq + 1)
    $values = @($Object[$attr])
    if ($raw -eq '*') { return $values.Count -gt 0 -and $null -ne $values[0] }
    $pattern = '^' + (($raw -split '\*' | ForEach-Object { [regex]::Escape([regex]::Replace($_, '\\([0-9a-fA-F]{2})', { param($m) [string][char][Convert]::ToInt32($m.Groups[1].Value, 16) })) }) -join '.*') + '$'
    if ($attr -eq 'objectcategory') { return @($values | Where-Object { [string]$_ -like ('CN=' + $raw + ',*') -or [string]$_ -eq $raw }).Count -gt 0 }
    return @($values | Where-Object { [string]$_ -match $pattern }).Count -gt 0
}
function Register-ErsDirectoryMocks {
    Mock New-Object {
        $searcher = [pscustomobject]@{ SearchRoot = @($ArgumentList)[0]; Filter = ''; PropertiesToLoad = [System.Collections.Generic.List[string]]::new() }
        $searcher | Add-Member -MemberType ScriptMethod -Name FindAll -Value {
            if ($global:ErsDirectoryFault -and $this.Filter -match $global:ErsDirectoryFault.Filter) { throw $global:ErsDirectoryFault.Exception }
            $root = [string]$this.SearchRoot.Path
            @($global:ErsDirectory | Where-Object { ($root -like 'GC://*' -or $root -like ('LDAP://*' + $_.domain)) -and (Test-ErsLdapFilter -Filter $this.Filter -Object $_) } | ForEach-Object {
                $props = @{}; foreach ($k in $_.Keys) { $props[$k] = [ErsPropertyValues]::new(@($_[$k])) }
                [pscustomobject]@{ Path = 'LDAP://' + $_['distinguishedname']; Properties = $props }
            })
        }
        $searcher | Add-Member -MemberType ScriptMethod -Name FindOne -Value { @($this.FindAll()) | Select-Object -First 1 } -PassThru
    } -ParameterFilter { $TypeName -eq 'System.DirectoryServices.DirectorySearcher' }
    # The binary-to-SDDL conversion of a security descriptor is Windows-only: the directory stores the descriptor
    # as the UTF-16 bytes of the SDDL Windows would give back.
    Mock New-Object {
        $sd = [pscustomobject]@{ Bytes = $null }
        $sd | Add-Member -MemberType ScriptMethod -Name SetSecurityDescriptorBinaryForm -Value { param([byte[]]$b) $this.Bytes = $b }
        $sd | Add-Member -MemberType ScriptMethod -Name GetSecurityDescriptorSddlForm -Value { param($sections) [System.Text.Encoding]::Unicode.GetString($this.Bytes) } -PassThru
    } -ParameterFilter { $TypeName -eq 'System.DirectoryServices.ActiveDirectorySecurity' }
    Mock New-Object {
        $a = @($ArgumentList)
        if ($a.Count -eq 2 -and $a[1] -is [int]) { return New-ErsIdentityObject -Kind SecurityIdentifier -Value (ConvertFrom-ErsSidBytes -Bytes ([byte[]]$a[0]) -Offset $a[1]) }
        New-ErsIdentityObject -Kind SecurityIdentifier -Value ([string]$a[0])
    } -ParameterFilter { $TypeName -eq 'System.Security.Principal.SecurityIdentifier' }
}

# The runbook of one step (renderRunbook with only = that step, in its profile and place): it remediates, then
# runs the check and prints the combined document, which the TypeScript side evaluates.
function Invoke-ErsRunbook {
    param([Parameter(Mandatory)][string]$Step, [hashtable]$Inputs = @{}, [switch]$WhatIf)
    $token = 'PesterRunbook01'
    $i = Merge-ErsInputs $Inputs
    $def = @((Invoke-ErsBridge @{ op = 'catalog' }).steps | Where-Object id -EQ $Step)[0]
    $script = Get-ErsRunbook -Inputs $i -Options @{ profile = @($def.profiles)[0]; where = $def.where; only = @($Step) } -Token $token
    $stdout = Invoke-ErsScript -Script $script -WhatIf:$WhatIf
    $v = Invoke-ErsBridge @{ op = 'evaluateCombined'; stdout = $stdout; token = $token; inputs = $i; now = (Get-Date).ToUniversalTime().ToString('o'); expected = @($Step) }
    [pscustomobject]@{ Result = @($v.results)[0]; Runbook = $v.runbook; Stdout = $stdout }
}
