// The layer rules of eslint.config.mjs bite: deliberate violations, linted through the real config at the paths where
// they would be written, must fail, and the allowed imports next to them must pass. (scripts/test.sh lints the tree.)
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const root = join(__dirname, '..', '..', '..');

describe('layers (eslint.config.mjs)', function () {
  this.timeout(60_000);
  let eslint: ESLint;
  before(() => {
    eslint = new ESLint({ cwd: root });
  });

  async function problems(file: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: join(root, file) });
    return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
  }

  async function refused(file: string, code: string, rule: string, why: RegExp): Promise<void> {
    const found = await problems(file, code);
    assert.ok(found.some((p) => p.startsWith(`${rule}:`) && why.test(p)), `${file}: expected ${rule} ~ ${why}, got ${JSON.stringify(found)}`);
  }

  async function allowed(file: string, code: string): Promise<void> {
    assert.deepEqual(await problems(file, code), [], file);
  }

  it('keeps vscode out of the pure core, types included', async () => {
    await refused('src/checks/probe.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n", '@typescript-eslint/no-restricted-imports', /pure core/);
    await refused('src/trace/probe.ts', "import type * as vscode from 'vscode';\nexport type U = vscode.Uri;\n", '@typescript-eslint/no-restricted-imports', /pure core/);
    await refused('src/traceViewer/viewModel.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n", '@typescript-eslint/no-restricted-imports', /pure core/);
    await refused('src/tree/presentation.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n", '@typescript-eslint/no-restricted-imports', /pure core/);
    await allowed('src/tree/serverTreeProvider.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n");
    await allowed('src/traceViewer/traceEditorProvider.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n");
  });

  it('lets only the adapters import node-powershell, ldapts and node:fs', async () => {
    await refused('src/execution/probe.ts', "import { PowerShell } from 'node-powershell';\nexport const p = PowerShell;\n", '@typescript-eslint/no-restricted-imports', /nodePowerShellRunner/);
    await allowed('src/powershell/nodePowerShellRunner.ts', "import { PowerShell } from 'node-powershell';\nexport const p = PowerShell;\n");
    await refused('src/probe/probe.ts', "import { Client } from 'ldapts';\nexport const c = Client;\n", '@typescript-eslint/no-restricted-imports', /directory\/delegation/);
    await refused('src/cli/probe.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n", '@typescript-eslint/no-restricted-imports', /nodeFileAccess/);
    await refused('src/trace/probe.ts', "import { open } from 'fs/promises';\nexport const o = open;\n", '@typescript-eslint/no-restricted-imports', /nodeFileAccess/);
    await refused('src/tree/probe.ts', "import { promises } from 'node:fs';\nexport const p = promises;\n", '@typescript-eslint/no-restricted-imports', /nodeFileAccess/);
    await allowed('src/util/nodeFileAccess.ts', "import { promises } from 'node:fs';\nexport const p = promises;\n");
  });

  it('refuses an import that runs up a layer, and allows the ones that run down', async () => {
    await refused('src/checks/probe.ts', "import { CheckService } from '../execution/checkService';\nexport const c = CheckService;\n", 'layers/imports-run-down', /layer "catalog".*src\/execution/);
    await refused('src/checks/steps/probe.ts', "import { quoteList } from '../../powershell/runner';\nexport const q = quoteList;\n", 'layers/imports-run-down', /src\/powershell/);
    await refused('src/report/model.ts', "import { md } from '../tree/presentation';\nexport const m = md;\n", 'layers/imports-run-down', /layer "orchestration".*src\/tree\/presentation/);
    await refused('src/execution/probe.ts', "import { readRunSettings } from '../config';\nexport const r = readRunSettings;\n", 'layers/imports-run-down', /src\/config/);
    await refused('src/traceViewer/dto.ts', "import { TraceEditorProvider } from './traceEditorProvider';\nexport const t = TraceEditorProvider;\n", 'layers/imports-run-down', /traceEditorProvider/);
    await refused('src/ids.ts', "export { Settings } from './trace';\n", 'layers/imports-run-down', /src\/trace/);
    await allowed('src/checks/probe.ts', "import { quoteLiteral } from '../pslang/quote';\nimport { InputError } from '../servers/validation';\nexport const q = [quoteLiteral, InputError];\n");
    await allowed('src/tree/probe.ts', "import { buildReport } from '../report/model';\nimport { stepState } from '../state/rowState';\nexport const b = [buildReport, stepState];\n");
  });

  it('names every file of src/ in a layer', async () => {
    await refused('src/newFeature/thing.ts', 'export const x = 1;\n', 'layers/imports-run-down', /in no layer/);
  });

  it('lets the webview share only the protocol types and the filter vocabulary with the host', async () => {
    await allowed('media/viewer/probe.ts', "import type { RowDto } from '../../src/traceViewer/protocol';\nimport { EMPTY_FILTER } from '../../src/traceViewer/filterVocabulary';\nexport const f: RowDto | typeof EMPTY_FILTER = EMPTY_FILTER;\n");
    await refused('media/viewer/probe.ts', "import { stepsFor } from '../../src/checks';\nexport const s = stepsFor;\n", '@typescript-eslint/no-restricted-imports', /only/);
    await refused('media/probe.ts', "import { ViewerSession } from '../src/traceViewer/viewerSession';\nexport const v = ViewerSession;\n", '@typescript-eslint/no-restricted-imports', /only/);
    await refused('media/probe.ts', "import { isRequest } from '../src/traceViewer/protocol';\nexport const i = isRequest;\n", '@typescript-eslint/no-restricted-imports', /types/);
    await refused('media/probe.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n", '@typescript-eslint/no-restricted-imports', /no vscode module/);
    await refused('media/probe.ts', "import { readFile } from 'node:fs';\nexport const r = readFile;\n", '@typescript-eslint/no-restricted-imports', /browser/);
  });
});
