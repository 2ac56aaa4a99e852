// Pure: turns a check script (or one Exchange cmdlet) into the one script a PowerShell process runs for a whole
// fan-out. runOutput.ts reads that script's output back into per-server results.
//
// The wrapper runs `Invoke-Command -ComputerName <list> -ThrottleLimit N` once (PowerShell's own fan-out), merges
// the error stream into the output (2>&1, so one server's failure is data, not a stderr abort) and prints one line
// per object or error record: `##ERS-<KIND>:<run token>:<base64 server>:<base64 payload>`. Everything a server sends
// is base64-encoded on the client before it is printed, so a server cannot forge another server's line.
//
// Terminal noise never hides a line: pwsh on Linux/macOS writes ESC[?1h ESC[?1l in front of the first line when stdin
// is a pipe, and colour or other control sequences may appear whatever TERM is. Every line is stripped of terminal
// sequences before matching and a line is found by its prefix anywhere in it, not at column 0.
//
// The credential is never part of this text: the wrapper only names the global variable $ErsCredential, which the
// runner fills through stdin in a separate invocation (credentialFeed.ts), and removes it in `finally`.
//
// The script is sent as one line (encodedScript.ts); the functions that print the lines are in emitHelpers.ts.
import { quoteLiteral } from '../pslang/quote';
import { InputError, printable, validateConnectTo, validateFqdn, validateSshPath, validateSshUser } from '../servers/validation';
import { CREDENTIAL_VARIABLE } from './credentialFeed';
import { EMIT_HELPERS } from './emitHelpers';
import { decodedString } from './encodedScript';
import type { ExchangeCommand, RunRequest, RunTarget } from './runner';
import { LOCALHOST } from './runner';

export const LINE_PREFIX = '##ERS-';
const DEFAULT_THROTTLE = 32;
const DEFAULT_OPEN_TIMEOUT_MS = 30_000;

export interface WrapperOptions {
  readonly runToken: string;
  readonly target: RunTarget;
  /** Validated FQDNs (ignored for local). */
  readonly servers: readonly string[];
  /** Script for local/https/http-kerberos targets (the same for every server). */
  readonly script?: string;
  /**
   * Per-server scripts (e.g. a catalog check rendered with each server's inputs), grouped by identical text.
   * Several groups still make ONE round trip: one `Invoke-Command -AsJob` per group, received together.
   */
  readonly scriptGroups?: ReadonlyArray<{ readonly servers: readonly string[]; readonly script: string }>;
  /** Cmdlet for the exchange target. */
  readonly command?: ExchangeCommand;
  readonly throttleLimit?: number;
  readonly connectTimeoutMs?: number;
  /** Whether to pass $ErsCredential as -Credential (the runner sets it beforehand; never for ssh). */
  readonly useCredential: boolean;
  /** ssh target: server FQDN → address to connect to instead of resolving the name. */
  readonly connectTo?: Readonly<Record<string, string>>;
}

/** ssh: the address each server is reached at (its name unless connectTo says otherwise). Two servers may not share one. */
function sshAddresses(servers: readonly string[], connectTo: Readonly<Record<string, string>> | undefined): Map<string, string> {
  const lower = new Map(Object.entries(connectTo ?? {}).map(([k, v]) => [k.toLowerCase(), validateConnectTo(v)]));
  const out = new Map<string, string>();
  const used = new Map<string, string>();
  for (const s of servers) {
    const address = lower.get(s.toLowerCase()) ?? s;
    const other = used.get(address.toLowerCase());
    if (other) throw new InputError('connectTo', `${other} and ${s} both connect to ${address}; give each server its own address.`);
    used.set(address.toLowerCase(), s);
    out.set(s, address);
  }
  return out;
}

/** ssh: the address a server was connected at (for reading ssh's own messages about it); connectTo as given. */
export function sshAddressOf(connectTo: Readonly<Record<string, string>> | undefined): (server: string) => string {
  const map = new Map(Object.entries(connectTo ?? {}).map(([k, v]) => [k.toLowerCase(), v.trim()]));
  return (server) => map.get(server.toLowerCase()) ?? server;
}

