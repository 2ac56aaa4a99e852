#!/usr/bin/env node
// A test double for `pwsh` that honours node-powershell@5's real contract (test-infrastructure.md section 2):
// - it is spawned as `<exe> -NoLogo <options> -NoExit -Command -` and refuses anything else (exit 64);
// - it reads stdin line by line, in order, one statement per line, like `-Command -` does;
// - `[Console]::Out.WriteLine("X")` / `[Console]::Error.WriteLine("X")` echo node-powershell's markers on stdout / stderr;
// - a line `& ([scriptblock]::Create([System.Text.Encoding]::Unicode.GetString([System.Convert]::FromBase64String('…'))))`
//   is decoded (UTF-16LE) and "run";
// - anything else is an unknown command: an error on stderr, as pwsh prints it (node-powershell → InvocationError).
//
// "Running" a decoded script: the fan-out wrapper of src/powershell/remoteScript.ts is recognised by its data lines
// ($ersRun, $ersMode, $ersComputers, $ersThrottle, $ersInner) and simulated as Invoke-Command would behave: servers
// run concurrently up to the throttle limit, each after its simulated latency, with the behaviour the scenario file
// gives it (ok, access denied, unreachable, crash of the whole process, hang), and the wrapper's output lines are
// printed in completion order. The inner script is interpreted statement by statement for a tiny subset:
// Write-Output '…', Write-Error '…', Start-Sleep -Milliseconds N | -Seconds N, [Console]::Error.WriteLine('…'),
// [Environment]::Exit(N), comments; anything else is "not recognized".
//
// Environment: ERS_PS_DOUBLE_LOG = file that gets one JSON line per event (start with argv, every script text,
// exit); ERS_PS_DOUBLE_SCENARIO = JSON file, re-read for every script:
//   { "servers": { "<fqdn>|*": { "latencyMs": 50, "behaviour": "ok|access-denied|unreachable|crash|hang",
//                                "requireCredential": { "user": "…", "password": "…" }, "objects": [ … ],
//                                "output": [ "…what the real script would print…" ] } },
//     "local": { "behaviour": "ok|crash|hang" } }
// Also usable as NODE_POWERSHELL (node-powershell's own override hook).
import { appendFileSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

type Behaviour = 'ok' | 'access-denied' | 'unreachable' | 'crash' | 'hang';
interface ServerScenario {
  latencyMs?: number;
  behaviour?: Behaviour;
  requireCredential?: { user: string; password: string };
  objects?: unknown[];
  /** Output objects the simulated server returns instead of interpreting the inner script (a real script's output). */
  output?: string[];
  /**
   * Per step id, the JSON a real check of that step would print. When the inner script is a catalog check (it
   * prints a result between markers), the double answers with these, wrapped as the combined document.
   */
  checkResults?: Record<string, unknown>;
}
interface Scenario {
  servers?: Record<string, ServerScenario>;
  local?: ServerScenario;
}

const logFile = process.env.ERS_PS_DOUBLE_LOG;
function record(event: Record<string, unknown>): void {
  if (logFile) appendFileSync(logFile, `${JSON.stringify({ pid: process.pid, time: Date.now(), ...event })}\n`);
}

function scenario(): Scenario {
  const file = process.env.ERS_PS_DOUBLE_SCENARIO;
  if (!file) return {};
  try { return JSON.parse(readFileSync(file, 'utf8')) as Scenario; } catch { return {}; }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const forever = (): Promise<never> => new Promise(() => { setInterval(() => undefined, 1 << 30); });
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const unquote = (s: string): string => s.replace(/''/g, "'");
const out = (s: string): void => { process.stdout.write(`${s}\n`); };
const err = (s: string): void => { process.stderr.write(`${s}\n`); };

// ---- argv contract -----------------------------------------------------------------------------------------
const argv = process.argv.slice(2);
record({ event: 'start', argv });
const tail = argv.slice(-3).join(' ');
if (argv[0] !== '-NoLogo' || tail !== '-NoExit -Command -') {
  err(`fake pwsh: unexpected arguments: ${argv.join(' ')}`);
  process.exit(64);
}

let credential: { user: string; password: string } | undefined;

// ---- one statement of an inner script ------------------------------------------------------------------------
interface Sink {
  output(text: string): void;
  error(rec: Record<string, unknown>): void;
}

async function interpret(script: string, sink: Sink): Promise<void> {
  for (const raw of script.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    let m: RegExpExecArray | null;
    if ((m = /^(?:Write-Output )?'((?:[^']|'')*)'$/.exec(line))) sink.output(unquote(m[1] ?? ''));
    else if ((m = /^Write-Error '((?:[^']|'')*)'$/.exec(line))) {
      sink.error({ id: 'Microsoft.PowerShell.Commands.WriteErrorException', category: 'NotSpecified', hresult: '0x80131500', message: unquote(m[1] ?? '') });
    } else if ((m = /^Start-Sleep -Milliseconds (\d+)$/.exec(line))) await sleep(Number(m[1]));
    else if ((m = /^Start-Sleep -Seconds (\d+)$/.exec(line))) await sleep(Number(m[1]) * 1000);
    else if ((m = /^\[Console\]::Error\.WriteLine\('((?:[^']|'')*)'\)$/.exec(line))) err(unquote(m[1] ?? ''));
    else if ((m = /^\[Environment\]::Exit\((\d+)\)$/.exec(line))) { record({ event: 'exit', code: Number(m[1]) }); process.exit(Number(m[1])); }
    else {
      const word = line.split(/\s/)[0] ?? line;
      sink.error({ id: 'CommandNotFoundException', category: 'ObjectNotFound', hresult: '0x80131501', message: `The term '${word}' is not recognized as a name of a cmdlet, function, script file, or executable program.` });
    }
  }
}

