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
  /** In the GLOBAL Memento (outside every workspace, not synced): workspace setting values the user allowed. */
  approvals: 'exchangeRemoting.workspaceApprovals',
} as const;

export const OutputChannelName = 'Exchange Remoting Setup';
