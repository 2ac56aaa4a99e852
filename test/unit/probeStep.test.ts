import * as assert from 'node:assert/strict';
import { networkPathFromProbe } from '../../src/execution/probeStep';
import type { ProbeReport } from '../../src/probe/probe';
import { remedyMismatch } from '../../src/plan/advice';
import { t } from './fakes';

function report(findings: ProbeReport['findings'], extra: Partial<ProbeReport> = {}): ProbeReport {
  return { host: 'exch01.contoso.com', port: 5986, address: '10.0.0.5', verdict: findings[0]?.code ?? 'ok', severity: findings[0]?.severity ?? 'ok', findings, elapsedMs: 12, ...extra };
}

describe('network path from the Node probe', () => {
  it('gives the probe\'s own verdict once TCP, TLS and Identify work: an expiring certificate warns, as the CLI does', () => {
    const reached = { tls: { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' }, wsman: { status: 200, productVendor: 'Microsoft Corporation', productVersion: 'OS: 10.0.17763 SP: 0.0 Stack: 3.0' } };
    const r = networkPathFromProbe(report([{ code: 'expiring', severity: 'warning', message: 'expires in 40 days' }], reached));
    assert.equal(r.status, 'warn');
    assert.equal(r.code, 'expiring');
    assert.match(r.reason, /expires in 40 days/);
    assert.ok(r.evidence.some((e) => e.label === 'WS-Management' && /Stack: 3\.0/.test(e.value)));
    const ok = networkPathFromProbe(report([{ code: 'ok', severity: 'ok', message: 'fine' }, { code: 'self-signed-trusted', severity: 'ok', message: 'self-signed and trusted; cannot be revoked' }], reached));
    assert.equal(ok.status, 'pass');
    assert.match(ok.reason, /cannot be revoked/, 'the trade-off of a trusted self-signed certificate is in the reason');
    const bad = networkPathFromProbe(report([{ code: 'self-signed', severity: 'critical', message: 'self-signed and not trusted' }], reached));
    assert.equal(bad.status, 'fail');
    assert.equal(bad.summary, 'Self-signed certificate, not trusted');
  });

  const ADVICE: Record<string, { summary: RegExp; reason: RegExp; not?: RegExp }> = {
    'dns-failure': { summary: /^exch01\.contoso\.com does not resolve$/, reason: /DNS record|DNS servers/, not: /Open TCP|firewall rule|network firewalls/i },
    refused: { summary: /^TCP 5986 refused$/, reason: /no HTTPS listener|host firewall rejects/, not: /drops it/ },
    timeout: { summary: /^TCP 5986: no answer$/, reason: /firewall on the path .* drops it/ },
    unreachable: { summary: /^TCP 5986: network unreachable$/, reason: /no route/ },
    'not-tls': { summary: /^TCP 5986 open, but no TLS$/, reason: /bind a certificate to the HTTPS listener/, not: /firewall/i },
    'tls-failed': { summary: /^TCP 5986 open, TLS handshake failed$/, reason: /certificate binding/, not: /firewall/i },
  };
  for (const [code, want] of Object.entries(ADVICE)) {
    it(`fails on ${code} with advice that fits the cause, in words (the code stays in the details)`, () => {
      const r = networkPathFromProbe(report([{ code: code as 'refused', severity: 'critical', message: `${code} happened` }]));
      assert.equal(r.status, 'fail');
      assert.equal(r.code, code);
      assert.match(r.summary, want.summary);
      if (code.includes('-')) assert.ok(!r.summary.includes(code), `no raw code in the row: ${r.summary}`);
      assert.match(r.reason, want.reason);
      if (want.not) assert.doesNotMatch(r.reason, want.not);
    });
  }

  it('offers the network-path remediation (a firewall change request) only where a firewall is the cause', () => {
    const stored = (code: string) => ({ ...networkPathFromProbe(report([{ code: code as 'refused', severity: 'critical', message: 'x' }])), checkedAt: '2026-12-01T09:00:00Z' });
    assert.match(remedyMismatch('network-path-5986', stored('dns-failure'), t) ?? '', /DNS/);
    assert.match(remedyMismatch('network-path-5986', stored('refused'), t) ?? '', /HTTPS listener/);
    assert.match(remedyMismatch('network-path-5986', stored('not-tls'), t) ?? '', /certificate/);
    assert.equal(remedyMismatch('network-path-5986', stored('timeout'), t), undefined);
    assert.equal(remedyMismatch('network-path-5986', stored('unreachable'), t), undefined);
  });

  it('fails when something other than WS-Man answers, warns when Identify needs authentication', () => {
    assert.equal(networkPathFromProbe(report([{ code: 'wsman-not-wsman', severity: 'critical', message: 'HTTP 404' }])).status, 'fail');
    assert.equal(networkPathFromProbe(report([{ code: 'wsman-auth-required', severity: 'warning', message: '401 Negotiate' }])).status, 'warn');
  });

  it('is "error", never a pass, when the probe itself failed', () => {
    assert.equal(networkPathFromProbe(report([{ code: 'error', severity: 'unknown', message: 'internal' }])).status, 'error');
  });
});
