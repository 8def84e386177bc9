import { strFromU8, unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';

/** Export through a button's dialog, with its defaults: the file's text and what the dialog said it contains. */
export async function exportWithDialog(
  page: Page,
  button: string,
): Promise<{ text: string; contains: string }> {
  await page.getByTestId(button).click();
  const dialog = page.locator('dialog[open]');
  await expect(dialog).toBeVisible();
  const contains = (await dialog.getByTestId('export-contains').textContent()) ?? '';
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByTestId('export-download').click(),
  ]);
  return { text: readFileSync((await download.path())!, 'utf8'), contains };
}

/**
 * Click a menu item and read the one download it starts: a single file by its
 * name, or a zip's entries by their paths inside it.
 */
export async function downloadOf(
  page: Page,
  item: Locator,
): Promise<{ name: string; files: Map<string, string> }> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), item.click()]);
  const name = download.suggestedFilename();
  const bytes = readFileSync((await download.path())!);
  if (!name.endsWith('.zip')) return { name, files: new Map([[name, bytes.toString('utf8')]]) };
  const entries = unzipSync(new Uint8Array(bytes));
  return {
    name,
    files: new Map(Object.entries(entries).map(([path, data]) => [path, strFromU8(data)])),
  };
}
