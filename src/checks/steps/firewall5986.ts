// Step 8: the Exchange server's host firewall admits TCP 5986 (effective rules from the ActiveStore).
import { result } from '../envelope';
import { FW_ACTION, FW_DIRECTION, FW_ENABLED, FW_SOURCE, NETWORK_CATEGORY, arr, enumName, firewallProfiles, obj, str, strs } from '../json';
import type { Evidence, StepSpec } from '../types';

const CHECK = String.raw`$filters = @(Get-NetFirewallPortFilter -PolicyStore 'ActiveStore' | Where-Object {
    $_.Protocol -eq 'TCP' -and @($_.LocalPort | Where-Object { $_ -eq [string]$ersPort -or ($_ -match '^(\d+)-(\d+)$' -and [int]$Matches[1] -le $ersPort -and [int]$Matches[2] -ge $ersPort) }).Count -gt 0
})
$rules = @($filters | Get-NetFirewallRule | ForEach-Object {
    $addressFilter = $_ | Get-NetFirewallAddressFilter
    [pscustomobject]@{
        name = [string]$_.Name
        displayName = [string]$_.DisplayName
        enabled = [string]$_.Enabled
        direction = [string]$_.Direction
        action = [string]$_.Action
        profile = [string]$_.Profile
        remoteAddress = @($addressFilter.RemoteAddress | ForEach-Object { [string]$_ })
        policyStoreSourceType = [string]$_.PolicyStoreSourceType
    }
})
$profiles = @(Get-NetConnectionProfile | ForEach-Object { [pscustomobject]@{ interfaceAlias = [string]$_.InterfaceAlias; category = [string]$_.NetworkCategory } })
[pscustomobject]@{
    port = $ersPort
    rules = $rules
    networkProfiles = $profiles
}`;

const REMEDIATION = String.raw`$name = 'ERS-WinRM-HTTPS-In-' + $ersPort
$remote = @($ersRemoteAddresses)
if ($remote.Count -eq 0) {
    if (-not $ersAllowAnyRemoteAddress) {
        throw 'Refused: no sync-server addresses were given, and the rule would admit any remote address. Name the sync servers (setting exchangeRemoting.checks.syncServerAddresses or the server entry''s syncServers), or choose "any address" explicitly.'
    }
    $remote = @('Any')
    Write-Warning 'No sync-server addresses were given and "any address" was chosen: the rule admits any remote address.'
}
$existing = Get-NetFirewallRule -Name $name -ErrorAction SilentlyContinue
if ($null -ne $existing) {
    # Update only what differs, so that a second run changes nothing.
    $ports = $existing | Get-NetFirewallPortFilter
    $addresses = $existing | Get-NetFirewallAddressFilter
    $same = ([string]$existing.Enabled -eq 'True') -and ([string]$existing.Direction -eq 'Inbound') -and ([string]$existing.Action -eq 'Allow') -and ([string]$existing.Profile -eq 'Domain') -and ([string]$ports.Protocol -eq 'TCP') -and ((@($ports.LocalPort) -join ',') -eq [string]$ersPort) -and ((@($addresses.RemoteAddress | ForEach-Object { [string]$_ }) | Sort-Object) -join ',') -eq ((@($remote) | Sort-Object) -join ',')
    if ($same) {
        Write-Output ('Firewall rule ' + $name + ' already admits TCP ' + $ersPort + ' from ' + ($remote -join ', ') + '; nothing to do.')
    } else {
        Set-NetFirewallRule -Name $name -Enabled True -Direction Inbound -Protocol TCP -LocalPort $ersPort -Action Allow -Profile Domain -RemoteAddress $remote
        Write-Output ('Updated firewall rule ' + $name + '.')
    }
} else {
    New-NetFirewallRule -Name $name -DisplayName ('Windows Remote Management (HTTPS-In ' + $ersPort + ')') -Direction Inbound -Protocol TCP -LocalPort $ersPort -Action Allow -Profile Domain -RemoteAddress $remote | Out-Null
    Write-Output ('Created firewall rule ' + $name + '.')
}
Write-Output 'Network firewalls between the sync servers and this server are not changed; see step network-path-5986.'`;

export interface FirewallRule {
  readonly name: string;
  readonly enabled: boolean;
  readonly direction: string;
  readonly action: string;
  readonly profiles: readonly string[];
  readonly remoteAddress: readonly string[];
  readonly source: string;
}

export function firewallRule(v: unknown): FirewallRule {
  const o = obj(v);
  return {
    name: str(o.displayName) || str(o.name) || '?',
    enabled: enumName(o.enabled, FW_ENABLED) === 'True',
    direction: enumName(o.direction, FW_DIRECTION) ?? '?',
    action: enumName(o.action, FW_ACTION) ?? '?',
    profiles: firewallProfiles(o.profile),
    remoteAddress: strs(o.remoteAddress),
    source: enumName(o.policyStoreSourceType, FW_SOURCE) ?? '',
  };
}

