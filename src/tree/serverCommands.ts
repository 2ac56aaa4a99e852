// Commands that edit the server list: add (guided, or with arguments for scripts and tests), remove, refresh.
import * as vscode from 'vscode';
import { Commands } from '../ids';
import * as config from '../config';
import { CONNECTIONS, PROFILES, parseServer, validateSyncServer, type Connection, type Profile, type ServerConfig } from '../servers/server';
import { InputError, validateAccount, validateConnectTo, validateFqdn, validatePort, validateSshPath, validateSshUser } from '../servers/validation';
import { parseImport } from '../servers/importList';
import { validateRemoteAddress } from '../checks/inputValidators';
import type { Logger } from '../log';
import type { ServerNode, ServerTreeProvider } from './serverTreeProvider';

/** Arguments accepted by the add command when called programmatically (no prompts). */
export interface AddServerArgs {
  fqdn: string;
  profile?: Profile;
  connection?: Connection;
  serviceAccount?: string;
  syncServers?: string[];
}

/**
 * Programmatic arguments only: a plain object with an "fqdn" text and no tree-node shape. VS Code passes the focused
 * row to view-title actions, and a row is no server entry.
 */
export function addServerArgs(value: unknown): AddServerArgs | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  if ('kind' in o || 'server' in o || typeof o.fqdn !== 'string') return undefined;
  return o as unknown as AddServerArgs;
}

export function registerServerCommands(tree: ServerTreeProvider, log: Logger): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(Commands.addServer, async (arg?: unknown) => {
      const args = addServerArgs(arg);
      const server = args ? parseServer(args) : await promptForServer(tree.servers);
      if (!server) return undefined;
      if (tree.servers.some((s) => s.fqdn === server.fqdn)) {
        void vscode.window.showWarningMessage(vscode.l10n.t('{0} is already in the list.', server.fqdn));
        return undefined;
      }
      await config.addServers([server]);
      log.info(`Added server ${server.fqdn} (${server.profile}, ${server.connection})`);
      tree.refresh();
      return server.fqdn;
    }),
    vscode.commands.registerCommand(Commands.removeServer, async (node?: ServerNode | string) => {
      const fqdn = typeof node === 'string' ? node : node?.kind === 'server' || node?.kind === 'step' ? node.server.fqdn : await pickServer(tree.servers);
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
    vscode.commands.registerCommand(Commands.editServer, async (node?: ServerNode) => {
      const fqdn = node?.kind === 'server' || node?.kind === 'step' ? node.server.fqdn : await pickServer(tree.servers);
      const current = tree.servers.find((s) => s.fqdn === fqdn);
      if (!current) return;
      const edited = await promptForServer(tree.servers.filter((s) => s !== current), current);
      if (!edited) return;
      await config.replaceServer(current.fqdn, edited);
      log.info(`Edited server ${current.fqdn}${edited.fqdn !== current.fqdn ? ` → ${edited.fqdn}` : ''}`);
      tree.refresh();
    }),
    vscode.commands.registerCommand(Commands.importServers, async (text?: unknown) => {
      // A view-title action receives the focused row: only a string is list text.
      const input = typeof text === 'string' ? text : await readImportSource();
      if (input === undefined) return undefined;
      const result = parseImport(input, tree.servers.map((s) => s.fqdn));
      if (result.servers.length) await config.addServers(result.servers);
      tree.refresh();
      log.info(`Imported ${result.servers.length} server(s); ${result.problems.length} line(s) skipped`);
      for (const p of result.problems) log.warn(`Import line ${p.line}: ${p.message}`);
      const summary = vscode.l10n.t('Servers imported: {0}.', result.servers.length);
      if (result.problems.length) {
        const show = vscode.l10n.t('Show Details');
        void vscode.window.showWarningMessage(`${summary} ${vscode.l10n.t('Lines skipped: {0}.', result.problems.length)}`, show)
          .then((answer) => { if (answer === show) void vscode.commands.executeCommand(Commands.showLog); });
      } else {
        void vscode.window.showInformationMessage(summary);
      }
      return result;
    }),
  );
}

