// Step 5: the listener certificate is valid (HealthChecker's bands: ≥ 60 days pass, 30–59 warn, < 30 fail),
// with replacement candidates and the configured-versus-presented comparison.
import { certFacts, certMatchesHost, daysRemaining, describeCert, hasServerAuth, httpsListeners, LISTENER_CERT_CHECK } from '../certs';
import { result } from '../envelope';
import { arr, date } from '../json';
import type { Evidence, StepSpec } from '../types';

const REMEDIATION = String.raw`$listener = @(Get-ErsListeners | Where-Object { $_.transport -eq 'HTTPS' }) | Select-Object -First 1
if ($null -eq $listener) { throw 'There is no HTTPS listener; run the https-listener remediation first.' }
$current = $null
if ($listener.certificateThumbprint -ne '' -and (Test-Path -Path ('Cert:\LocalMachine\My\' + $listener.certificateThumbprint))) {
    $current = Get-Item -Path ('Cert:\LocalMachine\My\' + $listener.certificateThumbprint)
}
$thumb = $ersThumbprint
if ($thumb -eq '') {
    $best = Get-ErsListenerCertificates -HostName $ersServer | Where-Object { $_.NotBefore -lt (Get-Date) -and $_.NotAfter -gt (Get-Date).AddDays(30) } | Select-Object -First 1
    if ($null -ne $best -and ($null -eq $current -or $best.NotAfter -ge $current.NotAfter)) { $thumb = [string]$best.Thumbprint }
}
if ($thumb -eq '') {
    if (-not $ersAllowSelfSigned) {
        throw ('No replacement certificate for ' + $ersServer + ' (private key, Server Authentication, valid for 30 more days, later expiry than the current one). Request or renew one from the CA, then run this again.')
    }
    # Issue a self-signed one (valid one year): every sync server must import its public key into Trusted Root.
    $created = New-SelfSignedCertificate -DnsName $ersServer -CertStoreLocation 'Cert:\LocalMachine\My'
    if ($WhatIfPreference) { return }
    $thumb = [string]$created.Thumbprint
    Write-Output ('Created self-signed certificate ' + $thumb + '. Import its public key into the Trusted Root store of each sync server.')
}
if (-not (Test-Path -Path ('Cert:\LocalMachine\My\' + $thumb))) { throw ('Certificate ' + $thumb + ' is not in Cert:\LocalMachine\My.') }
if ($listener.certificateThumbprint -eq $thumb) {
    Write-Output 'The listener already uses this certificate; nothing to do.'
} elseif (Test-ErsShouldChange -Target ('WinRM HTTPS listener (Address=' + $listener.address + ')') -Action ('Replace certificate ' + $listener.certificateThumbprint + ' with ' + $thumb)) {
    # If this fails with "The CertificateThumbprint property must be empty when the SSL configuration will be
    # shared with another service", delete and re-create the listener instead (step https-listener).
    Set-WSManInstance -ResourceURI 'winrm/config/Listener' -SelectorSet @{ Address = $listener.address; Transport = 'HTTPS' } -ValueSet @{ CertificateThumbprint = $thumb } | Out-Null
    Write-Output ('The listener now uses ' + $thumb + '. Sessions negotiated with the old certificate keep it until they end.')
}`;

