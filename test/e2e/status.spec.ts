import { expect, test, type BrowserContext } from '@playwright/test';
import type { ServerProcess } from '../../build/serverProcess.js';
import { createPairingCode } from '../../server/devices/enrol.js';
import { redeemTissues } from '../support/counter.js';
import type { ScratchDb } from '../support/db.js';
import { openPairedKiosk, signInStaff, startLiveCentre } from '../support/kiosk.js';
import { scanKeys } from '../support/scanner.js';

/**
 * A status staff can believe: the header never says 已同步 unless it is (not before pairing, not
 * while the first download runs), says 离线 as soon as the server's stream ends rather than at the
 * next safety poll, and the history lists what the balance counts, pending entries included.
 */
let db: ScratchDb;
let server: ServerProcess;
let stopCentre: () => Promise<void>;

test.beforeAll(async () => {
  ({ db, server, stop: stopCentre } = await startLiveCentre());
});
test.afterAll(() => stopCentre());

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

test('before pairing the header says 未配对, during the first download how far it got, then 已同步', async ({ browser }) => {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  // The first download is held until the test has seen the header say so.
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  let seen = 0;
  await page.route('**/api/sync/pull*', async (route) => {
    if (seen++ === 0) await held;
    await route.continue();
  });
  const code = await createPairingCode(db, 'wzgl', 'counter', new Date());
  await page.goto(`${server.url}/#pair=${code}`);
  const status = page.getByTestId('sync-status');
  await expect(status).toHaveText('未配对');
  await page.getByRole('button', { name: '配对' }).click();
  await expect(status).toHaveText(/^正在下载 \d+%$/);
  await expect(page.getByRole('status').filter({ hasText: '正在' }).first()).toBeVisible();
  release();
  await signInStaff(page);
  await expect(status).toHaveText('已同步');
});

test('the header says 离线 as soon as the server is gone, before any poll would notice', async ({ browser }) => {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  // Once the poke stream is up, polling runs only every 30 s as a safety net: only the stream's
  // end can tell the kiosk in time.
  const streamUp = page.waitForResponse((r) => r.url().includes('/api/sync/stream') && r.status() === 200, { timeout: 120_000 });
  await page.goto(`${server.url}/#pair=${await createPairingCode(db, 'wzgl', 'counter', new Date())}`);
  await page.getByRole('button', { name: '配对' }).click();
  await signInStaff(page);
  const status = page.getByTestId('sync-status');
  await expect(status).toHaveText('已同步');
  await streamUp;
  await server.stop('SIGKILL');
  try {
    await expect(status).toHaveText('离线', { timeout: 10_000 });
  } finally {
    await server.start();
  }
});

test('offline, the history lists the redemption the balance already counts, marked not synced', async ({ browser }) => {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await openPairedKiosk(context, db, server.url);
  const [r] = await db.query<{ card_code: string }>('SELECT r.card_code FROM resident r JOIN account a ON a.id = r.account_id ORDER BY a.balance DESC, r.id OFFSET 5 LIMIT 1');
  await server.stop();
  try {
    await redeemTissues(page, r!.card_code);
    await scanKeys(page, r!.card_code);
    const first = page.getByTestId('resident-card').locator('.history li').first();
    await expect(first).toContainText('抽纸（一提）×1');
    await expect(first).toContainText('待同步');
    await expect(first).toContainText('-30');
  } finally {
    await server.start();
  }
});
