// Seeded generator of synthetic E2ETraceEvent files that mix the event shapes of the real fixtures:
// WCF Transfer/Start/Stop/Suspend/Resume with TraceRecord + ExtendedData, Warning/Error with an exception chain and
// multi-line stack traces, message-log records with SOAP envelopes (headers, body, HttpRequest), and plain-text
// TraceSource events with entities. Times mostly increase, with an occasional jump back (a new process run).

import { closeSync, existsSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** mulberry32: small, fast, seeded. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const E2E = 'http://schemas.microsoft.com/2004/06/E2ETraceEvent';
const SYS = 'http://schemas.microsoft.com/2004/06/windows/eventlog/system';
const TR = 'http://schemas.microsoft.com/2004/10/E2ETraceEvent/TraceRecord';

const SOURCES = ['System.ServiceModel', 'System.ServiceModel.MessageLogging', 'System.Net', 'ExchangeConnector', 'SampleApp', 'System.IdentityModel'];
const PROCESSES = ['w3wp', 'iisexpress', 'Microsoft.Exchange.Connector.Service', 'Client.vshost', 'SampleLoggingApp'];
const COMPUTERS = ['EXCH01', 'EXCH02', 'FAITHNIELSEN-PC'];
const DESCRIPTIONS = [
  'Activity boundary.', 'Received a message over a channel.', 'Sent a message over a channel.', 'Opened ServiceHost.',
  'Throwing an exception.', 'Failed to send request message over HTTP', 'Handling an exception.', 'Closed ChannelFactory.',
];
const ACTIVITY_NAMES = [
  "Construct ChannelFactory. Contract type: 'Client.Product_ServiceReference.IProductService'.",
  "Open ClientBase. Contract type: 'Client.Product_ServiceReference.IProductService'.",
  "Process action 'http://tempuri.org/IProductService/GetProduct'.",
  'Receive bytes on connection \'http://localhost:1092/FawryService.svc\'.',
  'Execute \'Microsoft.Exchange.Connector.SyncEngine.QuickSync\'.',
];
const ACTIONS = ['http://tempuri.org/IFawryService/BillInquery', 'http://tempuri.org/IProductService/GetProduct', 'http://schemas.xmlsoap.org/ws/2005/02/trust/RST/Issue', 'http://tempuri.org/IWCAssistantService/RunasAdmin'];
const TEXTS = ["Connection to &apos;EXCH01&apos; timed out after 30 s", 'Quick sync finished: 124 devices, 0 errors', 'Full sync started', 'Command line arguments:', 'Setting domain-level exception handler', 'Policy &quot;Default&quot; applied'];

function guid(r: () => number): string {
  const h = (n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(r() * 16)]).join('');
  return `{${h(8)}-${h(4)}-${h(4)}-${h(4)}-${h(12)}}`;
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

function iso(ms: number, ticks: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds(), 3)}${pad(ticks, 4)}Z`;
}

export class TraceGenerator {
  private readonly r: () => number;
  private ms = Date.UTC(2024, 0, 15, 8, 0, 0);
  private readonly activities: string[] = [];
  private pid = 4242;
  events = 0;

  constructor(seed: number) {
    this.r = rng(seed);
    for (let i = 0; i < 2000; i++) this.activities.push(guid(this.r));
  }

  private pick<T>(a: readonly T[]): T {
    return a[Math.floor(this.r() * a.length)];
  }

  private system(subType: string, level: number, eventId: number, source: string, activity: string, related?: string): string {
    const r = this.r;
    this.ms += Math.floor(r() * 40);
    if (r() < 0.00002) { this.ms -= 12 * 3600 * 1000; this.pid = 1000 + Math.floor(r() * 9000); } // a new run, clock earlier
    const time = iso(this.ms, Math.floor(r() * 10000));
    const rel = related ? ` RelatedActivityID="${related}"` : '';
    return `<E2ETraceEvent xmlns="${E2E}"><System xmlns="${SYS}"><EventID>${eventId}</EventID><Type>3</Type><SubType Name="${subType}">0</SubType><Level>${level}</Level><TimeCreated SystemTime="${time}" /><Source Name="${source}" /><Correlation ActivityID="${activity}"${rel} /><Execution ProcessName="${this.pick(PROCESSES)}" ProcessID="${this.pid}" ThreadID="${1 + Math.floor(r() * 30)}" /><Channel/><Computer>${this.pick(COMPUTERS)}</Computer></System>`;
  }

  private traceRecord(severity: string, code: string, description: string, inner: string): string {
    return `<ApplicationData><TraceData><DataItem><TraceRecord xmlns="${TR}" Severity="${severity}"><TraceIdentifier>http://msdn.microsoft.com/en-US/library/System.ServiceModel.Diagnostics.${code}.aspx</TraceIdentifier><Description>${description}</Description><AppDomain>/LM/W3SVC/1/ROOT-1-130994931296530421</AppDomain>${inner}</TraceRecord></DataItem></TraceData></ApplicationData></E2ETraceEvent>`;
  }

  /** One event's XML. */
  next(): string {
    const r = this.r;
    this.events++;
    const act = this.pick(this.activities);
    const x = r();
    if (x < 0.28) {
      return this.system('Transfer', 255, 0, 'System.ServiceModel', act, this.pick(this.activities)) + '<ApplicationData></ApplicationData></E2ETraceEvent>';
    }
    if (x < 0.58) {
      const start = x < 0.43;
      const ext = start ? `<ExtendedData xmlns="http://schemas.microsoft.com/2006/08/ServiceModel/DictionaryTraceRecord"><ActivityName>${this.pick(ACTIVITY_NAMES).replace(/'/g, '&apos;')}</ActivityName><ActivityType>Construct</ActivityType></ExtendedData>` : '';
      return this.system(start ? 'Start' : 'Stop', 255, 131085, 'System.ServiceModel', act) + this.traceRecord(start ? 'Start' : 'Stop', 'ActivityBoundary', 'Activity boundary.', ext);
    }
    if (x < 0.61) {
      const sub = x < 0.595 ? 'Suspend' : 'Resume';
      return this.system(sub, 255, 131085, 'System.ServiceModel', act) + this.traceRecord(sub, 'ActivityBoundary', 'Activity boundary.', '');
    }
    if (x < 0.70) {
      return this.system('Information', 8, 262163, 'System.ServiceModel', act) + this.traceRecord('Information', 'MessageReceived', this.pick(DESCRIPTIONS),
        `<Source>System.ServiceModel.Channels.HttpChannelListener\`1[[System.ServiceModel.Channels.IReplyChannel]]/${Math.floor(r() * 1e8)}</Source><ExtendedData xmlns="http://schemas.microsoft.com/2006/08/ServiceModel/MessageTransmitTraceRecord"><MessageId>urn:uuid:${guid(r).slice(1, -1)}</MessageId></ExtendedData>`);
    }
    if (x < 0.75) {
      const err = x < 0.72;
      const frames = Array.from({ length: 6 + Math.floor(r() * 10) }, (_, i) => `   at System.ServiceModel.Channels.HttpChannelFactory\`1.HttpRequestChannel.HttpChannelRequest.WaitForReply(TimeSpan timeout) in Frame${i}.cs:line ${Math.floor(r() * 900)}`).join('\r\n');
      const ex = `<Exception><ExceptionType>System.ServiceModel.CommunicationException, System.ServiceModel, Version=4.0.0.0</ExceptionType><Message>An error occurred while receiving the HTTP response to http://exch01/PowerShell. This could be due to the service endpoint binding not using the HTTP protocol.</Message><StackTrace>${frames}</StackTrace><ExceptionString>System.ServiceModel.CommunicationException: An error occurred ---&gt; System.Net.WebException: The underlying connection was closed${'\r\n'}${frames}</ExceptionString><InnerException><ExceptionType>System.Net.WebException, System</ExceptionType><Message>The underlying connection was closed: An unexpected error occurred on a receive.</Message><StackTrace>${frames}</StackTrace><ExceptionString>System.Net.WebException</ExceptionString></InnerException></Exception>`;
      return this.system(err ? 'Error' : 'Warning', err ? 2 : 4, 131075, 'System.ServiceModel', act) + this.traceRecord(err ? 'Error' : 'Warning', 'ThrowingException', err ? 'Throwing an exception.' : 'Failed to send request message over HTTP', ex);
    }
    if (x < 0.88) {
      const action = this.pick(ACTIONS);
      const items = Array.from({ length: 2 + Math.floor(r() * 12) }, (_, i) => `<a:Item${i}>${Math.floor(r() * 1e9)}</a:Item${i}>`).join('');
      const send = r() < 0.5;
      return this.system('Information', 8, 0, 'System.ServiceModel.MessageLogging', act) + `<ApplicationData><TraceData><DataItem><MessageLogTraceRecord Time="2024-01-15T10:59:51.7620905+02:00" Source="${send ? 'TransportSend' : 'TransportReceive'}" Type="System.ServiceModel.Channels.BufferedMessage" xmlns="http://schemas.microsoft.com/2004/06/ServiceModel/Management/MessageTrace"><HttpRequest><Method>POST</Method><QueryString></QueryString><WebHeaders><Connection>Keep-Alive</Connection><Content-Length>487</Content-Length><Content-Type>application/soap+xml; charset=utf-8</Content-Type><Host>exch01:443</Host></WebHeaders></HttpRequest><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing"><s:Header><a:Action s:mustUnderstand="1">${action}</a:Action><a:MessageID>urn:uuid:${guid(r).slice(1, -1)}</a:MessageID><ActivityId CorrelationId="${guid(r).slice(1, -1)}" xmlns="http://schemas.microsoft.com/2004/09/ServiceModel/Diagnostics">${act.slice(1, -1)}</ActivityId><a:To s:mustUnderstand="1">https://exch01/PowerShell</a:To></s:Header><s:Body><Request xmlns="http://tempuri.org/" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">${items}</Request></s:Body></s:Envelope></MessageLogTraceRecord></DataItem></TraceData></ApplicationData></E2ETraceEvent>`;
    }
    const text = this.pick(TEXTS) + ` #${Math.floor(r() * 100000)}`;
    const src = this.pick(SOURCES.slice(3));
    const lvl = r() < 0.9 ? ['Information', 8] as const : r() < 0.5 ? ['Verbose', 16] as const : ['Critical', 1] as const;
    return this.system(lvl[0], lvl[1], Math.floor(r() * 5000), src, '{00000000-0000-0000-0000-000000000000}') + `<ApplicationData>${text}</ApplicationData></E2ETraceEvent>`;
  }
}

