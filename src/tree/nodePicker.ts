// Which tree node a command acts on: the row VS Code hands it (row menus, the focused row), or one the user picks
// when the command runs from the palette.
import * as vscode from 'vscode';
import type { StepDefinition } from '../checks/types';
import { stepTitle, type ServerNode, type ServerTreeProvider } from './serverTreeProvider';

export type StepNode = Extract<ServerNode, { kind: 'step' }>;

/** A tree node as VS Code passes it (row menus, the focused row for title actions), or undefined for anything else. */
export function asNode(value: unknown): ServerNode | undefined {
  const v = value as Partial<ServerNode> | null | undefined;
  if (!v || typeof v !== 'object') return undefined;
  if (v.kind === 'server' && v.server) return v as ServerNode;
  if (v.kind === 'step' && v.server && (v as StepNode).step) return v as ServerNode;
  return undefined;
}

/** A server, or one of its steps (or all of them), picked from the palette. */
export async function pickServerOrStep(tree: ServerTreeProvider, serverOnly = false): Promise<ServerNode | undefined> {
  if (!tree.servers.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No Exchange servers are configured.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(tree.servers.map((s) => ({ label: s.fqdn, description: s.profile, server: s })), { placeHolder: vscode.l10n.t('Select a server') });
  if (!picked) return undefined;
  if (serverOnly) return tree.serverNode(picked.server);
  const all = vscode.l10n.t('All steps');
  const step = await vscode.window.showQuickPick([{ label: all, step: undefined as StepDefinition | undefined }, ...tree.stepsOf(picked.server).map((st) => ({ label: stepTitle(st), step: st as StepDefinition | undefined }))], { placeHolder: vscode.l10n.t('Which step?') });
  if (!step) return undefined;
  return step.step ? { kind: 'step', server: picked.server, step: step.step } : tree.serverNode(picked.server);
}

/** One step of one server, picked from the palette. */
export async function pickStep(tree: ServerTreeProvider): Promise<Extract<ServerNode, { kind: 'step' }> | undefined> {
  const node = await pickServerOrStep(tree);
  if (node?.kind === 'step') return node;
  if (node?.kind === 'server') {
    const step = await vscode.window.showQuickPick(tree.stepsOf(node.server).map((st) => ({ label: stepTitle(st), step: st })), { placeHolder: vscode.l10n.t('Which step?') });
    return step ? { kind: 'step', server: node.server, step: step.step } : undefined;
  }
  return undefined;
}
