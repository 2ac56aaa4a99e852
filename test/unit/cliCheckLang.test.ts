// `exchange-remoting check --lang en|de`: the same results in the chosen language (step titles, summaries, reasons,
// evidence labels, the text format's closing line), with ids, status ids, codes and values unchanged; a language
// it does not have is a usage error. The catalog's evaluators decide a recorded check document a fake runner returns.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getStep } from '../../src/checks';
import { checkCommandWith } from '../../src/cli/checkCommand';
import type { CliIo } from '../../src/cli/types';
import { FakeRunner, failed, ok } from './fakeRunner';

const fixture = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'check-output', 'service-account-access.json'), 'utf8')) as { cases: { outcome: { json: unknown } }[] };
const passJson = fixture.cases[0]?.outcome.json;

function capture(): CliIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (t) => { out += t; }, err: (t) => { err += t; }, env: {}, stdout: () => out, stderr: () => err };
}

interface Report { lang: string; results: { step: string; title: string; status: string; summary: string; reason: string; code?: string; evidence: { label: string; value: string }[] }[] }

async function run(answer: ConstructorParameters<typeof FakeRunner>[0], ...extra: string[]): Promise<{ code: number; io: ReturnType<typeof capture> }> {
  const io = capture();
  const cmd = checkCommandWith({ runner: () => new FakeRunner(answer), now: () => new Date('2026-11-22T12:00:00Z') });
  const code = await cmd.run(['--server', 'exch01.contoso.com', '--service-account', 'CONTOSO\\svc_sync', '--step', 'service-account-access', ...extra], io);
  return { code, io };
}

const pass: ConstructorParameters<typeof FakeRunner>[0] = (_r, server) => ok(server, { schema: 'ers.checks/1', results: [passJson] });
const unreachable: ConstructorParameters<typeof FakeRunner>[0] = (_r, server) => failed(server, 'unreachable', 'WinRM cannot complete the operation.', '0x80338012');

describe('exchange-remoting check --lang', () => {
  it('--lang de: German title, summary, reason and evidence labels; ids, status, values unchanged', async () => {
    const en = JSON.parse((await run(pass, '--format', 'json')).io.stdout()) as Report;
    const { code, io } = await run(pass, '--format', 'json', '--lang', 'de');
    const de = JSON.parse(io.stdout()) as Report;
    assert.equal(code, 0);
    assert.equal(en.lang, 'en');
    assert.equal(de.lang, 'de');
    const [e, d] = [en.results[0]!, de.results[0]!];
    assert.equal(e.status, 'pass');
    assert.equal(d.status, 'pass');
    assert.equal(d.step, 'service-account-access');
    assert.equal(e.title, getStep('service-account-access').title.en);
    assert.equal(d.title, getStep('service-account-access').title.de);
    assert.notEqual(d.summary, e.summary);
    assert.notEqual(d.reason, e.reason);
    assert.deepEqual(d.evidence.map((x) => x.value), e.evidence.map((x) => x.value), 'values are data');
    assert.ok(e.evidence.some((x) => x.label === 'Endpoint'), JSON.stringify(e.evidence));
    assert.ok(d.evidence.some((x) => x.label === 'Endpunkt') && !d.evidence.some((x) => x.label === 'Endpoint'), JSON.stringify(d.evidence));
  });

  it('--lang de in the text format: German summaries, reasons and closing line; status ids stay', async () => {
    const { code, io } = await run(unreachable, '--lang', 'de');
    assert.equal(code, 3);
    assert.match(io.stdout(), /error\s+service-account-access: Prüfung nicht möglich: Server nicht erreichbar/);
    assert.match(io.stdout(), /Schritte: 1 — bestanden: 0, Warnung: 0, fehlgeschlagen: 0, nicht prüfbar: 1, entfällt: 0\n$/);
    const en = await run(unreachable);
    assert.match(en.io.stdout(), /error\s+service-account-access: The check could not run: server not reachable/);
    assert.match(en.io.stdout(), /1 step\(s\): 0 passed, 0 warned, 0 failed, 1 could not be checked, 0 not applicable\n$/);
  });

  it('--lang de in the Nagios format: the per-step summaries in German, the status words as Nagios wants them', async () => {
    const { code, io } = await run(unreachable, '--lang', 'de', '--format', 'nagios');
    assert.equal(code, 3);
    assert.match(io.stdout(), /^EXCHANGE-REMOTING UNKNOWN - exch01\.contoso\.com service-account-access error/);
    assert.match(io.stdout(), /\[UNKNOWN\] exch01\.contoso\.com service-account-access: Prüfung nicht möglich: Server nicht erreichbar/);
  });

  it('a language it does not have is a usage error (exit code 2), and --help names the option', async () => {
    const { code, io } = await run(pass, '--lang', 'fr');
    assert.equal(code, 2);
    assert.match(io.stderr(), /--lang must be one of en, de/);
    assert.match(checkCommandWith().usage, /--lang <en\|de>/);
  });
});