/**
 * Path of a generated file of about `mb` MiB for `seed` in the OS temp folder, generating it if missing (written to a
 * temporary name and renamed, so an interrupted run is not reused).
 */
export function ensureTraceFile(mb: number, seed: number, log: (s: string) => void = () => undefined): { path: string; generated: boolean } {
  const path = join(tmpdir(), `exchange-remoting-bench-trace-v1-seed${seed}-${mb}MiB.svclog`);
  if (existsSync(path) && statSync(path).size >= mb * 1024 * 1024) return { path, generated: false };
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  const gen = new TraceGenerator(seed);
  const target = mb * 1024 * 1024;
  let written = 0;
  let parts: string[] = [];
  let partLen = 0;
  let lastLog = 0;
  try {
    while (written + partLen < target) {
      const e = gen.next();
      parts.push(e);
      partLen += e.length;
      if (partLen > 4 << 20) {
        written += writeSync(fd, Buffer.from(parts.join(''), 'utf8'));
        parts = []; partLen = 0;
        if (written - lastLog > 100 << 20) { log(`  generated ${(written / 1048576).toFixed(0)} MiB`); lastLog = written; }
      }
    }
    if (parts.length) written += writeSync(fd, Buffer.from(parts.join(''), 'utf8'));
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return { path, generated: true };
}
