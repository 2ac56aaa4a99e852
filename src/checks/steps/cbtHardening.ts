// Step 6: WinRM service CbtHardeningLevel as the product requires, with the policy owner and a warning about None.
import { result } from '../envelope';
import { arr, obj, str, strs } from '../json';
import type { Evidence, PolicyOwnership, StepSpec } from '../types';

const CHECK = String.raw`$auth = @(Get-ChildItem -Path 'WSMan:\localhost\Service\Auth' | ForEach-Object {
    [pscustomobject]@{ name = [string]$_.Name; value = [string]$_.Value; sourceOfValue = [string]$_.SourceOfValue }
})
$unencrypted = Get-Item -Path 'WSMan:\localhost\Service\AllowUnencrypted'
$policy = @(Get-ErsWinRMServicePolicy)
[pscustomobject]@{
    auth = $auth
    allowUnencrypted = [string]$unencrypted.Value
    allowUnencryptedSource = [string]$unencrypted.SourceOfValue
    policy = $policy
}`;

const REMEDIATION = String.raw`$item = Get-Item -Path 'WSMan:\localhost\Service\Auth\CbtHardeningLevel'
if ([string]$item.SourceOfValue -ne '') {
    throw ('CbtHardeningLevel is controlled by policy (' + [string]$item.SourceOfValue + '). Change the GPO setting "Specify channel binding token hardening level" instead; a local change is refused.')
}
if ([string]$item.Value -eq $ersCbtLevel) {
    Write-Output ('CbtHardeningLevel is already ' + $ersCbtLevel + '; nothing to do.')
} else {
    Write-Output ('CbtHardeningLevel before: ' + [string]$item.Value)
    Set-Item -Path 'WSMan:\localhost\Service\Auth\CbtHardeningLevel' -Value $ersCbtLevel -Force
    if ($ersCbtLevel -eq 'None') { Write-Warning 'CbtHardeningLevel None removes channel-binding protection against credential forwarding for every WinRM client of this server.' }
}`;

const POLICY_PATH = 'Computer Configuration > Administrative Templates > Windows Components > Windows Remote Management (WinRM) > WinRM Service > Specify channel binding token hardening level (CBTHardeningLevel_1)';

