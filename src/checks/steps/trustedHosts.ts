// Step 7: TrustedHosts on the client (sync server): only where needed, never "*" by default, append only.
import { partError, result } from '../envelope';
import { bool, obj, str } from '../json';
import type { Evidence, PolicyOwnership, StepSpec } from '../types';

const CHECK = String.raw`$item = Get-Item -Path 'WSMan:\localhost\Client\TrustedHosts'
$cs = Get-CimInstance -ClassName 'Win32_ComputerSystem'
$tls = $null
if ($ersConnection -eq 'https') { $tls = Get-ErsTlsInfo -HostName $ersServer -Port $ersPort }
[pscustomobject]@{
    value = [string]$item.Value
    sourceOfValue = [string]$item.SourceOfValue
    partOfDomain = [bool]$cs.PartOfDomain
    domain = [string]$cs.Domain
    connection = $ersConnection
    tls = $tls
}`;

const REMEDIATION = String.raw`$item = Get-Item -Path 'WSMan:\localhost\Client\TrustedHosts'
if ([string]$item.SourceOfValue -ne '') {
    throw ('TrustedHosts is controlled by policy (' + [string]$item.SourceOfValue + '). Add the entries to the GPO setting "Trusted Hosts" instead.')
}
$current = @(([string]$item.Value).Split(',') | ForEach-Object { $_.Trim() } | Where-Object { $_ -ne '' })
$missing = @($ersTrustedHosts | Where-Object { $current -notcontains $_ })
if ($missing.Count -eq 0) {
    Write-Output 'TrustedHosts already lists every entry; nothing to do.'
} else {
    Write-Output ('TrustedHosts before: ' + [string]$item.Value)
    # -Concatenate appends; a plain Set-Item would replace the list for every user of this machine.
    Set-Item -Path 'WSMan:\localhost\Client\TrustedHosts' -Value ($missing -join ',') -Concatenate -Force
    if (-not $WhatIfPreference) { Write-Output ('TrustedHosts now: ' + [string](Get-Item -Path 'WSMan:\localhost\Client\TrustedHosts').Value) }
}`;

const POLICY_PATH = 'Computer Configuration > Administrative Templates > Windows Components > Windows Remote Management (WinRM) > WinRM Client > Trusted Hosts';

/** Whether a TrustedHosts value (comma list with * and *.domain patterns) covers a host name. */
export function trustedHostsCover(value: string, host: string): { covered: boolean; by?: string; star: boolean } {
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  const star = entries.includes('*');
  const h = host.toLowerCase();
  for (const e of entries) {
    const p = e.toLowerCase();
    if (p === '*' || p === h) return { covered: true, by: e, star };
    if (p.startsWith('*') && h.endsWith(p.slice(1))) return { covered: true, by: e, star };
    if (p.endsWith('*') && h.startsWith(p.slice(0, -1))) return { covered: true, by: e, star };
  }
  return { covered: false, star };
}

