// Classifies a failed check by stable codes (HRESULTs, WinRM error numbers, FullyQualifiedErrorIds),
// never by the English wording: Exchange servers often run localized Windows. Pure.
import type { CheckErrorInfo } from './types';
import type { StepId } from './status';

export const ERROR_KINDS = [
  'notElevated', 'accessDenied', 'unreachable', 'connectionRefused', 'timeout', 'notTrusted', 'spnMismatch',
  'noDelegatedCredentials', 'noAuthority', 'logonFailure', 'certificateRequired', 'certificateUntrusted',
  'certificateNameMismatch', 'certificateExpired', 'certificateRevocation', 'policyOwned', 'notFound',
  'moduleMissing', 'noLanguageMode', 'sharedSslConfig', 'noResult', 'needsWindows', 'unknown',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface ErrorClassification {
  readonly kind: ErrorKind;
  /** The code the decision rests on (e.g. 0x80090322 or AccessDenied,PSSessionStateBroken); 'none' when nothing matched. */
  readonly code: string;
  /** What it means and what to do, in English for the evidence panel. */
  readonly hint: string;
  /** The step whose remediation most likely fixes it. */
  readonly relatedStep?: StepId;
}

export interface CodeRule {
  readonly kind: ErrorKind;
  readonly hint: string;
  readonly relatedStep?: StepId;
}

/** HRESULTs (upper-case hex) → meaning. Win32 errors appear as 0x8007XXXX. */
export const HRESULTS: Readonly<Record<string, CodeRule>> = {
  '0x80070005': { kind: 'accessDenied', hint: 'Access is denied (E_ACCESSDENIED): the account lacks rights, or the check ran without elevation.' },
  '0x80090322': { kind: 'spnMismatch', hint: 'SEC_E_WRONG_PRINCIPAL: the HTTP/<server> SPN is registered on another account (KB 4549715). Remove the stray SPN, or register HTTP/<host>:<port> and use -IncludePortInSPN.', relatedStep: 'kerberos-delegation' },
  '0x8009030E': { kind: 'noDelegatedCredentials', hint: 'SEC_E_NO_CREDENTIALS: no delegable Kerberos ticket on the intermediate server (second hop). Check delegation on the Exchange computer object and that the service account is delegable.', relatedStep: 'kerberos-delegation' },
  '0x80090311': { kind: 'noAuthority', hint: 'SEC_E_NO_AUTHENTICATING_AUTHORITY: no domain controller could be reached for Kerberos.' },
  '0x8009030C': { kind: 'logonFailure', hint: 'SEC_E_LOGON_DENIED: the logon attempt failed (wrong credentials or a disabled/locked account).' },
  '0x8007052E': { kind: 'logonFailure', hint: 'ERROR_LOGON_FAILURE: unknown user name or bad password.' },
  '0x80338012': { kind: 'unreachable', hint: 'ERROR_WSMAN_DESTINATION_UNREACHABLE: the WinRM client cannot connect (name resolution, firewall, or the WinRM service is not running).', relatedStep: 'network-path-5986' },
  '0x80338112': { kind: 'connectionRefused', hint: 'ERROR_WSMAN_HTTP_SERVICE_UNAVAILABLE_STATUS: the host answered but no WinRM listener serves that port/URL.', relatedStep: 'https-listener' },
  '0x80338113': { kind: 'connectionRefused', hint: 'ERROR_WSMAN_HTTP_NOT_FOUND_STATUS: the HTTP server at that port is not a WS-Management listener.', relatedStep: 'https-listener' },
  '0x80338115': { kind: 'certificateRequired', hint: 'ERROR_WSMAN_QUICK_CONFIG_FAILED_CERT_REQUIRED: no certificate fit for an HTTPS listener (CN = host name, Server Authentication, valid, not self-signed for quickconfig).', relatedStep: 'https-listener' },
  '0x8033809D': { kind: 'spnMismatch', hint: 'ERROR_WSMAN_SECURITY_UNMAPPED (-2144108387): an unknown security error, typically a Kerberos SPN problem.', relatedStep: 'kerberos-delegation' },
  '0x80338029': { kind: 'timeout', hint: 'ERROR_WSMAN_OPERATION_TIMEDOUT: the WinRM operation timed out.' },
  '0x80338126': { kind: 'timeout', hint: 'WinRM connect timed out: a firewall drops the traffic, or the host is down.', relatedStep: 'network-path-5986' },
  '0x8007274D': { kind: 'connectionRefused', hint: 'WSAECONNREFUSED (10061): the host actively refused the TCP connection: no listener on that port, or the host firewall rejects it.', relatedStep: 'firewall-5986' },
  '0x8007274C': { kind: 'timeout', hint: 'WSAETIMEDOUT (10060): no answer to the TCP connection: a firewall on the path drops it, or the host is down.', relatedStep: 'network-path-5986' },
  '0x80072AF9': { kind: 'unreachable', hint: 'WSAHOST_NOT_FOUND (11001): the name does not resolve in DNS from this machine.', relatedStep: 'network-path-5986' },
  '0x80131505': { kind: 'timeout', hint: 'The operation timed out (TimeoutException).' },
  '0x80072F0D': { kind: 'certificateUntrusted', hint: 'ERROR_WINHTTP_SECURE_INVALID_CA: the client does not trust the listener certificate\'s issuer. Import the CA (or the self-signed certificate) into the client\'s Trusted Root store.', relatedStep: 'https-listener' },
  '0x80072F06': { kind: 'certificateNameMismatch', hint: 'ERROR_WINHTTP_SECURE_CERT_CN_INVALID: the name used to connect is not in the certificate\'s CN/SAN. Connect by the FQDN in the certificate.', relatedStep: 'https-listener' },
  '0x80072F05': { kind: 'certificateExpired', hint: 'ERROR_WINHTTP_SECURE_CERT_DATE_INVALID: the listener certificate has expired or is not yet valid.', relatedStep: 'listener-certificate' },
  '0x80072F19': { kind: 'certificateRevocation', hint: 'ERROR_WINHTTP_SECURE_CERT_REV_FAILED: revocation could not be checked; the CRL/OCSP location is unreachable from the client.', relatedStep: 'https-listener' },
};

/** FullyQualifiedErrorId prefixes (before the first comma, or the whole id) → meaning. */
export const ERROR_IDS: Readonly<Record<string, CodeRule>> = {
  'AccessDenied': { kind: 'accessDenied', hint: 'Access is denied by the remote endpoint: the account is not allowed on Microsoft.PowerShell (group membership or endpoint ACL), is in Protected Users, or gets a filtered token.', relatedStep: 'service-account-access' },
  'ServerNotTrusted': { kind: 'notTrusted', hint: 'The client cannot verify the server\'s identity: use HTTPS with a trusted certificate or Kerberos by FQDN, or add the server to TrustedHosts.', relatedStep: 'trusted-hosts' },
  'CannotConnect': { kind: 'unreachable', hint: 'The WinRM client cannot connect to the destination.', relatedStep: 'network-path-5986' },
  'ComputerNotFound': { kind: 'unreachable', hint: 'The computer name could not be found: it does not resolve, or the host is not on the network.', relatedStep: 'network-path-5986' },
  'WinRMOperationTimeout': { kind: 'timeout', hint: 'The WinRM operation timed out.', relatedStep: 'network-path-5986' },
  'CommandNotFoundException': { kind: 'moduleMissing', hint: 'A required command is missing on the machine that ran the check (e.g. the ActiveDirectory module or the Exchange Management Shell).' },
  'ScriptsNotAllowed': { kind: 'noLanguageMode', hint: 'The endpoint runs in NoLanguage mode (Microsoft.Exchange): run the check in a full PowerShell session instead.' },
  'NoServiceFoundForGivenName': { kind: 'notFound', hint: 'The service does not exist on this machine.' },
  'ADIdentityNotFoundException': { kind: 'notFound', hint: 'Active Directory has no object with that identity.' },
  'ResultMarker': { kind: 'noResult', hint: 'The script printed no usable result between its markers: it was cut off, a profile or policy stopped it, or its output was not captured. Run it again, or paste it into an elevated Windows PowerShell to see what happens.' },
  'PathNotFound': { kind: 'notFound', hint: 'The path does not exist (for a WSMan: path, the WinRM service may be stopped).' },
  // PowerShell remoting over SSH (the runner reads OpenSSH's own messages; see powershell/remoteScript.ts sshFailure).
  'SshUnreachable': { kind: 'unreachable', hint: 'No SSH connection: nothing answered at that address and port, or the name does not resolve. Is the OpenSSH server running on the server (Windows Server 2019 and later: Add-WindowsCapability -Online -Name OpenSSH.Server~~~~0.0.1.0; Start-Service sshd), is its port open in the firewall, and are the port and connect-to address in the server entry right?' },
  'SshAuthenticationRefused': { kind: 'logonFailure', hint: 'The SSH server refused the login: put the public key of the configured key file into the account\'s authorized_keys (administrators on Windows: C:\\ProgramData\\ssh\\administrators_authorized_keys, readable only by Administrators and SYSTEM), and check the user name in the server entry.' },
  'SshHostKeyUnknown': { kind: 'notTrusted', hint: 'The server\'s SSH host key is not in known_hosts (or it changed), and this tool never accepts an unknown key by itself. Compare the fingerprint the server shows (on the server: ssh-keygen -lf C:\\ProgramData\\ssh\\ssh_host_ed25519_key.pub) with ssh-keyscan from here, add the key to known_hosts (or the server entry\'s knownHostsFile), and check again.' },
  'SshNoPowerShellSubsystem': { kind: 'connectionRefused', hint: 'sshd on the server has no "powershell" subsystem: add "Subsystem powershell c:/progra~1/powershell/7/pwsh.exe -sshs -NoLogo" to C:\\ProgramData\\ssh\\sshd_config and restart sshd (PowerShell 7 must be installed there).' },
};

/** FullyQualifiedErrorId parts that only say a remote session failed; the HRESULT or the id before them says why. */
export const SESSION_FAILURE_IDS = ['PSSessionStateBroken', 'PSSessionOpenFailed'] as const;

/** The rule for one error id (or id part): an exact entry, or one the id ends with (a namespace-qualified exception name). */
export function errorIdRule(id: string, exceptionType = ''): CodeRule | undefined {
  if (!id && !exceptionType) return undefined;
  return ERROR_IDS[id] ?? Object.entries(ERROR_IDS).find(([k]) => (id && (id.endsWith(k) || id.startsWith(`${k}:`))) || exceptionType.endsWith(k))?.[1];
}

/** Signed 32-bit number → 0xXXXXXXXX (upper-case). */
export function toHresult(value: string | number): string | undefined {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < -0x80000000 || value > 0xffffffff) return undefined;
    return `0x${(value >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
  }
  const text = value.trim();
  if (/^0x[0-9a-f]{1,8}$/i.test(text)) return `0x${text.slice(2).toUpperCase().padStart(8, '0')}`;
  if (/^-?\d{1,10}$/.test(text)) return toHresult(Number(text));
  return undefined;
}

/** Every code the error carries, most specific first: message-embedded hex codes, the HRESULT chain, FQID numbers. */
export function collectCodes(error: CheckErrorInfo): string[] {
  const codes: string[] = [];
  const add = (c: string | undefined): void => { if (c && !codes.includes(c)) codes.push(c); };
  // The message is localized, but the hex codes and "-2144108387"-style numbers inside it are not.
  for (const m of (error.message ?? '').matchAll(/0x[0-9a-fA-F]{8}\b/g)) add(toHresult(m[0]));
  for (const m of (error.message ?? '').matchAll(/(?<![\w.])-21\d{8}\b/g)) add(toHresult(m[0]));
  for (const h of error.hresults ?? []) add(toHresult(h));
  if (error.nativeErrorCode !== undefined) {
    const n = error.nativeErrorCode;
    add(toHresult(n >= 0 && n <= 0xffff ? (0x80070000 | n) >>> 0 : n));
  }
  for (const m of (error.fullyQualifiedErrorId ?? '').matchAll(/-?\d{9,10}/g)) add(toHresult(m[0]));
  return codes;
}

/** The id part of a FullyQualifiedErrorId that identifies the error (before the first comma). */
function errorIdHead(fqid: string): string {
  return (fqid.split(',')[0] ?? '').trim();
}

/**
 * What PowerShell on Linux/macOS lacks and a check needs: Windows-only cmdlets, the [adsi] type accelerator, the WSMan:
 * and Cert: drives, the WS-Man client for remoting, Windows-only .NET APIs.
 */
const WINDOWS_ONLY = /^(CommandNotFoundException|TypeNotFound|DriveNotFound|PSRemotingDataStructureException|System\.Management\.Automation\.Remoting\.PSRemotingDataStructureException)$/;
const WINDOWS_ONLY_TYPES = /(PlatformNotSupportedException|DllNotFoundException|DriveNotFoundException|CommandNotFoundException)$/;

export const NEEDS_WINDOWS_HINT = 'This step needs Windows PowerShell or PowerShell on Windows: the PowerShell that ran it (on this machine, or on '
  + 'the server it reached) is on Linux or macOS, which has no Windows-only cmdlets, [adsi], WSMan: or Cert: drive and no WinRM client. '
  + 'Run the check against the Windows Exchange server itself: over WinRM from Windows, or with the "ssh" connection from anywhere.';

export function classifyError(error: CheckErrorInfo): ErrorClassification {
  const fqid = error.fullyQualifiedErrorId ?? '';
  const head = errorIdHead(fqid);
  // 0x80131539 COR_E_PLATFORMNOTSUPPORTED anywhere in the exception chain (e.g. inside a MethodInvocationException).
  if (error.onWindows === false && (WINDOWS_ONLY.test(head) || WINDOWS_ONLY_TYPES.test(error.exceptionType ?? '') || collectCodes(error).includes('0x80131539'))) {
    return { kind: 'needsWindows', code: head || (error.exceptionType ?? 'needsWindows'), hint: NEEDS_WINDOWS_HINT };
  }
  // The elevation refusal of WSMan: and session-configuration cmdlets: access denied from a local cmdlet.
  const local = !SESSION_FAILURE_IDS.some((s) => fqid.includes(s));
  const codes = collectCodes(error);
  // A specific HRESULT beats a generic FQID (AccessDenied,PSSessionStateBroken can wrap 0x8009030E).
  for (const code of codes) {
    const rule = HRESULTS[code];
    if (rule && code !== '0x80070005') return withStep({ kind: rule.kind, code, hint: rule.hint }, rule.relatedStep);
  }
  const typeName = error.exceptionType ?? '';
  const byId = errorIdRule(head, typeName);
  if (byId) {
    if (byId.kind === 'accessDenied' && local) {
      return { kind: 'notElevated', code: fqid, hint: 'Access is denied on the machine that ran the check: run it from an elevated ("Run as administrator") Windows PowerShell, or through a remote session of an administrator.' };
    }
    return withStep({ kind: byId.kind, code: fqid, hint: byId.hint }, byId.relatedStep);
  }
  if (codes.includes('0x80070005') || /UnauthorizedAccessException$/.test(typeName) || error.category === 'PermissionDenied') {
    if (local) return { kind: 'notElevated', code: codes.includes('0x80070005') ? '0x80070005' : (typeName || 'PermissionDenied'), hint: 'Access is denied on the machine that ran the check: run it elevated, or as an account with the rights this step needs.' };
    return withStep({ kind: 'accessDenied', code: '0x80070005', hint: ERROR_IDS.AccessDenied?.hint ?? '' }, 'service-account-access');
  }
  if (error.category === 'ObjectNotFound') return { kind: 'notFound', code: fqid || 'ObjectNotFound', hint: 'An object the check looks for does not exist.' };
  if (/^-?\d+$/.test(head)) {
    const code = toHresult(head);
    if (code) return { kind: 'unknown', code, hint: `WinRM error ${code}; see the message for details.` };
  }
  return { kind: 'unknown', code: codes[0] ?? (fqid || 'none'), hint: 'The check failed with an error this tool does not recognise; see the message.' };
}

function withStep(c: Omit<ErrorClassification, 'relatedStep'>, step: StepId | undefined): ErrorClassification {
  return step ? { ...c, relatedStep: step } : c;
}
