// Which steps are decided here without PowerShell, and how: the network path through Node's TLS probe (always),
// Kerberos delegation through LDAPS when a domain controller is configured and an administrator credential is
// stored (any authenticated user may read those attributes). No vscode: settings and secrets come in as functions.
import type { StepId } from '../checks';
import { checkDelegationOverLdap } from '../directory/delegationStep';
import { LdapDelegationDirectory } from '../directory/delegation';
import type { Credential } from '../powershell/credentials';
import { probe } from '../probe/probe';
import { InputError } from '../servers/validation';
import type { DirectCheck } from './checkService';
import { networkPathFromProbe } from './probeStep';

export interface DirectorySettings {
  /** ldaps://dc01.contoso.com */
  readonly url: string;
  readonly baseDn?: string;
  /** PEM text of extra trusted CA certificates for the DC's LDAPS certificate. */
  readonly ca?: string;
}

export interface DirectCheckSources {
  readonly directory: () => Promise<DirectorySettings | undefined>;
  readonly credential: () => Promise<Credential | undefined>;
  readonly probeTimeoutMs?: number;
  /** Connect the probe to this address instead of resolving names (tests keep all traffic on 127.0.0.1). */
  readonly probeConnectTo?: string;
}

export async function directChecks(src: DirectCheckSources): Promise<Partial<Record<StepId, DirectCheck>>> {
  const checks: Partial<Record<StepId, DirectCheck>> = {
    'network-path-5986': async (server, _inputs, signal) => {
      const port = server.connection === 'https' && server.port ? server.port : 5986;
      return networkPathFromProbe(await probe(server.fqdn, {
        port, timeoutMs: src.probeTimeoutMs ?? 5000, ...(signal ? { signal } : {}),
        // The server's own connect-to address (ssh entries whose DNS is not ready) is where its listener is, too.
        ...((src.probeConnectTo ?? server.connectTo) ? { connectTo: src.probeConnectTo ?? server.connectTo } : {}),
      }));
    },
  };
  let directory: DirectorySettings | undefined;
  let credential: Credential | undefined;
  let problem: unknown;
  try {
    directory = await src.directory();
    // The credential may be refused (Restricted Mode): then the step says why and nothing is sent.
    credential = directory ? await src.credential() : undefined;
  } catch (err) {
    problem = err; // a configured but unusable (or not yet approved) directory: the step says why, the other steps still run
  }
  if (problem !== undefined) {
    checks['kerberos-delegation'] = async () => { throw problem; };
    return checks;
  }
  if (directory && credential) {
    checks['kerberos-delegation'] = async (server, inputs) => {
      if (!inputs.account) throw new InputError('account', 'The delegation check needs the service account: edit the server entry.');
      const dir = new LdapDelegationDirectory({
        url: directory.url, bindName: credential.userName, password: credential.password,
        ...(directory.baseDn ? { baseDn: directory.baseDn } : {}), ...(directory.ca ? { ca: directory.ca } : {}),
      });
      return checkDelegationOverLdap(dir, { server: server.fqdn, account: inputs.account });
    };
  }
  return checks;
}
