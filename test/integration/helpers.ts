// Helpers for extension-host tests: get the activated API, wait for events without sleeps.
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../src/ids';
import type { ExtensionApi } from '../../src/extension';

export async function activatedApi(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this host`);
  return ext.activate();
}

/** Resolves with the first event that satisfies `predicate`, or rejects after `timeoutMs`. */
export function waitForEvent<T>(event: vscode.Event<T>, predicate: (value: T) => boolean, timeoutMs = 20_000, what = 'event'): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)); }, timeoutMs);
    const sub = event((value) => {
      if (!predicate(value)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(value);
    });
  });
}

/** Polls a condition (for state VS Code exposes without an event). */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function workspaceFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the host tests need the fixture workspace open');
  return folder.uri;
}
