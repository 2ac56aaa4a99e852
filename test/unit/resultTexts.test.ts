// Every summary and reason an evaluator writes exists in German too (the same kind of check as the l10n bundle):
// the texts the sources spell out, and every text the evaluators produce on all recorded outputs (hand-written
// shapes and the Pester tier's recorded runs), translate; each German entry keeps its placeholders; no entry is stale.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { germanResultText, localizeResult, resultTextKey } from '../../src/checks/resultText';
import { RESULT_TEXTS_DE } from '../../src/checks/resultTexts.de';
import type { StepResult } from '../../src/checks/types';
import { networkPathFromProbe } from '../../src/execution/probeStep';
import { fixtureResults } from './helpers/checkFixtureResults';
import { VERDICTS, type Finding, type Severity, type Verdict } from '../../src/probe/types';
import { BUNDLED_ROOTS, CA_SETTING_HINT, SYSTEM_STORE, trustFinding } from '../../src/probe/trust';

const root = path.join(__dirname, '..', '..', '..');

/** The texts the sources spell out: literal summaries, reasons, hints and the fragments pushed into them; simple templates with {n}. */
function sourceTexts(): string[] {
  const files = [
    ...readdirSync(path.join(root, 'src', 'checks', 'steps')).map((n) => path.join(root, 'src', 'checks', 'steps', n)),
    path.join(root, 'src', 'checks', 'envelope.ts'), path.join(root, 'src', 'checks', 'errors.ts'), path.join(root, 'src', 'checks', 'evaluate.ts'),
  ];
  const texts = new Set<string>();
  const unescape = (s: string): string => s.replace(/\\'/g, "'").replace(/\\\\/g, '\\');
  for (const file of files) {
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/\b(?:summary|reason|hint|what): '((?:[^'\\]|\\.)*)'/g)) texts.add(unescape(m[1] ?? ''));
    for (const m of src.matchAll(/\b(?:problems|warnings|unverified)\.push\('((?:[^'\\]|\\.)*)'\)/g)) texts.add(unescape(m[1] ?? ''));
    for (const m of src.matchAll(/\b(?:summary|reason|hint): `([^`]*)`/g)) {
      const body = m[1] ?? '';
      if (/\$\{[^}]*['"?]/.test(body)) continue; // conditional pieces: covered by the produced texts below
      let n = 0;
      texts.add(unescape(body.replace(/\$\{[^}]*\}/g, () => `{${n++}}`)));
    }
    for (const m of src.matchAll(/\b(?:problems|warnings|unverified)\.push\(`([^`]*)`\)/g)) {
      let n = 0;
      if (!/\$\{[^}]*['"?]/.test(m[1] ?? '')) texts.add(unescape((m[1] ?? '').replace(/\$\{[^}]*\}/g, () => `{${n++}}`)));
    }
  }
  texts.delete('');
  return [...texts];
}

