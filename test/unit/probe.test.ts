// The connectivity probe against real TLS peers on 127.0.0.1 with openssl-made certificates and the WS-Man fake.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  certificatesFromFile, expiryOf, nameMatches, normaliseThumbprint, parseSubjectAltName, certificateNames,
} from '../../src/probe/certificate';
import { probe, summarise, toObservations, type ProbeOptions, type ProbeReport, type Verdict } from '../../src/probe/probe';
import { exitCodeFor, formatNagios } from '../../src/probe/format';
import { runCli } from '../../src/cli/cli';
import { subcommands } from '../../src/cli/registry';
import { checkCommandWith } from '../../src/cli/checkCommand';
import type { CliIo } from '../../src/cli/types';
import { directChecks } from '../../src/execution/directChecks';
import { trustAnchors, type CaFile } from '../../src/probe/trust';
import { node24, repoRoot } from '../tooling/tools';
import {
  CERT_KINDS, HOST, makeCertificates, opensslThumbprint, refusedPort, startHttpsServer, startOpensslServer,
  startPlainHttpServer, startSilentServer, type CertKind, type CertSet, type RunningServer,
} from '../tooling/tls';
import { wsmanHandler } from '../tooling/wsmanFake';

function io(): CliIo & { stdout: string; stderr: string } {
  const x = { stdout: '', stderr: '', env: {}, out(t: string) { x.stdout += t; }, err(t: string) { x.stderr += t; } };
  return x;
}

