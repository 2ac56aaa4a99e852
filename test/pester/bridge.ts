// The Pester tier's bridge to the TypeScript side: one Node process per Pester run, reading one JSON request
// per line on stdin and answering one JSON line on stdout. It renders the catalog's scripts exactly as the
// extension does and hands the output a script printed to the real evaluators, so a Pester test asserts the
// verdict the user would see. Started by test/pester/Ers.psm1 (Start-ErsBridge); not part of the product.
import { createInterface } from 'node:readline';
import { CATALOG } from '../../src/checks/catalog';
import { evaluate, evaluateCombined, outcomeFromStdout } from '../../src/checks/evaluate';
import { resolveInputs, type RawStepInputs } from '../../src/checks/inputs';
import { render, renderCheckAll, renderRunbook, runbookOutcome, type RunbookOptions } from '../../src/checks/render';
import { STEP_IDS, WHERE, isStepId, type StepId } from '../../src/checks/status';
import type { Observations } from '../../src/checks/types';
import { PS_HELPERS } from '../../src/checks/psHelpers';
import { extractResult } from '../../src/pslang/resultMarkers';
import { quoteLiteral } from '../../src/pslang/quote';

interface Request {
  readonly op: string;
  readonly step?: string;
  readonly kind?: 'check' | 'remediation';
  readonly inputs?: RawStepInputs;
  readonly token?: string;
  readonly stdout?: string;
  readonly now?: string;
  readonly observed?: Observations;
  readonly results?: Record<string, string>;
  readonly options?: RunbookOptions;
  readonly value?: string;
  readonly expected?: string[];
}

function stepId(v: string | undefined): StepId {
  if (v === undefined || !isStepId(v)) throw new Error(`unknown step ${String(v)}`);
  return v;
}

function ctx(r: Request): { now: Date; inputs: ReturnType<typeof resolveInputs>; observed?: Observations } {
  return { now: r.now ? new Date(r.now) : new Date(), inputs: resolveInputs(r.inputs ?? { server: 'exch01.contoso.com' }), ...(r.observed ? { observed: r.observed } : {}) };
}

function handle(r: Request): unknown {
  switch (r.op) {
    case 'render':
      return { script: render(stepId(r.step), r.kind ?? 'check', r.inputs ?? { server: 'exch01.contoso.com' }, { token: r.token ?? 'PesterToken01' }) };
    case 'runbook':
      return { script: renderRunbook(r.inputs ?? { server: 'exch01.contoso.com' }, r.results as never, { token: r.token ?? 'PesterToken01', ...(r.options ?? {}) }) };
    case 'checkAll':
      return { script: renderCheckAll(r.inputs ?? { server: 'exch01.contoso.com' }, { token: r.token ?? 'PesterToken01', ...(r.options ?? {}) }) };
    case 'evaluate': {
      const outcome = outcomeFromStdout(r.stdout ?? '', r.token ?? 'PesterToken01');
      const result = evaluate(stepId(r.step), outcome, ctx(r));
      return { result, document: outcome.kind === 'json' ? outcome.json : null };
    }
    case 'evaluateCombined': {
      const x = extractResult(r.stdout ?? '', r.token ?? 'PesterToken01');
      if (!x.ok) return { results: [], error: x.detail };
      const results = evaluateCombined(x.json, ctx(r), (r.expected ?? []).map(stepId));
      return { results, runbook: runbookOutcome(x.json) ?? null, document: x.json };
    }
    case 'scripts':
      return { scripts: allScripts() };
    case 'canaryRenders':
      return { renders: canaryRenders() };
    case 'hostileRenders':
      return { renders: hostileRenders() };
    case 'helper': {
      const text = (PS_HELPERS as Readonly<Record<string, string>>)[r.value ?? ''];
      if (text === undefined) throw new Error(`unknown helper ${String(r.value)}`);
      return { text };
    }
    case 'quote':
      return { literal: quoteLiteral(r.value ?? '') };
    case 'catalog':
      return { steps: CATALOG.map((s) => ({ id: s.id, where: s.where, profiles: s.profiles, needs: s.needs, supportsWhatIf: s.remediation.supportsWhatIf })), stepIds: STEP_IDS, where: WHERE };
    default:
      throw new Error(`unknown op ${r.op}`);
  }
}

/** Every script the catalog renders: each step's check and remediation, the runbooks and check-alls of each place. */
function allScripts(): { label: string; step: string; kind: string; where: string; script: string }[] {
  const inputs = BASE_INPUTS;
  const out: { label: string; step: string; kind: string; where: string; script: string }[] = [];
  for (const s of CATALOG) {
    for (const kind of ['check', 'remediation'] as const) out.push({ label: `${s.id} ${kind}`, step: s.id, kind, where: s.where, script: render(s.id, kind, inputs, { token: 'PesterToken01' }) });
  }
  for (const profile of ['remoting', 'intune'] as const) {
    for (const where of WHERE) {
      if (!CATALOG.some((s) => s.profiles.includes(profile) && s.where === where)) continue;
      out.push({ label: `runbook ${profile} ${where}`, step: '', kind: 'runbook', where, script: renderRunbook(inputs, undefined, { profile, where, token: 'PesterToken01' }) });
      out.push({ label: `check-all ${profile} ${where}`, step: '', kind: 'checkAll', where, script: renderCheckAll(inputs, { profile, where, token: 'PesterToken01' }) });
    }
  }
  return out;
}

