// `exchange-remoting script <stepId|all> --server <fqdn> [...] [--check|--remediate|--runbook]`: prints a script.
import { isMarkerToken } from '../pslang/resultMarkers';
import { parseArgs } from 'node:util';
import { getStep, stepsFor } from '../checks/catalog';
import { CBT_LEVELS, type RawStepInputs } from '../checks/inputs';
import { newToken, render, renderCheckAll, renderRunbook } from '../checks/render';
import { STEP_IDS, WHERE, isStepId, type StepId } from '../checks/status';
import { CONNECTIONS, PROFILES } from '../servers/server';
import { validateChoice } from '../servers/validation';
import { ExitCode, UsageError, type Subcommand } from './types';

export const scriptCommand: Subcommand = {
  name: 'script',
  summary: 'print the check, remediation or runbook script of a step (or all)',
  usage: [
    'Usage: exchange-remoting script <stepId|all> --server <fqdn> [options] [--check|--remediate|--runbook]',
    '',
    'Prints a PowerShell script on stdout. Values are validated and embedded only as single-quoted literals;',
    'no credential is ever part of a script.',
    '',
    '  --check               the check script (default); prints one JSON document between result markers',
    '  --remediate           the remediation script (honours -WhatIf)',
    '  --runbook             the remediation(s) plus a final check in one script (one step, or "all" of a scope)',
    '  --server <fqdn>       the Exchange server (required)',
    '  --account <acct>      service/connector account, DOMAIN\\user or user@domain',
    '  --profile <name>      remoting (default) or intune',
    '  --where <scope>       for "all": exchangeServer (default), domain, client or network',
    '  --netbios <name>      the server\'s NetBIOS name (default: first label of the FQDN)',
    '  --computer-dn <dn>    distinguished name of the Exchange computer object',
    '  --thumbprint <hex>    certificate thumbprint for the HTTPS listener',
    '  --trusted-host <h>    TrustedHosts entry to add (repeatable; default: the server)',
    '  --remote-address <a>  sync server address or subnet for the firewall rule (repeatable)',
    `  --cbt-level <level>   required CbtHardeningLevel: ${CBT_LEVELS.join(', ')} (default Relaxed)`,
    `  --connection <c>      how the product connects: ${CONNECTIONS.join(', ')} (default https)`,
    '  --port <n>            WinRM HTTPS port (default 5986)',
    '  --role-name <name>    Intune: custom role name prefix',
    '  --role-group <name>   Intune: role group name',
    '  --window <minutes>    Intune: activity window (default 130)',
    '  --activity-event <id> Intune: event ID that counts as activity (repeatable; default any)',
    '  --error-event <id>    Intune: event ID that counts as an error (repeatable)',
    '  --allow-self-signed   let the listener remediation create a self-signed certificate',
    '  --token <token>       result marker token (default random)',
    '',
    `Step ids: ${STEP_IDS.join(', ')}`,
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        check: { type: 'boolean' }, remediate: { type: 'boolean' }, runbook: { type: 'boolean' },
        server: { type: 'string' }, account: { type: 'string' }, profile: { type: 'string' }, where: { type: 'string' },
        netbios: { type: 'string' }, 'computer-dn': { type: 'string' }, thumbprint: { type: 'string' },
        'trusted-host': { type: 'string', multiple: true }, 'remote-address': { type: 'string', multiple: true },
        'cbt-level': { type: 'string' }, connection: { type: 'string' }, port: { type: 'string' },
        'role-name': { type: 'string' }, 'role-group': { type: 'string' }, window: { type: 'string' },
        'activity-event': { type: 'string', multiple: true }, 'error-event': { type: 'string', multiple: true },
        'allow-self-signed': { type: 'boolean' }, token: { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length !== 1) throw new UsageError('Name one step id or "all".');
    const target = positionals[0] as string;
    if (target !== 'all' && !isStepId(target)) throw new UsageError(`Unknown step "${target}". Step ids: ${STEP_IDS.join(', ')}.`);
    const modes = [values.check, values.remediate, values.runbook].filter(Boolean).length;
    if (modes > 1) throw new UsageError('Choose one of --check, --remediate, --runbook.');
    if (values.server === undefined) throw new UsageError('--server <fqdn> is required.');
    const profile = values.profile === undefined ? 'remoting' : validateChoice(values.profile, PROFILES, 'profile');
    const inputs: RawStepInputs = {
      server: values.server,
      ...(values.account !== undefined ? { account: values.account } : {}),
      ...(values.netbios !== undefined ? { netbiosName: values.netbios } : {}),
      ...(values['computer-dn'] !== undefined ? { computerDn: values['computer-dn'] } : {}),
      ...(values.thumbprint !== undefined ? { thumbprint: values.thumbprint } : {}),
      ...(values['trusted-host'] !== undefined ? { trustedHosts: values['trusted-host'] } : {}),
      ...(values['remote-address'] !== undefined ? { remoteAddresses: values['remote-address'] } : {}),
      ...(values['cbt-level'] !== undefined ? { cbtLevel: values['cbt-level'] } : {}),
      ...(values.connection !== undefined ? { connection: values.connection } : {}),
      ...(values.port !== undefined ? { port: values.port } : {}),
      ...(values['role-name'] !== undefined ? { roleName: values['role-name'] } : {}),
      ...(values['role-group'] !== undefined ? { roleGroupName: values['role-group'] } : {}),
      ...(values.window !== undefined ? { windowMinutes: values.window } : {}),
      ...(values['activity-event'] !== undefined ? { activityEventIds: values['activity-event'] } : {}),
      ...(values['error-event'] !== undefined ? { errorEventIds: values['error-event'] } : {}),
      ...(values['allow-self-signed'] ? { allowSelfSigned: true } : {}),
    };
    if (values.token !== undefined && !isMarkerToken(values.token)) throw new UsageError(`--token must be 8 to 64 letters or digits (got "${values.token.replace(/[^\x20-\x7e]/g, '?').slice(0, 70)}").`);
    const token = values.token ?? newToken();
    let script: string;
    if (target === 'all' || values.runbook) {
      const where = target === 'all'
        ? (values.where === undefined ? 'exchangeServer' : validateChoice(values.where, WHERE, 'where'))
        : getStep(target as never).where;
      if (target !== 'all' && !getStep(target as never).profiles.includes(profile)) throw new UsageError(`Step "${target}" belongs to the ${getStep(target as never).profiles.join('/')} profile; add --profile.`);
      if (stepsFor(profile, where).length === 0) throw new UsageError(`The ${profile} profile has no step that runs on "${where}".`);
      const only = target === 'all' ? undefined : [target as StepId];
      const scope = { profile, where, token, ...(only ? { only } : {}) };
      script = values.runbook || values.remediate ? renderRunbook(inputs, undefined, scope) : renderCheckAll(inputs, scope);
    } else {
      script = render(target as never, values.remediate ? 'remediation' : 'check', inputs, { token });
    }
    io.out(script.endsWith('\n') ? script : `${script}\n`);
    return ExitCode.ok;
  },
};
