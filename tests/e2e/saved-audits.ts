import type { Page } from '@playwright/test';

/** Everything the app keeps in IndexedDB (every object store), as one JSON text read the way any script on the page could. */
export async function storedAudits(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('sprint-zero');
        open.onerror = () => reject(new Error('cannot open the database'));
        open.onsuccess = () => {
          const db = open.result;
          const names = [...db.objectStoreNames];
          const transaction = db.transaction(names);
          const all: Record<string, unknown> = {};
          for (const name of names) {
            const request = transaction.objectStore(name).getAll();
            request.onsuccess = () => (all[name] = request.result);
          }
          transaction.oncomplete = () => {
            resolve(JSON.stringify(all));
            db.close();
          };
          transaction.onerror = () => reject(new Error('cannot read audits'));
        };
      }),
  );
}

/** Import an audit file through the landing page's file input. */
export async function importAuditText(page: Page, name: string, text: string): Promise<void> {
  await page.getByTestId('import-input').setInputFiles({
    name,
    mimeType: 'application/json',
    buffer: Buffer.from(text),
  });
}

/**
 * Make this tab's IndexedDB writes fail as a full disk does: the store
 * worker, which does the tab's writes, gets the browser's own
 * `QuotaExceededError` from `put`. Other tabs still write. `false` gives the
 * disk back.
 */
export async function refuseWrites(page: Page, refuse: boolean): Promise<void> {
  const worker = page.workers().find((w) => w.url().includes('store-worker'));
  if (!worker) throw new Error('this tab’s store worker is not running (open an audit first)');
  await worker.evaluate((on) => {
    const scope = globalThis as unknown as { __put?: typeof IDBObjectStore.prototype.put };
    scope.__put ??= IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = on
      ? function () {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        }
      : scope.__put;
  }, refuse);
}
