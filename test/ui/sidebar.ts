// The sidebar as the UI tests drive it: rows, their context menus, waiting for checks, a readable width.
import type { Page } from 'playwright-core';

/** Until no row shows the running spinner (all checks have reported). */
export async function waitUntilIdle(page: Page): Promise<void> {
  await page.waitForFunction("document.querySelectorAll('.monaco-list-row .codicon-loading').length === 0", undefined, { timeout: 60_000 });
}

/** Widens the side bar so rows and their evidence are readable in screenshots. */
export async function widenSideBar(page: Page): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(760, y, { steps: 8 });
  await page.mouse.up();
  await page.mouse.move(900, 600);
}

export function row(page: Page, text: string) {
  return page.locator('.monaco-list-row', { hasText: text }).first();
}

/** Right-clicks a tree row and picks a context-menu entry by its title (hovered first: the menu acts on mouse-up). */
export async function contextMenu(page: Page, rowText: string, entry: string): Promise<void> {
  await row(page, rowText).click({ button: 'right' });
  const item = page.locator('.context-view .action-label', { hasText: entry }).first();
  await item.waitFor({ state: 'visible', timeout: 10_000 });
  await page.waitForTimeout(300);
  await item.hover();
  await item.click({ delay: 50 });
  await page.locator('.context-view .monaco-menu').waitFor({ state: 'hidden', timeout: 5_000 }).catch(async () => {
    await page.keyboard.press('Enter'); // the menu kept the highlighted entry: take it
  });
}

/** Opens the Exchange Remoting view from the activity bar, waits for `firstServer`'s row and widens the side bar. */
export async function showServers(page: Page, firstServer: string): Promise<void> {
  await page.locator('.activitybar [aria-label^="Exchange Remoting"]').first().click();
  await page.locator('.monaco-list-row', { hasText: firstServer }).first().waitFor({ timeout: 30_000 });
  await widenSideBar(page);
}
