// The step catalog: every setup step, in runbook order. Data plus pure functions; no vscode.
import type { Profile } from '../servers/server';
import { STEP_IDS, type StepId, type Where } from './status';
import { cbtHardening } from './steps/cbtHardening';
import { connectorConfig } from './steps/connectorConfig';
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
import { openEnvelope } from './envelope';
import type { Bilingual, StepDefinition, StepSpec } from './types';

const SYNC_SERVER = { en: 'on each sync server', de: 'auf jedem Sync-Server' };
const ANYWHERE = { en: '(locally, or through a remote session into the sync server)', de: '(lokal oder über eine Remotesitzung auf den Sync-Server)' };

/** Where a step runs, in words, by where it runs and whether it needs elevation. */
const WHERE_DETAIL: Readonly<Record<Where, { readonly elevated: Bilingual; readonly plain: Bilingual }>> = {
  exchangeServer: {
    elevated: { en: 'on the Exchange server, elevated (remote session of an administrator is fine)', de: 'auf dem Exchange-Server, mit erhöhten Rechten (Remotesitzung eines Administrators genügt)' },
    plain: { en: 'on the Exchange server; no elevation', de: 'auf dem Exchange-Server; ohne erhöhte Rechte' },
  },
  domain: {
    elevated: { en: 'on a domain controller or an admin workstation with RSAT-AD-PowerShell, elevated', de: 'auf einem DC oder Admin-Arbeitsplatz mit RSAT-AD-PowerShell, mit erhöhten Rechten' },
    plain: { en: 'on any domain-joined machine (LDAP read); no elevation', de: 'auf einem beliebigen Domänenmitglied (LDAP-Lesezugriff); ohne erhöhte Rechte' },
  },
  client: {
    elevated: { en: `${SYNC_SERVER.en}, elevated ${ANYWHERE.en}`, de: `${SYNC_SERVER.de}, mit erhöhten Rechten ${ANYWHERE.de}` },
    plain: { en: `${SYNC_SERVER.en} ${ANYWHERE.en}; no elevation`, de: `${SYNC_SERVER.de} ${ANYWHERE.de}; ohne erhöhte Rechte` },
  },
  network: {
    elevated: { en: `${SYNC_SERVER.en}, elevated ${ANYWHERE.en}`, de: `${SYNC_SERVER.de}, mit erhöhten Rechten ${ANYWHERE.de}` },
    plain: { en: `${SYNC_SERVER.en} ${ANYWHERE.en}; no elevation`, de: `${SYNC_SERVER.de} ${ANYWHERE.de}; ohne erhöhte Rechte` },
  },
};

export function whereDetailOf(where: Where, needsElevation: boolean): Bilingual {
  return WHERE_DETAIL[where][needsElevation ? 'elevated' : 'plain'];
}

/** A step file's spec as the catalog serves it: the envelope opened once for all, `whereDetail` filled in. */
function define(spec: StepSpec): StepDefinition {
  const { decide, whereDetail, ...rest } = spec;
  return {
    ...rest,
    whereDetail: whereDetail ?? whereDetailOf(spec.where, spec.needsElevation),
    evaluate(outcome, ctx) {
      const opened = openEnvelope(spec.id, outcome, spec.needsElevation);
      return opened.ok ? decide(opened, ctx) : opened.result;
    },
  };
}

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
  connectorConfig,
].map(define);

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
