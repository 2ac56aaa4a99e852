// The connector configuration step's reachability part, run here after its check came back: every CAS server the
// connector's failover file names is probed with Node's network probe (name resolution, then TCP and TLS on its
// port) from the machine VS Code runs on, and the configured server list is handed over for the comparison. The
// step's evidence says where this ran: the connector host's own path may differ. No vscode.
import { casServersToProbe } from '../checks/steps/connectorConfig';
import type { StepId } from '../checks';
import type { HostProbe, Observations } from '../checks/types';
import { probe, type ProbeReport } from '../probe/probe';
import type { StepObserver } from './checkTypes';

export interface ConnectorObserverSources {
  /** The FQDNs of the servers configured in the extension. */
  readonly configuredServers: () => readonly string[];
  /** Connect every probe to this address instead of resolving names (tests keep all traffic on 127.0.0.1). */
  readonly probeConnectTo?: string;
  readonly probeTimeoutMs?: number;
  /** The probe itself (tests pass a fake; default: src/probe). */
  readonly probe?: (host: string, options: Parameters<typeof probe>[1]) => Promise<ProbeReport>;
}

const NO_ANSWER = new Set(['refused', 'timeout', 'unreachable', 'error']);

/** A probe report as the step reads it: did the name resolve, did anything answer on the port. */
export function hostProbeOf(report: ProbeReport): HostProbe {
  const resolved = report.verdict !== 'dns-failure';
  return {
    host: report.host, port: report.port, resolved, answered: resolved && !NO_ANSWER.has(report.verdict), verdict: report.verdict,
    ...(resolved && report.address ? { address: report.address } : {}),
  };
}

export function connectorObservers(src: ConnectorObserverSources): Partial<Record<StepId, StepObserver>> {
  const run = src.probe ?? probe;
  return {
    'connector-config': async (_server, outcome, signal): Promise<Observations> => {
      const cas = casServersToProbe(outcome);
      const casProbes = await Promise.all(cas.map(async (c) => {
        try {
          return hostProbeOf(await run(c.host, {
            port: c.port, identify: false, timeoutMs: src.probeTimeoutMs ?? 5000, ...(signal ? { signal } : {}),
            ...(src.probeConnectTo ? { connectTo: src.probeConnectTo } : {}),
          }));
        } catch {
          return { host: c.host, port: c.port, resolved: false, answered: false, verdict: 'error' };
        }
      }));
      return { configuredServers: src.configuredServers(), casProbes };
    },
  };
}
