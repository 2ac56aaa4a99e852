// The WS-Management Identify of a listener: an unauthenticated POST /wsman, read as the product that answers, a
// listener that wants credentials (401 with the offered schemes), or something that is not WinRM. Effects: node:https.
import * as net from 'node:net';
import * as https from 'node:https';
import type { Finding, WsmanIdentity } from './types';

const IDENTIFY_BODY = '<?xml version="1.0" encoding="UTF-8"?>'
  + '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:wsmid="http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd">'
  + '<s:Header/><s:Body><wsmid:Identify/></s:Body></s:Envelope>';

function xmlValue(xml: string, local: string): string | undefined {
  const m = new RegExp(`<(?:[A-Za-z0-9_-]+:)?${local}(?:\\s[^>]*)?>([^<]*)</(?:[A-Za-z0-9_-]+:)?${local}>`).exec(xml);
  return m?.[1]?.trim();
}

/** Unauthenticated WS-Management Identify (POST /wsman, header WSMANIDENTIFY: unauthenticated). */
export function identify(host: string, address: string, port: number, timeoutMs: number, roots?: readonly string[], lookup?: net.LookupFunction): Promise<{ identity?: WsmanIdentity; finding?: Finding }> {
  return new Promise((resolve) => {
    const label = `${host}:${port}`;
    const options: https.RequestOptions = {
      host: address, port, path: '/wsman', method: 'POST', agent: false, rejectUnauthorized: false,
      headers: {
        'Content-Type': 'application/soap+xml;charset=UTF-8',
        'WSMANIDENTIFY': 'unauthenticated',
        'Content-Length': Buffer.byteLength(IDENTIFY_BODY),
        'Host': `${host}:${port}`,
      },
      timeout: timeoutMs,
    };
    if (net.isIP(host) === 0) options.servername = host;
    if (lookup) options.lookup = lookup;
    if (roots !== undefined) options.ca = [...roots];
    const req = https.request(options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { if (body.length < 65536) body += c; });
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status === 200 && /IdentifyResponse/.test(body)) {
          const id: { -readonly [K in keyof WsmanIdentity]: WsmanIdentity[K] } = { status };
          const pv = xmlValue(body, 'ProtocolVersion'); if (pv) id.protocolVersion = pv;
          const vendor = xmlValue(body, 'ProductVendor'); if (vendor) id.productVendor = vendor;
          const version = xmlValue(body, 'ProductVersion'); if (version) id.productVersion = version;
          resolve({ identity: id });
        } else if (status === 401) {
          const raw = res.headersDistinct['www-authenticate'] ?? [];
          const offers = raw.flatMap((h) => [...h.matchAll(/(?:^|,)\s*([A-Za-z0-9_-]+)(?=\s|,|$)/g)].map((m) => m[1] ?? ''));
          resolve({
            identity: { status, authenticate: offers },
            finding: { code: 'wsman-auth-required', severity: 'warning', message: `${label} answers WS-Management but refuses the unauthenticated Identify (401; offers ${offers.join(', ') || 'nothing'}). The listener is there; Test-WSMan needs credentials.` },
          });
        } else {
          resolve({ identity: { status }, finding: { code: 'wsman-not-wsman', severity: 'warning', message: `${label} speaks TLS, but POST /wsman returned HTTP ${status} without an IdentifyResponse: this is probably not a WinRM listener.` } });
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => resolve({ finding: { code: 'wsman-failed', severity: 'warning', message: `The WS-Management Identify request to ${label} failed: ${err.message}` } }));
    req.end(IDENTIFY_BODY);
  });
}