const BASE_INPUTS: RawStepInputs = {
  server: 'exch01.contoso.com', account: 'CONTOSO\\svc_sync', netbiosName: 'EXCH01', computerDn: 'CN=EXCH01,OU=Servers,DC=contoso,DC=com',
  thumbprint: '6A8D7E5537D441190FD72C7C2E879A064072CE0F', trustedHosts: ['exch01.contoso.com'], remoteAddresses: ['10.0.5.21'], cbtLevel: 'Relaxed',
  connection: 'https', port: 5986, roleName: 'Intune Exchange Connector', roleGroupName: 'Intune Connector Admins', windowMinutes: 130,
  activityEventIds: ['7001'], errorEventIds: ['7002'],
};

/** Hostile values (quotes of every kind, subexpressions, newlines, comment markers) put into each field. */
const HOSTILE = [
  "'; Remove-Item C:\\ -Recurse -Force; '", '"; Remove-Item C:\\; "', "x' + (Remove-Item C:\\) + 'y", '$(Remove-Item C:\\ -Recurse)', '$env:USERPROFILE',
  '\u2018; Remove-Item C:\\; \u2018', '\u2019 + $(calc) + \u2019', '\u201A; calc; \u201B', '\u201C; calc; \u201D \u201E', '`; calc `"',
  'x\nRemove-Item C:\\', '@{ a = 1 }; calc', '#> <# ; calc', "O'Brien \u2019s \u2018test\u201B",
];
const FIELDS: { name: keyof RawStepInputs; embed: (h: string) => string | string[] }[] = [
  { name: 'account', embed: (h) => `CONTOSO\\${h.slice(0, 20)}` }, { name: 'account', embed: (h) => `${h.slice(0, 60)}@contoso.com` },
  { name: 'computerDn', embed: (h) => `CN=${h},OU=Servers,DC=contoso,DC=com` }, { name: 'trustedHosts', embed: (h) => [h] },
  { name: 'remoteAddresses', embed: (h) => [h] }, { name: 'roleName', embed: (h) => h.slice(0, 30) }, { name: 'roleGroupName', embed: (h) => h },
];

/** For each step and kind, the benign render and every accepted hostile render, with the value that went in. */
function hostileRenders(): { label: string; benign: string; hostile: string; values: string[] }[] {
  const out: { label: string; benign: string; hostile: string; values: string[] }[] = [];
  for (const s of CATALOG) {
    for (const kind of ['check', 'remediation'] as const) {
      const benign = render(s.id, kind, BASE_INPUTS, { token: 'PesterToken01' });
      for (const f of FIELDS) {
        for (const h of HOSTILE) {
          const value = f.embed(h);
          let hostile: string;
          try {
            hostile = render(s.id, kind, { ...BASE_INPUTS, [f.name]: value }, { token: 'PesterToken01' });
          } catch {
            continue;
          }
          if (hostile === benign) continue;
          out.push({ label: `${s.id} ${kind} ${f.name}=${JSON.stringify(value).slice(0, 40)}`, benign, hostile, values: Array.isArray(value) ? value : [value] });
        }
      }
    }
  }
  return out;
}

/** Hostile values that would create the canary file ($env:ERS_CANARY) if they ever escaped their literal. */
const CANARY_INPUTS: RawStepInputs[] = [
  { server: 'exch01.contoso.com', account: "CONTOSO\\a';ni $env:ERS_CANARY;'" },
  { server: 'exch01.contoso.com', account: 'CONTOSO\\a\u2019;ni $env:ERS_CANARY;\u2018' },
  { server: 'exch01.contoso.com', account: 'CONTOSO\\$(ni $env:ERS_CANARY)' },
  { server: 'exch01.contoso.com', account: 'CONTOSO\\svc', computerDn: 'CN=$(ni $env:ERS_CANARY),DC=contoso,DC=com' },
  { server: 'exch01.contoso.com', account: 'CONTOSO\\svc', computerDn: "CN=x' + (ni $env:ERS_CANARY) + 'y,DC=contoso,DC=com" },
  { server: 'exch01.contoso.com', account: 'CONTOSO\\svc', roleName: 'a\u201B;ni $env:ERS_CANARY' },
];

/** Every step's check and remediation, and each runbook, rendered with each canary input the validators accept. */
function canaryRenders(): { label: string; kind: string; script: string }[] {
  const out: { label: string; kind: string; script: string }[] = [];
  CANARY_INPUTS.forEach((inputs, n) => {
    for (const s of CATALOG) {
      for (const kind of ['check', 'remediation'] as const) {
        try { out.push({ label: `${s.id} ${kind} #${n}`, kind, script: render(s.id, kind, inputs, { token: 'PesterToken01' }) }); } catch { /* refused by validation */ }
      }
    }
    try { out.push({ label: `runbook #${n}`, kind: 'runbook', script: renderRunbook(inputs, undefined, { token: 'PesterToken01' }) }); } catch { /* refused */ }
  });
  return out;
}

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  if (!line.trim()) return;
  let answer: unknown;
  try {
    answer = { ok: true, value: handle(JSON.parse(line) as Request) };
  } catch (err) {
    answer = { ok: false, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
  // Non-ASCII as \u escapes so the pipe's encoding can never change a value.
  process.stdout.write(`${JSON.stringify(answer).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`);
});
