// What the Intune connector's configuration files say, read from the { name, value } pairs the check script prints
// (connectorConfigScript.ts). Microsoft documents only some element names (IsCasFailoverEnabled,
// EnableParallelCommandSupport, ExchangeWebServiceURL), so values are found by the last name of their element path,
// not by a fixed schema. Every value is data from a server: bounded here again, shown escaped by the views. Pure.
import { arr, obj, str } from './json';

export interface Entry {
  readonly name: string;
  readonly value: string;
}

/** A host the connector fails over to, with the port it uses (Exchange remote PowerShell over HTTPS: 443). */
export interface CasServer {
  readonly host: string;
  readonly port: number;
}

export interface ServiceSettings {
  readonly exchangeServer?: string;
  readonly adSite?: string;
  readonly account?: string;
  readonly ewsUrl?: string;
  readonly casFailoverEnabled?: string;
  readonly parallelCommands?: string;
}

export const MAX_VALUE = 300;
export const MAX_URLS = 50;
export const MAX_CAS = 50;
/** Exchange remote PowerShell over HTTPS, which the connector uses to reach the CAS (docs/exchange-steps.md 10.2). */
export const CAS_DEFAULT_PORT = 443;

/** A value from a server as it may be shown: no control characters, at most `max` characters. */
export function bounded(text: string, max = MAX_VALUE): string {
  // eslint-disable-next-line no-control-regex
  const t = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

export function entriesOf(v: unknown): Entry[] {
  return arr(v).slice(0, 300).map(obj).map((e) => ({ name: bounded(str(e.name) ?? '', 200), value: bounded(str(e.value) ?? '') })).filter((e) => e.name !== '');
}

/** The last name of an element path ("Configuration/Exchange/ServerName" → "servername", ".../@fqdn" → "fqdn"). */
function leafName(name: string): string {
  return (name.split('/').pop() ?? '').replace(/^@/, '').toLowerCase();
}

const HOST = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;

/** An http(s) URL as text, or undefined (anything else is not offered for copying). */
export function httpUrl(value: string): URL | undefined {
  if (!/^https?:\/\/[^\s<>"'`]+$/i.test(value)) return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** The CAS / front-end servers named in the failover file: host-name values, and the hosts of URL values. */
export function casServersOf(entries: readonly Entry[]): CasServer[] {
  const out = new Map<string, CasServer>();
  for (const e of entries) {
    if (out.size >= MAX_CAS) break;
    const url = httpUrl(e.value);
    if (url && HOST.test(url.hostname)) {
      const port = url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : CAS_DEFAULT_PORT;
      out.set(url.hostname.toLowerCase(), { host: url.hostname.toLowerCase(), port });
    } else if (HOST.test(e.value) && !/^\d+(\.\d+)+$/.test(e.value) && /server|cas|fqdn|host|name/.test(leafName(e.name))) {
      out.set(e.value.toLowerCase(), { host: e.value.toLowerCase(), port: CAS_DEFAULT_PORT });
    }
  }
  return [...out.values()];
}

/** The Exchange server, AD site and account the service configuration names (the password is never printed). */
export function serviceSettingsOf(entries: readonly Entry[]): ServiceSettings {
  const find = (test: (leaf: string) => boolean): string | undefined => entries.find((e) => e.value !== '' && test(leafName(e.name)))?.value;
  const exchangeServer = find((l) => /server/.test(l) && !/url|site|port/.test(l));
  const adSite = find((l) => /site/.test(l));
  const account = find((l) => /^(user|username|account|accountname|serviceaccount|login|loginname|domainuser)$/.test(l));
  const ewsUrl = find((l) => l === 'exchangewebserviceurl');
  const casFailoverEnabled = find((l) => l === 'iscasfailoverenabled');
  const parallelCommands = find((l) => l === 'enableparallelcommandsupport');
  return {
    ...(exchangeServer ? { exchangeServer } : {}), ...(adSite ? { adSite } : {}), ...(account ? { account } : {}),
    ...(ewsUrl ? { ewsUrl } : {}), ...(casFailoverEnabled ? { casFailoverEnabled } : {}), ...(parallelCommands ? { parallelCommands } : {}),
  };
}

/** The cloud service URLs in IntuneServiceConfiguration.xml, in file order, once each. */
export function cloudUrlsOf(entries: readonly Entry[]): string[] {
  const out: string[] = [];
  for (const e of entries) {
    if (out.length >= MAX_URLS) break;
    if (httpUrl(e.value) && !out.includes(e.value)) out.push(e.value);
  }
  return out;
}

/**
 * Whether the connector's account is the one the RBAC step checks: the same text (case-insensitive); or the same
 * user written the other way (DOMAIN\user against user@domain); else a different account.
 */
export function compareAccounts(connector: string, checked: string): 'same' | 'sameUser' | 'differs' {
  const norm = (s: string): string => s.trim().toLowerCase();
  if (norm(connector) === norm(checked)) return 'same';
  const kind = (s: string): string => (s.includes('\\') ? 'nt' : s.includes('@') ? 'upn' : 'plain');
  const user = (s: string): string => {
    const t = norm(s);
    return t.includes('\\') ? t.slice(t.lastIndexOf('\\') + 1) : t.includes('@') ? t.slice(0, t.indexOf('@')) : t;
  };
  return kind(connector) !== kind(checked) && user(connector) === user(checked) ? 'sameUser' : 'differs';
}