// ---- the fan-out wrapper ------------------------------------------------------------------------------------
interface Wrapper {
  run: string;
  mode: string;
  computers: string[];
  throttle: number;
  inner: string;
  /** Per-server scripts of the -AsJob variant (one Invoke-Command per group). */
  groups?: Array<{ computers: string[]; inner: string }>;
  usesCredential: boolean;
  clearsCredential: boolean;
}

const B64_SCRIPT = /\[System\.Text\.Encoding\]::Unicode\.GetString\(\[System\.Convert\]::FromBase64String\('([A-Za-z0-9+/=]*)'\)\)/;

function parseWrapper(script: string): Wrapper | undefined {
  const run = /^\$ersRun = '([A-Za-z0-9]+)'$/m.exec(script)?.[1];
  const mode = /^\$ersMode = '([a-z-]+)'$/m.exec(script)?.[1];
  const list = /^\$ersComputers = @\((.*)\)$/m.exec(script)?.[1];
  const throttle = /^\$ersThrottle = (\d+)$/m.exec(script)?.[1];
  const innerLine = /^\$ersInner = (.*)$/m.exec(script)?.[1];
  if (!run || !mode || list === undefined || !throttle || !innerLine) return undefined;
  let inner: string;
  const encoded = B64_SCRIPT.exec(innerLine);
  let groups: Wrapper['groups'];
  if (innerLine === '$null') {
    inner = '';
    groups = [...script.matchAll(/^ {2}@\{ C = @\((.*)\); S = \[scriptblock\]::Create\((.*)\) \},?$/gm)].map((g) => ({
      computers: [...(g[1] ?? '').matchAll(/'((?:[^']|'')*)'/g)].map((m) => unquote(m[1] ?? '')),
      inner: Buffer.from(B64_SCRIPT.exec(g[2] ?? '')?.[1] ?? '', 'base64').toString('utf16le'),
    }));
    if (!groups.length || !/Invoke-Command @p -AsJob/.test(script)) return undefined;
  } else if (encoded) inner = Buffer.from(encoded[1] ?? '', 'base64').toString('utf16le');
  else {
    const lit = /^\[scriptblock\]::Create\('((?:[^']|'')*)'\)$/.exec(innerLine);
    if (!lit) return undefined;
    inner = unquote(lit[1] ?? '');
  }
  const computers = [...list.matchAll(/'((?:[^']|'')*)'/g)].map((m) => unquote(m[1] ?? ''));
  return {
    run, mode, computers, throttle: Number(throttle), inner, ...(groups ? { groups } : {}),
    usesCredential: /^\s*\$ersParams\.Credential = \$global:ErsCredential$/m.test(script),
    clearsCredential: /Remove-Variable -Name ErsCredential -Scope Global/.test(script),
  };
}

