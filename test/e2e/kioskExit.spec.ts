import { expect, test, type BrowserContext } from '@playwright/test';
import type { ServerProcess } from '../../build/serverProcess.js';
import type { ScratchDb } from '../support/db.js';
import { ADMIN, COUNTER_SCREEN, redeemTissues, signInAs, unreachable } from '../support/counter.js';
import { FakePrinter } from '../support/fakePrinter.js';
import { openPairedKiosk, signOut, startLiveCentre } from '../support/kiosk.js';
import { installPrintBridge } from '../support/printBridge.js';

/**
 * The Electron kiosk's one way out (kiosk mode blocks Alt+F4 and the window manager): 「退出」 in the
 * header, for a signed-in admin only, asked first, with a warning while events wait to be synced.
 * The kiosk in Chromium with main's real bridge handlers (test/support/printBridge.ts) standing in
 * for Electron's preload; `exitKiosk` is what main would close the window on. 「管理后台」, for an
 * admin too, opens the admin app: main's window in Electron, a new tab in a browser kiosk.
 */
let db: ScratchDb;
let server: ServerProcess;
let stopCentre: () => Promise<void>;
const printer = new FakePrinter();
const contexts: BrowserContext[] = [];

test.beforeAll(async () => {
  ({ db, server, stop: stopCentre } = await startLiveCentre());
  await printer.start();
});
test.afterAll(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
  await printer.stop();
  await stopCentre();
});

test('only a signed-in admin sees 退出, is asked first (warned of events waiting), and only then the kiosk closes', async ({ browser }) => {
  const context = await browser.newContext({ viewport: COUNTER_SCREEN });
  contexts.push(context);
  let exits = 0;
  let adminApps = 0;
  let adminClosed = 0;
  const bridge = await installPrintBridge(context, printer, { exitKiosk: () => void (exits += 1), openAdmin: () => void (adminApps += 1), closeAdmin: () => void (adminClosed += 1) });
  const page = await openPairedKiosk(context, db, server.url);
  const exit = page.locator('header').getByRole('button', { name: '退出', exact: true });

  // A clerk: no way out, and no admin app.
  const adminApp = page.locator('header').getByRole('button', { name: '管理后台' });
  await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible();
  await expect(exit).toHaveCount(0);
  await expect(adminApp).toHaveCount(0);

  // A redemption that cannot reach the server waits in the outbox.
  await page.route('**/api/sync/push', (route) => route.abort());
  const [resident] = await db.query<{ card_code: string }>('SELECT r.card_code FROM resident r JOIN account a ON a.id = r.account_id ORDER BY a.balance DESC LIMIT 1');
  await redeemTissues(page, resident!.card_code);
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-pending', '1');

  // The admin sees it; it asks first, and says what waits.
  await signInAs(page, ADMIN);
  // The admin app: main opens its window (the admin signs in there with the admin password).
  await adminApp.click();
  await expect.poll(() => adminApps).toBe(1);
  await exit.click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('退出邻里柜台？');
  await expect(dialog.getByRole('alert')).toContainText('还有 1 条记录未同步');
  expect(await unreachable(page)).toEqual([]);
  await dialog.getByRole('button', { name: '取消' }).click();
  await expect(dialog).toHaveCount(0);
  expect(exits).toBe(0);

  await exit.click();
  await page.getByRole('dialog').getByRole('button', { name: '退出邻里' }).click();
  await expect.poll(() => exits).toBe(1);

  // Signed out again, the way out is gone, and the admin app's window is closed (its sign-in with it).
  const closedBefore = adminClosed;
  await signOut(page);
  await expect(page.locator('input[name=staffCard]')).toBeVisible();
  await expect(exit).toHaveCount(0);
  await expect.poll(() => adminClosed).toBe(closedBefore + 1);
  bridge.close();
});

test('a browser kiosk (no Electron bridge) shows no 退出, even to an admin; its 管理后台 opens the admin app in a new tab', async ({ browser }) => {
  const context = await browser.newContext({ viewport: COUNTER_SCREEN });
  contexts.push(context);
  const page = await openPairedKiosk(context, db, server.url);
  await signInAs(page, ADMIN);
  await expect(page.getByRole('tab', { name: '积分规则' })).toBeVisible();
  await expect(page.locator('header').getByRole('button', { name: '退出', exact: true })).toHaveCount(0);
  const [tab] = await Promise.all([context.waitForEvent('page'), page.locator('header').getByRole('button', { name: '管理后台' }).click()]);
  await expect(tab.getByRole('heading', { name: '管理员登录' })).toBeVisible();
  expect(new URL(tab.url()).pathname).toBe('/admin.html');
  // The kiosk stays where it was.
  await expect(page.getByRole('tab', { name: '积分规则' })).toBeVisible();
});