describe('probe: certificate facts (pure)', () => {
  it('matches names with RFC 6125 wildcards (one whole left-most label only)', () => {
    assert.ok(nameMatches('exch01.contoso.com', 'EXCH01.Contoso.com.'));
    assert.ok(nameMatches('*.contoso.com', 'exch01.contoso.com'));
    assert.ok(!nameMatches('*.contoso.com', 'contoso.com'));
    assert.ok(!nameMatches('*.contoso.com', 'a.exch01.contoso.com'));
    assert.ok(!nameMatches('exch*.contoso.com', 'exch01.contoso.com'));
    assert.ok(!nameMatches('*.com', 'contoso.com'));
    assert.ok(!nameMatches('*.*.com', 'a.b.com'));
    assert.ok(!nameMatches('exch01.contoso.com', 'exch02.contoso.com'));
  });

  it('uses DNS SANs, and the CN only when there are none', () => {
    assert.deepEqual(certificateNames('cn.contoso.com', ['a.contoso.com']), ['a.contoso.com']);
    assert.deepEqual(certificateNames('cn.contoso.com', []), ['cn.contoso.com']);
    assert.deepEqual(parseSubjectAltName('DNS:a.contoso.com, DNS:*.contoso.com, IP Address:10.0.0.1'), { dns: ['a.contoso.com', '*.contoso.com'], ip: ['10.0.0.1'] });
  });

  it('puts days into the catalog bands: ≥ 60 pass, 30–59 warn, < 30 fail', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const start = new Date('2029-01-01T00:00:00Z');
    const plus = (d: number): Date => new Date(now.getTime() + d * 86_400_000);
    assert.deepEqual(expiryOf(start, plus(60), now), { band: 'pass', daysRemaining: 60 });
    assert.equal(expiryOf(start, plus(59), now).band, 'warn');
    assert.equal(expiryOf(start, plus(30), now).band, 'warn');
    assert.equal(expiryOf(start, plus(29), now).band, 'fail');
    assert.equal(expiryOf(start, plus(-1), now).band, 'expired');
    assert.equal(expiryOf(plus(1), plus(400), now).band, 'not-yet-valid');
  });

  it('normalises pasted thumbprints (colons, spaces, the invisible LRM of the Windows dialog)', () => {
    assert.equal(normaliseThumbprint('\u200eab:cd ef0123456789abcdef0123456789abcdef01'), 'ABCDEF0123456789ABCDEF0123456789ABCDEF01');
    assert.equal(normaliseThumbprint('xyz'), undefined);
  });

  it('reads CA files as PEM bundles or one DER certificate, and refuses anything else by name', () => {
    const set = makeCertificates();
    try {
      const bundle = Buffer.from(`${set.ca}\n${set.certs.selfSigned.cert}`);
      assert.equal(certificatesFromFile(bundle, 'bundle.pem').length, 2);
      const der = certificatesFromFile(readFileSync(set.selfSignedDerFile), 'exch01.cer');
      assert.deepEqual(der, certificatesFromFile(Buffer.from(set.certs.selfSigned.cert), 'exch01.pem'));
      assert.throws(() => certificatesFromFile(Buffer.from(set.certs.selfSigned.key), 'exch01.key'), /exch01\.key holds no CERTIFICATE block/);
      assert.throws(() => certificatesFromFile(Buffer.from('hello'), 'notes.txt'), /notes\.txt is neither PEM .* nor a DER certificate/);
      assert.throws(() => certificatesFromFile(Buffer.alloc(0), 'empty.cer'), /empty\.cer is empty/);
      const broken = set.ca.replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAAAAAAAAAAAAAAAAAA');
      assert.throws(() => certificatesFromFile(Buffer.from(broken), 'broken.pem'), /broken\.pem: the certificate is not a readable X\.509 certificate/);
    } finally {
      set.cleanup();
    }
  });

  it('takes the probe\'s CA files from user (or remote) settings only: the setting is machine-scoped', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { scope?: string; type?: string }> } } };
    const setting = pkg.contributes.configuration.properties['exchangeRemoting.probe.caFiles'];
    assert.equal(setting?.scope, 'machine', 'a workspace must not choose what the probe trusts');
    assert.equal(setting?.type, 'array');
    assert.match(readFileSync(join(repoRoot, 'src', 'config.ts'), 'utf8'), /inspect<unknown>\(Settings\.probeCaFiles\)\?\.globalValue/);
  });

  it('maps severities to Nagios exit codes and picks the worst finding as the verdict', () => {
    const report = (severity: ProbeReport['severity'], verdict: Verdict): ProbeReport => ({ host: 'h.contoso.com', port: 5986, address: 'h.contoso.com', verdict, severity, findings: [{ code: verdict, severity, message: verdict }], elapsedMs: 1 });
    assert.equal(exitCodeFor([report('ok', 'ok')]), 0);
    assert.equal(exitCodeFor([report('ok', 'ok'), report('warning', 'expiring')]), 1);
    assert.equal(exitCodeFor([report('warning', 'expiring'), report('critical', 'expired')]), 2);
    assert.equal(exitCodeFor([report('unknown', 'error')]), 3);
    assert.match(formatNagios([report('unknown', 'error')]), /^EXCHANGE-REMOTING UNKNOWN - h\.contoso\.com:5986 error/);
    assert.deepEqual(summarise([
      { code: 'expiring', severity: 'warning', message: '' },
      { code: 'name-mismatch', severity: 'critical', message: '' },
      { code: 'self-signed', severity: 'critical', message: '' },
    ]), { verdict: 'name-mismatch', severity: 'critical' });
  });
});

