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
// runner fills through stdin in a separate invocation, and removes it in `finally`.
import { quoteLiteral } from '../pslang/quote';
import { InputError, printable, validateConnectTo, validateFqdn, validateSshPath, validateSshUser } from '../servers/validation';
import type { ExchangeCommand, RunTarget } from './runner';
import { LOCALHOST } from './runner';

export const CREDENTIAL_VARIABLE = 'ErsCredential';
export const LINE_PREFIX = '##ERS-';
const DEFAULT_THROTTLE = 32;
const DEFAULT_OPEN_TIMEOUT_MS = 30_000;

/** Base64 of UTF-16LE, the encoding [Text.Encoding]::Unicode and -EncodedCommand use. */
export function utf16Base64(text: string): string {
  return Buffer.from(text, 'utf16le').toString('base64');
}

/** PowerShell expression that yields `text` decoded from an embedded base64 payload. */
export function decodedString(text: string): string {
  return `[System.Text.Encoding]::Unicode.GetString([System.Convert]::FromBase64String('${utf16Base64(text)}'))`;
}

/**
 * Any script as ONE line for `-Command -` (a multi-line statement over stdin can hang pwsh): the script travels as
 * a base64 payload that is decoded into a script block and invoked in a child scope.
 */
export function oneLine(script: string): string {
  return `& ([scriptblock]::Create(${decodedString(script)}))`;
}

/**
 * The script of the credential invocation. It holds NO secret: it reads the next stdin line as data
 * (`<base64 user>:<base64 password>`, UTF-16LE like decodedString) and builds $global:ErsCredential from it, so the
 * user name and password never become text PowerShell parses as code (history, Script Block Logging, transcripts).
 */
export function credentialFeedScript(): string {
  return [
    '$ersLine = [Console]::In.ReadLine()',
    "if ($null -eq $ersLine -or $ersLine -notmatch '^[A-Za-z0-9+/=]*:[A-Za-z0-9+/=]*$') { throw 'The credential line was missing or malformed.' }",
    "$ersParts = $ersLine.Split(':')",
    '$ersUser = [System.Text.Encoding]::Unicode.GetString([System.Convert]::FromBase64String($ersParts[0]))',
    '$ersSecure = ConvertTo-SecureString -String ([System.Text.Encoding]::Unicode.GetString([System.Convert]::FromBase64String($ersParts[1]))) -AsPlainText -Force',
    `Set-Variable -Name ${CREDENTIAL_VARIABLE} -Scope Global -Value ([System.Management.Automation.PSCredential]::new($ersUser, $ersSecure))`,
    'Remove-Variable -Name ersLine, ersParts, ersUser, ersSecure -ErrorAction SilentlyContinue',
  ].join('\n');
}

/** The data line the credential invocation reads from stdin (never parsed as code): base64 user ":" base64 password. */
export function credentialDataLine(c: { readonly userName: string; readonly password: string }): string {
  return `${utf16Base64(c.userName)}:${utf16Base64(c.password)}`;
}

/** Reads the script back out of a line made by oneLine (for tests and the test double). */
export function decodeOneLine(line: string): string | undefined {
  const m = /^& \(\[scriptblock\]::Create\(\[System\.Text\.Encoding\]::Unicode\.GetString\(\[System\.Convert\]::FromBase64String\('([A-Za-z0-9+/=]*)'\)\)\)\)$/.exec(line.trim());
  return m ? Buffer.from(m[1] ?? '', 'base64').toString('utf16le') : undefined;
}

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
    ...HELPERS,
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

