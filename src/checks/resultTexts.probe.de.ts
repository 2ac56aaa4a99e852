// German for the reasons of the network-path step decided by the Node probe (execution/probeStep.ts): the probe's
// finding messages (probe/probe.ts, certificateFindings.ts, trust.ts, wsmanIdentify.ts), the advice for each network
// verdict and the pass sentence. Part of RESULT_TEXTS_DE (resultTexts.de.ts), under the same rules: keys are the
// English texts with {0}, {1}… where a value goes. A reason joins several of them; resultText.ts translates each.
export const PROBE_RESULT_TEXTS_DE: Readonly<Record<string, string>> = {
  // TCP and TLS (probe.ts)
  'TCP connect to {0} got no answer within {1} ms (a firewall dropping packets, or the host is down).': 'Die TCP-Verbindung zu {0} bekam innerhalb von {1} ms keine Antwort (eine Firewall verwirft die Pakete, oder der Host ist ausgefallen).',
  '{0} refused the connection: nothing listens on that port (no WinRM HTTPS listener, or a firewall rejects it).': '{0} hat die Verbindung abgelehnt: an diesem Port lauscht nichts (kein WinRM-HTTPS-Listener, oder eine Firewall weist sie ab).',
  'The name {0} does not resolve ({1}).': 'Der Name {0} lässt sich nicht auflösen ({1}).',
  'TCP connect to {0} timed out.': 'Zeitüberschreitung bei der TCP-Verbindung zu {0}.',
  'No route to {0} ({1}).': 'Keine Route zu {0} ({1}).',
  'Connecting to {0} failed: {1}': 'Die Verbindung zu {0} ist gescheitert: {1}',
  '{0} accepted the TCP connection but completed no TLS handshake within {1} ms.': '{0} hat die TCP-Verbindung angenommen, aber innerhalb von {1} ms keinen TLS-Handshake abgeschlossen.',
  '{0} does not speak TLS ({1}): is this the HTTP listener (5985) or another service?': '{0} spricht kein TLS ({1}): ist das der HTTP-Listener (5985) oder ein anderer Dienst?',
  'The TLS handshake with {0} failed: {1}': 'Der TLS-Handshake mit {0} ist gescheitert: {1}',
  'The probe was cancelled.': 'Der Netzwerktest wurde abgebrochen.',
  '{0} completed TLS without presenting a certificate.': '{0} hat TLS abgeschlossen, ohne ein Zertifikat vorzulegen.',
  'Probe of {0} failed: {1}': 'Der Netzwerktest von {0} ist gescheitert: {1}',
  // the certificate (certificateFindings.ts)
  'The certificate expired on {0} ({1} days ago). WinRM clients fail with "The SSL Certificate is expired".': 'Das Zertifikat ist am {0} abgelaufen (Tage seitdem: {1}). WinRM-Clients scheitern mit „Das SSL-Zertifikat ist abgelaufen“.',
  'The certificate is not valid before {0} (check the server clock or the issued dates).': 'Das Zertifikat ist erst ab {0} gültig (prüfen Sie die Uhr des Servers oder die Ausstellungsdaten).',
  'The certificate expires on {0}, in {1} days (under {2}).': 'Das Zertifikat läuft am {0} ab (verbleibende Tage: {1}; Grenze: {2}).',
  'The certificate is for {0}, not for {1}; WinRM rejects it (0x80338115, CN mismatch).': 'Das Zertifikat ist für {0} ausgestellt, nicht für {1}; WinRM lehnt es ab (0x80338115, CN stimmt nicht überein).',
  '(no name)': '(kein Name)',
  '"{0}" is not a thumbprint (40 hexadecimal digits).': '„{0}“ ist kein Fingerabdruck (40 Hexadezimalziffern).',
  'The listener presents {0}, but it is configured with {1} (renewed certificate not rebound, or a different binding).': 'Der Listener legt {0} vor, ist aber mit {1} konfiguriert (erneuertes Zertifikat nicht neu gebunden, oder eine andere Bindung).',
  // trust (trust.ts)
  'The certificate is self-signed and trusted here ({0}), as on a sync server that imported it into Trusted Root Certification Authorities. The trade-off: it cannot be revoked, and every renewal has to be imported by hand on every sync server before the old one expires; a certificate from your enterprise CA avoids both.': 'Das Zertifikat ist selbstsigniert und wird hier als vertrauenswürdig eingestuft ({0}), wie auf einem Sync-Server, der es in die Vertrauenswürdigen Stammzertifizierungsstellen importiert hat. Der Nachteil: es lässt sich nicht sperren, und jede Erneuerung muss auf jedem Sync-Server von Hand importiert werden, bevor das alte Zertifikat abläuft; ein Zertifikat Ihrer Unternehmenszertifizierungsstelle vermeidet beides.',
  'a trusted root': 'ein vertrauenswürdiges Stammzertifikat',
  'this machine\'s certificate store': 'Zertifikatspeicher dieses Computers',
  'Node\'s bundled Mozilla roots': 'mit Node gelieferte Mozilla-Stammzertifikate',
  'the given CA certificates': 'angegebene Zertifikate der Zertifizierungsstelle',
  'The certificate is self-signed and not trusted here: a client trusts it only once it is imported into its Trusted Root Certification Authorities. If your sync servers import it, give the probe the same certificate: export it on the Exchange server (Export-Certificate -Cert Cert:\\LocalMachine\\My\\<thumbprint> -FilePath listener.cer) and add the certificate file to the setting exchangeRemoting.probe.caFiles (on the command line: --ca <file>). Otherwise bind a certificate from your enterprise CA; -SkipCACheck only hides the problem.': 'Das Zertifikat ist selbstsigniert und wird hier nicht als vertrauenswürdig eingestuft: ein Client vertraut ihm erst, wenn es in seine Vertrauenswürdigen Stammzertifizierungsstellen importiert ist. Wenn Ihre Sync-Server es importieren, geben Sie dem Netzwerktest dasselbe Zertifikat: exportieren Sie es auf dem Exchange-Server (Export-Certificate -Cert Cert:\\LocalMachine\\My\\<Fingerabdruck> -FilePath listener.cer) und tragen Sie die Zertifikatsdatei in die Einstellung exchangeRemoting.probe.caFiles ein (auf der Befehlszeile: --ca <Datei>). Andernfalls binden Sie ein Zertifikat Ihrer Unternehmenszertifizierungsstelle; -SkipCACheck verdeckt das Problem nur.',
  'The certificate chain is not trusted here ({0}): the CA that issued it ({1}) leads to no root in this machine\'s certificate store, Node\'s roots or the configured CA files. Import that root CA where the sync servers trust it, and for the probe add the root CA\'s certificate file to the setting exchangeRemoting.probe.caFiles (on the command line: --ca <file>).': 'Die Zertifikatkette wird hier nicht als vertrauenswürdig eingestuft ({0}): die ausstellende Zertifizierungsstelle ({1}) führt zu keinem Stammzertifikat im Zertifikatspeicher dieses Computers, unter den Stammzertifikaten von Node oder in den konfigurierten Zertifikatsdateien. Importieren Sie diese Stammzertifizierungsstelle dort, wo die Sync-Server ihr vertrauen, und tragen Sie für den Netzwerktest die Zertifikatsdatei der Stammzertifizierungsstelle in die Einstellung exchangeRemoting.probe.caFiles ein (auf der Befehlszeile: --ca <Datei>).',
  'unknown reason': 'Grund unbekannt',
  'unnamed': 'ohne Namen',
  // WS-Man Identify (wsmanIdentify.ts)
  '{0} answers WS-Management but refuses the unauthenticated Identify (401; offers {1}). The listener is there; Test-WSMan needs credentials.': '{0} antwortet als WS-Management, lehnt aber das nicht authentifizierte Identify ab (401; angeboten: {1}). Der Listener ist vorhanden; Test-WSMan braucht Anmeldeinformationen.',
  'nothing': 'nichts',
  '{0} speaks TLS, but POST /wsman returned HTTP {1} without an IdentifyResponse: this is probably not a WinRM listener.': '{0} spricht TLS, aber POST /wsman lieferte HTTP {1} ohne IdentifyResponse: das ist wahrscheinlich kein WinRM-Listener.',
  'The WS-Management Identify request to {0} failed: {1}': 'Die WS-Management-Identify-Anfrage an {0} ist gescheitert: {1}',
  'no answer within {0} ms': 'keine Antwort innerhalb von {0} ms',
  // what to do for each network verdict, and the pass sentence (probeStep.ts)
  'Fix name resolution: the DNS record of {0}, or the DNS servers of this machine. No firewall change helps until the name resolves.': 'Beheben Sie die Namensauflösung: den DNS-Eintrag von {0} oder die DNS-Server dieses Computers. Keine Firewalländerung hilft, solange sich der Name nicht auflösen lässt.',
  '{0} answered and refused port {1}: no HTTPS listener there (step "HTTPS listener"), or its host firewall rejects it (step "Host firewall").': '{0} hat geantwortet und Port {1} abgelehnt: dort ist kein HTTPS-Listener (Schritt „HTTPS-Listener“), oder seine Host-Firewall weist die Verbindung ab (Schritt „Host-Firewall“).',
  'Nothing answers on TCP {0}: a firewall on the path from this machine to {1} drops it (host firewall rule on the server, network firewalls between sites).': 'Auf TCP {0} antwortet nichts: eine Firewall auf dem Weg von diesem Computer zu {1} verwirft die Pakete (Host-Firewallregel auf dem Server, Netzwerkfirewalls zwischen Standorten).',
  'There is no route from this machine to {0}: check routing and VPN, then the firewalls on the path.': 'Es gibt keine Route von diesem Computer zu {0}: prüfen Sie Routing und VPN, dann die Firewalls auf dem Weg.',
  'Port {0} answers without TLS: bind a certificate to the HTTPS listener (step "HTTPS listener").': 'Port {0} antwortet ohne TLS: binden Sie ein Zertifikat an den HTTPS-Listener (Schritt „HTTPS-Listener“).',
  'The TLS handshake on port {0} failed: check the listener\'s certificate binding (step "HTTPS listener").': 'Der TLS-Handshake auf Port {0} ist gescheitert: prüfen Sie die Zertifikatbindung des Listeners (Schritt „HTTPS-Listener“).',
  'The path from this machine to {0}:{1} is open and WinRM answers.': 'Der Weg von diesem Computer zu {0}:{1} ist offen, und WinRM antwortet.',
};