/** Validates a run token: letters and digits only, so it is safe anywhere in the script and in the parser's regex. */
export function checkToken(token: string): string {
  if (!/^[A-Za-z0-9]{8,64}$/.test(token)) throw new Error('run token must be 8–64 letters or digits');
  return token;
}

export function validateServers(servers: readonly string[]): string[] {
  const out: string[] = [];
  for (const s of servers) {
    const fqdn = validateFqdn(s, 'server');
    if (!out.includes(fqdn)) out.push(fqdn);
  }
  return out;
}

function validThrottle(n: number | undefined): number {
  if (n === undefined) return DEFAULT_THROTTLE;
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InputError('throttleLimit', `Throttle limit ${n} must be a whole number from 1 to 1000.`);
  return n;
}

function validMs(n: number | undefined, fallback: number, field: string): number {
  if (n === undefined) return fallback;
  if (!Number.isInteger(n) || n < 1 || n > 24 * 3600_000) throw new InputError(field, `${field} ${n} must be a whole number of milliseconds.`);
  return n;
}

const CMDLET = /^[A-Za-z]+-[A-Za-z0-9]+$/;
const PARAM = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

/** The one command line sent to the no-language Exchange endpoint: a cmdlet with literal arguments only. */
export function renderExchangeCommand(cmd: ExchangeCommand): string {
  if (!CMDLET.test(cmd.cmdlet)) throw new InputError('cmdlet', `"${printable(cmd.cmdlet)}" is not a cmdlet name (Verb-Noun).`);
  const parts = [cmd.cmdlet];
  for (const [name, value] of Object.entries(cmd.parameters ?? {})) {
    if (!PARAM.test(name)) throw new InputError('parameter', `"${printable(name)}" is not a parameter name.`);
    if (value === true) parts.push(`-${name}`);
    else if (value === false) parts.push(`-${name}:$false`);
    else if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new InputError(name, `The value of -${name} is not a finite number.`);
      parts.push(`-${name}`, String(value));
    } else if (typeof value === 'string') parts.push(`-${name}`, quoteLiteral(value));
    else parts.push(`-${name}`, value.map((v) => quoteLiteral(v)).join(','));
  }
  return parts.join(' ');
}

/** The fan-out script of one run request over validated servers (multi-line; send it with oneLine). No credential. */
export function renderRequestScript(request: RunRequest, servers: readonly string[], runToken: string): string {
  return renderRunScript({
    runToken,
    target: request.target,
    servers,
    ...('script' in request ? scriptsFor(request.script, servers) : { command: request.command }),
    ...(request.throttleLimit !== undefined ? { throttleLimit: request.throttleLimit } : {}),
    ...(request.connectTimeoutMs !== undefined ? { connectTimeoutMs: request.connectTimeoutMs } : {}),
    useCredential: request.credential !== undefined && request.target.kind !== 'ssh',
    ...(request.connectTo ? { connectTo: request.connectTo } : {}),
  });
}

/** One script for all servers, or per-server scripts grouped by identical text. */
function scriptsFor(script: string | ((server: string) => string), servers: readonly string[]):
{ script: string } | { scriptGroups: Array<{ servers: string[]; script: string }> } {
  if (typeof script === 'string') return { script };
  const groups = new Map<string, string[]>();
  for (const server of servers) {
    const text = script(server);
    const list = groups.get(text);
    if (list) list.push(server);
    else groups.set(text, [server]);
  }
  return { scriptGroups: [...groups].map(([text, members]) => ({ servers: members, script: text })) };
}

