// Step 9: TCP 5986 reachable from the sync server to the Exchange server, then the TLS handshake.
import { partError, result } from '../envelope';
import { classifyError } from '../errors';
import { bool, obj, str, strs } from '../json';
import type { Evidence, StepSpec } from '../types';

const CHECK = String.raw`$addresses = @()
$dnsError = $null
try {
    $addresses = @(Resolve-ErsHostAddress -HostName $ersServer)
} catch {
    $dnsError = ConvertTo-ErsError -Record $_ -Source 'DNS'
}
$tls = $null
if ($null -eq $dnsError) { $tls = Get-ErsTlsInfo -HostName $ersServer -Port $ersPort }
$sourceAddresses = @()
try { $sourceAddresses = @(Resolve-ErsHostAddress -HostName ([System.Net.Dns]::GetHostName())) } catch { $sourceAddresses = @() }
[pscustomobject]@{
    target = $ersServer
    port = $ersPort
    addresses = $addresses
    dnsError = $dnsError
    tls = $tls
    sourceAddresses = $sourceAddresses
}`;

const REMEDIATION = String.raw`# Nothing on this machine is changed: a network firewall is outside the host. This prints a change request.
$targets = @()
try { $targets = @(Resolve-ErsHostAddress -HostName $ersServer) } catch { $targets = @('(does not resolve from here)') }
$sources = @(Resolve-ErsHostAddress -HostName ([System.Net.Dns]::GetHostName()))
Write-Output 'Firewall change request'
Write-Output ('  Source:      ' + [System.Net.Dns]::GetHostName() + ' (' + ($sources -join ', ') + ')')
Write-Output ('  Destination: ' + $ersServer + ' (' + ($targets -join ', ') + ')')
Write-Output ('  Service:     TCP ' + $ersPort + ' (WinRM over HTTPS), inbound to the destination, stateful')
Write-Output '  Reason:      PowerShell remoting from the identity-sync server to Exchange'`;

export const networkPath5986: StepSpec = {
  id: 'network-path-5986',
  number: '9',
  profiles: ['remoting'],
  title: { en: 'TCP 5986 reachable from the sync server', de: 'TCP 5986 vom Sync-Server erreichbar' },
  explanation: {
    en: 'Run from each sync server, not from the admin workstation: resolves the Exchange FQDN, connects to the HTTPS port and completes a TLS handshake. The layers separate a DNS failure, a blocked port (network firewall), and TLS trust or name problems.',
    de: 'Auf jedem Sync-Server ausführen, nicht am Admin-Arbeitsplatz: löst den FQDN des Exchange-Servers auf, verbindet sich mit dem HTTPS-Port und führt einen TLS-Handshake aus. So lassen sich DNS-Fehler, ein gesperrter Port (Netzwerk-Firewall) und Probleme mit Vertrauen oder Namen des Zertifikats unterscheiden.',
  },
  where: 'network',
  needsElevation: false,
  needs: ['port'],
  docLink: 'https://help.monofor.com/monosync/exchange-integration',
  checkHelpers: ['dns', 'tls'],
  remediationHelpers: ['dns'],
  remediation: {
    changes: {
      en: 'Changes nothing. Prints a firewall change request (source, destination, TCP port) for the network team.',
      de: 'Ändert nichts. Gibt einen Firewall-Änderungsantrag (Quelle, Ziel, TCP-Port) für das Netzwerkteam aus.',
    },
    restartsWinRM: false,
    risk: 'low',
    // Nothing to check against Microsoft's documentation: the remediation changes nothing (it prints a change request).
    riskNote: { en: 'Read-only.', de: 'Schreibgeschützt: ändert nichts.' },
    saferAlternative: { en: 'Not applicable.', de: 'Entfällt.' },
    supportsWhatIf: true,
    remediateOnWarn: false,
  },
  checkBody: () => CHECK,
  remediationBody: () => REMEDIATION,
  decide(opened, ctx) {
    const id = 'network-path-5986' as const;
    const d = opened.data;
    const { server, port } = ctx.inputs;
    const evidence: Evidence[] = [{ label: 'From', value: `${opened.meta.computer ?? '?'} (${strs(d.sourceAddresses).join(', ') || '?'})` }];
    const dnsErr = partError(d, 'dnsError');
    if (dnsErr) {
      const c = classifyError(dnsErr);
      return result(id, { status: 'fail', summary: `${server} does not resolve`, evidence, reason: 'DNS resolution failed on the sync server; fix the DNS record or the client\'s DNS servers.', code: c.code });
    }
    evidence.push({ label: 'Resolves to', value: strs(d.addresses).join(', ') || '(nothing)' });
    const tls = obj(d.tls);
    const err = partError(tls, 'error');
    if (bool(tls.tcpSucceeded) !== true) {
      const c = err ? classifyError(err) : undefined;
      const refused = c?.kind === 'connectionRefused';
      return result(id, { status: 'fail', summary: `TCP ${port} ${refused ? 'refused' : 'not reachable'}`, evidence, reason: refused ? `The server answered but refused port ${port}: no listener there, or its host firewall rejects the connection (steps https-listener, firewall-5986).` : `No answer on port ${port}: a network firewall drops the traffic, or the host firewall does (step firewall-5986). Send the change request.`, ...(c ? { code: c.code } : {}) });
    }
    const pe = str(tls.policyErrors) ?? '';
    const cert = obj(tls.certificate);
    if (str(cert.thumbprint)) evidence.push({ label: 'Presented certificate', value: `${str(cert.thumbprint)} ${str(cert.subject) ?? ''} until ${(str(cert.notAfter) ?? '?').slice(0, 10)}` });
    if (bool(tls.tlsSucceeded) !== true) {
      return result(id, { status: 'warn', summary: `TCP ${port} open, TLS handshake failed`, evidence, reason: 'The port is reachable but no TLS session was established: the listener may be HTTP only or its certificate binding is broken (step https-listener).', ...(err ? { code: classifyError(err).code } : {}) });
    }
    if (pe && pe !== 'None') {
      evidence.push({ label: 'TLS policy errors', value: pe });
      return result(id, { status: 'warn', summary: `TCP ${port} open; certificate not trusted or name mismatch`, evidence, reason: /Name/i.test(pe) ? 'The presented certificate does not name the FQDN used (RemoteCertificateNameMismatch).' : 'The sync server does not trust the presented certificate (RemoteCertificateChainErrors): import the issuing CA into its Trusted Root store.' });
    }
    return result(id, { status: 'pass', summary: `TCP ${port} reachable, TLS trusted`, evidence, reason: `The sync server reaches ${server}:${port} and trusts its certificate.` });
  },
};
