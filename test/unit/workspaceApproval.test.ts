// Issue 10 items 1–2: the pure rule for settings that choose which program runs or where the credential goes.
import * as assert from 'node:assert/strict';
import { decide, isApproved, parseApprovals, withApproval, withoutApproval, MAX_APPROVALS, type Approval, type DecideInput } from '../../src/state/settingApproval';

const WS = 'file:///work/project';
const base: DecideInput = { setting: 'powershell.executable', inspected: { defaultValue: 'auto' }, trusted: true, workspaceScope: WS, approvals: [] };

describe('workspace setting approval (pure decision)', () => {
  it('uses the default and the user (global) value as they are', () => {
    assert.deepEqual(decide(base), { kind: 'use', value: 'auto', source: 'default' });
    assert.deepEqual(decide({ ...base, inspected: { defaultValue: 'auto', globalValue: '/opt/pwsh/pwsh' } }), { kind: 'use', value: '/opt/pwsh/pwsh', source: 'user' });
  });

  it('never uses a workspace value that was not approved for this workspace and this exact value', () => {
    const inspected = { defaultValue: 'auto', globalValue: 'pwsh', workspaceValue: './tools/evil' };
    const d = decide({ ...base, inspected });
    assert.deepEqual(d, { kind: 'needs-approval', approval: { scope: WS, setting: 'powershell.executable', value: './tools/evil' }, source: 'workspace' });
    // Approved for another workspace, another setting or another value: still not used.
    for (const other of [
      { scope: 'file:///other', setting: 'powershell.executable', value: './tools/evil' },
      { scope: WS, setting: 'directory.url', value: './tools/evil' },
      { scope: WS, setting: 'powershell.executable', value: './tools/evil2' },
    ] as Approval[]) assert.equal(decide({ ...base, inspected, approvals: [other] }).kind, 'needs-approval');
  });

  it('uses the workspace value once exactly it was approved for this workspace', () => {
    const inspected = { defaultValue: '', workspaceValue: 'ldaps://dc.contoso.test' };
    const approvals: Approval[] = [{ scope: WS, setting: 'directory.url', value: 'ldaps://dc.contoso.test' }];
    assert.deepEqual(decide({ ...base, setting: 'directory.url', inspected, approvals }), { kind: 'use', value: 'ldaps://dc.contoso.test', source: 'workspace' });
  });

  it('ignores a workspace value in Restricted Mode even when approved, and says so', () => {
    const inspected = { defaultValue: '', globalValue: 'ldaps://mine', workspaceValue: 'ldaps://theirs' };
    const approvals: Approval[] = [{ scope: WS, setting: 'directory.url', value: 'ldaps://theirs' }];
    assert.deepEqual(decide({ ...base, setting: 'directory.url', inspected, approvals, trusted: false }),
      { kind: 'use', value: 'ldaps://mine', source: 'user', ignored: { source: 'workspace', value: 'ldaps://theirs', reason: 'restricted-mode' } });
  });

  it('a workspace value equal to the user value needs no approval', () => {
    assert.deepEqual(decide({ ...base, inspected: { globalValue: 'pwsh', workspaceValue: 'pwsh' } }), { kind: 'use', value: 'pwsh', source: 'workspace' });
  });

  it('folder values (multi-root) are keyed by the folder', () => {
    const inspected = { workspaceValue: 'a', workspaceFolderValue: 'b' };
    const d = decide({ ...base, inspected, folderScope: 'file:///work/project/f1' });
    assert.deepEqual(d, { kind: 'needs-approval', approval: { scope: 'file:///work/project/f1', setting: 'powershell.executable', value: 'b' }, source: 'workspaceFolder' });
  });

  it('type-checks every source with a message naming the setting', () => {
    for (const bad of [42, true, null, ['pwsh'], { exe: 'pwsh' }, 'x'.repeat(5000), 'pwsh\u0000x']) {
      const d = decide({ ...base, inspected: { defaultValue: 'auto', workspaceValue: bad } });
      assert.equal(d.kind, 'invalid', JSON.stringify(bad));
      assert.match(d.kind === 'invalid' ? d.message : '', /exchangeRemoting\.powershell\.executable/);
      const g = decide({ ...base, inspected: { defaultValue: 'auto', globalValue: bad } });
      assert.equal(g.kind, 'invalid');
    }
  });

  it('reads stored approvals defensively, caps them, approves once and revokes', () => {
    assert.deepEqual(parseApprovals('x'), []);
    assert.deepEqual(parseApprovals([null, 1, { scope: WS }, { scope: WS, setting: 'servers', value: 'x' }, { scope: WS, setting: 'directory.url', value: 'ldaps://a' }]),
      [{ scope: WS, setting: 'directory.url', value: 'ldaps://a' }]);
    const a: Approval = { scope: WS, setting: 'directory.caFile', value: '/ca.pem' };
    let list = withApproval(withApproval([], a), a);
    assert.equal(list.length, 1);
    assert.ok(isApproved(list, a));
    list = withoutApproval(list, { scope: WS, setting: 'directory.caFile' });
    assert.ok(!isApproved(list, a));
    const many = Array.from({ length: MAX_APPROVALS + 10 }, (_, i) => ({ scope: WS, setting: 'directory.url' as const, value: `ldaps://h${i}` }));
    assert.equal(parseApprovals(many).length, MAX_APPROVALS);
  });
});
