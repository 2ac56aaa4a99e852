import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fixture } from '../webview/nodeAccess';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

describe('exchange-remoting trace export into a pipe that closes early (… | head)', () => {
  it('stops quietly with exit code 0 instead of crashing with EPIPE', async function () {
    if (!existsSync(CLI)) this.skip(); // built by scripts/build.mjs
    const child = spawn(process.execPath, [CLI, 'trace', 'export', fixture('faiteo__Client__web_tracelog.svclog'), '--format', 'csv'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    // Read one chunk, then close our end, as `head -1` does.
    await new Promise<void>((resolve) => child.stdout.once('data', () => { child.stdout.destroy(); resolve(); }));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    assert.equal(stderr, '', 'no EPIPE stack trace');
    assert.equal(code, 0);
  });
});
