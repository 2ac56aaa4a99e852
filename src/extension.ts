// Composition only: create the shared services, register each feature, keep every disposable.
import * as vscode from 'vscode';
import { Commands, OutputChannelName, Views } from './ids';
import { channelLogger } from './log';
import { readServers, onDidChangeServers } from './config';
import { ServerTreeProvider } from './tree/serverTreeProvider';
import { registerServerCommands } from './tree/serverCommands';
import { registerTraceCommands } from './traceViewer/traceCommands';
import { TraceEditorProvider } from './traceViewer/traceEditorProvider';
import { SecretCredentialSource } from './secrets/secretCredentialSource';
import { registerCredentialCommands } from './secrets/credentialCommands';

/** What activate returns: for other extensions and for the extension-host tests. */
export interface ExtensionApi {
  readonly serverTree: Pick<ServerTreeProvider, 'getChildren' | 'getTreeItem' | 'servers'>;
  readonly onDidTraceViewerBecomeReady: vscode.Event<vscode.Uri>;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const channel = vscode.window.createOutputChannel(OutputChannelName, { log: true });
  const log = channelLogger(channel);
  const tree = new ServerTreeProvider(readServers);
  const traceEditors = TraceEditorProvider.register(context, log);
  const credentials = new SecretCredentialSource(context.secrets);
  context.subscriptions.push(
    channel,
    tree,
    vscode.window.createTreeView(Views.servers, { treeDataProvider: tree, showCollapseAll: true }),
    onDidChangeServers(() => tree.refresh()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => tree.refresh()),
    registerServerCommands(tree, log),
    traceEditors,
    registerTraceCommands(),
    registerCredentialCommands(credentials, log),
    vscode.commands.registerCommand(Commands.showLog, () => channel.show(true)),
  );
  log.info(`Exchange Remoting Setup ${String(context.extension.packageJSON.version)} activated`);
  return { serverTree: tree, onDidTraceViewerBecomeReady: traceEditors.onDidBecomeReady };
}

export function deactivate(): void {}
