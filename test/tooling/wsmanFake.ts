// An in-repo WS-Management endpoint fake that follows Microsoft's documented Identify behaviour
// (test-infrastructure.md section 5): POST /wsman with Content-Type application/soap+xml;charset=UTF-8;
// with `WSMANIDENTIFY: unauthenticated` → 200 IdentifyResponse (ProtocolVersion, ProductVendor, ProductVersion);
// without it → 401 with WWW-Authenticate Negotiate and Kerberos. Mount it on an http or https server.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface WsmanFakeOptions {
  /** Refuse unauthenticated Identify too (a hardened listener): always 401. */
  readonly requireAuth?: boolean;
  readonly productVersion?: string;
}

export interface WsmanRequestRecord {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export const IDENTIFY_PROTOCOL = 'http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd';

export function identifyResponse(productVersion: string): string {
  return '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xml:lang="en-US">'
    + '<s:Header/><s:Body>'
    + '<wsmid:IdentifyResponse xmlns:wsmid="http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd">'
    + `<wsmid:ProtocolVersion>${IDENTIFY_PROTOCOL}</wsmid:ProtocolVersion>`
    + '<wsmid:ProductVendor>Microsoft Corporation</wsmid:ProductVendor>'
    + `<wsmid:ProductVersion>${productVersion}</wsmid:ProductVersion>`
    + '<wsmid:SecurityProfiles><wsmid:SecurityProfileName>http://schemas.dmtf.org/wbem/wsman/1/wsman/secprofile/http/spnego-kerberos</wsmid:SecurityProfileName></wsmid:SecurityProfiles>'
    + '</wsmid:IdentifyResponse></s:Body></s:Envelope>';
}

export function wsmanHandler(options: WsmanFakeOptions = {}): ((req: IncomingMessage, res: ServerResponse) => void) & { requests: WsmanRequestRecord[] } {
  const requests: WsmanRequestRecord[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => { if (body.length < 65536) body += c; });
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url !== '/wsman') { res.writeHead(404, { 'Content-Length': 0 }).end(); return; }
      if (req.method !== 'POST') { res.writeHead(405, { 'Allow': 'POST', 'Content-Length': 0 }).end(); return; }
      if (!/^application\/soap\+xml/i.test(req.headers['content-type'] ?? '')) { res.writeHead(415, { 'Content-Length': 0 }).end(); return; }
      const unauthenticatedIdentify = String(req.headers.wsmanidentify ?? '').toLowerCase() === 'unauthenticated' && /Identify/.test(body);
      if (unauthenticatedIdentify && !options.requireAuth) {
        const xml = identifyResponse(options.productVersion ?? 'OS: 10.0.20348 SP: 0.0 Stack: 3.0');
        res.writeHead(200, { 'Content-Type': 'application/soap+xml;charset=UTF-8', 'Content-Length': Buffer.byteLength(xml) }).end(xml);
        return;
      }
      res.writeHead(401, { 'WWW-Authenticate': ['Negotiate', 'Kerberos'], 'Content-Length': 0 }).end();
    });
  };
  return Object.assign(handler, { requests });
}