async function readImportSource(): Promise<string | undefined> {
  const fromFile = vscode.l10n.t('From a file (one FQDN per line, or CSV)…');
  const fromClipboard = vscode.l10n.t('From the clipboard');
  const choice = await vscode.window.showQuickPick([fromFile, fromClipboard], { placeHolder: vscode.l10n.t('Import servers') });
  if (choice === fromClipboard) return vscode.env.clipboard.readText();
  if (choice !== fromFile) return undefined;
  const [uri] = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { [vscode.l10n.t('Server lists')]: ['txt', 'csv'], [vscode.l10n.t('All files')]: ['*'] } }) ?? [];
  if (!uri) return undefined;
  const bytes = await vscode.workspace.fs.readFile(uri);
  if (bytes.byteLength > 5 * 1024 * 1024) throw new Error(vscode.l10n.t('{0} is larger than 5 MB; that is not a server list.', uri.fsPath));
  return new TextDecoder('utf-8').decode(bytes);
}

async function pickServer(servers: readonly ServerConfig[]): Promise<string | undefined> {
  if (servers.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No Exchange servers are configured.'));
    return undefined;
  }
  return vscode.window.showQuickPick(servers.map((s) => s.fqdn), { placeHolder: vscode.l10n.t('Select a server') });
}

/** Adapts a validator that throws InputError to an input box's validateInput (message or undefined). */
export function validationMessage(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof InputError ? err.message : String(err);
  }
}

async function promptForServer(existing: readonly ServerConfig[], initial?: ServerConfig): Promise<ServerConfig | undefined> {
  const title = initial ? vscode.l10n.t('Edit {0}', initial.fqdn) : vscode.l10n.t('Add Exchange Server');
  const fqdn = await vscode.window.showInputBox({
    value: initial?.fqdn,
    title: `${title} (1/5)`,
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
    PROFILES.map((p) => ({ label: p, picked: p === initial?.profile, description: p === 'remoting' ? vscode.l10n.t('PowerShell remoting for a sync service account') : vscode.l10n.t('Intune Exchange on-premises connector') })),
    { title: `${title} (2/5)`, placeHolder: vscode.l10n.t('Which setup applies to this server?'), ignoreFocusOut: true });
  if (!profile) return undefined;
  const account = await vscode.window.showInputBox({
    value: initial?.serviceAccount,
    title: `${title} (3/5)`,
    prompt: vscode.l10n.t('Service account that must connect (DOMAIN\\user or user@domain); leave empty to set it later'),
    placeHolder: 'CONTOSO\\svc_sync',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? validationMessage(() => validateAccount(v)) : undefined),
  });
  if (account === undefined) return undefined;
  const connection = await vscode.window.showQuickPick(
    CONNECTIONS.map((c) => ({ label: c, description: connectionHelp(c), picked: c === initial?.connection })),
    { title: `${title} (4/5)`, placeHolder: vscode.l10n.t('How should checks reach this server?'), ignoreFocusOut: true });
  if (!connection) return undefined;
  const sync = profile.label === 'remoting' ? await askSyncServers(`${title} (5/5)`, initial?.syncServers) : [];
  if (sync === undefined) return undefined;
  const base = { fqdn, profile: profile.label, connection: connection.label, serviceAccount: account.trim() ? validateAccount(account) : undefined, port: initial?.port, notes: initial?.notes, ...(sync.length ? { syncServers: sync } : {}) };
  if (connection.label !== 'ssh') return parseServer(base);
  const ssh = await promptForSsh(title, initial);
  return ssh && parseServer({ ...base, ...ssh });
}

/** Splits and validates a comma- or space-separated address list (IP, CIDR subnet or range). */
export function parseAddressList(text: string): string[] {
  return text.split(/[\s,;]+/).map((a) => a.trim()).filter(Boolean).map((a) => validateRemoteAddress(validateSyncServer(a), 'syncServers'));
}

