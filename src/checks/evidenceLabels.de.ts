// German for every evidence label a user reads (tree tooltips, reports, the CLI): the labels the evaluators, the
// envelope, the network probe and the execution layer write, keyed by the English label with {0}, {1}… where a
// value goes. Names Windows and Exchange show the same in German (TrustedHosts, userAccountControl, cmdlet
// parameters) stay as they are. Labels that are data (a firewall rule's name, a WSMan auth setting's name, a probe
// finding's code) are not here. test/unit/evidenceLabels.test.ts checks that every label the sources write has an
// entry, with the same placeholders, and that no entry is stale.
export const EVIDENCE_LABELS_DE: Readonly<Record<string, string>> = {
  // envelope, evaluate, execution
  'Error': 'Fehler',
  'Code': 'Code',
  'FullyQualifiedErrorId': 'FullyQualifiedErrorId',
  'Failed at': 'Fehlgeschlagen bei',
  'Message': 'Meldung',
  'Step in output': 'Schritt in der Ausgabe',
  'Input': 'Eingabe',
  'Confirmed by': 'Bestätigt von',
  // ps-remoting
  'WinRM service': 'WinRM-Dienst',
  'Logon account': 'Anmeldekonto',
  'Policy (WinRM\\Service)': 'Richtlinie (WinRM\\Service)',
  'Listeners': 'Listener',
  'Microsoft.PowerShell': 'Microsoft.PowerShell',
  // service-account-access
  'Endpoint': 'Endpunkt',
  'Permission': 'Berechtigung',
  'Account SID': 'SID des Kontos',
  'Local groups': 'Lokale Gruppen',
  'Orphaned SIDs in groups': 'Verwaiste SIDs in Gruppen',
  'Allowed through': 'Zugelassen über',
  'Token groups': 'Tokengruppen',
  // https-listener, listener-certificate
  'HTTPS {0}:{1}': 'HTTPS {0}:{1}',
  'Certificate': 'Zertifikat',
  'Configured thumbprint': 'Konfigurierter Fingerabdruck',
  'Replacement candidates': 'Ersatzkandidaten',
  'Presented to client': 'Dem Client präsentiert',
  // firewall-5986, cbt-hardening
  'Network profile': 'Netzwerkprofil',
  'AllowUnencrypted': 'AllowUnencrypted',
  // trusted-hosts
  'TrustedHosts': 'TrustedHosts',
  'Connection': 'Verbindung',
  'Domain member': 'Domänenmitglied',
  'Source of value': 'Quelle des Werts',
  'TLS to listener': 'TLS zum Listener',
  // kerberos-delegation
  'Domain': 'Domäne',
  'Computer': 'Computer',
  'userAccountControl': 'userAccountControl',
  'msDS-AllowedToDelegateTo': 'msDS-AllowedToDelegateTo',
  'msDS-AllowedToActOnBehalfOfOtherIdentity': 'msDS-AllowedToActOnBehalfOfOtherIdentity',
  'Service account': 'Dienstkonto',
  'Foreign HTTP/ SPNs': 'HTTP/-SPNs anderer Konten',
  // network-path-5986 (the PowerShell check and the Node probe)
  'From': 'Von',
  'Resolves to': 'Aufgelöst zu',
  'Presented certificate': 'Präsentiertes Zertifikat',
  'TLS policy errors': 'TLS-Richtlinienfehler',
  'Target': 'Ziel',
  'TLS': 'TLS',
  'Trust': 'Vertrauen',
  'WS-Management': 'WS-Management',
  'Trusted roots': 'Vertrauenswürdige Stammzertifikate',
  'Probed from': 'Geprüft von',
  'Elapsed': 'Dauer',
  // intune-rbac-role, connector-health
  'Role {0}': 'Rolle {0}',
  'Cmdlets granted': 'Gewährte Cmdlets',
  'Missing': 'Fehlend',
  'Beyond the list': 'Über die Liste hinaus',
  'RemotePowerShellEnabled': 'RemotePowerShellEnabled',
  'Service': 'Dienst',
  'Events in the last {0} min': 'Ereignisse der letzten {0} min',
  'Last event': 'Letztes Ereignis',
  'Event': 'Ereignis',
};
