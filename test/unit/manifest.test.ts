// The manifest and the ids module name the same things, and every manifest string is translated.
import * as assert from 'node:assert/strict';
import { GUARDED_SETTINGS } from '../../src/state/settingApproval';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Commands, ContextKeys, ItemTokens, Settings, Views, ViewTypes } from '../../src/ids';

const root = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const nls = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
const nlsDe = JSON.parse(readFileSync(join(root, 'package.nls.de.json'), 'utf8')) as Record<string, string>;

describe('manifest', () => {
  it('contributes exactly the commands named in ids.ts', () => {
    const contributed = (pkg.contributes.commands as { command: string }[]).map((c) => c.command).sort();
    assert.deepEqual(contributed, Object.values(Commands).sort());
  });

  it('uses only known command ids in menus and welcome links', () => {
    const known = new Set<string>(Object.values(Commands));
    for (const [menu, items] of Object.entries(pkg.contributes.menus as Record<string, { command: string }[]>)) {
      for (const item of items) assert.ok(known.has(item.command), `${menu} names unknown command ${item.command}`);
    }
    for (const w of pkg.contributes.viewsWelcome as { contents: string }[]) {
      const text = w.contents.startsWith('%') ? nls[w.contents.slice(1, -1)] ?? '' : w.contents;
      for (const m of text.matchAll(/command:([\w.]+)/g)) assert.ok(known.has(m[1] as string), `welcome links unknown command ${m[1]}`);
    }
  });

  it('gates tree menus only on contextValue tokens named in ids.ts', () => {
    const fixed = new Set<string>(Object.values(ItemTokens).filter((v) => typeof v === 'string') as string[]);
    const prefixes = [ItemTokens.status(''), ItemTokens.stepId('')];
    let seen = 0;
    for (const items of Object.values(pkg.contributes.menus as Record<string, { when?: string }[]>)) {
      for (const item of items) {
        for (const m of (item.when ?? '').matchAll(/viewItem =~ \/\(\^\|;\)([^/]*?)\(;\|\$\)\//g)) {
          const token = m[1] as string;
          seen++;
          const prefix = prefixes.find((p) => token.startsWith(p));
          assert.ok(fixed.has(token) || (prefix !== undefined && /^\(?[\w|]+\)?$/.test(token.slice(prefix.length))), `a menu matches unknown contextValue token ${token}`);
        }
      }
    }
    assert.ok(seen > 0, 'the menus gate on contextValue tokens');
  });

  it('names the view container, view, custom editors and settings as ids.ts does', () => {
    assert.equal(pkg.contributes.viewsContainers.activitybar[0].id, Views.container);
    assert.deepEqual(Object.keys(pkg.contributes.views), [Views.container]);
    assert.equal(pkg.contributes.views[Views.container][0].id, Views.servers);
    assert.deepEqual((pkg.contributes.customEditors as { viewType: string }[]).map((e) => e.viewType).sort(), Object.values(ViewTypes).sort());
    for (const key of Object.keys(pkg.contributes.configuration.properties)) assert.ok(key.startsWith(`${Settings.section}.`), key);
    assert.ok(`${Settings.section}.${Settings.servers}` in pkg.contributes.configuration.properties);
    assert.match(JSON.stringify(pkg.contributes.viewsWelcome), new RegExp(ContextKeys.hasServers.replace(/\./g, '\\.')));
  });

  it('has a walkthrough whose steps tick off from stored state (context keys the extension sets), not only from commands', () => {
    const [walkthrough] = pkg.contributes.walkthroughs as { id: string; steps: { id: string; completionEvents: string[] }[] }[];
    const contextOf = (id: string): string[] => (walkthrough?.steps.find((s) => s.id === id)?.completionEvents ?? []).filter((e) => e.startsWith('onContext:'));
    assert.deepEqual(contextOf('addServer'), [`onContext:${ContextKeys.hasServers}`]);
    assert.deepEqual(contextOf('storeCredentials'), [`onContext:${ContextKeys.hasCredential}`]);
    assert.deepEqual(contextOf('runChecks'), [`onContext:${ContextKeys.checksRun}`]);
    assert.ok((pkg.activationEvents as string[]).includes('onStartupFinished'), 'the context keys are set at startup, before the view is opened');
  });

  it('contributes each command to the places whose arguments it reads: title actions never get the per-row commands', () => {
    const menus = pkg.contributes.menus as Record<string, { command: string; when?: string }[]>;
    const title = menus['view/title']?.map((m) => m.command) ?? [];
    const rows = menus['view/item/context'] ?? [];
    for (const rowOnly of [Commands.exportServerReport, Commands.runServerChecks, Commands.runCheck, Commands.openTranscript]) assert.ok(!title.includes(rowOnly), `${rowOnly} is in the view title`);
    const serverRow = rows.filter((m) => /\(\^\|;\)server\(;\|\$\)/.test(m.when ?? '')).map((m) => m.command);
    assert.ok(!serverRow.includes(Commands.runCheck), 'a server row names what it runs: all of its checks');
    assert.ok(serverRow.includes(Commands.runServerChecks));
    assert.ok(!serverRow.includes(Commands.exportReport), 'a server row exports that server (its own command)');
    assert.ok(serverRow.includes(Commands.exportServerReport));
    assert.equal(nls['command.runServerChecks'], 'Run All Checks of This Server');
    for (const m of rows.filter((x) => x.command === Commands.runRemediation)) assert.match(m.when ?? '', /remedyFits/, 'Run Remediation only where the last result failed and the remediation fits its cause');
  });

  it('has a walkthrough whose steps complete on known commands and whose media exist', () => {
    const [walkthrough] = pkg.contributes.walkthroughs as { steps: { completionEvents: string[]; media: { markdown: string } }[] }[];
    assert.ok(walkthrough && walkthrough.steps.length >= 4);
    const known = new Set<string>(Object.values(Commands));
    for (const step of walkthrough.steps) {
      assert.ok(existsSync(join(root, step.media.markdown)), step.media.markdown);
      for (const ev of step.completionEvents) {
        const [kind, id] = ev.split(':') as [string, string];
        if (kind === 'onCommand') assert.ok(known.has(id), `walkthrough waits for unknown command ${id}`);
        else assert.ok((Object.values(ContextKeys) as string[]).includes(id), `walkthrough waits for unknown context key ${id}`);
      }
    }
  });

  it('admits VS Code 1.139 and declares untrusted-workspace support honestly', () => {
    const min = /\^1\.(\d+)\.0/.exec(pkg.engines.vscode);
    assert.ok(min && Number(min[1]) <= 139, `engines.vscode ${pkg.engines.vscode} must admit 1.139`);
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    // Settings that choose which program runs or where the credential goes are restricted (issue 10).
    assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations, [`${Settings.section}.${Settings.servers}`, ...GUARDED_SETTINGS.map((s) => `${Settings.section}.${s}`)]);
  });

  it('gives the guarded settings scopes that let a workspace propose a value, but keep it machine-specific where it names a path', () => {
    const props = pkg.contributes.configuration.properties as Record<string, { scope?: string; type?: string }>;
    assert.equal(props[`${Settings.section}.${Settings.powershellExecutable}`]?.scope, 'machine-overridable');
    assert.equal(props[`${Settings.section}.${Settings.directoryCaFile}`]?.scope, 'machine-overridable');
    assert.equal(props[`${Settings.section}.${Settings.directoryUrl}`]?.scope, 'window');
    for (const s of GUARDED_SETTINGS) assert.equal(props[`${Settings.section}.${s}`]?.type, 'string');
  });

  it('has every %key% of the manifest in English and German, and no stale keys', () => {
    const used = new Set([...JSON.stringify(pkg).matchAll(/"%([\w.]+)%"/g)].map((m) => m[1] as string));
    assert.deepEqual([...used].filter((k) => !(k in nls)), [], 'missing in package.nls.json');
    assert.deepEqual(Object.keys(nlsDe).sort(), Object.keys(nls).sort(), 'package.nls.de.json differs from package.nls.json');
    assert.deepEqual(Object.keys(nls).filter((k) => !used.has(k)), [], 'unused keys in package.nls.json');
  });
});
