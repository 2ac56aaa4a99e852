// Mocha in a second VS Code session on the same workspace and profile as the main suite (a reload).
import Mocha from 'mocha';
import { join } from 'node:path';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: require(join(__dirname, '..', '..', 'tooling', 'countingReporter.js')) });
  mocha.addFile(join(__dirname, 'reload.test.js'));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} reload test(s) failed`)) : resolve()));
  });
}