// Client-side helpers, PowerShell 5.1 and 7 alike. Primitives only in JSON: dates ISO-8601, enums as names.
const HELPERS = [
  'function ersB64([string]$s) { if ($null -eq $s) { $s = \'\' }; [System.Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($s)) }',
  'function ersHost($r) {',
  '  $n = $null',
  '  if ($r -is [System.Management.Automation.ErrorRecord]) {',
  '    if ($r.OriginInfo) { $n = $r.OriginInfo.PSComputerName }',
  '    if (-not $n -and $r.TargetObject -is [string]) { $n = $r.TargetObject }',
  '    if (-not $n -and $r.TargetObject -is [uri]) { $n = $r.TargetObject.Host }',
  '  } elseif ($null -ne $r -and $r.PSObject.Properties[\'PSComputerName\']) { $n = [string]$r.PSComputerName }',
  '  if ($n -and $ersAlias.ContainsKey([string]$n)) { $n = $ersAlias[[string]$n] }',
  '  return [string]$n',
  '}',
  'function ersErrorJson($r) {',
  '  $code = $null',
  '  if ($r.Exception -and $r.Exception.PSObject.Properties[\'ErrorCode\']) { $code = [string]$r.Exception.ErrorCode }',
  '  $h = $null; if ($r.Exception) { $h = \'0x{0:x8}\' -f $r.Exception.HResult }',
  '  $m = [string]$r.Exception.Message; if (-not $m) { $m = [string]$r }',
  '  $t = $null; if ($r.Exception) { $t = $r.Exception.GetType().FullName }',
  '  $o = [ordered]@{ id = [string]$r.FullyQualifiedErrorId; category = [string]$r.CategoryInfo.Category; code = $code; hresult = $h; type = $t; windows = [bool]$ersOnWindows; message = $m }',
  '  return (ConvertTo-Json -InputObject $o -Compress -Depth 2)',
  '}',
  'function ersEmit($o, $fallback) {',
  '  $n = ersHost $o; if (-not $n) { $n = $fallback }',
  '  if ($o -is [System.Management.Automation.ErrorRecord]) {',
  "    [Console]::Out.WriteLine('##ERS-ERR:' + $ersRun + ':' + (ersB64 $n) + ':' + (ersB64 (ersErrorJson $o)))",
  '  } else {',
  '    $text = if ($null -eq $o) { \'\' } elseif ($o -is [string]) { $o } else { ($o | Out-String -Width 4096).TrimEnd() }',
  "    [Console]::Out.WriteLine('##ERS-OUT:' + $ersRun + ':' + (ersB64 $n) + ':' + (ersB64 $text))",
  '  }',
  '}',
  'function ersPlain($v, [int]$d) {',
  '  if ($null -eq $v) { return $null }',
  '  if ($v -is [string] -or $v -is [bool] -or $v -is [int] -or $v -is [long] -or $v -is [double] -or $v -is [decimal]) { return $v }',
  "  if ($v -is [datetime]) { return $v.ToUniversalTime().ToString('o') }",
  '  if ($v -is [enum]) { return $v.ToString() }',
  '  if ($d -lt 3 -and $v -is [System.Collections.IEnumerable] -and -not ($v -is [System.Collections.IDictionary])) { return ,@($v | ForEach-Object { ersPlain $_ ($d + 1) }) }',
  '  return [string]$v',
  '}',
  'function ersEmitObject($o) {',
  '  if ($o -is [System.Management.Automation.ErrorRecord]) { ersEmit $o $null; return }',
  '  $n = ersHost $o',
  '  $p = [ordered]@{}',
  '  foreach ($prop in $o.PSObject.Properties) {',
  "    if ($prop.Name -in @('PSComputerName', 'RunspaceId', 'PSShowComputerName')) { continue }",
  '    if ($ersProps.Count -gt 0 -and -not ($ersProps -contains $prop.Name)) { continue }',
  '    $p[$prop.Name] = ersPlain $prop.Value 0',
  '  }',
  "  [Console]::Out.WriteLine('##ERS-OBJ:' + $ersRun + ':' + (ersB64 $n) + ':' + (ersB64 (ConvertTo-Json -InputObject $p -Compress -Depth 5)))",
  '}',
];
