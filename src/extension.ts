// Composition only: create the shared services, register each feature, keep every disposable.
import * as vscode from 'vscode';
import { Commands, OutputChannelName, Views } from './ids';
import { channelLogger } from './log';
import { readServers, onDidChangeServers } from './config';
import { ServerTreeProvider } from './tree/serverTreeProvider';
import { registerServerCommands } from './tree/serverCommands';
import { registerTraceCommands } from './traceViewer/traceCommands';
import { TraceEditorProvider } from './traceViewer/traceEditorProvider';

export function activate(context: vscode.ExtensionContext): void {
  const channel = vscode.window.createOutputChannel(OutputChannelName, { log: true });
  const log = channelLogger(channel);
  const tree = new ServerTreeProvider(readServers);
  context.subscriptions.push(
    channel,
    tree,
    vscode.window.createTreeView(Views.servers, { treeDataProvider: tree, showCollapseAll: true }),
    onDidChangeServers(() => tree.refresh()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => tree.refresh()),
    registerServerCommands(tree, log),
    TraceEditorProvider.register(context, log),
    registerTraceCommands(),
    vscode.commands.registerCommand(Commands.showLog, () => channel.show(true)),
  );
  log.info(`Exchange Remoting Setup ${String(context.extension.packageJSON.version)} activated`);
}

export function deactivate(): void {}
