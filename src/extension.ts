// Composition only: create the shared services, register each feature, keep every disposable.
import * as vscode from 'vscode';
import { Commands, ContextKeys, OutputChannelName, Settings, StateKeys, Views } from './ids';
import { channelLogger } from './log';
import { readDirectorySettings, readProbeCaFiles, readRunSettings, readServers, readStepSettings, onDidChangeServers } from './config';
import { registerApprovalCommands, WorkspaceApprovals, type ApprovalConfirm } from './host/workspaceApprovals';
import { directChecks } from './execution/directChecks';
import { connectorObservers } from './execution/connectorObserver';
import { CheckService } from './execution/checkService';
import { RunnerHost } from './host/runnerHost';
import { SecretCredentialSource } from './secrets/secretCredentialSource';
import { registerCredentialCommands } from './secrets/credentialCommands';
import { ResultStore } from './state/resultStore';
import { registerCheckCommands, type CheckCommandDeps, type Confirm } from './tree/checkCommands';
import { registerCopyCommands } from './tree/copyCommands';
import { pickConfirm } from './tree/confirm';
import { History } from './state/history';
import { TranscriptStore } from './state/transcripts';
import { ReviewDocuments } from './tree/reviewDocuments';
import { registerReportCommands } from './tree/reportCommands';
import { registerPlanCommands } from './tree/planCommands';
import { registerHistoryCommands } from './tree/historyCommands';
import { registerServerCommands } from './tree/serverCommands';
import { ServerTreeProvider, type ServerNode } from './tree/serverTreeProvider';
import { registerTraceCommands } from './traceViewer/traceCommands';
import { TraceEditorProvider } from './traceViewer/traceEditorProvider';

