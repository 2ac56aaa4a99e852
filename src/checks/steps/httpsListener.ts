// Step 4: an HTTPS listener exists, bound to a certificate for the server's FQDN.
import { certMatchesHost, describeCert, hasServerAuth, httpsListeners, LISTENER_CERT_CHECK } from '../certs';
import { result } from '../envelope';
import type { Evidence, StepSpec } from '../types';

const REMEDIATION = String.raw`$thumb = $ersThumbprint
if ($thumb -eq '') {
    $best = Get-ErsListenerCertificates -HostName $ersServer | Where-Object { $_.NotBefore -lt (Get-Date) -and $_.NotAfter -gt (Get-Date).AddDays(30) } | Select-Object -First 1
    if ($null -ne $best) { $thumb = [string]$best.Thumbprint }
}
if ($thumb -eq '') {
    if (-not $ersAllowSelfSigned) {
        throw ('No certificate for ' + $ersServer + ' with a private key and Server Authentication is valid for 30 more days. Request one from the enterprise CA (SAN = the FQDN) and run this again, or render the script with a thumbprint.')
    }
    # Self-signed (valid one year): every sync server must import its public key into Trusted Root on purpose.
    $created = New-SelfSignedCertificate -DnsName $ersServer -CertStoreLocation 'Cert:\LocalMachine\My'
    if ($WhatIfPreference) { return }
    $thumb = [string]$created.Thumbprint
    Write-Output ('Created self-signed certificate ' + $thumb + '. Import its public key into the Trusted Root store of each sync server.')
} elseif (-not (Test-Path -Path ('Cert:\LocalMachine\My\' + $thumb))) {
    throw ('Certificate ' + $thumb + ' is not in Cert:\LocalMachine\My.')
}
$existing = @(Get-ErsListeners | Where-Object { $_.transport -eq 'HTTPS' -and $_.address -eq '*' })
if ($existing.Count -gt 0) {
    if ($existing[0].certificateThumbprint -eq $thumb -and $existing[0].hostname -eq $ersServer) {
        Write-Output 'The HTTPS listener already uses this certificate; nothing to do.'
    } elseif (Test-ErsShouldChange -Target 'WinRM HTTPS listener (Address=*)' -Action ('Set certificate ' + $thumb)) {
        Set-WSManInstance -ResourceURI 'winrm/config/Listener' -SelectorSet @{ Address = '*'; Transport = 'HTTPS' } -ValueSet @{ Hostname = $ersServer; CertificateThumbprint = $thumb } | Out-Null
        Write-Output ('HTTPS listener now uses ' + $thumb + '.')
    }
} elseif (Test-ErsShouldChange -Target 'WinRM HTTPS listener (Address=*)' -Action ('Create on port ' + $ersPort + ' with certificate ' + $thumb)) {
    New-WSManInstance -ResourceURI 'winrm/config/Listener' -SelectorSet @{ Address = '*'; Transport = 'HTTPS' } -ValueSet @{ Hostname = $ersServer; CertificateThumbprint = $thumb; Port = [string]$ersPort } | Out-Null
    Write-Output ('Created the HTTPS listener on port ' + $ersPort + ' with ' + $thumb + '. Port ' + $ersPort + ' still needs a firewall rule (step firewall-5986).')
}`;

