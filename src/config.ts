// Typed access to the extension's settings: the only module that reads or writes them.
import * as vscode from 'vscode';
import { Settings } from './ids';
import { parseServerList, toSettingsEntry, type ParsedServerList, type ServerConfig } from './servers/server';
import type { DirectorySettings } from './execution/directChecks';
import type { RawStepInputs } from './checks/inputs';
import type { GuardedValues } from './state/settingApproval';
import { certificatesFromFile } from './probe/certificate';
import type { CaFile } from './probe/trust';

function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(Settings.section);
}

/** The configured servers; in Restricted Mode only the user's own (global) list is trusted. */
export function readServers(): ParsedServerList {
  const inspected = section().inspect<unknown>(Settings.servers);
  if (!vscode.workspace.isTrusted) return { ...parseServerList(inspected?.globalValue), source: 'user' };
  const fromWorkspace = inspected?.workspaceFolderValue !== undefined || inspected?.workspaceValue !== undefined;
  return { ...parseServerList(section().get<unknown>(Settings.servers)), source: fromWorkspace ? 'workspace' : 'user' };
}

/** Where a change to the list is written: the workspace when one is open, else the user settings. */
function targetFor(): vscode.ConfigurationTarget {
  return vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

/** Rewrites the list at the level it came from, keeping entries this version could not parse untouched. */
export async function updateServers(edit: (entries: unknown[]) => unknown[]): Promise<void> {
  const inspected = section().inspect<unknown[]>(Settings.servers);
  const target = inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace
    : inspected?.globalValue !== undefined ? vscode.ConfigurationTarget.Global : targetFor();
  const current = (target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue) ?? [];
  await section().update(Settings.servers, edit(Array.isArray(current) ? [...current] : []), target);
}

export async function addServers(servers: readonly ServerConfig[]): Promise<void> {
  await updateServers((entries) => [...entries, ...servers.map(toSettingsEntry)]);
}

export async function removeServer(fqdn: string): Promise<void> {
  await updateServers((entries) => entries.filter((e) => entryName(e) !== fqdn));
}

export function onDidChangeServers(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(`${Settings.section}.${Settings.servers}`)) listener();
  });
}

export interface RunSettings {
  readonly timeoutMs: number;
  readonly throttleLimit: number;
  readonly staleAfterMinutes: number;
}

export function readRunSettings(): RunSettings {
  const s = section();
  const int = (key: string, fallback: number, min: number, max: number): number => {
    const v = s.get<number>(key);
    return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, Math.round(v))) : fallback;
  };
  return {
    timeoutMs: int(Settings.powershellTimeoutSeconds, 120, 5, 3600) * 1000,
    throttleLimit: int(Settings.powershellThrottleLimit, 32, 1, 256),
    staleAfterMinutes: int(Settings.staleAfterMinutes, 1440, 1, 525_600),
  };
}

/**
 * The PowerShell executable: `auto`, `pwsh`, `powershell.exe` or a path. A workspace value only once approved (see
 * src/approval); throws SettingNotUsableError with the message to show otherwise.
 */
export function readExecutable(approvals: GuardedValues): string {
  return approvals.value(Settings.powershellExecutable) || 'auto';
}

/** Replaces the entry for `fqdn` with `server` (same position), keeping everything else. */
export async function replaceServer(fqdn: string, server: ServerConfig): Promise<void> {
  await updateServers((entries) => entries.map((e) => (entryName(e) === fqdn ? toSettingsEntry(server) : e)));
}

function entryName(e: unknown): string | undefined {
  const name = typeof e === 'string' ? e : (e as { fqdn?: unknown } | null)?.fqdn;
  return typeof name === 'string' ? name.trim().replace(/\.$/, '').toLowerCase() : undefined;
}

/**
 * The LDAPS directory for the delegation check, or undefined when not configured. Reads the CA file if given. The URL
 * and the CA file decide where the administrator credential goes: a workspace value of either is used only once
 * approved (src/approval); otherwise this throws SettingNotUsableError and nothing is sent.
 */
export async function readDirectorySettings(approvals: GuardedValues): Promise<DirectorySettings | undefined> {
  const s = section();
  const url = approvals.value(Settings.directoryUrl);
  if (!url) return undefined;
  const caFile = approvals.value(Settings.directoryCaFile);
  const rawBaseDn = s.get<unknown>(Settings.directoryBaseDn);
  if (rawBaseDn !== undefined && typeof rawBaseDn !== 'string') throw new Error(vscode.l10n.t('The setting exchangeRemoting.{0} must be a string.', Settings.directoryBaseDn));
  const baseDn = typeof rawBaseDn === 'string' ? rawBaseDn.trim().slice(0, 2048) : undefined;
  let ca: string | undefined;
  if (caFile) {
    try {
      ca = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(caFile)));
    } catch (err) {
      throw new Error(vscode.l10n.t('The CA file of the directory setting cannot be read ({0}): {1}', caFile, err instanceof Error ? err.message : String(err)));
    }
  }
  return { url, ...(baseDn ? { baseDn } : {}), ...(ca ? { ca } : {}) };
}

/**
 * The CA files the network-path probe trusts besides the machine's store. Choosing what is trusted is
 * security-relevant, so the value comes from the user (or remote) settings only, never from a workspace: the
 * setting is `machine`-scoped and only `globalValue` is read. Each file must be readable and hold a certificate.
 */
export async function readProbeCaFiles(): Promise<CaFile[]> {
  const value = section().inspect<unknown>(Settings.probeCaFiles)?.globalValue;
  const paths = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim()) : [];
  const files: CaFile[] = [];
  for (const path of paths) {
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(vscode.Uri.file(path));
    } catch (err) {
      throw new Error(vscode.l10n.t('A CA file of the setting exchangeRemoting.probe.caFiles cannot be read ({0}): {1}', path, err instanceof Error ? err.message : String(err)));
    }
    try {
      files.push({ name: path, certificates: certificatesFromFile(bytes, path) });
    } catch (err) {
      throw new Error(vscode.l10n.t('A CA file of the setting exchangeRemoting.probe.caFiles holds no usable certificate: {0}', err instanceof Error ? err.message : String(err)));
    }
  }
  return files;
}

/**
 * Step inputs that come from settings rather than the server entry. Passed through as given: the catalog's
 * resolveInputs validates every one and names the setting's field in its message when one is invalid.
 */
export function readStepSettings(): Omit<RawStepInputs, 'server'> {
  const s = section();
  const out: { -readonly [K in keyof Omit<RawStepInputs, 'server'>]?: RawStepInputs[K] } = {};
  const str = (key: string): string | undefined => {
    const v = s.get<unknown>(key);
    return typeof v === 'string' && v.trim() ? v.trim() : undefined;
  };
  const list = <T>(key: string): T[] | undefined => {
    const v = s.get<unknown>(key);
    return Array.isArray(v) && v.length ? (v as T[]) : undefined;
  };
  out.cbtLevel = str(Settings.cbtHardeningLevel);
  out.trustedHosts = list<string>(Settings.trustedHosts);
  out.remoteAddresses = list<string>(Settings.syncServerAddresses);
  out.roleName = str(Settings.intuneRoleName);
  out.roleGroupName = str(Settings.intuneRoleGroupName);
  const window = s.get<unknown>(Settings.intuneWindowMinutes);
  if (typeof window === 'number') out.windowMinutes = window;
  out.activityEventIds = list<number>(Settings.intuneActivityEventIds);
  out.errorEventIds = list<number>(Settings.intuneErrorEventIds);
  for (const k of Object.keys(out) as (keyof typeof out)[]) if (out[k] === undefined) delete out[k];
  return out;
}
