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
  openRemediation: 'exchangeRemoting.openRemediation',
  openCheckScript: 'exchangeRemoting.openCheckScript',
  openRunbook: 'exchangeRemoting.openRunbook',
  exportReport: 'exchangeRemoting.exportReport',
  exportServerReport: 'exchangeRemoting.exportServerReport',
  runServerChecks: 'exchangeRemoting.runServerChecks',
  runFailedChecks: 'exchangeRemoting.runFailedChecks',
  showPlan: 'exchangeRemoting.showPlan',
  applyPlan: 'exchangeRemoting.applyPlan',
  openTranscript: 'exchangeRemoting.openTranscript',
  showHistory: 'exchangeRemoting.showHistory',
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
} as const;

/** Context keys set with setContext. */
export const ContextKeys = {
  hasServers: 'exchangeRemoting.hasServers',
  /** Walkthrough progress (set from stored state, so a step stays ticked across sessions). */
  hasCredential: 'exchangeRemoting.hasCredential',
  checksRun: 'exchangeRemoting.checksRun',
} as const;

/** Tree item contextValue tokens (menus match them with regex `when` clauses). */
export const ItemKinds = {
  server: 'server',
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
} as const;

/** URI schemes of the extension's read-only documents (reviews, plans, transcripts, history). */
export const Schemes = {
  review: 'exchange-remoting',
} as const;

export const OutputChannelName = 'Exchange Remoting Setup';