async function simulate(w: Wrapper): Promise<void> {
  const sc = scenario();
  const emitOut = (name: string, text: string, kind = 'OUT'): void => out(`##ERS-${kind}:${w.run}:${b64(name)}:${b64(text)}`);
  const emitErr = (name: string, rec: Record<string, unknown>): void => out(`##ERS-ERR:${w.run}:${b64(name)}:${b64(JSON.stringify(rec))}`);
  const sinkFor = (name: string): Sink => ({ output: (t) => emitOut(name, t), error: (r) => emitErr(name, r) });
  const accessDenied = (name: string): void => emitErr(name, {
    id: 'AccessDenied,PSSessionStateBroken', category: 'OpenError', code: '5', hresult: '0x80131501',
    message: `[${name}] Connecting to remote server ${name} failed with the following error message : Access is denied. For more information, see the about_Remote_Troubleshooting Help topic.`,
  });

  async function one(name: string, s: ServerScenario): Promise<void> {
    await sleep(s.latencyMs ?? 0);
    const behaviour = s.behaviour ?? 'ok';
    if (behaviour === 'hang') { record({ event: 'hang', server: name }); await forever(); }
    if (behaviour === 'crash') { record({ event: 'crash', server: name }); process.exit(1); }
    if (behaviour === 'access-denied') return accessDenied(name);
    if (behaviour === 'unreachable') {
      return emitErr(name, {
        id: 'CannotConnect,PSSessionStateBroken', category: 'OpenError', code: '-2144108526', hresult: '0x80131501',
        message: `[${name}] Connecting to remote server ${name} failed with the following error message : WinRM cannot complete the operation. Verify that the specified computer name is valid, that the computer is accessible over the network, and that a firewall exception for the WinRM service is enabled and allows access from this computer.`,
      });
    }
    if (s.requireCredential) {
      const ok = w.usesCredential && credential?.user === s.requireCredential.user && credential.password === s.requireCredential.password;
      if (!ok) return accessDenied(name);
    }
    if (w.mode === 'exchange') {
      // The endpoint is in no-language mode: one command with literal arguments only.
      if (/[;${}|]/.test(w.inner.replace(/'(?:[^']|'')*'/g, "''")) || w.inner.includes('\n')) {
        return emitErr(name, { id: 'ScriptsNotAllowed', category: 'ParserError', hresult: '0x80131501', message: 'The syntax is not supported by this runspace. This can occur if the runspace is in no-language mode.' });
      }
      for (const o of s.objects ?? [{ Name: name.split('.')[0]?.toUpperCase(), Command: w.inner }]) emitOut(name, JSON.stringify(o), 'OBJ');
      return;
    }
    const inner = w.groups ? w.groups.find((g) => g.computers.includes(name))?.inner ?? '' : w.inner;
    // A remediation that reaches its end prints its output, then its own success document between result markers
    // (what confirmedRemediation appends); with both, checkResults answer the checks and output every other script.
    if (s.output && inner.includes("schema = 'ers.remediation/1'")) {
      for (const line of s.output) emitOut(name, line);
      for (const m of inner.matchAll(/Write-Output '##ERS-RESULT-BEGIN:([A-Za-z0-9]{8,64})##'/g)) {
        emitOut(name, `##ERS-RESULT-BEGIN:${m[1]}##`);
        emitOut(name, JSON.stringify({ schema: 'ers.remediation/1', done: true }));
        emitOut(name, `##ERS-RESULT-END:${m[1]}##`);
      }
      return;
    }
    if (s.output && !(s.checkResults && inner.includes('##ERS-RESULT-BEGIN:'))) { for (const line of s.output) emitOut(name, line); return; }
    if (s.checkResults) {
      // One result per marker: a batch of several servers' checks prints one document each, for the steps listed
      // (as "# Check: step … (id)" comments) since the previous marker.
      const markers = [...inner.matchAll(/Write-Output '##ERS-RESULT-BEGIN:([A-Za-z0-9]{8,64})##'/g)];
      let from = 0;
      for (const marker of markers) {
        const part = inner.slice(from, marker.index);
        from = (marker.index ?? 0) + marker[0].length;
        const ids = [...part.matchAll(/^# Check: step \S+ ".*" \(([a-z0-9-]+)\)$/gm)].map((x) => x[1] as string);
        const results = ids.filter((id) => id in (s.checkResults ?? {})).map((id) => s.checkResults?.[id]);
        emitOut(name, `##ERS-RESULT-BEGIN:${marker[1]}##`);
        emitOut(name, JSON.stringify({ schema: 'ers.checks/1', results }));
        emitOut(name, `##ERS-RESULT-END:${marker[1]}##`);
      }
      if (markers.length) return;
    }
    await interpret(inner, sinkFor(name));
  }

  try {
    if (w.mode === 'local') {
      const s = sc.local ?? {};
      await one('localhost', { ...s, latencyMs: s.latencyMs ?? 0 });
    } else {
      // Invoke-Command -ThrottleLimit per call; the -AsJob variant starts one such call per group, all at once.
      const calls = w.groups ? w.groups.map((g) => g.computers) : [w.computers];
      await Promise.all(calls.map(async (members) => {
        const queue = [...members];
        const workers = Array.from({ length: Math.min(w.throttle, queue.length) }, async () => {
          for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
            await one(name, sc.servers?.[name] ?? sc.servers?.['*'] ?? {});
          }
        });
        await Promise.all(workers);
      }));
    }
  } finally {
    if (w.clearsCredential) credential = undefined;
    out(`##ERS-DONE:${w.run}`);
  }
}

// ---- the credential feed ------------------------------------------------------------------------------------
// The feed script holds no secret: it reads the NEXT stdin line as data (`<base64 user>:<base64 password>`).
let awaitingCredentialLine = false;

function credentialFeed(script: string): boolean {
  if (!/Set-Variable -Name ErsCredential -Scope Global/.test(script)) return false;
  if (!/\[Console\]::In\.ReadLine\(\)/.test(script)) {
    err('The credential feed must read its data from stdin.');
    return true;
  }
  awaitingCredentialLine = true;
  return true;
}

function credentialLine(line: string): void {
  awaitingCredentialLine = false;
  record({ event: 'credential-line', line: line.trim() }); // what came over stdin, as data (tests scan it as a positive control)
  const m = /^([A-Za-z0-9+/=]*):([A-Za-z0-9+/=]*)$/.exec(line.trim());
  if (!m) {
    err('Exception: The credential line was missing or malformed.');
    return;
  }
  const u = Buffer.from(m[1] ?? '', 'base64').toString('utf16le');
  const p = Buffer.from(m[2] ?? '', 'base64').toString('utf16le');
  credential = { user: u, password: p };
  record({ event: 'credential-set', user: u });
}

// ---- stdin loop ---------------------------------------------------------------------------------------------
const ONE_LINE = /^& \(\[scriptblock\]::Create\(\[System\.Text\.Encoding\]::Unicode\.GetString\(\[System\.Convert\]::FromBase64String\('([A-Za-z0-9+/=]*)'\)\)\)\)$/;

async function handle(line: string): Promise<void> {
  if (awaitingCredentialLine) return credentialLine(line);
  const text = line.trim();
  if (!text) return;
  let m: RegExpExecArray | null;
  if ((m = /^\[Console\]::(Out|Error)\.WriteLine\("([^"]*)"\)$/.exec(text))) {
    (m[1] === 'Out' ? out : err)(m[2] ?? '');
    return;
  }
  if ((m = ONE_LINE.exec(text))) {
    const script = Buffer.from(m[1] ?? '', 'base64').toString('utf16le');
    record({ event: 'script', script });
    if (credentialFeed(script)) return;
    const wrapper = parseWrapper(script);
    if (wrapper) await simulate(wrapper);
    else {
      // A plain script: output on stdout, errors on stderr, as pwsh -Command - prints them.
      await interpret(script, { output: (t) => out(t), error: (r) => err(String(r.message)) });
    }
    return;
  }
  record({ event: 'unknown', line: text.slice(0, 200) });
  err(`${text.split(/\s/)[0]}: The term '${text.split(/\s/)[0]}' is not recognized as a name of a cmdlet, function, script file, or executable program.`);
}

async function main(): Promise<void> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) await handle(line);
  record({ event: 'exit', code: 0 });
  process.exit(0);
}

process.on('SIGTERM', () => { record({ event: 'signal', signal: 'SIGTERM' }); process.exit(143); });
void main();