describe('probe: real TLS listeners on 127.0.0.1', function () {
  this.timeout(60_000);
  let certs: CertSet;
  const servers: RunningServer[] = [];
  const ports = {} as Record<CertKind, number>;
  const wsman = wsmanHandler();
  let opensslPort = 0;
  let plainPort = 0;
  let silentPort = 0;
  let closedPort = 0;
  let hardenedPort = 0;
  let notWsmanPort = 0;

  before(async () => {
    certs = makeCertificates();
    for (const kind of CERT_KINDS) {
      const s = await startHttpsServer(certs.certs[kind], wsman);
      servers.push(s);
      ports[kind] = s.port;
    }
    const o = await startOpensslServer(certs.certs.valid); servers.push(o); opensslPort = o.port;
    const p = await startPlainHttpServer(wsmanHandler()); servers.push(p); plainPort = p.port;
    const q = await startSilentServer(); servers.push(q); silentPort = q.port;
    const h = await startHttpsServer(certs.certs.valid, wsmanHandler({ requireAuth: true })); servers.push(h); hardenedPort = h.port;
    const n = await startHttpsServer(certs.certs.valid, (_req, res) => { res.writeHead(404).end('not here'); }); servers.push(n); notWsmanPort = n.port;
    closedPort = await refusedPort();
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
    certs?.cleanup();
  });

  const run = (port: number, extra: ProbeOptions = {}): Promise<ProbeReport> =>
    probe(HOST, { port, connectTo: '127.0.0.1', ca: certs.ca, timeoutMs: 3000, ...extra });

  it('passes a valid listener: thumbprint equals openssl x509 -fingerprint -sha1 without colons; Identify answered', async () => {
    const r = await run(ports.valid);
    assert.equal(r.verdict, 'ok', JSON.stringify(r.findings));
    assert.equal(r.severity, 'ok');
    assert.equal(r.certificate?.thumbprint, opensslThumbprint(certs.certs.valid.certFile));
    assert.match(r.certificate!.thumbprint, /^[0-9A-F]{40}$/);
    assert.equal(r.certificate?.subjectCn, HOST);
    assert.deepEqual(r.certificate?.sanDns, [HOST, 'exch01']);
    assert.equal(r.certificate?.matchedName, HOST);
    assert.ok(r.certificate!.daysRemaining >= 364);
    assert.equal(r.wsman?.status, 200);
    assert.equal(r.wsman?.productVendor, 'Microsoft Corporation');
    assert.equal(r.wsman?.protocolVersion, 'http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd');
    const seen = wsman.requests.at(-1)!;
    assert.equal(seen.method, 'POST');
    assert.equal(seen.url, '/wsman');
    assert.equal(seen.headers.wsmanidentify, 'unauthenticated');
    assert.match(String(seen.headers['content-type']), /^application\/soap\+xml;charset=UTF-8$/);
  });

  it('hands the presented certificate to the catalog evaluators as an observation', async () => {
    const good = toObservations(await run(ports.valid));
    assert.deepEqual(good.presentedCertificate && { ...good.presentedCertificate, notAfter: typeof good.presentedCertificate.notAfter },
      { thumbprint: opensslThumbprint(certs.certs.valid.certFile), notAfter: 'string', trusted: true, nameMatches: true });
    const self = toObservations(await run(ports.selfSigned)).presentedCertificate!;
    assert.equal(self.trusted, false);
    assert.equal(toObservations(await run(ports.wrongName)).presentedCertificate!.nameMatches, false);
    assert.deepEqual(toObservations(await run(closedPort)), {});
  });

  it('reads the same certificate from openssl s_server (an independent TLS stack)', async () => {
    const r = await run(opensslPort, { identify: false });
    assert.equal(r.verdict, 'ok', JSON.stringify(r.findings));
    assert.equal(r.certificate?.thumbprint, opensslThumbprint(certs.certs.valid.certFile));
  });

  it('accepts a wildcard certificate for the host', async () => {
    const r = await run(ports.wildcard);
    assert.equal(r.verdict, 'ok', JSON.stringify(r.findings));
    assert.equal(r.certificate?.matchedName, '*.contoso.test');
  });

  it('matches the expected thumbprint however it was pasted, and warns on a different one', async () => {
    const tp = opensslThumbprint(certs.certs.valid.certFile);
    const pasted = `\u200e${tp.toLowerCase().match(/../g)!.join(':')}`;
    assert.equal((await run(ports.valid, { expectedThumbprint: pasted })).verdict, 'ok');
    const other = await run(ports.valid, { expectedThumbprint: opensslThumbprint(certs.certs.wildcard.certFile) });
    assert.equal(other.verdict, 'thumbprint-mismatch');
    assert.equal(other.severity, 'warning');
  });

  const expectations: Array<[string, () => Promise<ProbeReport>, Verdict, ProbeReport['severity'], RegExp]> = [
    ['expiring in 45 days', () => run(ports.expiring), 'expiring', 'warning', /in 4[45] days/],
    ['expiring in 10 days', () => run(ports.expiringCritical), 'expiring-critical', 'critical', /in (9|10) days/],
    ['expired', () => run(ports.expired), 'expired', 'critical', /expired on .*days ago/],
    ['not yet valid', () => run(ports.notYetValid), 'not-yet-valid', 'critical', /not valid before/],
    ['wrong name', () => run(ports.wrongName), 'name-mismatch', 'critical', /mail\.fabrikam\.test.*not for exch01\.contoso\.test/],
    ['self-signed, not given as CA', () => run(ports.selfSigned), 'self-signed', 'critical', /self-signed and not trusted here.*Export-Certificate.*exchangeRemoting\.probe\.caFiles.*--ca/],
    ['issued by a CA this machine does not trust', () => probe(HOST, { port: ports.valid, connectTo: '127.0.0.1', timeoutMs: 3000 }), 'untrusted', 'critical', /not trusted/],
    ['connection refused', () => run(closedPort), 'refused', 'critical', /refused/],
    ['name that does not resolve', () => probe('nosuch.contoso.test', {
      port: ports.valid, timeoutMs: 3000,
      lookup: (hostname, _opts, cb) => cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 4),
    }), 'dns-failure', 'critical', /nosuch\.contoso\.test does not resolve \(ENOTFOUND\)/],
    ['name resolving to the listener (injected resolver, no network)', () => probe(HOST, {
      port: ports.valid, timeoutMs: 3000, ca: certs.ca, lookup: (_h, opts, cb) => ((opts as { all?: boolean }).all ? (cb as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)),
    }), 'ok', 'ok', /certificate valid for/],
    ['silent listener (handshake timeout)', () => run(silentPort, { timeoutMs: 700 }), 'timeout', 'critical', /no TLS handshake within 700 ms/],
    ['plain HTTP listener', () => run(plainPort), 'not-tls', 'critical', /does not speak TLS/],
    ['WS-Man refusing unauthenticated Identify', () => run(hardenedPort), 'wsman-auth-required', 'warning', /401; offers Negotiate, Kerberos/],
    ['TLS service that is not WS-Man', () => run(notWsmanPort), 'wsman-not-wsman', 'warning', /HTTP 404/],
  ];

  for (const [name, make, verdict, severity, message] of expectations) {
    it(`gives "${verdict}" for: ${name}`, async () => {
      const r = await make();
      assert.equal(r.verdict, verdict, JSON.stringify(r.findings));
      assert.equal(r.severity, severity);
      const f = r.findings.find((x) => x.code === verdict)!;
      assert.match(f.message, message);
    });
  }

  it('gives each failure mode its own verdict', () => {
    const verdicts = expectations.map((e) => e[2]).filter((v) => v !== 'ok');
    assert.equal(new Set(verdicts).size, verdicts.length);
  });

  describe('trust: what the sync server trusts', () => {
    const given = (): string[] => [certs.ca, certs.certs.selfSigned.cert, certs.certs.selfSignedExpiring.cert];

    it('trusts a self-signed certificate given as CA: OK, with the trade-off named, and openssl\'s thumbprint', async () => {
      const r = await run(ports.selfSigned, { ca: given() });
      assert.equal(r.verdict, 'ok', JSON.stringify(r.findings));
      assert.equal(r.severity, 'ok');
      assert.equal(r.certificate?.selfSigned, true);
      assert.equal(r.certificate?.trusted, true);
      assert.equal(r.certificate?.thumbprint, opensslThumbprint(certs.certs.selfSigned.certFile));
      const note = r.findings.find((f) => f.code === 'self-signed-trusted');
      assert.ok(note, JSON.stringify(r.findings));
      assert.equal(note.severity, 'ok');
      assert.match(note.message, /cannot be revoked/);
      assert.match(note.message, /imported by hand on every sync server/);
      assert.equal(toObservations(r).presentedCertificate?.trusted, true);
    });

    it('judges a trusted self-signed certificate by the expiry bands: 45 days left is WARNING, never CRITICAL', async () => {
      const r = await run(ports.selfSignedExpiring, { ca: given() });
      assert.equal(r.verdict, 'expiring', JSON.stringify(r.findings));
      assert.equal(r.severity, 'warning');
      assert.ok(!r.findings.some((f) => f.severity === 'critical'), JSON.stringify(r.findings));
      assert.equal(r.certificate?.thumbprint, opensslThumbprint(certs.certs.selfSignedExpiring.certFile));
    });

    it('names where the trusted root comes from: the CA file for a CA-issued certificate (OK)', async () => {
      const files: CaFile[] = [{ name: certs.caFile, certificates: certificatesFromFile(readFileSync(certs.caFile), certs.caFile) }];
      const r = await probe(HOST, { port: ports.valid, connectTo: '127.0.0.1', timeoutMs: 3000, trust: await trustAnchors(files, { system: false }) });
      assert.equal(r.verdict, 'ok', JSON.stringify(r.findings));
      assert.equal(r.certificate?.trustedBy, certs.caFile);
      assert.match(r.trustStore ?? '', /the CA file .*ca\.pem; Node's bundled Mozilla roots/);
    });

    // One decision for the sidebar and the CLI: the network-path step (through directChecks, the way the extension
    // composes it, CA files as the setting gives them) and `probe` give the same verdict for every certificate.
    it('gives the same verdict in the sidebar\'s network-path step, the probe CLI and the check CLI, for every certificate', async () => {
      const caFiles = [certs.caFile, certs.selfSignedDerFile];
      const files: CaFile[] = caFiles.map((f) => ({ name: f, certificates: certificatesFromFile(readFileSync(f), f) }));
      const checks = await directChecks({
        directory: async () => undefined, credential: async () => undefined,
        probeCaFiles: async () => files, probeSystemStore: false, probeConnectTo: '127.0.0.1', probeTimeoutMs: 3000,
      });
      const step = checks['network-path-5986']!;
      const statusFor = { 0: 'pass', 1: 'warn', 2: 'fail' } as Record<number, string>;
      const seen: string[] = [];
      for (const kind of CERT_KINDS) {
        const x = io();
        const code = await runCli(['probe', HOST, '--port', String(ports[kind]), '--connect-to', '127.0.0.1', '--no-system-ca', ...caFiles.flatMap((f) => ['--ca', f]), '--format', 'nagios'], x, subcommands, 'test');
        const result = await step({ fqdn: HOST, profile: 'remoting', connection: 'https', port: ports[kind] }, {} as never);
        assert.equal(result.status, statusFor[code], `${kind}: CLI exit ${code}, step ${result.status} (${result.summary})\n${x.stdout}`);
        const y = io();
        const checkCode = await checkCommandWith({ probeConnectTo: '127.0.0.1' }).run(['--server', HOST, '--connection', 'https', '--port', String(ports[kind]), '--step', 'network-path-5986', '--no-system-ca', ...caFiles.flatMap((f) => ['--ca', f]), '--format', 'nagios'], y);
        assert.equal(checkCode, code, `${kind}: check CLI exit ${checkCode}, probe CLI exit ${code}\n${y.stdout}${y.stderr}`);
        seen.push(`${kind}=${result.status}`);
      }
      // The self-signed certificate (given as DER) passes; the one not given would have been CRITICAL.
      assert.ok(seen.includes('selfSigned=pass'), seen.join(' '));
      assert.ok(seen.includes('selfSignedExpiring=fail'), 'not given as CA (only the other self-signed one is): untrusted');
      assert.ok(seen.includes('expiring=warn') && seen.includes('expired=fail') && seen.includes('valid=pass'), seen.join(' '));
    });

    it('reports a CA file setting that cannot be read on the network-path step, never a pass', async () => {
      const checks = await directChecks({
        directory: async () => undefined, credential: async () => undefined,
        probeCaFiles: async () => { throw new Error('A CA file of the setting exchangeRemoting.probe.caFiles cannot be read (/nope.cer): ENOENT'); },
        probeSystemStore: false, probeConnectTo: '127.0.0.1', probeTimeoutMs: 3000,
      });
      await assert.rejects(checks['network-path-5986']!({ fqdn: HOST, profile: 'remoting', connection: 'https', port: ports.valid }, {} as never), /\/nope\.cer/);
    });

    // The operating system's store as Node 24 reads it (on Linux: SSL_CERT_FILE / SSL_CERT_DIR, the files OpenSSL
    // trusts). The suite runs on Node 20, which has no tls.getCACertificates: there the store is reported as not read.
    it('trusts what the machine\'s store holds under Node 24 (no --ca), and says so under Node 20', async function () {
      assert.ok(existsSync(node24), `Node 24 missing at ${node24} (scripts/ensure-tools.sh installs it)`);
      const emptyDir = mkdtempSync(join(tmpdir(), 'ers-store-'));
      try {
        const cli = join(repoRoot, 'out', 'src', 'cli', 'main.js');
        const env = { ...process.env, SSL_CERT_FILE: certs.certs.selfSigned.certFile, SSL_CERT_DIR: emptyDir, NODE_EXTRA_CA_CERTS: '' };
        // Asynchronous: the listeners run in this process.
        const json = (args: string[], node = node24): Promise<ProbeReport> => new Promise((resolve, reject) => {
          execFile(node, [cli, 'probe', HOST, '--connect-to', '127.0.0.1', '--format', 'json', ...args], { env, encoding: 'utf8', timeout: 30_000 }, (_err, stdout, stderr) => {
            try { resolve((JSON.parse(stdout) as { reports: ProbeReport[] }).reports[0]!); } catch { reject(new Error(`no JSON from ${node}: ${stdout}${stderr}`)); }
          });
        });
        const inStore = await json(['--port', String(ports.selfSigned)]);
        assert.equal(inStore.verdict, 'ok', JSON.stringify(inStore.findings));
        assert.equal(inStore.certificate?.trustedBy, "this machine's certificate store");
        assert.match(inStore.trustStore ?? '', /this machine's certificate store \(1 roots\)/);
        const notInStore = await json(['--port', String(ports.selfSignedExpiring)]);
        assert.equal(notInStore.verdict, 'self-signed');
        const without = await json(['--port', String(ports.selfSigned), '--no-system-ca']);
        assert.equal(without.verdict, 'self-signed', 'the store is left out with --no-system-ca');
        if (Number(process.versions.node.split('.')[0]) < 22) {
          const old = await json(['--port', String(ports.selfSigned)], process.execPath);
          assert.equal(old.verdict, 'self-signed');
          assert.match(old.trustStore ?? '', /this machine's certificate store not read \(Node v\d+\.\d+\.\d+ cannot read/);
        }
      } finally {
        rmSync(emptyDir, { recursive: true, force: true });
      }
    });
  });

  describe('CLI: exchange-remoting probe', () => {
    const cli = (args: string[]): Promise<number> => runCli(['probe', ...args], lastIo = io(), subcommands, 'test');
    let lastIo = io();

    it('is listed and exits 0 with a Nagios OK line for a good listener', async () => {
      assert.ok(subcommands.some((c) => c.name === 'probe'));
      assert.equal(await cli([HOST, '--port', String(ports.valid), '--connect-to', '127.0.0.1', '--ca', certs.caFile, '--format', 'nagios']), 0);
      assert.match(lastIo.stdout, /^EXCHANGE-REMOTING OK - exch01\.contoso\.test:\d+ OK \| 'exch01\.contoso\.test_time'=[\d.]+s 'exch01\.contoso\.test_cert_days'=\d+;60:;30:\n/);
    });

    it('exits 1 WARNING for an expiring certificate and 2 CRITICAL for an expired one or a refused port', async () => {
      assert.equal(await cli([HOST, '--port', String(ports.expiring), '--connect-to', '127.0.0.1', '--ca', certs.caFile, '--format', 'nagios']), 1);
      assert.match(lastIo.stdout, /^EXCHANGE-REMOTING WARNING - exch01\.contoso\.test:\d+ expiring/);
      assert.equal(await cli([HOST, '--port', String(ports.expired), '--connect-to', '127.0.0.1', '--ca', certs.caFile, '--format', 'nagios']), 2);
      assert.match(lastIo.stdout, /^EXCHANGE-REMOTING CRITICAL - exch01\.contoso\.test:\d+ expired/);
      assert.equal(await cli([HOST, '--port', String(closedPort), '--connect-to', '127.0.0.1', '--format', 'text']), 2);
      assert.match(lastIo.stdout, /CRITICAL {2}\(refused\)/);
    });

    it('prints JSON with the thumbprint and the exit code', async () => {
      assert.equal(await cli([HOST, '--port', String(ports.valid), '--connect-to', '127.0.0.1', '--ca', certs.caFile, '--format', 'json']), 0);
      const doc = JSON.parse(lastIo.stdout) as { status: string; exitCode: number; reports: ProbeReport[] };
      assert.equal(doc.status, 'ok');
      assert.equal(doc.reports[0]!.certificate!.thumbprint, opensslThumbprint(certs.certs.valid.certFile));
    });

    it('takes --ca more than once, PEM or DER: the exported self-signed .cer makes its listener OK', async () => {
      assert.equal(await cli([HOST, '--port', String(ports.selfSigned), '--connect-to', '127.0.0.1', '--no-system-ca', '--ca', certs.caFile, '--ca', certs.selfSignedDerFile, '--format', 'text']), 0);
      assert.match(lastIo.stdout, /OK {2}\(ok\)/);
      assert.match(lastIo.stdout, /✓ The certificate is self-signed and trusted here \(.*selfSigned\.cer\)/);
      assert.match(lastIo.stdout, /Trust {7}trusted \(root in .*selfSigned\.cer\)/);
      assert.match(lastIo.stdout, new RegExp(`Thumbprint {2}${opensslThumbprint(certs.certs.selfSigned.certFile)}`));
      assert.equal(await cli([HOST, '--port', String(ports.selfSigned), '--connect-to', '127.0.0.1', '--no-system-ca', '--ca', certs.caFile, '--format', 'nagios']), 2);
      assert.match(lastIo.stdout, /^EXCHANGE-REMOTING CRITICAL - exch01\.contoso\.test:\d+ self-signed/);
      assert.equal(await cli([HOST, '--ca', certs.certs.selfSigned.keyFile]), 3);
      assert.match(lastIo.stderr, /--ca .*selfSigned\.key holds no CERTIFICATE block/);
    });

    it('refuses bad arguments with the usage and 3 UNKNOWN (Nagios plugin guidelines)', async () => {
      assert.equal(await cli([HOST, '--format', 'xml']), 3);
      assert.match(lastIo.stderr, /--format must be one of text, json, nagios/);
      assert.match(lastIo.stderr, /Usage: exchange-remoting probe/);
      assert.equal(lastIo.stdout, '');
      assert.equal(await cli(['10.0.0.5']), 3);
      assert.match(lastIo.stderr, /IP address/);
      assert.equal(await cli([]), 3);
      assert.equal(await cli([HOST, '--thumbprint', 'nope']), 3);
      assert.equal(await cli([HOST, '--bogus']), 3);
      assert.equal(await cli([HOST, '--port', '70000']), 3);
    });
  });
});
