import { expect, test, type BrowserContext } from '@playwright/test';
import type { ServerProcess } from '../../build/serverProcess.js';
import type { ScratchDb } from '../support/db.js';
import { CLERK, openPairedKiosk, startLiveCentre } from '../support/kiosk.js';
import { scanKeys } from '../support/scanner.js';

/**
 * A kiosk that holds its centre opens to its sign-in at once and takes a staff card's scan while
 * its database is still opening (on a PC with a whole centre that takes seconds:
 * cold_start_to_scan_ready). The database's open is held here until the test lets it go.
 */
let db: ScratchDb;
let server: ServerProcess;
let stopCentre: () => Promise<void>;
const contexts: BrowserContext[] = [];

test.beforeAll(async () => {
  ({ db, server, stop: stopCentre } = await startLiveCentre());
});
test.afterAll(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
  await stopCentre();
});

/** Every IndexedDB open of the page answers only once `window.__openDb()` is called. */
const HOLD_DATABASE = `(() => {
  let release;
  const held = new Promise((resolve) => (release = resolve));
  window.__openDb = () => release();
  window.__dbOpened = false;
  const open = IDBFactory.prototype.open;
  IDBFactory.prototype.open = function (...args) {
    const req = open.apply(this, args);
    let handler = null;
    Object.defineProperty(req, 'onsuccess', { configurable: true, get: () => handler, set: (h) => { handler = h; } });
    req.addEventListener('success', (event) => void held.then(() => {
      window.__dbOpened = true;
      handler?.call(req, event);
    }));
    return req;
  };
})();`;

test('a paired kiosk shows its sign-in and takes a staff card before its database is open', async ({ browser }) => {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await openPairedKiosk(context, db, server.url);
  await page.addInitScript(HOLD_DATABASE);
  await page.goto(`${server.url}/`);

  const card = page.locator('input[name=staffCard]');
  await expect(card).toBeVisible();
  await scanKeys(page, CLERK.cardCode);
  await expect(card).toHaveValue(CLERK.cardCode);
  expect(await page.evaluate(() => (window as unknown as { __dbOpened: boolean }).__dbOpened)).toBe(false);

  // The database opens; the PIN signs the clerk in, the counter takes scans.
  await page.evaluate(() => (window as unknown as { __openDb(): void }).__openDb());
  await page.locator('input[name=pin]').fill(CLERK.pin);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.locator('input[name=cardCode]')).toBeVisible();
});