/** Every string and simple template literal of the evaluator sources, as keys (for the stale-entry check). */
function sourceLiterals(): string[] {
  const dir = path.join(root, 'src', 'checks', 'steps');
  const out: string[] = [];
  for (const file of [...readdirSync(dir).map((n) => path.join(dir, n)), path.join(root, 'src', 'checks', 'errors.ts'), path.join(root, 'src', 'checks', 'envelope.ts'), path.join(root, 'src', 'execution', 'probeStep.ts')]) {
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/'((?:[^'\\\n]|\\.)*)'/g)) out.push((m[1] ?? '').replace(/\\'/g, "'").replace(/\\\\/g, '\\'));
    for (const m of src.matchAll(/`([^`]*)`/g)) { let n = 0; out.push((m[1] ?? '').replace(/\$\{[^}]*\}/g, () => `{${n++}}`).replace(/\\\\/g, '\\')); }
  }
  return out;
}

/** Results that are a bare value (the CBT level itself) need no translation. */
const VALUE_ONLY = /^(Strict|Relaxed|None)$/;

/** Network-path results decided by the probe, for every verdict, with the messages src/probe builds (trust ones from trustFinding). */
function probeResults(): { single: StepResult[]; joined: StepResult[]; refused: StepResult; refusedMessage: string } {
  const h = 'exch01.contoso.com:5986';
  const issuer = 'CN=Contoso Issuing CA';
  const selfSigned = (trusted: boolean): Finding => trustFinding({ selfSigned: true, trusted, issuer, ...(trusted ? { trustedBy: SYSTEM_STORE } : { trustError: 'DEPTH_ZERO_SELF_SIGNED_CERT' }) })!;
  // The messages as src/probe builds them (trust ones from trustFinding itself); data values: names, codes, Node's error text.
  const messages: Record<Verdict, string[]> = {
    ok: [`${h}: TLS TLSv1.3, certificate valid for 200 more days, WS-Man Microsoft Corporation OS: 0.0.0 SP: 0.0 Stack: 3.0.`],
    'dns-failure': ['The name exch01.contoso.com does not resolve (ENOTFOUND).'],
    refused: [`${h} refused the connection: nothing listens on that port (no WinRM HTTPS listener, or a firewall rejects it).`],
    timeout: [`TCP connect to ${h} got no answer within 10000 ms (a firewall dropping packets, or the host is down).`, `TCP connect to ${h} timed out.`, `${h} accepted the TCP connection but completed no TLS handshake within 10000 ms.`],
    unreachable: [`No route to ${h} (EHOSTUNREACH).`],
    'not-tls': [`${h} does not speak TLS (ERR_SSL_WRONG_VERSION_NUMBER): is this the HTTP listener (5985) or another service?`],
    'tls-failed': [`The TLS handshake with ${h} failed: ECONNRESET: Client network socket disconnected`, `${h} completed TLS without presenting a certificate.`],
    expired: ['The certificate expired on 2026-11-20 (11 days ago). WinRM clients fail with "The SSL Certificate is expired".'],
    'not-yet-valid': ['The certificate is not valid before 2027-01-01 (check the server clock or the issued dates).'],
    'expiring-critical': ['The certificate expires on 2026-12-20, in 19 days (under 30).'],
    expiring: ['The certificate expires on 2027-01-20, in 50 days (under 60).'],
    'name-mismatch': ['The certificate is for exch02.contoso.com, mail.contoso.com, not for exch01.contoso.com; WinRM rejects it (0x80338115, CN mismatch).', 'The certificate is for (no name), not for exch01.contoso.com; WinRM rejects it (0x80338115, CN mismatch).'],
    'self-signed': [selfSigned(false).message],
    'self-signed-trusted': [selfSigned(true).message, ...[undefined, BUNDLED_ROOTS, 'the given CA certificates'].map((by) => trustFinding({ selfSigned: true, trusted: true, issuer, ...(by ? { trustedBy: by } : {}) })!.message)],
    untrusted: [trustFinding({ selfSigned: false, trusted: false, issuer, trustError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' })!.message, trustFinding({ selfSigned: false, trusted: false, issuer: '' })!.message],
    'thumbprint-mismatch': ['The listener presents 6A8D7E5537D441190FD72C7C2E879A064072CE0F, but it is configured with 1111111111111111111111111111111111111111 (renewed certificate not rebound, or a different binding).'],
    'wsman-auth-required': [`${h} answers WS-Management but refuses the unauthenticated Identify (401; offers Negotiate, Kerberos). The listener is there; Test-WSMan needs credentials.`, `${h} answers WS-Management but refuses the unauthenticated Identify (401; offers nothing). The listener is there; Test-WSMan needs credentials.`],
    'wsman-not-wsman': [`${h} speaks TLS, but POST /wsman returned HTTP 404 without an IdentifyResponse: this is probably not a WinRM listener.`],
    'wsman-failed': [`The WS-Management Identify request to ${h} failed: no answer within 10000 ms`, `The WS-Management Identify request to ${h} failed: socket hang up`],
    error: [`Connecting to ${h} failed: EPROTO write EPROTO`, 'The probe was cancelled.', '"abc" is not a thumbprint (40 hexadecimal digits).', `Probe of ${h} failed: boom`],
  };
  assert.match(selfSigned(false).message, new RegExp(CA_SETTING_HINT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  const cert = { subject: 'CN=exch01.contoso.com', issuer, sanDns: ['exch01.contoso.com'], sanIp: [], notBefore: '2026-01-01T00:00:00Z', notAfter: '2026-12-20T00:00:00Z', daysRemaining: 19, thumbprint: '6A8D7E5537D441190FD72C7C2E879A064072CE0F', serialNumber: '01', selfSigned: false, trusted: true };
  const severity = (v: Verdict): Severity => (v === 'ok' || v === 'self-signed-trusted' ? 'ok' : v === 'error' ? 'unknown' : ['expiring', 'thumbprint-mismatch', 'wsman-auth-required', 'wsman-failed'].includes(v) ? 'warning' : 'critical');
  const network = ['dns-failure', 'refused', 'timeout', 'unreachable', 'not-tls', 'tls-failed'];
  const report = (findings: Finding[], v: Verdict) => networkPathFromProbe({ host: 'exch01.contoso.com', port: 5986, address: '10.0.5.10', elapsedMs: 3, verdict: v, severity: severity(v), findings, ...(network.includes(v) ? {} : { certificate: cert }) });
  const single = Object.values(VERDICTS).flatMap((v) => messages[v].map((m) => report([{ code: v, severity: severity(v), message: m }], v)));
  // Several findings joined into one reason (name mismatch plus untrusted chain; a note after a pass).
  const joined = [
    report([{ code: 'name-mismatch', severity: 'critical', message: messages['name-mismatch'][0]! }, { code: 'untrusted', severity: 'critical', message: messages.untrusted[0]! }, { code: 'expiring', severity: 'warning', message: messages.expiring[0]! }], 'name-mismatch'),
    report([{ code: 'ok', severity: 'ok', message: messages.ok[0]! }, { code: 'self-signed-trusted', severity: 'ok', message: messages['self-signed-trusted'][0]! }], 'ok'),
  ];
  return { single, joined, refused: report([{ code: 'refused', severity: 'critical', message: messages.refused[0]! }], 'refused'), refusedMessage: messages.refused[0]! };
}

describe('German evaluator texts', () => {
  const results = fixtureResults();
  const produced = [...new Set(results.flatMap((r) => [r.summary, r.reason]))];
  const probeReasons = (({ single, joined }) => [...single, ...joined].map((r) => r.reason))(probeResults());

  it('every summary and reason the sources spell out has a German entry', () => {
    // A key with no words of its own ("{0}: {1} ({2})") only joins translated parts.
    const missing = sourceTexts().filter((t) => RESULT_TEXTS_DE[t] === undefined && /[A-Za-z]/.test(t.replace(/\{\d+\}/g, '')));
    assert.deepEqual(missing, []);
  });

  it('every summary and reason the evaluators produce on the recorded outputs translates', () => {
    assert.ok(results.length > 100, `${results.length} results`);
    const untranslated = produced.filter((t) => !VALUE_ONLY.test(t) && (germanResultText(t) === undefined || germanResultText(t) === t));
    assert.deepEqual(untranslated, []);
  });

  it('each German entry keeps the placeholders of its English key, and no entry is stale', () => {
    const ph = (s: string): string[] => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();
    for (const [en, de] of Object.entries(RESULT_TEXTS_DE)) {
      assert.deepEqual(ph(de), ph(en), `placeholders differ for "${en}"`);
      assert.notEqual(de.trim(), '', en);
    }
    const used = new Set<string>([...sourceTexts(), ...sourceLiterals()]);
    for (const t of [...produced, ...probeReasons]) { germanResultText(t, 0, used); const k = resultTextKey(t); if (k) used.add(k); }
    const stale = Object.keys(RESULT_TEXTS_DE).filter((k) => !used.has(k));
    assert.deepEqual(stale, [], 'German entries no evaluator text uses');
  });

  it('every summary of the network-path step decided by the probe translates, none half ("Zertifikat expired")', () => {
    const cert = { subject: 'CN=exch01.contoso.com', issuer: 'CN=Contoso CA', sanDns: ['exch01.contoso.com'], sanIp: [], notBefore: '2026-01-01T00:00:00Z', notAfter: '2026-12-20T00:00:00Z', daysRemaining: 19, thumbprint: '6A8D7E5537D441190FD72C7C2E879A064072CE0F', serialNumber: '01', selfSigned: false, trusted: true };
    const severity = (v: Verdict): Severity => (v === 'ok' || v === 'self-signed-trusted' ? 'ok' : v === 'error' ? 'unknown' : ['expiring', 'thumbprint-mismatch', 'wsman-auth-required', 'wsman-failed'].includes(v) ? 'warning' : 'critical');
    const summaries = Object.values(VERDICTS).map((v) => networkPathFromProbe({
      host: 'exch01.contoso.com', port: 5986, address: '10.0.5.10', elapsedMs: 3, verdict: v, severity: severity(v),
      findings: [{ code: v, severity: severity(v), message: 'x' }], ...(['dns-failure', 'refused', 'timeout', 'unreachable', 'not-tls', 'tls-failed'].includes(v) ? {} : { certificate: cert }),
    }).summary);
    assert.deepEqual(summaries.filter((t) => { const de = germanResultText(t); return de === undefined || /\b(Certificate|expired|trusted|answers|reachable|failed|needs|from here|decide)\b/.test(de); }), []);
  });

  it('every reason of the network-path step decided by the probe is German, for every verdict (no English sentence left)', () => {
    const { single, joined, refused, refusedMessage } = probeResults();
    assert.equal(new Set(single.map((r) => r.code ?? 'ok')).size, Object.values(VERDICTS).length - 1, 'every verdict but self-signed-trusted (a pass) has its code');
    /** Data the German text keeps as it is: Node's error texts, a PowerShell command. What is left must hold no English word. */
    const DATA = /Client network socket disconnected|socket hang up|write EPROTO|boom|Export-Certificate [^)]*/g;
    const ENGLISH = /\b(the|is|are|not|and|or|to|on|with|for|from|of|this|that|it|no|nothing|answers|failed|certificate|trusted|here|does|has|was|cannot|before|after|file|root|store|roots|reason|unnamed)\b/i;
    const left = [...single, ...joined].map((r) => ({ r, de: localizeResult(r, 'de').reason })).filter(({ r, de }) => de === r.reason || ENGLISH.test(de.replace(DATA, ''))).map(({ r, de }) => `${r.code ?? r.status}: ${de}`);
    assert.deepEqual(left, []);
    // English stays English, and the CLI's finding text is unchanged inside it.
    assert.equal(localizeResult(refused, 'en').reason, `${refusedMessage} exch01.contoso.com answered and refused port 5986: no HTTPS listener there (step "HTTPS listener"), or its host firewall rejects it (step "Host firewall").`);
    assert.equal(localizeResult(refused, 'de').reason, 'exch01.contoso.com:5986 hat die Verbindung abgelehnt: an diesem Port lauscht nichts (kein WinRM-HTTPS-Listener, oder eine Firewall weist sie ab). exch01.contoso.com hat geantwortet und Port 5986 abgelehnt: dort ist kein HTTPS-Listener (Schritt „HTTPS-Listener“), oder seine Host-Firewall weist die Verbindung ab (Schritt „Host-Firewall“).');
  });

  it('translates inserted fragments and joined parts, keeps data values, and leaves English alone', () => {
    assert.equal(germanResultText('WinRM is Stopped; WinRM starts Disabled'), 'WinRM ist Stopped; WinRM startet Disabled');
    assert.equal(germanResultText('Allowed via BUILTIN\\Remote Management Users'), 'Zugelassen über BUILTIN\\Remote Management Users');
    assert.equal(germanResultText('Needs elevation: The check could not run: access denied'), 'Erhöhte Rechte nötig: Prüfung nicht möglich: Zugriff verweigert');
    const r = { summary: 'No HTTPS listener', reason: 'WinRM has no HTTPS listener. Create one on port 5986 with a certificate for exch01.contoso.com.' };
    assert.deepEqual(localizeResult(r, 'en'), r);
    assert.equal(localizeResult(r, 'de').reason, 'WinRM hat keinen HTTPS-Listener. Legen Sie einen auf Port 5986 mit einem Zertifikat für exch01.contoso.com an.');
  });
});
