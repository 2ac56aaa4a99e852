// Every identifier the extension shares with its manifest, its settings and its stored state: named once, here.
// A unit test checks that package.json contributes exactly these ids.

export const EXTENSION_ID = 'exchange-remoting-setup.exchange-remoting-setup';

export const Commands = {
  addServer: 'exchangeRemoting.addServer',
  removeServer: 'exchangeRemoting.removeServer',
  refreshServers: 'exchangeRemoting.refreshServers',
  openTraceFile: 'exchangeRemoting.openTraceFile',
  openTraceFolder: 'exchangeRemoting.openTraceFolder',
  showLog: 'exchangeRemoting.showLog',
  importServers: 'exchangeRemoting.importServers',
  editServer: 'exchangeRemoting.editServer',
  setCredential: 'exchangeRemoting.setCredential',
  forgetCredentials: 'exchangeRemoting.forgetCredentials',
  runCheck: 'exchangeRemoting.runCheck',
  runAllChecks: 'exchangeRemoting.runAllChecks',
  runRemediation: 'exchangeRemoting.runRemediation',
  copyRemediation: 'exchangeRemoting.copyRemediation',
  /** Copies the cloud service URLs the Intune connector configuration step found (proxy / firewall allow-list). */
  copyConnectorUrls: 'exchangeRemoting.copyConnectorUrls',
  openRemediation: 'exchangeRemoting.openRemediation',
  openCheckScript: 'exchangeRemoting.openCheckScript',
  openRunbook: 'exchangeRemoting.openRunbook',
  exportReport: 'exchangeRemoting.exportReport',
  exportServerReport: 'exchangeRemoting.exportServerReport',
  runServerChecks: 'exchangeRemoting.runServerChecks',
  runFailedChecks: 'exchangeRemoting.runFailedChecks',
  showPlan: 'exchangeRemoting.showPlan',
  showServerPlan: 'exchangeRemoting.showServerPlan',
  applyPlan: 'exchangeRemoting.applyPlan',
  openTranscript: 'exchangeRemoting.openTranscript',
  showHistory: 'exchangeRemoting.showHistory',
  approveWorkspaceSettings: 'exchangeRemoting.approveWorkspaceSettings',
  revokeWorkspaceApprovals: 'exchangeRemoting.revokeWorkspaceApprovals',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

export const Views = {
  container: 'exchangeRemoting',
  servers: 'exchangeRemoting.servers',
} as const;

export const ViewTypes = {
  traceViewer: 'exchangeRemoting.traceViewer',
  /** Same editor for *.xml / *.log at priority "option" (Reopen With). */
  traceViewerOption: 'exchangeRemoting.traceViewer.option',
} as const;

/** Webview panels that are not custom editors. */
export const Panels = {
  /** Several trace files merged into one view. */
  mergedTraces: 'exchangeRemoting.mergedTraces',
} as const;

/** Configuration section and keys (read through src/config.ts only). */
export const Settings = {
  section: 'exchangeRemoting',
  servers: 'servers',
  staleAfterMinutes: 'staleAfterMinutes',
  powershellExecutable: 'powershell.executable',
  powershellTimeoutSeconds: 'powershell.timeoutSeconds',
  powershellThrottleLimit: 'powershell.throttleLimit',
  cbtHardeningLevel: 'checks.cbtHardeningLevel',
  trustedHosts: 'checks.trustedHosts',
  syncServerAddresses: 'checks.syncServerAddresses',
  recheckIntervalMinutes: 'recheck.intervalMinutes',
  intuneRoleName: 'intune.roleName',
  intuneRoleGroupName: 'intune.roleGroupName',
  intuneWindowMinutes: 'intune.windowMinutes',
  intuneActivityEventIds: 'intune.activityEventIds',
  intuneErrorEventIds: 'intune.errorEventIds',
  directoryUrl: 'directory.url',
  directoryBaseDn: 'directory.baseDn',
  directoryCaFile: 'directory.caFile',
  probeCaFiles: 'probe.caFiles',
} as const;

/** Context keys set with setContext. */
export const ContextKeys = {
  hasServers: 'exchangeRemoting.hasServers',
  /** Walkthrough progress (set from stored state, so a step stays ticked across sessions). */
  hasCredential: 'exchangeRemoting.hasCredential',
  checksRun: 'exchangeRemoting.checksRun',
} as const;

/**
 * Tree item contextValue tokens, `;`-joined on a row (menus match them with regex `when` clauses such as
 * `viewItem =~ /(^|;)hasRemediation(;|$)/`). test/unit/manifest.test.ts checks every token a menu names is here.
 */
export const ItemTokens = {
  server: 'server',
  step: 'step',
  hasRemediation: 'hasRemediation',
  /** The step may be confirmed by hand. */
  manual: 'manual',
  stale: 'stale',
  /** The remediation does not fit the result's cause (a DNS failure is no firewall problem): Run is not offered. */
  noRemedy: 'noRemedy',
  /** The last result failed or warned and its remediation fits the cause: Run Remediation is offered. */
  remedyFits: 'remedyFits',
  /** The step's state differs from its previous run. */
  changed: 'changed',
  /** The step's result lists values to copy (the Intune connector's cloud service URLs): Copy is offered on the row. */
  hasCopyList: 'hasCopyList',
  /** A check or remediation ran for the step: its transcript can be opened. */
  hasTranscript: 'hasTranscript',
  /** A server with a failed, warned or could-not-check step (the plan has something to show). */
  hasFailed: 'hasFailed',
  /** `status:<row state>` (pass, warn, fail, error, notApplicable, unknown, running, confirmed). */
  status: (state: string): string => `status:${state}`,
  /** `step:<step id>`. */
  stepId: (id: string): string => `step:${id}`,
} as const;

/** Keys in VS Code's SecretStorage. */
export const SecretKeys = {
  credential: (kind: 'admin' | 'service'): string => `exchangeRemoting.credential.${kind}`,
} as const;

/** Keys in the workspace Memento. */
export const StateKeys = {
  results: 'exchangeRemoting.results',
  resultsSetAside: 'exchangeRemoting.results.setAside',
  traceViewerState: 'exchangeRemoting.traceViewer.state',
  history: 'exchangeRemoting.history',
  transcripts: 'exchangeRemoting.transcripts',
  /** In the GLOBAL Memento (outside every workspace, not synced): workspace setting values the user allowed. */
  approvals: 'exchangeRemoting.workspaceApprovals',
} as const;

/** URI schemes of the extension's read-only documents (reviews, plans, transcripts, history). */
export const Schemes = {
  review: 'exchange-remoting',
} as const;

export const OutputChannelName = 'Exchange Remoting Setup';