/** What activate returns: for other extensions and for the extension-host tests. */
export interface ExtensionApi {
  readonly serverTree: Pick<ServerTreeProvider, 'getChildren' | 'getTreeItem' | 'servers' | 'serverNode'>;
  readonly results: Pick<ResultStore, 'get' | 'onDidChange' | 'isRunning'>;
  readonly onDidTraceViewerBecomeReady: vscode.Event<vscode.Uri>;
  /** Live trace viewer sessions by file list (for tests and other extensions). */
  readonly traceSessions: TraceEditorProvider['sessions'];
  /** Only in ExtensionMode.Test: replace the modal confirmation of remediations. */
  readonly testHooks?: {
    setConfirm(confirm: Confirm): void;
    setConfirm(confirm: Confirm): void;
    /** Replace the modal that allows a workspace setting value. */
    setApprovalConfirm(confirm: ApprovalConfirm): void;
    reloadResults(): Promise<string | undefined>;
    readonly workspaceState: vscode.Memento;
    /** Store a credential without the input boxes. */
    setCredential(kind: 'admin' | 'service', credential: { userName: string; password: string }): Promise<void>;
    readonly history: Pick<History, 'runsOf' | 'changeOf'>;
    /** The context keys this extension set, as last set. */
    readonly contextKeys: ReadonlyMap<string, unknown>;
  };
}

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionApi> {
  const version = String(context.extension.packageJSON.version);
  const channel = vscode.window.createOutputChannel(OutputChannelName, { log: true });
  const log = channelLogger(channel);
  const store = new ResultStore(context.workspaceState, StateKeys.results, StateKeys.resultsSetAside);
  const history = new History(context.workspaceState, StateKeys.history);
  if (!history.load()) log.warn('The stored check history was unreadable; it starts afresh.');
  const transcripts = new TranscriptStore(context.workspaceState, StateKeys.transcripts);
  transcripts.load();
  // The tree asks the service why a step was not checked; the service is made after the tree.
  const late: { service?: CheckService } = {};
  const tree = new ServerTreeProvider(readServers, store, {
    staleAfterMinutes: () => readRunSettings().staleAfterMinutes,
    changeOf: (server, step) => history.changeOf(server, step),
    uncheckedReason: (server, step) => late.service?.uncheckedReason(server, step),
  });
  const treeView = vscode.window.createTreeView<ServerNode>(Views.servers, { treeDataProvider: tree, showCollapseAll: true, manageCheckboxStateManually: true });
  const credentials = new SecretCredentialSource(context.secrets);
  const approvals = new WorkspaceApprovals(context.globalState, log);
  const runner = new RunnerHost(credentials, log, approvals);
  const service = new CheckService({
    runner, store, log, now: () => new Date(), extraInputs: readStepSettings, history, transcripts,
    powershellProblem: () => runner.unavailableReason(),
    credentialFor: async () => ((await credentials.get('admin')) ? 'admin' : undefined),
    settings: () => readRunSettings(),
    directChecks: () => directChecks({
      directory: () => readDirectorySettings(approvals), probeCaFiles: readProbeCaFiles,
      credential: async () => {
        if (!vscode.workspace.isTrusted) throw new Error(vscode.l10n.t('Nothing that uses the stored credential runs in Restricted Mode. Trust this workspace (Manage Workspace Trust) to run this check.'));
        return credentials.get('admin');
      },
      // Set only by the extension's own tests, so that no probe leaves 127.0.0.1.
      probeConnectTo: process.env.ERS_TEST_PROBE_CONNECT_TO,
    }),
    // The connector's CAS servers are probed from here once its configuration step names them.
    observers: () => connectorObservers({ configuredServers: () => tree.servers.map((s) => s.fqdn), probeConnectTo: process.env.ERS_TEST_PROBE_CONNECT_TO }),
  });
  const traceEditors = TraceEditorProvider.register(context, log);
  late.service = service;
  const reviews = new ReviewDocuments();
  const checkDeps: CheckCommandDeps = { tree, treeView, service, store, log, version, reviews, confirm: pickConfirm };
  // Walkthrough progress from stored state, so that its steps tick off however the user got there.
  const contextKeys = new Map<string, unknown>();
  const setContext = (key: string, value: unknown): void => {
    if (contextKeys.get(key) === value) return;
    contextKeys.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  };
  const updateChecksRun = (): void => setContext(ContextKeys.checksRun, tree.servers.some((s) => store.forServer(s.fqdn).size > 0));
  const updateProgress = async (): Promise<void> => {
    updateChecksRun();
    setContext(ContextKeys.hasCredential, (await credentials.stored()).length > 0);
  };
  context.subscriptions.push(
    channel, tree, treeView, runner, approvals, traceEditors, reviews, { dispose: () => store.dispose() },
    onDidChangeServers(() => { tree.refresh(); void updateProgress(); }),
    store.onDidChange(updateChecksRun),
    vscode.workspace.onDidGrantWorkspaceTrust(() => tree.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${Settings.section}.${Settings.powershellExecutable}`)) service.forgetUnavailable();
    }),
    registerServerCommands(tree, log),
    registerCheckCommands(checkDeps),
    registerCopyCommands(store),
    registerReportCommands(tree, store, log, version),
    registerPlanCommands({ tree, service, store, reviews }),
    registerHistoryCommands({ tree, service, history, transcripts, reviews, log }),
    registerCredentialCommands(credentials, log, () => void updateProgress()),
    registerApprovalCommands(approvals),
    registerTraceCommands(traceEditors),
    vscode.commands.registerCommand(Commands.showLog, () => channel.show(true)),
  );
  await loadResults(store, log);
  await updateProgress();
  log.info(`Exchange Remoting Setup ${version} activated`);
  return {
    serverTree: tree,
    results: store,
    onDidTraceViewerBecomeReady: traceEditors.onDidBecomeReady,
    traceSessions: traceEditors.sessions,
    testHooks: context.extensionMode === vscode.ExtensionMode.Test
      ? {
        setConfirm: (c) => { checkDeps.confirm = c; },
        setApprovalConfirm: (c) => { approvals.confirm = c; },
        reloadResults: () => loadResults(store, log),
        workspaceState: context.workspaceState,
        setCredential: (kind, c) => credentials.set(kind, c),
        history, contextKeys,
      }
      : undefined,
  };
}

async function loadResults(store: ResultStore, log: { warn(m: string): void }): Promise<string | undefined> {
  const warning = await store.load();
  if (warning) {
    log.warn(`Stored check results were unreadable and have been set aside: ${warning}`);
    void vscode.window.showWarningMessage(vscode.l10n.t('The stored check results could not be read and were set aside ({0}). Run the checks again.', warning));
  }
  return warning;
}

export function deactivate(): void {}