export const cbtHardening: StepSpec = {
  id: 'cbt-hardening',
  number: '6',
  profiles: ['remoting'],
  title: { en: 'WinRM CbtHardeningLevel', de: 'WinRM-CbtHardeningLevel' },
  explanation: {
    en: 'Channel binding tokens tie authentication to the TLS channel. Relaxed (the default) rejects invalid tokens and accepts requests without one; Strict requires them; None accepts everything and gives no protection against credential forwarding. The source document asks for None; that is only needed when a TLS-inspecting proxy or load balancer sits between the sync server and Exchange, so treat it as a product requirement to confirm.',
    de: 'Kanalbindungstoken (CBT) binden die Authentifizierung an den TLS-Kanal. Relaxed (Standard) lehnt ungültige Tokens ab und nimmt Anfragen ohne Token an; Strict verlangt sie; None nimmt alles an und schützt nicht vor dem Weiterleiten von Anmeldeinformationen. Das Quelldokument verlangt None; nötig ist das nur, wenn ein TLS-aufbrechender Proxy oder Load Balancer zwischen Sync-Server und Exchange sitzt, also als zu bestätigende Produktanforderung behandeln.',
  },
  where: 'exchangeServer',
  needsElevation: true,
  needs: ['cbtLevel'],
  docLink: 'https://learn.microsoft.com/windows/client-management/mdm/policy-csp-remotemanagement#specifychannelbindingtokenhardeninglevel',
  checkHelpers: ['winrmPolicy'],
  remediationHelpers: [],
  remediation: {
    changes: {
      en: 'Sets WSMan:\\localhost\\Service\\Auth\\CbtHardeningLevel to the required level (server-wide, for every WinRM client). Refuses when Group Policy owns the value.',
      de: 'Setzt WSMan:\\localhost\\Service\\Auth\\CbtHardeningLevel auf die geforderte Stufe (serverweit, für alle WinRM-Clients). Verweigert, wenn der Wert per Gruppenrichtlinie festgelegt ist.',
    },
    restartsWinRM: false,
    risk: 'high',
    // Checked against Policy CSP RemoteManagement/SpecifyChannelBindingTokenHardeningLevel (Strict rejects requests
    // without a valid CBT; Relaxed, the default, rejects invalid ones and accepts requests without one; None gives no
    // protection from credential forwarding;
    // https://learn.microsoft.com/windows/client-management/mdm/policy-csp-remotemanagement#specifychannelbindingtokenhardeninglevel).
    riskNote: {
      en: 'Setting None removes the NTLM-relay and credential-forwarding protection CBT gives HTTPS authentication, for every client of this server. Relaxed and Strict carry low risk (Strict can lock out clients that send no CBT).',
      de: 'None entfernt für alle Clients dieses Servers den Schutz vor NTLM-Relay und Weiterleitung von Anmeldeinformationen, den das Kanalbindungstoken (CBT) der HTTPS-Authentifizierung gibt. Relaxed und Strict sind risikoarm (Strict kann Clients ohne CBT aussperren).',
    },
    saferAlternative: {
      en: 'Keep Relaxed; remove TLS interception on port 5986 instead; use Kerberos, whose mutual authentication makes relay much harder.',
      de: 'Bei Relaxed bleiben; stattdessen die TLS-Inspektion auf Port 5986 abschalten; Kerberos verwenden, dessen gegenseitige Authentifizierung Relay stark erschwert.',
    },
    supportsWhatIf: true,
    remediateOnWarn: false,
  },
  checkBody: () => CHECK,
  remediationBody: () => REMEDIATION,
  decide(opened, ctx) {
    const id = 'cbt-hardening' as const;
    const d = opened.data;
    const auth = arr(d.auth).map(obj);
    const item = auth.find((a) => (str(a.name) ?? '').toLowerCase() === 'cbthardeninglevel');
    const evidence: Evidence[] = auth.map((a) => ({ label: str(a.name) ?? '?', value: `${str(a.value) ?? ''}${str(a.sourceOfValue) ? ` (source: ${str(a.sourceOfValue)})` : ''}` }));
    const policy = strs(d.policy);
    if (policy.length) evidence.push({ label: 'Policy (WinRM\\Service)', value: policy.join(', ') });
    if (str(d.allowUnencrypted)) evidence.push({ label: 'AllowUnencrypted', value: str(d.allowUnencrypted) ?? '' });
    if (!item) return result(id, { status: 'error', summary: 'CbtHardeningLevel not found', evidence, reason: 'The WSMan auth container did not list CbtHardeningLevel.', code: 'missing-item' });
    const value = str(item.value) ?? '';
    const source = str(item.sourceOfValue) ?? '';
    const required = ctx.inputs.cbtLevel;
    const norm = (['Strict', 'Relaxed', 'None'] as const).find((l) => l.toLowerCase() === value.toLowerCase()) ?? value;
    const policyOwned = source !== '' || policy.some((p) => /^CbtHardeningLevel/i.test(p));
    const ownership: PolicyOwnership | undefined = policyOwned ? { setting: 'CbtHardeningLevel', policy: POLICY_PATH, proposal: `Set the policy to ${required} (or to Not Configured) in the GPO that applies to this server; a local Set-Item is refused while the policy is set.` } : undefined;
    const withPolicy = ownership ? { policy: ownership } : {};
    const noneWarning = 'None gives no protection against credential forwarding for any WinRM client of this server.';
    if (norm === required) {
      if (norm === 'None') return result(id, { status: 'warn', summary: 'None, as the product requires (no CBT protection)', evidence, reason: `${noneWarning} Confirm the requirement; Relaxed suffices unless a TLS-inspecting middlebox breaks the token.`, ...withPolicy });
      return result(id, { status: 'pass', summary: `${norm}${policyOwned ? ' (set by policy)' : ''}`, evidence, reason: `CbtHardeningLevel is ${norm} as required.`, ...withPolicy });
    }
    if (required !== 'None' && norm === 'None') {
      return result(id, { status: 'warn', summary: 'None, weaker than required', evidence, reason: `${noneWarning} ${required} is enough for the product.`, ...withPolicy });
    }
    if (required === 'Relaxed' && norm === 'Strict') {
      return result(id, { status: 'pass', summary: 'Strict (stronger than required)', evidence, reason: 'Strict is stronger than Relaxed; clients that send no channel binding token fail NTLM over TLS.', ...withPolicy });
    }
    const fix = policyOwned ? 'Group Policy owns this value: change the policy.' : `Set it to ${required}.`;
    return result(id, { status: 'fail', summary: `${norm || '(empty)'}, product requires ${required}`, evidence, reason: `${fix}${required === 'None' ? ` ${noneWarning}` : ''}`, ...withPolicy });
  },
};