export const firewall5986: StepSpec = {
  id: 'firewall-5986',
  number: '8',
  profiles: ['remoting'],
  title: { en: 'Host firewall admits TCP 5986', de: 'Host-Firewall lässt TCP 5986 zu' },
  explanation: {
    en: 'The built-in "Windows Remote Management (HTTP-In)" rules cover 5985 only. An enabled inbound Allow rule for the HTTPS port must be effective (ActiveStore, so Group Policy rules count and ignored local rules do not), ideally scoped to the sync servers\' addresses.',
    de: 'Die integrierten Regeln „Windows-Remoteverwaltung (HTTP eingehend)“ decken nur 5985 ab. Eine aktive eingehende Zulassen-Regel für den HTTPS-Port muss wirksam sein (ActiveStore: Gruppenrichtlinien-Regeln zählen, ignorierte lokale Regeln nicht), am besten auf die Adressen der Sync-Server beschränkt.',
  },
  where: 'exchangeServer',
  needsElevation: true,
  needs: ['port', 'remoteAddresses'],
  docLink: 'https://learn.microsoft.com/powershell/module/netsecurity/new-netfirewallrule',
  checkHelpers: [],
  remediationHelpers: [],
  remediation: {
    changes: {
      en: 'Creates (or updates, by its Name) the inbound rule "ERS-WinRM-HTTPS-In-<port>": TCP, the HTTPS port, Allow, Domain profile, remote addresses = the sync servers. With none given it refuses, unless "any address" was chosen explicitly.',
      de: 'Legt die eingehende Regel „ERS-WinRM-HTTPS-In-<Port>“ an (oder aktualisiert sie über ihren Namen): TCP, HTTPS-Port, Zulassen, Domänenprofil, Remoteadressen = die Sync-Server. Ohne Adressen verweigert es die Änderung, außer „beliebige Adresse“ wurde ausdrücklich gewählt.',
    },
    restartsWinRM: false,
    risk: 'low',
    // Checked against New-NetFirewallRule (-RemoteAddress, -Profile;
    // https://learn.microsoft.com/powershell/module/netsecurity/new-netfirewallrule) and Set-NetFirewallProfile
    // (-AllowLocalFirewallRules False: Group Policy ignores local rules;
    // https://learn.microsoft.com/powershell/module/netsecurity/set-netfirewallprofile).
    riskNote: {
      en: 'Opens the port only to the listed addresses. Without addresses anybody on the domain network can try to authenticate. Group Policy may disable local rule merging, making a local rule ineffective.',
      de: 'Öffnet den Port nur für die angegebenen Adressen. Ohne Adressen kann jeder im Domänennetz eine Anmeldung versuchen. Gruppenrichtlinien können das Zusammenführen lokaler Regeln abschalten; dann wirkt eine lokale Regel nicht.',
    },
    saferAlternative: {
      en: 'Scope RemoteAddress to the sync servers; where GPO manages the firewall, add the rule to the GPO.',
      de: 'RemoteAddress auf die Sync-Server beschränken; wo eine GPO die Firewall verwaltet, die Regel in der GPO anlegen.',
    },
    supportsWhatIf: true,
    remediateOnWarn: false,
  },
  checkBody: () => CHECK,
  remediationBody: () => REMEDIATION,
  decide(opened, ctx) {
    const id = 'firewall-5986' as const;
    const d = opened.data;
    const port = ctx.inputs.port;
    const rules = arr(d.rules).map(firewallRule);
    const categories = arr(d.networkProfiles).map(obj).map((p) => enumName(p.category, NETWORK_CATEGORY) ?? '?');
    const wanted = new Set(categories.map((c) => (c === 'DomainAuthenticated' ? 'Domain' : c)));
    const evidence: Evidence[] = rules.map((r) => ({ label: r.name, value: `${r.enabled ? 'enabled' : 'disabled'} ${r.direction} ${r.action}; profile ${r.profiles.join(',') || '?'}; remote ${r.remoteAddress.join(',') || '?'}${r.source ? `; source ${r.source}` : ''}` }));
    if (categories.length) evidence.push({ label: 'Network profile', value: categories.join(', ') });
    const applies = (r: FirewallRule): boolean => r.enabled && r.direction === 'Inbound' && (r.profiles.includes('Any') || wanted.size === 0 || r.profiles.some((p) => wanted.has(p)));
    const block = rules.find((r) => applies(r) && r.action === 'Block');
    if (block) return result(id, { status: 'fail', summary: `Blocked by "${block.name}"`, evidence, reason: `An inbound Block rule for TCP ${port} applies; block rules win over allow rules.` });
    const allow = rules.filter((r) => applies(r) && r.action === 'Allow');
    if (allow.length === 0) {
      return result(id, { status: 'fail', summary: `No inbound allow rule for TCP ${port}`, evidence, reason: rules.length ? `Rules for ${port} exist but none is an enabled inbound Allow rule for the current network profile.` : `No firewall rule mentions TCP ${port}; create one scoped to the sync servers.` });
    }
    const fromGpo = allow.some((r) => /GroupPolicy/i.test(r.source));
    const syncs = ctx.inputs.remoteAddresses;
    const anyRule = allow.find((r) => r.remoteAddress.length === 0 || r.remoteAddress.some((a) => a.toLowerCase() === 'any'));
    if (syncs.length) {
      const missing = syncs.filter((a) => !allow.some((r) => r.remoteAddress.length === 0 || r.remoteAddress.some((x) => x.toLowerCase() === 'any' || x === a)));
      if (missing.length) return result(id, { status: 'fail', summary: `Sync servers not admitted: ${missing.join(', ')}`, evidence, reason: 'The allow rules are scoped to other addresses. Add the sync servers to the rule\'s remote addresses (exact address or subnet as configured).' });
    }
    if (anyRule) return result(id, { status: 'warn', summary: `TCP ${port} open to any address`, evidence, reason: `"${anyRule.name}" admits every remote address. Scope it to the sync servers so that only they can try to authenticate.${fromGpo ? ' The rule comes from Group Policy: change it there.' : ''}` });
    return result(id, { status: 'pass', summary: `TCP ${port} allowed from ${allow.flatMap((r) => r.remoteAddress).join(', ')}`, evidence, reason: 'An enabled inbound allow rule scoped to specific addresses is effective.' });
  },
};
