// What each step's remediation sets, property by property: the evidence label that shows the value now and the
// value the remediation leaves behind. Pure data; the plan reads "now" from the check's evidence.
import type { StepInputs } from '../checks/inputs';
import type { StepId } from '../checks/status';

export type Translate = (message: string, ...args: (string | number)[]) => string;

export interface PropertyTarget {
  /** Property name as an administrator knows it. */
  readonly property: string;
  /** The evidence row that holds the current value. */
  readonly evidence: RegExp;
  /** The value after the remediation. */
  readonly after: (inputs: StepInputs | undefined, t: Translate) => string;
}

const addresses = (i: StepInputs | undefined): string => (i?.remoteAddresses.length ? i.remoteAddresses.join(', ') : '');

export const TARGETS: Readonly<Record<StepId, readonly PropertyTarget[]>> = {
  'service-account-access': [
    { property: 'Remote Management Users (S-1-5-32-580)', evidence: /^Local groups$/, after: (i, t) => t('{0} is a member', i?.account ?? t('the service account')) },
  ],
  'kerberos-delegation': [
    { property: 'userAccountControl', evidence: /^userAccountControl$/, after: (_i, t) => t('{0} set', 'TRUSTED_FOR_DELEGATION (0x80000)') },
  ],
  'ps-remoting': [
    { property: 'WinRM service', evidence: /^WinRM service$/, after: (_i, t) => t('Running, start type Automatic') },
    { property: 'Listeners', evidence: /^Listeners$/, after: (_i, t) => t('HTTP listener on all addresses (Enable-PSRemoting)') },
    { property: 'Microsoft.PowerShell endpoint', evidence: /^Microsoft\.PowerShell$/, after: (_i, t) => t('Enabled') },
  ],
  'https-listener': [
    { property: 'HTTPS listener', evidence: /^HTTPS /, after: (i) => `Transport HTTPS, address *, port ${i?.port ?? 5986}, hostname ${i?.server ?? '?'}${i?.thumbprint ? `, thumbprint ${i.thumbprint}` : ''}` },
  ],
  'listener-certificate': [
    { property: 'Listener certificate thumbprint', evidence: /^Configured thumbprint$/, after: (i, t) => i?.thumbprint ?? t('the newest valid Server Authentication certificate for the FQDN') },
  ],
  'cbt-hardening': [
    { property: 'CbtHardeningLevel', evidence: /CbtHardeningLevel/i, after: (i) => i?.cbtLevel ?? 'Relaxed' },
    { property: 'AllowUnencrypted', evidence: /^AllowUnencrypted$/, after: () => 'false' },
  ],
  'trusted-hosts': [
    { property: 'TrustedHosts', evidence: /^TrustedHosts$/, after: (i) => (i?.trustedHosts.length ? i.trustedHosts.join(',') : i?.server ?? '?') },
  ],
  'firewall-5986': [
    { property: 'Inbound rule ERS-WinRM-HTTPS-In', evidence: /.*/, after: (i, t) => t('Allow TCP {0}, Domain profile, from {1}', i?.port ?? 5986, addresses(i) || t('(no sync-server addresses: refused unless you choose any address)')) },
  ],
  'network-path-5986': [
    { property: 'Network firewall path', evidence: /^Target$|^Resolves to$/, after: (_i, t) => t('unchanged here: a change request for the network team is printed') },
  ],
  'intune-rbac-role': [
    { property: 'Missing cmdlets in the role', evidence: /^Missing$/, after: (_i, t) => t('(none)') },
    { property: 'RemotePowerShellEnabled', evidence: /^RemotePowerShellEnabled$/, after: () => 'True' },
  ],
  'connector-health': [
    { property: 'Connector service', evidence: /^Service$/, after: (_i, t) => t('Running') },
  ],
  'connector-config': [
    { property: 'Connector configuration files', evidence: /^Data folder$/, after: (_i, t) => t('unchanged here: the allow-list and the leftover certificate files are printed') },
  ],
};
