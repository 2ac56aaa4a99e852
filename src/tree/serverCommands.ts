// Commands that edit the server list: add (guided, or with arguments for scripts and tests), remove, refresh.
import * as vscode from 'vscode';
import { Commands } from '../ids';
import * as config from '../config';
import { CONNECTIONS, PROFILES, parseServer, type Connection, type Profile, type ServerConfig } from '../servers/server';
import { InputError, validateAccount, validateFqdn } from '../servers/validation';
import type { Logger } from '../log';
import type { ServerNode, ServerTreeProvider } from './serverTreeProvider';

/** Arguments accepted by the add command when called programmatically (no prompts). */
export interface AddServerArgs {
  fqdn: string;
  profile?: Profile;
  connection?: Connection;
  serviceAccount?: string;
}

export function registerServerCommands(tree: ServerTreeProvider, log: Logger): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(Commands.addServer, async (args?: AddServerArgs) => {
      const server = args ? parseServer(args) : await promptForServer(tree.servers);
      if (!server) return undefined;
      if (tree.servers.some((s) => s.fqdn === server.fqdn)) {
        void vscode.window.showWarningMessage(vscode.l10n.t('{0} is already in the list.', server.fqdn));
        return undefined;
      }
      await config.addServer(server);
      log.info(`Added server ${server.fqdn} (${server.profile}, ${server.connection})`);
      tree.refresh();
      return server.fqdn;
    }),
    vscode.commands.registerCommand(Commands.removeServer, async (node?: ServerNode | string) => {
      const fqdn = typeof node === 'string' ? node : node?.kind === 'server' ? node.server.fqdn : await pickServer(tree.servers);
      if (!fqdn) return;
      if (typeof node !== 'string') {
        const remove = vscode.l10n.t('Remove');
        const answer = await vscode.window.showWarningMessage(
          vscode.l10n.t('Remove {0} from the server list? Its stored check results are kept until you add it again.', fqdn), { modal: true }, remove);
        if (answer !== remove) return;
      }
      await config.removeServer(fqdn);
      log.info(`Removed server ${fqdn}`);
      tree.refresh();
    }),
    vscode.commands.registerCommand(Commands.refreshServers, () => tree.refresh()),
  );
}

async function pickServer(servers: readonly ServerConfig[]): Promise<string | undefined> {
  if (servers.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No Exchange servers are configured.'));
    return undefined;
  }
  return vscode.window.showQuickPick(servers.map((s) => s.fqdn), { placeHolder: vscode.l10n.t('Select a server') });
}

function validationMessage(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof InputError ? err.message : String(err);
  }
}

async function promptForServer(existing: readonly ServerConfig[]): Promise<ServerConfig | undefined> {
  const title = vscode.l10n.t('Add Exchange Server');
  const fqdn = await vscode.window.showInputBox({
    title: `${title} (1/4)`,
    prompt: vscode.l10n.t('Fully qualified DNS name of the Exchange server'),
    placeHolder: 'exch01.contoso.com',
    ignoreFocusOut: true,
    validateInput: (v) => validationMessage(() => {
      const name = validateFqdn(v);
      if (existing.some((s) => s.fqdn === name)) throw new InputError('server', vscode.l10n.t('{0} is already in the list.', name));
    }),
  });
  if (fqdn === undefined) return undefined;
  const profile = await vscode.window.showQuickPick(
    PROFILES.map((p) => ({ label: p, description: p === 'remoting' ? vscode.l10n.t('PowerShell remoting for a sync service account') : vscode.l10n.t('Intune Exchange on-premises connector') })),
    { title: `${title} (2/4)`, placeHolder: vscode.l10n.t('Which setup applies to this server?'), ignoreFocusOut: true });
  if (!profile) return undefined;
  const account = await vscode.window.showInputBox({
    title: `${title} (3/4)`,
    prompt: vscode.l10n.t('Service account that must connect (DOMAIN\\user or user@domain); leave empty to set it later'),
    placeHolder: 'CONTOSO\\svc_sync',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? validationMessage(() => validateAccount(v)) : undefined),
  });
  if (account === undefined) return undefined;
  const connection = await vscode.window.showQuickPick(
    CONNECTIONS.map((c) => ({ label: c, description: connectionHelp(c) })),
    { title: `${title} (4/4)`, placeHolder: vscode.l10n.t('How should checks reach this server?'), ignoreFocusOut: true });
  if (!connection) return undefined;
  return parseServer({ fqdn, profile: profile.label, connection: connection.label, serviceAccount: account.trim() ? validateAccount(account) : undefined });
}

function connectionHelp(c: Connection): string {
  switch (c) {
    case 'https': return vscode.l10n.t('WinRM over HTTPS, TCP 5986 (target state)');
    case 'http-kerberos': return vscode.l10n.t('WinRM over HTTP with Kerberos, TCP 5985 (to bootstrap)');
    case 'local': return vscode.l10n.t('This machine is the Exchange server');
  }
}
