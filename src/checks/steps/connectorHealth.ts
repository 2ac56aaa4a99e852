// Step 10 (Intune connector): the connector service runs, its event source wrote within the window (default
// 130 minutes: the ~2-hour quick-sync cadence plus margin), and wrote no Error/Warning/FailureAudit there.
import { result } from '../envelope';
import { SERVICE_STATUS, arr, bool, date, enumName, normaliseStartMode, num, obj, str } from '../json';
import type { Evidence, StepSpec } from '../types';

export const CONNECTOR_SERVICE_DISPLAY_NAME = 'Microsoft Intune Exchange Connector Service';
export const CONNECTOR_EVENT_SOURCE = 'Microsoft Intune Exchange Connector';
/** Event keyword bits (Get-WinEvent Keywords) of classic audit entries. */
export const KEYWORD_AUDIT_FAILURE = 0x10000000000000n;

const CHECK = String.raw`$service = $null
$cim = @(Get-CimInstance -ClassName 'Win32_Service' -Filter "DisplayName='Microsoft Intune Exchange Connector Service'")
if ($cim.Count -gt 0) {
    $service = [pscustomobject]@{
        name = [string]$cim[0].Name
        state = [string]$cim[0].State
        startMode = [string]$cim[0].StartMode
        delayedAutoStart = [string]$cim[0].DelayedAutoStart
        startName = [string]$cim[0].StartName
    }
}
$since = (Get-Date).AddMinutes(-$ersWindowMinutes)
$events = @()
try {
    $events = @(Get-WinEvent -FilterHashtable @{ LogName = 'Application'; ProviderName = 'Microsoft Intune Exchange Connector'; StartTime = $since } -MaxEvents 500 -ErrorAction Stop)
} catch {
    # No event in the window is an answer, not an error; without the service the provider may be missing too.
    if ([string]$_.FullyQualifiedErrorId -notlike 'NoMatching*' -and $null -ne $service) { throw }
}
$last = $null
try {
    $newest = Get-WinEvent -FilterHashtable @{ LogName = 'Application'; ProviderName = 'Microsoft Intune Exchange Connector' } -MaxEvents 1 -ErrorAction Stop
    $last = $newest.TimeCreated.ToUniversalTime().ToString('o')
} catch {
    $last = $null
}
$list = @($events | ForEach-Object {
    $text = [string]$_.Message
    if ($text.Length -gt 200) { $text = $text.Substring(0, 200) }
    [pscustomobject]@{
        timeCreated = $_.TimeCreated.ToUniversalTime().ToString('o')
        id = [int]$_.Id
        level = [int]$_.Level
        keywords = ('0x{0:X16}' -f [int64]$_.Keywords)
        message = ($text -split "\r?\n")[0]
    }
})
[pscustomobject]@{
    service = $service
    windowMinutes = $ersWindowMinutes
    since = $since.ToUniversalTime().ToString('o')
    events = $list
    lastEventAt = $last
}`;

const REMEDIATION = String.raw`$svc = @(Get-CimInstance -ClassName 'Win32_Service' -Filter "DisplayName='Microsoft Intune Exchange Connector Service'")
if ($svc.Count -eq 0) { throw 'The Intune Exchange connector service is not installed on this machine.' }
$name = [string]$svc[0].Name
if ([string]$svc[0].StartMode -ne 'Auto') { Set-Service -Name $name -StartupType Automatic }
if ([string]$svc[0].State -ne 'Running') {
    Start-Service -Name $name
    if (-not $WhatIfPreference) { Write-Output ('Started ' + $name + '. If it stops again, look for System log events 7000 (logon failure) and 7041 (missing "Log on as a service" right) from the Service Control Manager.') }
} else {
    Write-Output 'The connector service is running. Errors in its event log need their own fix (proxy: netsh winhttp bypass list; notification account: ExchangeWebServiceURL in the configuration file).'
}`;

interface EventRow {
  readonly at?: Date;
  readonly id: number;
  readonly level: number;
  readonly failureAudit: boolean;
  readonly message: string;
}

function eventRow(v: unknown): EventRow {
  const o = obj(v);
  const at = date(o.timeCreated);
  let failureAudit = false;
  const kw = str(o.keywords);
  if (kw && /^0x[0-9a-f]{1,16}$/i.test(kw)) failureAudit = (BigInt(kw) & KEYWORD_AUDIT_FAILURE) !== 0n;
  const entryType = str(o.entryType);
  if (entryType && /^(FailureAudit|16)$/i.test(entryType)) failureAudit = true;
  return { ...(at ? { at } : {}), id: num(o.id) ?? -1, level: num(o.level) ?? 4, failureAudit, message: str(o.message) ?? '' };
}