/** The whole fan-out script (multi-line; send it with oneLine). Contains no credential. */
export function renderRunScript(o: WrapperOptions): string {
  const token = checkToken(o.runToken);
  const t = o.target;
  const servers = t.kind === 'local' ? [] : validateServers(o.servers);
  if (t.kind !== 'local' && servers.length === 0) throw new InputError('server', 'No server to run on.');
  const throttle = validThrottle(o.throttleLimit);
  const openTimeout = validMs(o.connectTimeoutMs, DEFAULT_OPEN_TIMEOUT_MS, 'connectTimeoutMs');
  const lines: string[] = [
    '# Exchange Remoting Setup: one fan-out round trip. Output lines: ##ERS-<KIND>:<run>:<base64 server>:<base64 payload>',
    "$ErrorActionPreference = 'Continue'",
    `$ersRun = '${token}'`,
    `$ersMode = '${t.kind}'`,
    `$ersComputers = @(${servers.map((s) => quoteLiteral(s)).join(',')})`,
    `$ersThrottle = ${throttle}`,
    // WinRM (WS-Man) client remoting exists only in Windows PowerShell and in PowerShell on Windows.
    "$ersOnWindows = ($PSVersionTable.PSEdition -ne 'Core') -or [bool]$IsWindows",
    "if ($null -ne (Get-Variable -Name PSStyle -ValueOnly -ErrorAction SilentlyContinue)) { $PSStyle.OutputRendering = 'PlainText' }",
  ];
  // ssh: results come back named by the address connected to; $ersAlias names them by the server again.
  const addresses = t.kind === 'ssh' ? sshAddresses(servers, o.connectTo) : new Map<string, string>();
  lines.push(
    `$ersAddress = @{ ${[...addresses].map(([s, a]) => `${quoteLiteral(s)} = ${quoteLiteral(a)}`).join('; ')} }`,
    `$ersAlias = @{ ${[...addresses].map(([s, a]) => `${quoteLiteral(a)} = ${quoteLiteral(s)}`).join('; ')} }`,
    ...EMIT_HELPERS,
  );
  if (t.kind === 'exchange') {
    if (!o.command) throw new Error('exchange target needs a command');
    const scheme = t.scheme ?? 'http';
    lines.push(
      `$ersInner = [scriptblock]::Create(${quoteLiteral(renderExchangeCommand(o.command))})`,
      `$ersProps = @(${(o.command.properties ?? []).map((p) => { if (!PARAM.test(p)) throw new InputError('property', `"${printable(p)}" is not a property name.`); return quoteLiteral(p); }).join(',')})`,
      `$ersUris = @(${servers.map((s) => quoteLiteral(`${scheme}://${s}/PowerShell/`)).join(',')})`,
    );
  } else if (o.scriptGroups && o.scriptGroups.length > 1 && t.kind !== 'local') {
    lines.push('$ersInner = $null', '$ersGroups = @(');
    o.scriptGroups.forEach((g, i) => {
      const members = validateServers(g.servers).filter((m) => servers.includes(m));
      if (members.length === 0) throw new InputError('server', 'A script group names no requested server.');
      lines.push(`  @{ C = @(${members.map((m) => quoteLiteral(m)).join(',')}); S = [scriptblock]::Create(${decodedString(g.script)}) }${i < o.scriptGroups!.length - 1 ? ',' : ''}`);
    });
    lines.push(')');
  } else {
    const script = o.script ?? (o.scriptGroups?.length === 1 ? o.scriptGroups[0]!.script : undefined);
    if (script === undefined) throw new Error('script target needs a script');
    lines.push(`$ersInner = [scriptblock]::Create(${decodedString(script)})`);
  }
  lines.push('try {');
  if (t.kind === 'local') {
    lines.push(`  & $ersInner 2>&1 | ForEach-Object { ersEmit $_ '${LOCALHOST}' }`);
  } else {
    lines.push(
      '  $ersParams = @{ ScriptBlock = $ersInner; ThrottleLimit = $ersThrottle; ErrorAction = \'Continue\' }',
      // -ProxyAccessType and -OpenTimeout exist only where WinRM does (Windows); elsewhere the call below fails on
      // its own with the WS-Man error, which is classified as needs-windows.
      `  if ($ersOnWindows) { $ersParams.SessionOption = New-PSSessionOption -ProxyAccessType NoProxyServer -OpenTimeout ${openTimeout} }`,
    );
    if (t.kind === 'https') lines.push(`  $ersParams.ComputerName = $ersComputers; $ersParams.UseSSL = $true; $ersParams.Port = ${t.port ?? 5986}`);
    if (t.kind === 'http-kerberos') lines.push(`  $ersParams.ComputerName = $ersComputers; $ersParams.Port = ${t.port ?? 5985}; $ersParams.Authentication = 'Kerberos'`);
    if (t.kind === 'exchange') lines.push("  $ersParams.ConnectionUri = $ersUris; $ersParams.ConfigurationName = 'Microsoft.Exchange'; $ersParams.Authentication = 'Kerberos'");
    if (t.kind === 'ssh') {
      const options = [
        "BatchMode = 'yes'", "StrictHostKeyChecking = 'yes'", `ConnectTimeout = '${Math.max(1, Math.round(openTimeout / 1000))}'`,
        ...(t.knownHostsFile ? [`UserKnownHostsFile = ${quoteLiteral(validateSshPath(t.knownHostsFile, 'knownHostsFile'))}`] : []),
      ];
      lines.push(
        // The SSH parameter set has no -ThrottleLimit (PowerShell's own default of 32 applies) and no session options.
        "  $ersParams.Remove('ThrottleLimit')",
        '  $ersParams.HostName = @($ersComputers | ForEach-Object { $ersAddress[$_] }); $ersParams.SSHTransport = $true',
        `  $ersParams.Port = ${t.port ?? 22}; $ersParams.Options = @{ ${options.join('; ')} }`,
        ...(t.user ? [`  $ersParams.UserName = ${quoteLiteral(validateSshUser(t.user))}`] : []),
        ...(t.keyFile ? [`  $ersParams.KeyFilePath = ${quoteLiteral(validateSshPath(t.keyFile, 'keyFile'))}`] : []),
      );
    }
    if (o.useCredential && t.kind !== 'ssh') lines.push(`  $ersParams.Credential = $global:${CREDENTIAL_VARIABLE}`);
    if (t.kind === 'exchange') lines.push('  Invoke-Command @ersParams 2>&1 | ForEach-Object { ersEmitObject $_ }');
    else if (o.scriptGroups && o.scriptGroups.length > 1) {
      lines.push(
        t.kind === 'ssh'
          ? '  $ersJobs = @(foreach ($g in $ersGroups) { $p = $ersParams.Clone(); $p.HostName = @($g.C | ForEach-Object { $ersAddress[$_] }); $p.ScriptBlock = $g.S; Invoke-Command @p -AsJob })'
          : '  $ersJobs = @(foreach ($g in $ersGroups) { $p = $ersParams.Clone(); $p.ComputerName = $g.C; $p.ScriptBlock = $g.S; Invoke-Command @p -AsJob })',
        '  try {',
        '    while ($true) {',
        '      $ersJobs | Receive-Job 2>&1 | ForEach-Object { ersEmit $_ $null }',
        "      if (-not ($ersJobs | Where-Object { $_.State -in @('NotStarted', 'Running') -or $_.HasMoreData })) { break }",
        '      Start-Sleep -Milliseconds 100',
        '    }',
        '  } finally {',
        '    $ersJobs | Remove-Job -Force -ErrorAction SilentlyContinue',
        '  }',
      );
    } else lines.push('  Invoke-Command @ersParams 2>&1 | ForEach-Object { ersEmit $_ $null }');
  }
  lines.push(
    '} catch {',
    "  [Console]::Out.WriteLine('##ERS-FATAL:' + $ersRun + '::' + (ersB64 (ersErrorJson $_)))",
    '} finally {',
    `  Remove-Variable -Name ${CREDENTIAL_VARIABLE} -Scope Global -ErrorAction SilentlyContinue`,
    "  [Console]::Out.WriteLine('##ERS-DONE:' + $ersRun)",
    '}',
  );
  return lines.join('\n');
}
