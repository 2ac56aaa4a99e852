import * as assert from 'node:assert/strict';
import { networkPathFromProbe } from '../../src/execution/probeStep';
import type { ProbeReport } from '../../src/probe/probe';

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

  for (const code of ['refused', 'timeout', 'unreachable', 'dns-failure', 'not-tls', 'tls-failed'] as const) {
    it(`fails on ${code}, naming what to open`, () => {
      const r = networkPathFromProbe(report([{ code, severity: 'critical', message: `${code} happened` }]));
      assert.equal(r.status, 'fail');
      assert.equal(r.code, code);
      assert.match(r.reason, /Open TCP 5986/);
    });
  }

  it('fails when something other than WS-Man answers, warns when Identify needs authentication', () => {
    assert.equal(networkPathFromProbe(report([{ code: 'wsman-not-wsman', severity: 'critical', message: 'HTTP 404' }])).status, 'fail');
    assert.equal(networkPathFromProbe(report([{ code: 'wsman-auth-required', severity: 'warning', message: '401 Negotiate' }])).status, 'warn');
  });

  it('is "error", never a pass, when the probe itself failed', () => {
    assert.equal(networkPathFromProbe(report([{ code: 'error', severity: 'unknown', message: 'internal' }])).status, 'error');
  });
});
