// Headless Debian Chromium driven by playwright-core (which downloads nothing).
import { chromium, type Browser } from 'playwright-core';
import { chromiumPath } from './tools';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];

export function launchChromium(lang = 'en-US'): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: [...CHROMIUM_ARGS, `--lang=${lang}`] });
}