const LEVEL_NAMES: Readonly<Record<number, string>> = { 0: 'LogAlways', 1: 'Critical', 2: 'Error', 3: 'Warning', 4: 'Information', 5: 'Verbose' };

export const connectorHealth: StepSpec = {
  id: 'connector-health',
  number: '11',
  profiles: ['intune'],
  title: { en: 'Intune Exchange connector health', de: 'Zustand des Intune Exchange-Connectors' },
  explanation: {
    en: 'Retired: Microsoft stopped new installations of the on-premises Intune Exchange connector in 2020 and ended its support in early 2024; its replacement is Exchange hybrid modern authentication with Conditional Access. This check stays for servers still running it. The seed\'s monitoring made precise: the service "Microsoft Intune Exchange Connector Service" runs and starts automatically; the Application log has events from the provider "Microsoft Intune Exchange Connector" within the window (it syncs about every two hours); among them no Error/Critical or FailureAudit (fail) and no Warning (warn). Events are always filtered by provider, because 7000–7009 are also Service Control Manager IDs. Activity and error event IDs are configurable.',
    de: 'Eingestellt: Microsoft hat Neuinstallationen des lokalen Intune Exchange-Connectors 2020 beendet und den Support Anfang 2024 eingestellt; Ersatz ist Exchange-Hybrid mit moderner Authentifizierung und bedingtem Zugriff. Die Prüfung bleibt für Server, auf denen er noch läuft. Die Überwachung aus der Vorlage, präzisiert: Der Dienst „Microsoft Intune Exchange Connector Service“ läuft und startet automatisch; im Anwendungsprotokoll gibt es im Zeitfenster Ereignisse der Quelle „Microsoft Intune Exchange Connector“ (sie synchronisiert etwa alle zwei Stunden); darunter kein Fehler/Kritisch oder Überwachungsfehler (Fehler) und keine Warnung (Warnung). Gefiltert wird immer nach Quelle, weil 7000–7009 auch IDs des Dienststeuerungs-Managers sind. Aktivitäts- und Fehler-Ereignis-IDs sind einstellbar.',
  },
  where: 'client',
  whereDetail: { en: 'on the connector host (the machine where the Intune Exchange connector is installed); no elevation for reading', de: 'auf dem Connector-Host (dem Computer mit dem Intune Exchange-Connector); Lesen ohne erhöhte Rechte' },
  needsElevation: false,
  needs: ['windowMinutes', 'activityEventIds', 'errorEventIds'],
  docLink: 'https://learn.microsoft.com/mem/intune/protect/troubleshoot-exchange-connector',
  checkHelpers: [],
  remediationHelpers: [],
  remediation: {
    changes: {
      en: 'Sets the connector service to Automatic and starts it. Does not touch its configuration files or credentials.',
      de: 'Stellt den Connector-Dienst auf Automatisch und startet ihn. Konfigurationsdateien und Anmeldeinformationen bleiben unberührt.',
    },
    restartsWinRM: false,
    risk: 'low',
    // Checked against "Troubleshoot the Intune Exchange connector" (service logon failures: System events 7000 and
    // 7041, the "Log on as a service" right; https://learn.microsoft.com/mem/intune/protect/troubleshoot-exchange-connector)
    // and "Set up the on-premises Intune Exchange connector" (the connector syncs devices and sets their Exchange
    // access state; deprecated, replaced by Exchange hybrid modern authentication;
    // https://learn.microsoft.com/mem/intune/protect/exchange-connector-install). The note used to promise a full sync
    // at service start, which Microsoft does not document; what starting does is resume the syncs.
    riskNote: {
      en: 'Starting the service resumes its syncs with Intune: the next sync applies the access state Intune decides (allowed, blocked, quarantined) to the Exchange ActiveSync devices it finds, which can quarantine devices that do not meet your Conditional Access policy.',
      de: 'Der Start nimmt die Synchronisation mit Intune wieder auf: Die nächste Synchronisation setzt den von Intune bestimmten Zugriffsstatus (zugelassen, blockiert, in Quarantäne) für die gefundenen Exchange ActiveSync-Geräte und kann Geräte in Quarantäne setzen, die Ihre Richtlinie für bedingten Zugriff nicht erfüllen.',
    },
    saferAlternative: {
      en: 'If the service stops with System event 7000 (logon failure) or 7041 (logon type not granted), starting it again does not help: fix the service account\'s password or its "Log on as a service" right (or the GPO that removes it) first. Plan the move to Exchange hybrid modern authentication with Conditional Access; the connector is retired.',
      de: 'Endet der Dienst mit Systemereignis 7000 (Anmeldefehler) oder 7041 (Anmeldetyp nicht gewährt), hilft ein erneuter Start nicht: Zuerst das Kennwort des Dienstkontos oder sein Recht „Als Dienst anmelden“ (oder die GPO, die es entzieht) korrigieren. Den Umstieg auf Exchange-Hybrid mit moderner Authentifizierung und bedingtem Zugriff planen; der Connector ist eingestellt.',
    },
    supportsWhatIf: true,
    remediateOnWarn: false,
  },
  checkBody: () => CHECK,
  remediationBody: () => REMEDIATION,
  decide(opened, ctx) {
    const id = 'connector-health' as const;
    const d = opened.data;
    const { now, inputs } = ctx;
    const window = num(d.windowMinutes) ?? inputs.windowMinutes;
    const from = new Date(now.getTime() - window * 60_000);
    const evidence: Evidence[] = [];
    const svc = d.service === null || d.service === undefined ? undefined : obj(d.service);
    if (!svc) return result(id, { status: 'fail', summary: 'Connector service not installed', evidence, reason: `No service named "${CONNECTOR_SERVICE_DISPLAY_NAME}" exists on this machine.` });
    const state = enumName(svc.state, SERVICE_STATUS) ?? '?';
    const start = normaliseStartMode(str(svc.startMode)) ?? '?';
    evidence.push({ label: 'Service', value: `${str(svc.name) ?? '?'}: ${state}, ${start}${bool(svc.delayedAutoStart) ? ' (delayed)' : ''}; logon ${str(svc.startName) ?? '?'}` });
    const all = arr(d.events).map(eventRow);
    const inWindow = all.filter((e) => e.at !== undefined && e.at >= from && e.at <= new Date(now.getTime() + 5 * 60_000));
    const activity = inWindow.filter((e) => inputs.activityEventIds.length === 0 || inputs.activityEventIds.includes(e.id));
    const errors = inWindow.filter((e) => e.level === 1 || e.level === 2 || e.failureAudit || inputs.errorEventIds.includes(e.id));
    const warnings = inWindow.filter((e) => e.level === 3 && !errors.includes(e));
    const lastAt = date(d.lastEventAt) ?? activity.map((e) => e.at).filter((x): x is Date => x !== undefined).sort((a, b) => b.getTime() - a.getTime())[0];
    evidence.push({ label: `Events in the last ${window} min`, value: `${inWindow.length} (${activity.length} activity, ${errors.length} error, ${warnings.length} warning)` });
    if (lastAt) evidence.push({ label: 'Last event', value: `${lastAt.toISOString()} (${Math.round((now.getTime() - lastAt.getTime()) / 60_000)} min ago)` });
    const show = (e: EventRow): string => `${e.at?.toISOString() ?? '?'} ${e.id} ${e.failureAudit ? 'FailureAudit' : LEVEL_NAMES[e.level] ?? e.level}: ${e.message}`;
    for (const e of [...errors, ...warnings].slice(0, 5)) evidence.push({ label: 'Event', value: show(e) });
    if (state !== 'Running') return result(id, { status: 'fail', summary: `Service ${state}`, evidence, reason: 'The connector service is not running. If it fails to start, check the System log for Service Control Manager events 7000 (logon failure) and 7041 (missing "Log on as a service" right).' });
    if (errors.length) return result(id, { status: 'fail', summary: `Error events in ${window} min: ${errors.length}`, evidence, reason: 'The connector logged errors in the window; see the events (proxy problems show as 0x0000001/0x00000006, a wrong sign-in account as 0x000000b).' });
    if (activity.length === 0) return result(id, { status: 'fail', summary: `No activity in ${window} min`, evidence, reason: `The connector wrote no ${inputs.activityEventIds.length ? `event ${inputs.activityEventIds.join('/')}` : 'event'} in the last ${window} minutes although it syncs about every two hours: it is hanging or cannot reach Intune or Exchange.` });
    if (start !== 'Automatic') return result(id, { status: 'warn', summary: `Running, but starts ${start}`, evidence, reason: 'After a reboot the connector will not start by itself; set it to Automatic.' });
    if (warnings.length) return result(id, { status: 'warn', summary: `Warning events in ${window} min: ${warnings.length}`, evidence, reason: 'The connector is active but logged warnings.' });
    return result(id, { status: 'pass', summary: `Running; events in ${window} min: ${activity.length}, no errors`, evidence, reason: 'The connector runs and synced within the window without errors or warnings.' });
  },
};