export const httpsListener: StepSpec = {
  id: 'https-listener',
  number: '4',
  profiles: ['remoting'],
  title: { en: 'HTTPS listener with a certificate for the server FQDN', de: 'HTTPS-Listener mit Zertifikat für den FQDN' },
  explanation: {
    en: 'WinRM needs an enabled HTTPS listener on the product\'s port (5986) whose certificate is in LocalMachine\\My, has a private key and the Server Authentication EKU, and names the FQDN the sync server connects to (SAN, or CN without SANs). The sync server must trust the issuer.',
    de: 'WinRM braucht einen aktiven HTTPS-Listener auf dem Port des Produkts (5986), dessen Zertifikat in LocalMachine\\My liegt, einen privaten Schlüssel und die EKU Serverauthentifizierung hat und den FQDN nennt, mit dem sich der Sync-Server verbindet (SAN, oder CN ohne SANs). Der Sync-Server muss dem Aussteller vertrauen.',
  },
  where: 'exchangeServer',
  needsElevation: true,
  needs: [],
  docLink: 'https://learn.microsoft.com/troubleshoot/windows-client/system-management-components/configure-winrm-for-https',
  checkHelpers: ['listeners', 'certInfo', 'certSearch'],
  remediationHelpers: ['listeners', 'certSearch'],
  remediation: {
    changes: {
      en: 'Uses the given thumbprint or the newest certificate in LocalMachine\\My for the FQDN (private key, Server Authentication, ≥ 30 days left); creates the HTTPS listener (Address *, Hostname = FQDN) or rebinds the existing one. Creates a self-signed certificate only when explicitly allowed.',
      de: 'Verwendet den angegebenen Fingerabdruck oder das neueste Zertifikat in LocalMachine\\My für den FQDN (privater Schlüssel, Serverauthentifizierung, ≥ 30 Tage gültig); legt den HTTPS-Listener an (Address *, Hostname = FQDN) oder bindet den vorhandenen neu. Ein selbstsigniertes Zertifikat nur, wenn ausdrücklich erlaubt.',
    },
    restartsWinRM: false,
    risk: 'low',
    // Checked against "How to configure WINRM for HTTPS" (a certificate for the host name with Server Authentication;
    // https://learn.microsoft.com/troubleshoot/windows-client/system-management-components/configure-winrm-for-https)
    // and New-PSSessionOption (-SkipCACheck and -SkipCNCheck turn off the server's authentication; use them only
    // for trusted computers; https://learn.microsoft.com/powershell/module/microsoft.powershell.core/new-pssessionoption).
    riskNote: {
      en: 'No WinRM restart; existing HTTPS sessions keep their old handshake. A self-signed certificate must be imported into each sync server\'s Trusted Root store. Never bind WinRM HTTPS to 443 on Exchange (IIS owns it).',
      de: 'Kein WinRM-Neustart; bestehende HTTPS-Sitzungen behalten ihren alten Handshake. Ein selbstsigniertes Zertifikat muss auf jedem Sync-Server in die vertrauenswürdigen Stammzertifizierungsstellen. WinRM-HTTPS auf Exchange nie an 443 binden (gehört IIS).',
    },
    saferAlternative: {
      en: 'A certificate from the enterprise CA with auto-enrollment (SAN = FQDN). Never -SkipCACheck/-SkipCNCheck on the client: that removes server authentication.',
      de: 'Ein Zertifikat der Unternehmens-CA mit automatischer Registrierung (SAN = FQDN). Nie -SkipCACheck/-SkipCNCheck am Client: das hebt die Serverauthentifizierung auf.',
    },
    supportsWhatIf: true,
    remediateOnWarn: false,
  },
  checkBody: () => LISTENER_CERT_CHECK,
  remediationBody: () => REMEDIATION,
  decide(opened, ctx) {
    const id = 'https-listener' as const;
    const { now, inputs } = ctx;
    const listeners = httpsListeners(opened.data);
    const evidence: Evidence[] = listeners.map((l) => ({ label: `HTTPS ${l.address}:${l.port ?? '?'}`, value: `enabled ${l.enabled}; hostname ${l.hostname || '(empty)'}; thumbprint ${l.thumbprint || '(none)'}` }));
    if (listeners.length === 0) {
      return result(id, { status: 'fail', summary: 'No HTTPS listener', evidence, reason: `WinRM has no HTTPS listener. Create one on port ${inputs.port} with a certificate for ${inputs.server}.` });
    }
    const l = listeners.find((x) => x.port === inputs.port && x.enabled) ?? listeners.find((x) => x.enabled);
    if (!l) return result(id, { status: 'fail', summary: 'HTTPS listener disabled', evidence, reason: 'The HTTPS listener exists but is disabled.' });
    if (l.port !== inputs.port) {
      return result(id, { status: 'fail', summary: `HTTPS listener on port ${l.port ?? '?'}, not ${inputs.port}`, evidence, reason: l.port === 443 ? 'Port 443 belongs to IIS/Exchange; re-create the listener on 5986.' : `The product connects to ${inputs.port}; re-create the listener on that port.` });
    }
    if (!l.cert) {
      return result(id, { status: 'fail', summary: `Certificate ${l.thumbprint || '(none)'} missing`, evidence, reason: 'The listener\'s thumbprint is not in Cert:\\LocalMachine\\My (deleted or renewed). Bind a current certificate.' });
    }
    const c = l.cert;
    evidence.push({ label: 'Certificate', value: describeCert(c, now) });
    const problems: string[] = [];
    if (!certMatchesHost(c, inputs.server)) problems.push(`the certificate does not name ${inputs.server}`);
    if (!c.hasPrivateKey) problems.push('the certificate has no private key');
    if (!hasServerAuth(c)) problems.push('the certificate lacks the Server Authentication EKU');
    if (c.notAfter && c.notAfter.getTime() <= now.getTime()) problems.push('the certificate has expired');
    if (c.notBefore && c.notBefore.getTime() > now.getTime()) problems.push('the certificate is not valid yet');
    const presented = ctx.observed?.presentedCertificate;
    if (presented?.trusted === false) problems.push('the sync server does not trust the presented certificate');
    if (presented?.nameMatches === false) problems.push('the presented certificate does not match the name the client used');
    if (problems.length) return result(id, { status: 'fail', summary: problems[0] ?? 'certificate unusable', evidence, reason: `The listener cannot serve ${inputs.server}: ${problems.join('; ')}.` });
    const warnings: string[] = [];
    if (l.hostname && l.hostname.toLowerCase() !== inputs.server) warnings.push(`the listener Hostname is ${l.hostname}, not ${inputs.server}`);
    if (c.selfSigned && presented?.trusted !== true) warnings.push('the certificate is self-signed: each sync server must trust it explicitly (Trusted Root)');
    if (warnings.length) return result(id, { status: 'warn', summary: `HTTPS ${inputs.port}: ${warnings[0]}`, evidence, reason: warnings.join('; ') + '.' });
    return result(id, { status: 'pass', summary: `HTTPS listener on ${inputs.port} with ${c.thumbprint.slice(0, 8)}…`, evidence, reason: `An enabled HTTPS listener on ${inputs.port} uses a certificate for ${inputs.server}.` });
  },
};
