// The configured Exchange servers as data, read from the settings' plain JSON. Pure.
import { InputError, refuseControl, validateConnectTo, validateFqdn, validatePort, validateSshPath, validateSshUser } from './validation';

export const PROFILES = ['remoting', 'intune'] as const;
export type Profile = (typeof PROFILES)[number];

/** How the tool reaches the server's PowerShell. */
export const CONNECTIONS = ['https', 'http-kerberos', 'local', 'ssh'] as const;
export type Connection = (typeof CONNECTIONS)[number];

export interface ServerConfig {
  readonly fqdn: string;
  readonly profile: Profile;
  readonly connection: Connection;
  readonly port?: number;
  readonly serviceAccount?: string;
  readonly notes?: string;
  /** Addresses of the identity-sync servers that must reach this server (scope of the firewall rule). */
  readonly syncServers?: readonly string[];
  /** ssh: the user to log in as (default: the current user). */
  readonly user?: string;
  /** ssh: the private key file (key authentication only; no passphrase prompt). */
  readonly keyFile?: string;
  /** ssh: the address to connect to instead of resolving the FQDN (DNS is often not ready during setup). */
  readonly connectTo?: string;
  /** ssh: the known_hosts file to check the server's host key against (default: ssh's own). */
  readonly knownHostsFile?: string;
}

/** The fields only the ssh connection uses. */
export const SSH_FIELDS = ['user', 'keyFile', 'connectTo', 'knownHostsFile'] as const;

export interface ServerListProblem {
  readonly index: number;
  readonly message: string;
}

export interface ParsedServerList {
  readonly servers: ServerConfig[];
  readonly problems: ServerListProblem[];
  /** Where the list came from: the user's own settings or the (trusted) workspace's. */
  readonly source?: 'user' | 'workspace';
}

/** The most servers one list may hold; entries past it are reported, not loaded. */
export const MAX_SERVERS = 2000;

/**
 * Reads the `servers` setting. Entries that are not valid are reported, never silently dropped,
 * and never stop the valid ones from loading. Duplicates (same FQDN) keep the first entry.
 */
export function parseServerList(raw: unknown): ParsedServerList {
  const servers: ServerConfig[] = [];
  const problems: ServerListProblem[] = [];
  if (raw === undefined || raw === null) return { servers, problems };
  if (!Array.isArray(raw)) return { servers, problems: [{ index: -1, message: 'The server list must be an array of objects.' }] };
  const seen = new Set<string>();
  if (raw.length > MAX_SERVERS) problems.push({ index: MAX_SERVERS, message: `The server list has ${raw.length} entries; only the first ${MAX_SERVERS} are used.` });
  raw.slice(0, MAX_SERVERS).forEach((entry: unknown, index) => {
    try {
      const server = parseServer(entry);
      if (seen.has(server.fqdn)) {
        problems.push({ index, message: `${server.fqdn} is listed twice; the first entry is used.` });
        return;
      }
      seen.add(server.fqdn);
      servers.push(server);
    } catch (err) {
      problems.push({ index, message: err instanceof InputError ? err.message : String(err) });
    }
  });
  return { servers, problems };
}

export function parseServer(entry: unknown): ServerConfig {
  if (typeof entry === 'string') return { fqdn: validateFqdn(entry), profile: 'remoting', connection: 'https' };
  if (typeof entry !== 'object' || entry === null) throw new InputError('server', 'Each server entry must be an object with at least "fqdn".');
  const o = entry as Record<string, unknown>;
  if (typeof o.fqdn !== 'string') throw new InputError('fqdn', 'A server entry has no "fqdn" text.');
  const profile = oneOf(o.profile, PROFILES, 'remoting', 'profile');
  const connection = oneOf(o.connection, CONNECTIONS, 'https', 'connection');
  const server: { -readonly [K in keyof ServerConfig]: ServerConfig[K] } = { fqdn: validateFqdn(o.fqdn), profile, connection };
  if (o.port !== undefined) server.port = validatePort(o.port as number);
  if (o.serviceAccount !== undefined && typeof o.serviceAccount !== 'string') throw new InputError('serviceAccount', `${server.fqdn}: "serviceAccount" must be text.`);
  if (o.notes !== undefined && typeof o.notes !== 'string') throw new InputError('notes', `${server.fqdn}: "notes" must be text.`);
  if (typeof o.serviceAccount === 'string' && o.serviceAccount.length > 256) throw new InputError('serviceAccount', `${server.fqdn}: "serviceAccount" is longer than 256 characters.`);
  if (typeof o.notes === 'string' && o.notes.length > 2000) throw new InputError('notes', `${server.fqdn}: "notes" is longer than 2000 characters.`);
  if (typeof o.serviceAccount === 'string' && o.serviceAccount.trim()) server.serviceAccount = o.serviceAccount.trim();
  if (typeof o.notes === 'string') server.notes = o.notes;
  if (o.syncServers !== undefined) {
    if (!Array.isArray(o.syncServers)) throw new InputError('syncServers', '"syncServers" must be a list of addresses.');
    const list = o.syncServers.map((a) => validateSyncServer(String(a)));
    if (list.length) server.syncServers = list;
  }
  for (const field of SSH_FIELDS) {
    const v = o[field];
    if (v === undefined) continue;
    if (typeof v !== 'string' || !v.trim()) throw new InputError(field, `"${field}" must be a non-empty text.`);
    if (connection !== 'ssh') throw new InputError(field, `"${field}" applies only to the "ssh" connection; ${server.fqdn} uses "${connection}".`);
    server[field] = field === 'user' ? validateSshUser(v) : field === 'connectTo' ? validateConnectTo(v) : validateSshPath(v, field);
  }
  return server;
}

/**
 * One sync-server address as written in the entry (the step inputs validate its form: IP, subnet, range). "Any" is
 * refused: admitting any address is chosen per remediation, in its confirmation.
 */
export function validateSyncServer(raw: string): string {
  const v = raw.trim();
  if (!v || v.length > 100) throw new InputError('syncServers', 'A sync-server address is empty or longer than 100 characters.');
  refuseControl(v, 'syncServers', 'sync-server address');
  if (/^any$/i.test(v)) throw new InputError('syncServers', '"Any" is not a sync server: name their addresses, or choose "any address" explicitly when you run the firewall remediation.');
  return v;
}

/** The JSON written back to settings: defaults left out so a committed file stays short. */
export function toSettingsEntry(server: ServerConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { fqdn: server.fqdn, profile: server.profile };
  if (server.connection !== 'https') out.connection = server.connection;
  if (server.port !== undefined) out.port = server.port;
  if (server.serviceAccount !== undefined) out.serviceAccount = server.serviceAccount;
  if (server.notes !== undefined) out.notes = server.notes;
  if (server.syncServers?.length) out.syncServers = [...server.syncServers];
  for (const field of SSH_FIELDS) if (server[field] !== undefined) out[field] = server[field];
  return out;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T, field: string): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(field, `"${String(value)}" is not a valid ${field}; use one of: ${allowed.join(', ')}.`);
}
