// Mocha inside the extension host. The files are listed, not globbed.
import Mocha from 'mocha';
import { join } from 'node:path';

const FILES = ['activation.test.js', 'servers.test.js', 'traceViewer.test.js', 'checks.test.js', 'checklist.test.js', 'workspaceSettings.test.js', 'settingsFuzz.test.js'];

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: require(join(__dirname, '..', 'tooling', 'countingReporter.js')) });
  const only = process.env.ERS_HOST_GREP;
  if (only) mocha.grep(only);
  for (const file of FILES) mocha.addFile(join(__dirname, file));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension-host test(s) failed`)) : resolve()));
  });
}
