// Step 3: PowerShell remoting enabled; the WinRM service running and automatic.
import { partError, result } from '../envelope';
import { SERVICE_START, SERVICE_STATUS, arr, bool, enumName, normaliseStartMode, obj, str, strs } from '../json';
import type { Evidence, StepSpec } from '../types';

const CHECK = String.raw`$svc = Get-Service -Name 'WinRM'
$cim = $null
try { $cim = Get-CimInstance -ClassName 'Win32_Service' -Filter "Name='WinRM'" } catch { $cim = $null }
$service = [pscustomobject]@{
    status = $svc.Status.ToString()
    startType = $svc.StartType.ToString()
    startMode = [string]$cim.StartMode
    delayedAutoStart = [string]$cim.DelayedAutoStart
    startName = [string]$cim.StartName
}
$listeners = @()
$listenersError = $null
$allowRemoteAccess = ''
try {
    $listeners = @(Get-ErsListeners)
    $allowRemoteAccess = [string](Get-Item -Path 'WSMan:\localhost\Service\AllowRemoteAccess').Value
} catch {
    $listenersError = ConvertTo-ErsError -Record $_ -Source 'WSMan configuration'
}
$endpoint = $null
$endpointError = $null
try {
    $cfg = Get-PSSessionConfiguration -Name 'Microsoft.PowerShell'
    $endpoint = [pscustomobject]@{ enabled = [string]$cfg.Enabled; permission = [string]$cfg.Permission }
} catch {
    $endpointError = ConvertTo-ErsError -Record $_ -Source 'Get-PSSessionConfiguration'
}
# Group Policy "Allow remote server management through WinRM" owns the listeners when set.
$policy = @(Get-ErsWinRMServicePolicy)
[pscustomobject]@{
    service = $service
    listeners = $listeners
    listenersError = $listenersError
    allowRemoteAccess = $allowRemoteAccess
    endpoint = $endpoint
    endpointError = $endpointError
    policy = $policy
}`;

const REMEDIATION = String.raw`# Enable-PSRemoting starts WinRM, sets it to Automatic, creates the HTTP listener, adds the firewall
# exceptions, enables the default session configurations and RESTARTS WinRM: run it only when something is
# missing, so that a second run (or a runbook on a healthy server) drops no session.
$svc = Get-Service -Name 'WinRM'
if (@('Automatic', 'AutomaticDelayedStart') -notcontains $svc.StartType.ToString()) {
    Set-Service -Name 'WinRM' -StartupType Automatic
}
$missing = @()
if ($svc.Status.ToString() -ne 'Running') { $missing += 'the WinRM service is ' + $svc.Status.ToString() }
$listeners = @()
try { $listeners = @(Get-ErsListeners | Where-Object { $_.enabled -ne 'false' }) } catch { $listeners = @() }
if ($listeners.Count -eq 0) { $missing += 'no enabled listener' }
try {
    if ([string](Get-Item -Path 'WSMan:\localhost\Service\AllowRemoteAccess').Value -eq 'false') { $missing += 'AllowRemoteAccess is false' }
} catch { }
try {
    if ([string](Get-PSSessionConfiguration -Name 'Microsoft.PowerShell').Enabled -eq 'False') { $missing += 'the Microsoft.PowerShell endpoint is disabled' }
} catch { }
if ($missing.Count -eq 0) {
    Write-Output 'Remoting is already enabled (WinRM running, an enabled listener, the Microsoft.PowerShell endpoint enabled); nothing to do.'
} else {
    Write-Output ('Enabling remoting: ' + ($missing -join '; ') + '.')
    Enable-PSRemoting -Force
    if (-not $WhatIfPreference) {
        $svc = Get-Service -Name 'WinRM'
        Write-Output ('WinRM: ' + $svc.Status.ToString() + ', ' + $svc.StartType.ToString() + '. Reconnect any remote session now.')
    }
}`;

