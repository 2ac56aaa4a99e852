// Mocha inside an extension host whose servers are real PowerShell-over-SSH hosts (a private sshd on 127.0.0.x).
import Mocha from 'mocha';
import { join } from 'node:path';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 240_000, color: false, reporter: require(join(__dirname, '..', '..', 'tooling', 'countingReporter.js')) });
  mocha.addFile(join(__dirname, 'ssh.test.js'));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} SSH remoting test(s) failed`)) : resolve()));
  });
}
