// Where each step of a server runs, from the step's `where` and the server's profile. Pure.
//  - exchangeServer steps run on the server, through its configured connection;
//  - the Intune profile's client steps (connector health and configuration) run on the server entry, which is the
//    connector host;
//  - the remoting profile's client, network and domain steps run here, on the machine VS Code runs on
//    (the sync server or an admin workstation in the domain).
import type { StepDefinition } from '../checks/types';
import type { RunTarget } from '../powershell/runner';
import type { ServerConfig } from '../servers/server';

export type Place = 'server' | 'local';

export function placeOf(step: StepDefinition, server: ServerConfig): Place {
  if (step.where === 'exchangeServer') return 'server';
  if (step.where === 'client' && server.profile === 'intune') return 'server';
  return 'local';
}

/** The runner target for a place. */
export function targetFor(place: Place, server: ServerConfig): Exclude<RunTarget, { kind: 'exchange' }> {
  if (place === 'local' || server.connection === 'local') return { kind: 'local' };
  if (server.connection === 'ssh') {
    return {
      kind: 'ssh', ...(server.port ? { port: server.port } : {}), ...(server.user ? { user: server.user } : {}),
      ...(server.keyFile ? { keyFile: server.keyFile } : {}), ...(server.knownHostsFile ? { knownHostsFile: server.knownHostsFile } : {}),
    };
  }
  if (server.connection === 'http-kerberos') return server.port ? { kind: 'http-kerberos', port: server.port } : { kind: 'http-kerberos' };
  return server.port ? { kind: 'https', port: server.port } : { kind: 'https' };
}

export interface PlannedRun {
  readonly place: Place;
  readonly target: Exclude<RunTarget, { kind: 'exchange' }>;
  readonly steps: readonly StepDefinition[];
}

/** Groups a server's steps by where they run, keeping catalog order inside each group. */
export function planRuns(server: ServerConfig, steps: readonly StepDefinition[]): PlannedRun[] {
  const out: PlannedRun[] = [];
  for (const place of ['server', 'local'] as const) {
    const group = steps.filter((s) => placeOf(s, server) === place);
    if (group.length) out.push({ place, target: targetFor(place, server), steps: group });
  }
  return out;
}

/** A short human description of where a step runs for this server (confirmation dialogs in `lang`, logs in English). */
export function describeTarget(target: RunTarget, server: ServerConfig, lang: 'en' | 'de' = 'en'): string {
  const de = lang === 'de';
  switch (target.kind) {
    case 'local': return de ? 'dieser Computer (lokale PowerShell)' : 'this machine (local PowerShell)';
    case 'https': return de ? `${server.fqdn} über WinRM HTTPS (Port ${target.port ?? 5986})` : `${server.fqdn} over WinRM HTTPS (port ${target.port ?? 5986})`;
    case 'http-kerberos': return de ? `${server.fqdn} über WinRM HTTP mit Kerberos (Port ${target.port ?? 5985})` : `${server.fqdn} over WinRM HTTP with Kerberos (port ${target.port ?? 5985})`;
    case 'exchange': return de ? `${server.fqdn}, Endpunkt der Exchange-Verwaltungsshell` : `${server.fqdn} Exchange PowerShell endpoint`;
    case 'ssh': return de
      ? `${server.fqdn}${server.connectTo ? ` (unter ${server.connectTo})` : ''} über PowerShell-Remoting per SSH (Port ${target.port ?? 22}${target.user ? `, Benutzer ${target.user}` : ''})`
      : `${server.fqdn}${server.connectTo ? ` (at ${server.connectTo})` : ''} over PowerShell remoting via SSH (port ${target.port ?? 22}${target.user ? `, user ${target.user}` : ''})`;
  }
}