export const psRemoting: StepSpec = {
  id: 'ps-remoting',
  number: '3',
  profiles: ['remoting'],
  title: { en: 'PowerShell remoting enabled, WinRM running and automatic', de: 'PowerShell-Remoting aktiv, WinRM automatisch' },
  explanation: {
    en: 'The WinRM service must run and start automatically (delayed start is fine), at least one listener must exist with AllowRemoteAccess true, and the Microsoft.PowerShell endpoint must be enabled. Remoting is on by default on Windows Server 2012 and later, but policies and earlier hardening can turn it off.',
    de: 'Der Dienst „Windows-Remoteverwaltung (WS-Verwaltung)“ (WinRM) muss laufen und mit Starttyp „Automatisch“ oder „Automatisch (Verzögerter Start)“ starten, mindestens ein Listener muss existieren und AllowRemoteAccess true sein, und der Endpunkt Microsoft.PowerShell muss aktiviert sein. Ab Windows Server 2012 ist Remoting standardmäßig an, Richtlinien und frühere Härtung können es aber abschalten.',
  },
  where: 'exchangeServer',
  whereDetail: { en: 'on the Exchange server, elevated; if WinRM is broken, copy the script and run it locally in an elevated Windows PowerShell', de: 'auf dem Exchange-Server, mit erhöhten Rechten; ist WinRM defekt, das Skript kopieren und lokal in einer Windows PowerShell als Administrator ausführen' },
  needsElevation: true,
  needs: [],
  docLink: 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/enable-psremoting',
  checkHelpers: ['listeners', 'winrmPolicy'],
  remediationHelpers: ['listeners'],
  remediation: {
    changes: {
      en: 'Sets WinRM to Automatic and runs Enable-PSRemoting -Force: starts WinRM, creates an HTTP listener on all addresses (port 5985), adds firewall exceptions, enables the default session configurations, removes Deny_All/Network_Deny_All, then restarts WinRM.',
      de: 'Stellt WinRM auf Automatisch und führt Enable-PSRemoting -Force aus: startet WinRM, legt einen HTTP-Listener auf allen Adressen an (Port 5985), ergänzt Firewall-Ausnahmen, aktiviert die Standard-Sitzungskonfigurationen, entfernt Deny_All/Network_Deny_All und startet WinRM neu.',
    },
    restartsWinRM: true,
    risk: 'medium',
    // Checked against Enable-PSRemoting (starts WinRM, HTTP listener, firewall exceptions, session configurations,
    // restarts WinRM; https://learn.microsoft.com/powershell/module/microsoft.powershell.core/enable-psremoting) and
    // "Security considerations for PowerShell Remoting using WinRM" (WinRM encrypts all remoting traffic after the
    // initial authentication over HTTP too; https://learn.microsoft.com/powershell/scripting/security/remoting/winrm-security).
    // The alternative used to suggest removing the HTTP listener afterwards: that buys no encryption Microsoft
    // says is missing and breaks what relies on 5985 (Server Manager, this tool's http-kerberos connection).
    riskNote: {
      en: 'The WinRM restart drops in-flight sessions, including Exchange remote PowerShell hosted on WinRM. It opens port 5985 (HTTP). Group Policy may own these settings and overwrite them.',
      de: 'Der WinRM-Neustart trennt laufende Sitzungen, auch Exchange-Remote-PowerShell. Port 5985 (HTTP) wird geöffnet. Per Gruppenrichtlinie festgelegte Einstellungen gehen diesen Änderungen vor.',
    },
    saferAlternative: {
      en: 'winrm quickconfig does a subset (no session configurations). Run in a maintenance window, locally on the server. Keep the HTTP listener: Microsoft documents that WinRM encrypts remoting traffic after authentication over HTTP as well, and Server Manager and Kerberos-over-HTTP connections use port 5985; where a policy demands HTTPS only, restrict 5985 in the firewall rather than deleting the listener.',
      de: 'winrm quickconfig erledigt einen Teil (ohne Sitzungskonfigurationen). Im Wartungsfenster lokal auf dem Server ausführen. Den HTTP-Listener behalten: Laut Microsoft verschlüsselt WinRM den Remoting-Verkehr nach der Authentifizierung auch über HTTP, und der Server-Manager sowie Kerberos-über-HTTP-Verbindungen nutzen Port 5985; verlangt eine Richtlinie nur HTTPS, 5985 in der Firewall einschränken statt den Listener zu löschen.',
    },
    supportsWhatIf: true,
    remediateOnWarn: false,
  },
  checkBody: () => CHECK,
  remediationBody: () => REMEDIATION,
  decide(opened) {
    const id = 'ps-remoting' as const;
    const d = opened.data;
    const svc = obj(d.service);
    const status = enumName(svc.status, SERVICE_STATUS) ?? '?';
    const rawStart = enumName(svc.startType, SERVICE_START) ?? normaliseStartMode(str(svc.startMode)) ?? '?';
    // PowerShell 7 reports delayed automatic start as its own value.
    const startType = rawStart === 'AutomaticDelayedStart' ? 'Automatic' : rawStart;
    const delayed = bool(svc.delayedAutoStart) === true || rawStart === 'AutomaticDelayedStart';
    const evidence: Evidence[] = [{ label: 'WinRM service', value: `${status}, ${startType}${delayed ? ' (delayed start)' : ''}` }];
    if (str(svc.startName)) evidence.push({ label: 'Logon account', value: str(svc.startName) ?? '' });
    const policy = strs(d.policy);
    if (policy.length) evidence.push({ label: 'Policy (WinRM\\Service)', value: policy.join(', ') });
    const policyOwned = policy.some((p) => /^AllowAutoConfig=/i.test(p));
    const policyInfo = policyOwned ? { policy: { setting: 'WinRM listeners', policy: 'Computer Configuration > Administrative Templates > Windows Components > Windows Remote Management (WinRM) > WinRM Service > Allow remote server management through WinRM', proposal: 'Enable the policy with IPv4/IPv6 filters that include this server\'s addresses (or *), in the GPO that applies to the Exchange servers.' } } : {};
    const problems: string[] = [];
    if (status !== 'Running') problems.push(`WinRM is ${status}`);
    if (startType !== 'Automatic') problems.push(`WinRM starts ${startType}`);
    const lErr = partError(d, 'listenersError');
    const listeners = arr(d.listeners).map(obj);
    if (!lErr) {
      evidence.push({ label: 'Listeners', value: listeners.length ? listeners.map((l) => `${str(l.transport) ?? '?'} ${str(l.address) ?? '?'}:${str(l.port) ?? '?'}${bool(l.enabled) === false ? ' (disabled)' : ''}`).join(', ') : '(none)' });
      if (!listeners.some((l) => bool(l.enabled) !== false)) problems.push('no enabled listener');
      if (bool(d.allowRemoteAccess) === false) problems.push('AllowRemoteAccess is false');
    }
    const ep = d.endpoint === null || d.endpoint === undefined ? undefined : obj(d.endpoint);
    if (ep) {
      evidence.push({ label: 'Microsoft.PowerShell', value: `enabled: ${str(ep.enabled) ?? '?'}` });
      if (bool(ep.enabled) === false) problems.push('the Microsoft.PowerShell endpoint is disabled');
    }
    if (problems.length) {
      return result(id, { status: 'fail', summary: problems.join('; '), evidence, reason: policyOwned ? 'Group Policy manages WinRM on this server: change the policy rather than running Enable-PSRemoting locally.' : 'Enable remoting (Enable-PSRemoting -Force); note that it restarts WinRM.', ...policyInfo });
    }
    if (lErr) return result(id, { status: 'error', summary: 'WinRM running, listeners unreadable', evidence, reason: `The WSMan configuration could not be read (${lErr.fullyQualifiedErrorId ?? 'error'}); run the check elevated.`, code: lErr.fullyQualifiedErrorId ?? 'wsman' });
    const eErr = partError(d, 'endpointError');
    if (eErr) return result(id, { status: 'error', summary: 'Endpoint unreadable', evidence, reason: 'Get-PSSessionConfiguration failed; run the check elevated in Windows PowerShell 5.1 (pwsh 7 lists only its own endpoints).', code: eErr.fullyQualifiedErrorId ?? 'endpoint' });
    return result(id, { status: 'pass', summary: `WinRM ${status}, ${startType}; listeners: ${listeners.length}`, evidence, reason: 'Remoting is enabled. Test-WSMan from the sync server (with -Port) proves the network path.', ...policyInfo });
  },
};
