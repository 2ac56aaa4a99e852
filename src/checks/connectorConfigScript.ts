// The PowerShell of the Intune connector configuration step (steps/connectorConfig.ts): it reads the connector's
// three XML files in %ProgramData%\Microsoft\Windows Intune Exchange Connector, looks for leftover
// MicrosoftIntune.accountcert files and samples the connector's performance counters. Read-only. Constant text.
//
// Values leave the script only as { name, value } pairs (element path, text), bounded; any element or attribute
// whose path names a password, secret, encrypted value or credential is skipped, so the encrypted password the
// service configuration holds is never printed. What the pairs mean is decided in TypeScript (connectorConfigData.ts).

/** Functions and paths both scripts use. */
const READER = String.raw`# Windows' own folders (off Windows, in tests, the Windows defaults: the paths are Windows paths either way).
function Get-ErsWindowsFolder {
    param([string]$Name, [string]$Default)
    $p = [Environment]::GetFolderPath($Name)
    if ([string]$p -notmatch '^[A-Za-z]:\\') { $p = $Default }
    $p
}
$programData = Get-ErsWindowsFolder 'CommonApplicationData' 'C:\ProgramData'
$dataFolder = $programData + '\Microsoft\Windows Intune Exchange Connector'
# Microsoft's article spells the service file without the hyphen, the seed with it: both are accepted.
$filePatterns = [ordered]@{
    casFailover = '^On-?PremisesExchangeConnectorCasFailoverConfiguration\.xml$'
    service = '^On-?PremisesExchangeConnectorServiceConfiguration\.xml$'
    intune = '^IntuneServiceConfiguration\.xml$'
}
$sensitive = 'password|passwd|pwd|secret|encrypt|credential|privatekey'
function Get-ErsBounded {
    param([string]$Text, [int]$Max = 300)
    $t = ([string]$Text -replace '[\x00-\x1f\x7f]', ' ').Trim()
    if ($t.Length -gt $Max) { $t = $t.Substring(0, $Max) }
    $t
}
function Read-ErsConnectorXml {
    param([string]$Path, [long]$Bytes)
    if ($Bytes -gt 1048576) { return [pscustomobject]@{ entries = @(); xmlError = ('larger than 1 MB (' + $Bytes + ' bytes), not read') } }
    # Lines joined again (-Raw is a file-system parameter that other providers lack; XML does not care which newline).
    $text = @(Get-Content -LiteralPath $Path -ReadCount 0 -ErrorAction Stop | ForEach-Object { $_ }) -join [Environment]::NewLine
    $settings = New-Object System.Xml.XmlReaderSettings
    $settings.DtdProcessing = [System.Xml.DtdProcessing]::Prohibit
    $settings.XmlResolver = $null
    $doc = New-Object System.Xml.XmlDocument
    $doc.XmlResolver = $null
    try {
        $reader = [System.Xml.XmlReader]::Create((New-Object System.IO.StringReader([string]$text)), $settings)
        try { $doc.Load($reader) } finally { $reader.Close() }
    } catch {
        return [pscustomobject]@{ entries = @(); xmlError = (Get-ErsBounded (([string]$_.Exception.Message) -split "\r?\n")[0] 200) }
    }
    $entries = New-Object System.Collections.Generic.List[object]
    foreach ($node in @($doc.SelectNodes('//*'))) {
        if ($entries.Count -ge 300) { break }
        $names = @(); $n = $node
        while ($n -is [System.Xml.XmlElement]) { $names = @($n.LocalName) + $names; $n = $n.ParentNode }
        $path = Get-ErsBounded ($names -join '/') 200
        if ($path -match $sensitive) { continue }
        foreach ($a in @($node.Attributes)) {
            if ($a.Prefix -eq 'xmlns' -or $a.LocalName -eq 'xmlns' -or $a.LocalName -match $sensitive) { continue }
            $entries.Add([pscustomobject]@{ name = ($path + '/@' + $a.LocalName); value = (Get-ErsBounded $a.Value) })
        }
        $leaf = $true
        foreach ($c in @($node.ChildNodes)) { if ($c.NodeType -eq [System.Xml.XmlNodeType]::Element) { $leaf = $false; break } }
        if ($leaf) { $entries.Add([pscustomobject]@{ name = $path; value = (Get-ErsBounded $node.InnerText) }) }
    }
    [pscustomobject]@{ entries = $entries.ToArray(); xmlError = $null }
}
function Get-ErsConnectorFiles {
    $listing = @(Get-ChildItem -LiteralPath $dataFolder -ErrorAction Stop | Where-Object { -not $_.PSIsContainer })
    foreach ($key in @($filePatterns.Keys)) {
        $f = @($listing | Where-Object { $_.Name -match $filePatterns[$key] }) | Select-Object -First 1
        if ($null -eq $f) { [pscustomobject]@{ kind = $key; name = $null; present = $false }; continue }
        $o = [ordered]@{ kind = $key; name = [string]$f.Name; present = $true; bytes = [long]$f.Length; lastWriteTime = $f.LastWriteTime.ToUniversalTime().ToString('o'); entries = @(); xmlError = $null; readError = $null }
        try {
            $parsed = Read-ErsConnectorXml -Path ([string]$f.FullName) -Bytes ([long]$f.Length)
            $o.entries = $parsed.entries; $o.xmlError = $parsed.xmlError
        } catch {
            $o.readError = ConvertTo-ErsError -Record $_ -Source ('Get-Content ' + [string]$f.Name)
        }
        [pscustomobject]$o
    }
}
# Where the setup's MicrosoftIntune.accountcert is known to be left: beside the extracted setup (a user's Downloads,
# Desktop or Documents, up to two folders deep), the connector's program folder and its data folder.
function Find-ErsAccountCert {
    $places = New-Object System.Collections.Generic.List[string]
    $places.Add($dataFolder)
    $places.Add((Get-ErsWindowsFolder 'ProgramFilesX86' 'C:\Program Files (x86)') + '\Windows Intune Exchange Connector')
    $users = (Get-ErsWindowsFolder 'Windows' 'C:\Windows').Substring(0, 2) + '\Users'
    if (Test-Path -LiteralPath $users -PathType Container) {
        foreach ($u in @(Get-ChildItem -LiteralPath $users -ErrorAction SilentlyContinue | Where-Object { $_.PSIsContainer } | Select-Object -First 200)) {
            foreach ($sub in @('Downloads', 'Desktop', 'Documents')) { $places.Add([string]$u.FullName + '\' + $sub) }
        }
    }
    $found = New-Object System.Collections.Generic.List[object]
    $skipped = 0
    foreach ($place in $places) {
        if ($found.Count -ge 20) { break }
        if (-not (Test-Path -LiteralPath $place -PathType Container)) { continue }
        $walkErrors = $null
        foreach ($c in @(Get-ChildItem -LiteralPath $place -Filter 'MicrosoftIntune.accountcert' -Recurse -Depth 2 -ErrorAction SilentlyContinue -ErrorVariable walkErrors | Where-Object { -not $_.PSIsContainer } | Select-Object -First 20)) {
            if ($found.Count -lt 20) { $found.Add([pscustomobject]@{ path = (Get-ErsBounded $c.FullName 400); lastWriteTime = $c.LastWriteTime.ToUniversalTime().ToString('o') }) }
        }
        $skipped += @($walkErrors).Count
    }
    [pscustomobject]@{ places = $places.ToArray(); found = $found.ToArray(); notSearched = $skipped }
}`;

