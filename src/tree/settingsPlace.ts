// Where a setting can actually be set. A machine-scoped setting does not show on the Settings editor's User tab
// when VS Code is connected to a remote (code-server, SSH, WSL, containers): it lives on the Remote tab. Pure.

/** The command (and its argument) that opens the Settings editor where `key` can be set. */
export function settingsCommandFor(remoteName: string | undefined, key: string): [string, string] {
  return remoteName ? ['workbench.action.openRemoteSettings', key] : ['workbench.action.openSettings', key];
}
