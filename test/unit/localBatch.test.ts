import * as assert from 'node:assert/strict';
import { getStep, resolveInputs } from '../../src/checks';
import { combinedCheckScript } from '../../src/checks/script';
import { localBatchScript } from '../../src/execution/localBatch';
import { extractResult } from '../../src/pslang/resultMarkers';
import { parsePowerShell } from './helpers/treeSitter';

describe('local batch of check scripts', () => {
  it('parses as PowerShell without error nodes, with each part in its own try and scope', async () => {
    const steps = [getStep('trusted-hosts'), getStep('kerberos-delegation')];
    const parts = ['exch01.contoso.com', "exch'02.contoso.com".replace("'", ''), 'exch03.contoso.com'].map((server, i) =>
      combinedCheckScript(steps, resolveInputs({ server, account: 'CONTOSO\\svc_sync' }), `tok${i}abcdefgh`, `checks for ${server}`));
    const script = localBatchScript(parts);
    const parsed = await parsePowerShell(script);
    assert.deepEqual(parsed.problems, []);
    assert.equal(script.split("Write-Warning ('A check script stopped early: '").length - 1, 3, 'one guard per part');
    assert.equal((script.match(/^& \{$/gm) ?? []).length, 3, 'one scope per part');
  });

  it('finds each part\'s result by its token and says why one is missing', () => {
    const out = '##ERS-RESULT-BEGIN:aaaaaaaa##\n{"a":1}\n##ERS-RESULT-END:aaaaaaaa##\nWARNING: stopped';
    const found = extractResult(out, 'aaaaaaaa');
    assert.equal(found.ok, true);
    assert.deepEqual(found.ok && found.json, { a: 1 });
    const missing = extractResult(out, 'bbbbbbbb');
    assert.equal(missing.ok, false);
  });
});
