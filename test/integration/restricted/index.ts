// Mocha inside an extension host whose workspace is NOT trusted (Restricted Mode).
import Mocha from 'mocha';
import { join } from 'node:path';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: require(join(__dirname, '..', '..', 'tooling', 'countingReporter.js')) });
  mocha.addFile(join(__dirname, 'restricted.test.js'));
  mocha.addFile(join(__dirname, 'workspaceSettings.test.js'));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} restricted-mode test(s) failed`)) : resolve()));
  });
}
