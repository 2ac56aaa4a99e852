// Whether a step's remediation fits the cause its last result names. A DNS failure is not fixed by opening a port,
// a setting Group Policy owns is not fixed on the machine, and a check that could not decide says nothing about
// what to change. Pure; the advice is words for users.
import type { StoredResult } from '../state/resultStore';

type Translate = (message: string, ...args: (string | number)[]) => string;

/** undefined: the remediation fits. Otherwise what to do instead, in words. */
export function remedyMismatch(stepId: string, r: StoredResult | undefined, t: Translate): string | undefined {
  if (!r || r.manual) return undefined;
  if (r.status === 'pass' || r.status === 'notApplicable') return t('Nothing to change: the step passed.');
  if (r.policy) return t('Group Policy owns this setting ({0}): change the policy; a local change would be reverted.', r.policy.policy);
  if (stepId === 'network-path-5986') {
    switch (r.code) {
      case 'dns-failure': return t('The name does not resolve from this machine: fix the DNS record of the server or this machine\'s DNS servers. No firewall change helps.');
      case 'refused': return t('The server answered and refused the port: nothing listens there, or its host firewall rejects it. See the steps "HTTPS listener" and "Host firewall".');
      case 'not-tls':
      case 'tls-failed': return t('The port is open but TLS does not work: bind a certificate to the HTTPS listener (step "HTTPS listener").');
      case 'wsman-not-wsman': return t('Something other than WinRM answers on this port: free the port or move the listener.');
      case 'wsman-auth-required': return t('WinRM answers; it wants authentication even for Identify. No network change is needed.');
      default: break;
    }
  }
  if (r.status === 'error') return t('The check could not decide, so it is unknown what to change: make the check run first (see its details).');
  return undefined;
}