const CHECK_BODY = String.raw`$installed = Test-Path -LiteralPath $dataFolder -PathType Container
$files = @()
if ($installed) { $files = @(Get-ErsConnectorFiles) }
$certs = Find-ErsAccountCert
# The counters start at 0 with every service start: evidence of activity, never a verdict. Get-Counter exists on
# Windows only: elsewhere this stops the check with "needs Windows", as every step's Windows-only command does.
$counters = $null
$counterError = $null
$set = @(Get-Counter -ListSet '*Intune*Exchange*' -ErrorAction SilentlyContinue) | Select-Object -First 1
try {
    if ($null -ne $set) {
        $samples = @((Get-Counter -Counter @($set.Paths | Select-Object -First 40) -MaxSamples 1 -ErrorAction Stop).CounterSamples | ForEach-Object {
            [pscustomobject]@{ path = (Get-ErsBounded $_.Path 200); value = [double]$_.CookedValue }
        })
        $counters = [pscustomobject]@{ set = (Get-ErsBounded $set.CounterSetName 120); samples = $samples }
    }
} catch {
    $counterError = Get-ErsBounded ((([string]$_.Exception.Message) -split "\r?\n")[0]) 200
}
[pscustomobject]@{
    dataFolder = $dataFolder
    installed = $installed
    files = $files
    accountCert = $certs
    counters = $counters
    counterError = $counterError
}`;

const REMEDIATION_BODY = String.raw`# Changes nothing. The connector is retired and its files are its own: this prints the allow-list for the proxy or
# firewall and where a leftover MicrosoftIntune.accountcert lies, for an administrator to act on by hand.
$urls = New-Object System.Collections.Generic.List[string]
if (Test-Path -LiteralPath $dataFolder -PathType Container) {
    foreach ($f in @(Get-ErsConnectorFiles | Where-Object { $_.kind -eq 'intune' -and $_.present })) {
        foreach ($e in @($f.entries)) { if ([string]$e.value -match '^https?://[^\s<>"]+$' -and -not $urls.Contains([string]$e.value)) { $urls.Add([string]$e.value) } }
    }
}
Write-Output 'Cloud service URLs of the Intune Exchange connector (allow them through the proxy or firewall):'
if ($urls.Count -eq 0) { Write-Output '  (none found in IntuneServiceConfiguration.xml)' }
foreach ($u in $urls) { Write-Output ('  ' + $u) }
$certs = Find-ErsAccountCert
foreach ($c in @($certs.found)) {
    Write-Output ('Leftover MicrosoftIntune.accountcert: ' + $c.path + ' - the setup needs it only while installing; if this folder is not secure, delete the file by hand.')
}`;

export const CONNECTOR_CONFIG_CHECK = `${READER}\n${CHECK_BODY}`;
export const CONNECTOR_CONFIG_REMEDIATION = `${READER}\n${REMEDIATION_BODY}`;
