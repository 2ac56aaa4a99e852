// Headless Debian Chromium driven by playwright-core (which downloads nothing).
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { chromiumPath } from './tools';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];

export function launchChromium(lang = 'en-US', extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: [...CHROMIUM_ARGS, `--lang=${lang}`, ...extraArgs] });
}

/**
 * A browser profile that outlives the page: the web workbench keeps workspace and global state in the browser's
 * IndexedDB, so a second session with the same profile folder sees what the first one stored (a real reload).
 */
export function launchPersistentChromium(profileDir: string, lang = 'en-US'): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath, headless: true, args: [...CHROMIUM_ARGS, `--lang=${lang}`], viewport: { width: 1400, height: 900 },
  });
}
