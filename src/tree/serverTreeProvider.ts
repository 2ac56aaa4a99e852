// The sidebar tree: one row per configured server, plus a warning row per unreadable entry.
import * as vscode from 'vscode';
import { ContextKeys, ItemKinds } from '../ids';
import type { ParsedServerList, ServerConfig } from '../servers/server';
import { Disposable } from '../util/disposable';

type Node = { kind: 'server'; server: ServerConfig } | { kind: 'problem'; index: number; message: string };

export class ServerTreeProvider extends Disposable implements vscode.TreeDataProvider<Node> {
  private readonly changed = this._register(new vscode.EventEmitter<Node | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private list: ParsedServerList = { servers: [], problems: [] };

  constructor(private readonly load: () => ParsedServerList) {
    super();
    this.refresh();
  }

  get servers(): readonly ServerConfig[] {
    return this.list.servers;
  }

  refresh(): void {
    this.list = this.load();
    void vscode.commands.executeCommand('setContext', ContextKeys.hasServers, this.list.servers.length + this.list.problems.length > 0);
    this.changed.fire(undefined);
  }

  getChildren(element?: Node): Node[] {
    if (element) return [];
    return [
      ...this.list.servers.map((server): Node => ({ kind: 'server', server })),
      ...this.list.problems.map((p): Node => ({ kind: 'problem', index: p.index, message: p.message })),
    ];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'problem') {
      const item = new vscode.TreeItem(vscode.l10n.t('Unreadable server entry #{0}', node.index + 1));
      item.description = node.message;
      item.tooltip = node.message;
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
      return item;
    }
    const { server } = node;
    const item = new vscode.TreeItem(server.fqdn, vscode.TreeItemCollapsibleState.None);
    item.id = `server:${server.fqdn}`;
    item.description = server.profile === 'intune' ? vscode.l10n.t('Intune connector') : vscode.l10n.t('PowerShell remoting');
    item.iconPath = new vscode.ThemeIcon('server-environment');
    item.contextValue = ItemKinds.server;
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown(`**${server.fqdn}**\n\n`);
    tip.appendText(`${vscode.l10n.t('Connection')}: ${server.connection}${server.port ? `:${server.port}` : ''}\n`);
    if (server.serviceAccount) tip.appendText(`${vscode.l10n.t('Service account')}: ${server.serviceAccount}\n`);
    if (server.notes) tip.appendText(`\n${server.notes}`);
    item.tooltip = tip;
    return item;
  }
}

export type ServerNode = Node;
