// The step catalog: every setup step, in runbook order. Data plus pure functions; no vscode.
import type { Profile } from '../servers/server';
import { STEP_IDS, type StepId, type Where } from './status';
import { cbtHardening } from './steps/cbtHardening';
import { connectorHealth } from './steps/connectorHealth';
import { firewall5986 } from './steps/firewall5986';
import { httpsListener } from './steps/httpsListener';
import { intuneRbacRole } from './steps/intuneRbacRole';
import { kerberosDelegation } from './steps/kerberosDelegation';
import { listenerCertificate } from './steps/listenerCertificate';
import { networkPath5986 } from './steps/networkPath5986';
import { psRemoting } from './steps/psRemoting';
import { serviceAccountAccess } from './steps/serviceAccountAccess';
import { trustedHosts } from './steps/trustedHosts';
import type { StepDefinition } from './types';

export const CATALOG: readonly StepDefinition[] = [
  serviceAccountAccess,
  kerberosDelegation,
  psRemoting,
  httpsListener,
  listenerCertificate,
  cbtHardening,
  trustedHosts,
  firewall5986,
  networkPath5986,
  intuneRbacRole,
  connectorHealth,
];

// The catalog and the id list must agree, in the same order.
if (CATALOG.map((s) => s.id).join() !== STEP_IDS.join()) throw new Error('The step catalog is out of sync with STEP_IDS.');

export function getStep(id: StepId): StepDefinition {
  const step = CATALOG.find((s) => s.id === id);
  if (!step) throw new Error(`Unknown step ${id}`);
  return step;
}

export function stepsFor(profile?: Profile, where?: Where): StepDefinition[] {
  return CATALOG.filter((s) => (profile === undefined || s.profiles.includes(profile)) && (where === undefined || s.where === where));
}

/** The catalog as plain data (no functions), for `steps --json`, a webview or documentation. */
export function catalogData(): object[] {
  return CATALOG.map((s) => ({
    id: s.id,
    number: s.number,
    profiles: s.profiles,
    title: s.title,
    explanation: s.explanation,
    where: s.where,
    whereDetail: s.whereDetail,
    needsElevation: s.needsElevation,
    needs: s.needs,
    docLink: s.docLink,
    remediation: s.remediation,
  }));
}