async function askSyncServers(title: string, initial?: readonly string[]): Promise<string[] | undefined> {
  const text = await vscode.window.showInputBox({
    value: initial?.join(', '),
    title,
    prompt: vscode.l10n.t('Addresses of the identity-sync servers that connect to this server (IP, subnet or range, comma-separated). The firewall rule admits only these; leave empty to set them later.'),
    placeHolder: '10.0.4.21, 10.0.4.22',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? validationMessage(() => parseAddressList(v)) : undefined),
  });
  return text === undefined ? undefined : parseAddressList(text);
}

/** Asks for the sync servers' addresses of one server and stores them in its entry; the updated entry, or undefined. */
export async function addSyncServers(server: ServerConfig): Promise<ServerConfig | undefined> {
  const list = await askSyncServers(vscode.l10n.t('Sync servers of {0}', server.fqdn), server.syncServers);
  if (!list?.length) return undefined;
  const updated: ServerConfig = { ...server, syncServers: list };
  await config.replaceServer(server.fqdn, updated);
  return updated;
}

/** The ssh connection's own fields: user, port, key file and an optional address to connect to. */
async function promptForSsh(title: string, initial?: ServerConfig): Promise<Record<string, unknown> | undefined> {
  const step = (n: number): string => `${title} (SSH ${n}/4)`;
  const optional = (v: string): string | undefined => (v.trim() ? v.trim() : undefined);
  const user = await vscode.window.showInputBox({
    value: initial?.user, title: step(1), ignoreFocusOut: true, placeHolder: 'CONTOSO\\admin',
    prompt: vscode.l10n.t('User to log in as over SSH; leave empty for your own user name'),
    validateInput: (v) => (v.trim() ? validationMessage(() => validateSshUser(v)) : undefined),
  });
  if (user === undefined) return undefined;
  const port = await vscode.window.showInputBox({
    value: String(initial?.port ?? 22), title: step(2), ignoreFocusOut: true,
    prompt: vscode.l10n.t('SSH port of the server'),
    validateInput: (v) => validationMessage(() => validatePort(v)),
  });
  if (port === undefined) return undefined;
  const keyFile = await vscode.window.showInputBox({
    value: initial?.keyFile, title: step(3), ignoreFocusOut: true, placeHolder: '~/.ssh/id_ed25519',
    prompt: vscode.l10n.t('Private key file for the login (key authentication; no password is ever sent); leave empty for ssh\'s default keys'),
    validateInput: (v) => (v.trim() ? validationMessage(() => validateSshPath(v, 'keyFile')) : undefined),
  });
  if (keyFile === undefined) return undefined;
  const connectTo = await vscode.window.showInputBox({
    value: initial?.connectTo, title: step(4), ignoreFocusOut: true, placeHolder: '10.0.0.21',
    prompt: vscode.l10n.t('Address to connect to instead of the DNS name (while DNS is not ready); leave empty to resolve the name'),
    validateInput: (v) => (v.trim() ? validationMessage(() => validateConnectTo(v)) : undefined),
  });
  if (connectTo === undefined) return undefined;
  return { user: optional(user), port: validatePort(port), keyFile: optional(keyFile), connectTo: optional(connectTo), knownHostsFile: initial?.knownHostsFile };
}

function connectionHelp(c: Connection): string {
  switch (c) {
    case 'https': return vscode.l10n.t('WinRM over HTTPS, TCP 5986 (target state)');
    case 'http-kerberos': return vscode.l10n.t('WinRM over HTTP with Kerberos, TCP 5985 (to bootstrap)');
    case 'local': return vscode.l10n.t('This machine is the Exchange server');
    case 'ssh': return vscode.l10n.t('PowerShell 7 remoting over SSH (OpenSSH; Windows Server 2019 and later; works from Linux and macOS)');
  }
}