export const listenerCertificate: StepSpec = {
  id: 'listener-certificate',
  number: '5',
  profiles: ['remoting'],
  title: { en: 'Listener certificate valid, replacement ready', de: 'Listener-Zertifikat gültig, Ersatz bereit' },
  explanation: {
    en: 'The certificate bound to the HTTPS listener must be in LocalMachine\\My, match the FQDN and stay valid: 60 days or more pass, 30–59 days warn, under 30 days fail. The check lists replacement certificates with a later expiry and, when the runner saw the certificate the listener actually presents, flags a difference (auto-enrollment renewals can leave a stale thumbprint in the configuration).',
    de: 'Das an den HTTPS-Listener gebundene Zertifikat muss in LocalMachine\\My liegen, zum FQDN passen und gültig bleiben: ab 60 Tagen bestanden, 30–59 Tage Warnung, unter 30 Tagen Fehler. Die Prüfung listet Ersatzzertifikate mit späterem Ablauf und meldet, wenn das tatsächlich präsentierte Zertifikat vom konfigurierten abweicht (automatische Verlängerung kann einen veralteten Fingerabdruck in der Konfiguration lassen).',
  },
  where: 'exchangeServer',
  needsElevation: true,
  needs: [],
  docLink: 'https://microsoft.github.io/CSS-Exchange/Diagnostics/HealthChecker/CertificateCheck/',
  checkHelpers: ['listeners', 'certInfo', 'certSearch'],
  remediationHelpers: ['listeners', 'certSearch'],
  remediation: {
    changes: {
      en: 'Rebinds the existing HTTPS listener to the given thumbprint, or to the newest matching certificate that expires later than the current one (Set-WSManInstance on winrm/config/Listener). Issues a self-signed certificate only when explicitly allowed.',
      de: 'Bindet den vorhandenen HTTPS-Listener an den angegebenen Fingerabdruck oder an das neueste passende Zertifikat, das später abläuft als das aktuelle (Set-WSManInstance auf winrm/config/Listener). Stellt ein selbstsigniertes Zertifikat nur aus, wenn ausdrücklich erlaubt.',
    },
    restartsWinRM: false,
    risk: 'low',
    // Checked against "Installation and configuration for Windows Remote Management" (the listener's
    // CertificateThumbprint is set on winrm/config/Listener; https://learn.microsoft.com/windows/win32/winrm/installation-and-configuration-for-windows-remote-management)
    // and "Configure Server Certificate Autoenrollment" (https://learn.microsoft.com/windows-server/networking/core-network-guide/cncg/server-certs/configure-server-certificate-autoenrollment).
    // WSManDsc is named as a community example, not as Microsoft guidance.
    riskNote: {
      en: 'Setting the same thumbprint twice is harmless. Sessions negotiated on the old certificate break when it expires; run in a maintenance window if the product keeps long-lived sessions, and make sure the sync servers trust the new issuer.',
      de: 'Derselbe Fingerabdruck zweimal schadet nicht. Sitzungen mit dem alten Zertifikat brechen bei dessen Ablauf ab; bei langlebigen Sitzungen im Wartungsfenster ausführen und sicherstellen, dass die Sync-Server dem neuen Aussteller vertrauen.',
    },
    saferAlternative: {
      en: 'Server certificate auto-enrollment from the enterprise CA plus a scheduled rebind of the listener to the renewed certificate (for example the community WSManDsc module\'s WSManListener, which selects the certificate by issuer and subject).',
      de: 'Automatische Registrierung von Serverzertifikaten bei der Unternehmens-CA plus geplantes Neubinden des Listeners an das erneuerte Zertifikat (z. B. WSManListener aus dem Community-Modul WSManDsc, der das Zertifikat nach Aussteller und Antragsteller wählt).',
    },
    supportsWhatIf: true,
    remediateOnWarn: true,
  },
  checkBody: () => LISTENER_CERT_CHECK,
  remediationBody: () => REMEDIATION,
  decide(opened, ctx) {
    const id = 'listener-certificate' as const;
    const { now, inputs } = ctx;
    const listeners = httpsListeners(opened.data);
    const l = listeners.find((x) => x.port === inputs.port && x.enabled) ?? listeners[0];
    if (!l) return result(id, { status: 'notApplicable', summary: 'No HTTPS listener', evidence: [], reason: 'There is no HTTPS listener yet; see step https-listener.' });
    const evidence: Evidence[] = [{ label: 'Configured thumbprint', value: l.thumbprint || '(none)' }];
    const candidates = arr(opened.data.candidates).map(certFacts).filter((c) => c.thumbprint !== l.thumbprint);
    const later = candidates.filter((c) => hasServerAuth(c) && c.hasPrivateKey && certMatchesHost(c, inputs.server) && c.notAfter && (!l.cert?.notAfter || c.notAfter > l.cert.notAfter) && c.notAfter > now);
    if (later.length) evidence.push({ label: 'Replacement candidates', value: later.map((c) => describeCert(c, now)).join(' | ') });
    if (!l.cert) {
      return result(id, { status: 'fail', summary: `Certificate ${l.thumbprint || '(none)'} not in LocalMachine\\My`, evidence, reason: later.length ? 'The configured certificate is gone; rebind the listener to a replacement candidate.' : 'The configured certificate is gone and no replacement is installed; request one from the CA.' });
    }
    const c = l.cert;
    evidence.push({ label: 'Certificate', value: describeCert(c, now) });
    const days = daysRemaining(c, now);
    if (days === undefined) return result(id, { status: 'error', summary: 'Expiry date unreadable', evidence, reason: 'The certificate\'s NotAfter could not be read.', code: 'bad-date' });
    const presented = ctx.observed?.presentedCertificate;
    if (presented) {
      const pNotAfter = date(presented.notAfter);
      evidence.push({ label: 'Presented to client', value: `${presented.thumbprint.toUpperCase()}${pNotAfter ? ` until ${pNotAfter.toISOString().slice(0, 10)}` : ''}` });
    }
    const mismatch = presented !== undefined && presented.thumbprint.toUpperCase() !== c.thumbprint;
    if (!certMatchesHost(c, inputs.server)) {
      return result(id, { status: 'fail', summary: `Certificate does not name ${inputs.server}`, evidence, reason: 'The configured certificate\'s names do not include the FQDN; rebind to a matching certificate.' });
    }
    if (days < inputs.certFailDays) {
      const what = days < 0 ? `expired ${-days} days ago` : `expires in ${days} days`;
      return result(id, { status: 'fail', summary: `Certificate ${what}`, evidence, reason: `Below ${inputs.certFailDays} days. ${later.length ? 'Rebind the listener to the replacement candidate.' : 'Renew or request a certificate, then rebind the listener.'}` });
    }
    if (days < inputs.certWarnDays) {
      return result(id, { status: 'warn', summary: `Certificate expires in ${days} days`, evidence, reason: `Between ${inputs.certFailDays} and ${inputs.certWarnDays} days: plan the replacement${later.length ? ' (a candidate is installed)' : ''}.` });
    }
    if (mismatch) {
      return result(id, { status: 'warn', summary: 'Presented certificate differs from the configured one', evidence, reason: 'The listener presents another certificate than its configuration names (typical after an auto-enrollment renewal). Rebind the listener so that the configuration and what clients see agree.' });
    }
    return result(id, { status: 'pass', summary: `Certificate valid for ${days} more days`, evidence, reason: `At least ${inputs.certWarnDays} days left.` });
  },
};
