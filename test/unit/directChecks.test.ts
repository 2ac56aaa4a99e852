import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { directChecks } from '../../src/execution/directChecks';
import { resolveInputs } from '../../src/checks/inputs';
import { parseServer } from '../../src/servers/server';

describe('steps decided without PowerShell', () => {
  it('always offers the network path; delegation over LDAPS only with a directory and a credential', async () => {
    const none = await directChecks({ directory: async () => undefined, credential: async () => undefined });
    assert.deepEqual(Object.keys(none), ['network-path-5986']);
    const noCredential = await directChecks({ directory: async () => ({ url: 'ldaps://dc01.contoso.test' }), credential: async () => undefined });
    assert.deepEqual(Object.keys(noCredential), ['network-path-5986']);
    const both = await directChecks({ directory: async () => ({ url: 'ldaps://dc01.contoso.test' }), credential: async () => ({ userName: 'admin@contoso.test', password: 'x' }) });
    assert.deepEqual(Object.keys(both).sort(), ['kerberos-delegation', 'network-path-5986']);
  });

  it('turns an unusable directory setting into that step\'s error, not a failed run', async () => {
    const checks = await directChecks({ directory: async () => { throw new Error('The CA file cannot be read'); }, credential: async () => undefined });
    const server = parseServer({ fqdn: 'exch01.contoso.test', serviceAccount: 'CONTOSO\\svc' });
    await assert.rejects(checks['kerberos-delegation']?.(server, resolveInputs({ server: server.fqdn })) ?? Promise.resolve(), /CA file cannot be read/);
  });

  it('probes the network path for real, on 127.0.0.1: a listener that is not TLS fails the step', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const plain: Server = createServer((socket) => { sockets.add(socket); socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'); });
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (plain.address() as AddressInfo).port;
      const checks = await directChecks({ directory: async () => undefined, credential: async () => undefined, probeConnectTo: '127.0.0.1', probeTimeoutMs: 3000 });
      const server = parseServer({ fqdn: 'exch01.contoso.test', port });
      const result = await checks['network-path-5986']?.(server, resolveInputs({ server: server.fqdn }));
      assert.equal(result?.status, 'fail');
      assert.match(result?.summary ?? '', new RegExp(`TCP ${port} open, (but no TLS|TLS handshake failed)`));
      assert.ok(result?.evidence.some((e) => e.value.includes('127.0.0.1')));
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => plain.close(() => r()));
    }
  });
});