export const trustedHosts: StepSpec = {
  id: 'trusted-hosts',
  number: '7',
  profiles: ['remoting'],
  title: { en: 'TrustedHosts on the sync server, only where needed', de: 'TrustedHosts auf dem Sync-Server, nur wo nötig' },
  explanation: {
    en: 'The WinRM client consults TrustedHosts only when neither Kerberos nor HTTPS with a trusted certificate proves the server\'s identity; then it merely suppresses that error for NTLM. So the step is not applicable with Kerberos by FQDN or trusted HTTPS. Where it is needed, list the Exchange servers exactly (or *.domain), append instead of overwriting, and never use "*".',
    de: 'Der WinRM-Client liest TrustedHosts nur, wenn weder Kerberos noch HTTPS mit vertrauenswürdigem Zertifikat die Identität des Servers belegt; dann unterdrückt der Eintrag nur diesen Fehler für NTLM. Mit Kerberos über den FQDN oder vertrauenswürdigem HTTPS entfällt der Schritt. Wo nötig, die Exchange-Server genau (oder *.domain) eintragen, anhängen statt überschreiben und nie „*“ verwenden.',
  },
  where: 'client',
  needsElevation: true,
  needs: ['trustedHosts', 'connection'],
  docLink: 'https://learn.microsoft.com/windows/client-management/mdm/policy-csp-remotemanagement#trustedhosts',
  checkHelpers: ['tls'],
  remediationHelpers: [],
  remediation: {
    changes: {
      en: 'Appends the missing entries to WSMan:\\localhost\\Client\\TrustedHosts with -Concatenate (never replaces the list). Refuses when Group Policy owns the value.',
      de: 'Hängt fehlende Einträge mit -Concatenate an WSMan:\\localhost\\Client\\TrustedHosts an (ersetzt die Liste nie). Verweigert, wenn der Wert per Gruppenrichtlinie festgelegt ist.',
    },
    restartsWinRM: false,
    risk: 'medium',
    // Checked against Policy CSP RemoteManagement/TrustedHosts (consulted only when neither HTTPS nor Kerberos
    // authenticates the host; https://learn.microsoft.com/windows/client-management/mdm/policy-csp-remotemanagement#trustedhosts),
    // "Security considerations for PowerShell Remoting using WinRM" (a TrustedHosts entry is not a statement of
    // trust; it drops server authentication for NTLM; https://learn.microsoft.com/powershell/scripting/security/remoting/winrm-security)
    // and about_Remote_Troubleshooting (-Concatenate appends; https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_remote_troubleshooting).
    riskNote: {
      en: 'Affects every user of the sync server: NTLM connections to the listed hosts no longer verify the server\'s identity. Needs a running WinRM service on the client.',
      de: 'Betrifft alle Benutzer des Sync-Servers: NTLM-Verbindungen zu den eingetragenen Hosts prüfen die Identität des Servers nicht mehr. Der WinRM-Dienst muss auf dem Client laufen.',
    },
    saferAlternative: {
      en: 'Make HTTPS with a certificate the sync server trusts work (steps 4 and 5), or connect by FQDN with Kerberos; then TrustedHosts is not needed at all.',
      de: 'HTTPS mit einem Zertifikat, dem der Sync-Server vertraut, zum Laufen bringen (Schritte 4 und 5) oder per FQDN mit Kerberos verbinden; dann ist TrustedHosts überflüssig.',
    },
    supportsWhatIf: true,
    remediateOnWarn: false,
  },
  checkBody: () => CHECK,
  remediationBody: () => REMEDIATION,
  decide(opened, ctx) {
    const id = 'trusted-hosts' as const;
    const d = opened.data;
    const { inputs } = ctx;
    const value = str(d.value) ?? '';
    const source = str(d.sourceOfValue) ?? '';
    const evidence: Evidence[] = [
      { label: 'TrustedHosts', value: value || '(empty)' },
      { label: 'Connection', value: inputs.connection },
      { label: 'Domain member', value: `${bool(d.partOfDomain) === true ? 'yes' : 'no'}${str(d.domain) ? ` (${str(d.domain)})` : ''}` },
    ];
    if (source) evidence.push({ label: 'Source of value', value: source });
    const ownership: PolicyOwnership | undefined = source ? { setting: 'TrustedHosts', policy: POLICY_PATH, proposal: `Add ${inputs.trustedHosts.join(', ')} to the policy's list (never "*").` } : undefined;
    const withPolicy = ownership ? { policy: ownership } : {};
    if (inputs.connection === 'local') return result(id, { status: 'notApplicable', summary: 'Local connection', evidence, reason: 'The product runs on the Exchange server itself; no WinRM client trust is involved.' });
    if (inputs.connection === 'http-kerberos' && bool(d.partOfDomain) === true) {
      return result(id, { status: 'notApplicable', summary: 'Kerberos by FQDN proves identity', evidence, reason: 'With Kerberos to the FQDN from a domain member, the client never consults TrustedHosts.', ...withPolicy });
    }
    const tls = d.tls === null || d.tls === undefined ? undefined : obj(d.tls);
    if (tls) {
      const pe = str(tls.policyErrors) ?? '';
      evidence.push({ label: 'TLS to listener', value: bool(tls.tlsSucceeded) === true ? `handshake ok; policy errors: ${pe || 'None'}` : `failed${partError(tls, 'error')?.fullyQualifiedErrorId ? ` (${partError(tls, 'error')?.fullyQualifiedErrorId})` : ''}` });
      if (bool(tls.tlsSucceeded) === true && (pe === '' || pe === 'None')) {
        return result(id, { status: 'notApplicable', summary: 'HTTPS with a trusted certificate proves identity', evidence, reason: 'The listener presents a certificate this client trusts for the FQDN, so TrustedHosts is not consulted. Leave it empty.', ...withPolicy });
      }
    }
    const cover = trustedHostsCover(value, inputs.server);
    if (cover.star) return result(id, { status: 'warn', summary: 'TrustedHosts is "*"', evidence, reason: '"*" turns off server-identity checks for NTLM to every destination. Replace it with the Exchange servers\' names.', ...withPolicy });
    if (cover.covered) return result(id, { status: 'pass', summary: `${inputs.server} covered by ${cover.by ?? '?'}`, evidence, reason: 'The server is in TrustedHosts, and the list has no bare "*".', ...withPolicy });
    return result(id, { status: 'fail', summary: `${inputs.server} not in TrustedHosts`, evidence, reason: ownership ? 'NTLM or non-trusted HTTPS needs the server in TrustedHosts, and Group Policy owns the list: change the policy.' : 'Without Kerberos or a trusted HTTPS certificate the client refuses the server (ServerNotTrusted). Append it to TrustedHosts, or better fix HTTPS (steps 4 and 5).', ...withPolicy });
  },
};
