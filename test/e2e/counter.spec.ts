import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { makeCardCode } from '../../core/index.js';
import type { ScratchDb } from '../support/db.js';
import { ledgerBreaches, pushAsImport } from '../support/centre.js';
import { redeemTissues } from '../support/counter.js';
import type { ServerProcess } from '../../build/serverProcess.js';
import { openPairedKiosk, signInStaff, startLiveCentre } from '../support/kiosk.js';
import { scanKeys } from '../support/scanner.js';

/**
 * The counter redemption as a clerk does it, in Chromium, against the real server on the real
 * PostgreSQL (so the test can look at the server's tables while it runs): online, offline with
 * a reload in the middle, and two kiosks spending the same last points while offline.
 */
let db: ScratchDb;
let server: ServerProcess;

let stopCentre: () => Promise<void>;

test.beforeAll(async () => {
  ({ db, server, stop: stopCentre } = await startLiveCentre());
});
test.afterAll(() => stopCentre());

const balanceOnServer = async (cardCode: string) =>
  (await db.query<{ balance: number }>('SELECT a.balance FROM account a JOIN resident r ON r.account_id = a.id WHERE r.card_code = $1', [cardCode]))[0]!.balance;
const eventsOf = async (deviceCode: string) =>
  (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM event e JOIN device d ON d.id = e.device_id WHERE d.code = $1 AND e.outcome = 'applied'`, [deviceCode]))[0]!.n;

/** The card of the `rank`-th richest resident (each test takes its own). */
const cardWithPoints = async (rank: number) =>
  (await db.query<{ card_code: string }>('SELECT r.card_code FROM resident r JOIN account a ON a.id = r.account_id ORDER BY a.balance DESC, r.id OFFSET $1 LIMIT 1', [rank]))[0]!.card_code;

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

/** Opens a fresh kiosk (its own IndexedDB) and pairs it. */
async function pairedKiosk(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  return openPairedKiosk(context, db, server.url);
}

/** Reloads the kiosk and waits until it listens for scans again. */
async function reload(page: Page): Promise<void> {
  await page.reload();
  await signInStaff(page); // a reload signs staff out
  await expect(page.locator('input[name=cardCode]')).toBeVisible();
}

/** A keyboard-wedge scan: keys stamped 4 ms apart, then Enter. */
const scan = (page: Page, code: string) => scanKeys(page, code);

const syncStatus = (page: Page) => page.getByTestId('sync-status');
const shownBalance = async (page: Page) => Number(await page.getByTestId('balance').textContent());

test('a clerk redeems online: points and stock change at once, the server holds the event once', async ({ browser }) => {
  const page = await pairedKiosk(browser);
  const card = await cardWithPoints(0);
  const before = await balanceOnServer(card);
  await scan(page, card);
  // Staff see the resident's full name (only paper carries the masked one).
  const [{ name } = { name: '' }] = await db.query<{ name: string }>(`SELECT name FROM resident WHERE centre_id = 'wzgl' AND card_code = $1`, [card]);
  await expect(page.getByTestId('resident-card').getByRole('heading', { level: 2 })).toHaveText(name);
  await expect.poll(() => shownBalance(page)).toBe(before);

  // Goods by tap and by EAN-13 scan, then confirm.
  await page.getByRole('button', { name: /口罩/ }).click();
  const tissuesBarcode = await page.getByRole('button', { name: /抽纸/ }).getAttribute('data-barcode');
  await scan(page, tissuesBarcode!);
  await expect(page.getByTestId('total')).toHaveText('45');
  await page.getByRole('button', { name: '确认兑换' }).click();
  await expect(page.getByRole('dialog')).toContainText(`共 45 分，兑换后剩余 ${before - 45} 分`);
  await page.getByRole('dialog').getByRole('button', { name: '确认', exact: true }).click();

  const receipt = page.getByTestId('receipt');
  await expect(receipt).toContainText('K01-000001');
  await expect(receipt).toContainText('口罩（10只）');
  await expect(receipt).toContainText(String(before - 45));
  await expect(page.getByTestId('balance')).toHaveText(String(before - 45));
  await expect(syncStatus(page)).toHaveText('已同步');
  expect(await balanceOnServer(card)).toBe(before - 45);
  expect(await eventsOf((await page.locator('header .centre').textContent())!.split(' · ')[1]!)).toBe(1);
  expect(await ledgerBreaches(db, 'wzgl')).toEqual([]);
});

test('offline for a while, reloaded mid-way: nothing is lost, nothing is applied twice', async ({ browser }) => {
  const page = await pairedKiosk(browser);
  const card = await cardWithPoints(1);
  const before = await balanceOnServer(card);
  await server.stop();

  await redeemTissues(page, card);
  await expect(syncStatus(page)).toHaveText(/离线 · 1 条待同步|1 条待同步/);
  await reload(page);
  await expect(syncStatus(page)).toHaveText('离线 · 1 条待同步');
  await scan(page, card);
  await expect.poll(() => shownBalance(page)).toBe(before - 30);
  await page.getByRole('button', { name: '下一位' }).click();

  await redeemTissues(page, card);
  await expect(syncStatus(page)).toHaveText('离线 · 2 条待同步');
  await scan(page, card);
  await expect.poll(() => shownBalance(page)).toBe(before - 60);

  await server.start();
  await expect(syncStatus(page)).toHaveText('已同步');
  await expect.poll(() => shownBalance(page)).toBe(before - 60);
  expect(await balanceOnServer(card)).toBe(before - 60);
  const code = (await page.locator('header .centre').textContent())!.split(' · ')[1]!;
  expect(await eventsOf(code)).toBe(2);
  expect(await ledgerBreaches(db, 'wzgl')).toEqual([]);

  // Reloading after the sync changes nothing more.
  await reload(page);
  await expect(syncStatus(page)).toHaveText('已同步');
  expect(await eventsOf(code)).toBe(2);
});

test('two kiosks offline spend the same last points: both reach the server and the overdraft is recorded', async ({ browser }) => {
  const [a, b] = [await pairedKiosk(browser), await pairedKiosk(browser)];
  // A resident with no points is given exactly 30 by the centre's import device, through the
  // same push path as any device; both kiosks pull it.
  const [resident] = await db.query<{ id: string; account_id: string; card_code: string }>(
    `SELECT r.id, r.account_id, r.card_code FROM resident r JOIN account a ON a.id = r.account_id WHERE a.balance = 0 ORDER BY r.id LIMIT 1`);
  const { card_code: card, account_id: accountId } = resident!;
  await pushAsImport(db, [{ kind: 'pointsAwarded', version: 1, payload: { accountId, points: 30, category: 'volunteering', note: 'e2e' } }], null);
  for (const page of [a, b]) {
    await reload(page);
    await scan(page, card);
    await expect(page.getByTestId('balance')).toHaveText('30');
    await page.getByRole('button', { name: '下一位' }).click();
  }

  await server.stop();
  await redeemTissues(a, card);
  await redeemTissues(b, card);
  await server.start();
  await expect(syncStatus(a)).toHaveText('已同步');
  await expect(syncStatus(b)).toHaveText('已同步');

  expect(await balanceOnServer(card)).toBe(-30);
  const exceptions = await db.query<{ kind: string; amount: number }>('SELECT kind, amount FROM rule_exception WHERE subject_id = $1', [accountId]);
  expect(exceptions).toEqual([{ kind: 'overdraft', amount: -30 }]);
  expect(await ledgerBreaches(db, 'wzgl')).toEqual([]);
  await reload(a);
  await scan(a, card);
  await expect(a.getByTestId('balance')).toHaveText('-30');
});

test('bad input at the counter gets a clear message and changes nothing', async ({ browser }) => {
  const page = await pairedKiosk(browser);
  const outbox = () => page.evaluate(async () => new Promise<number>((resolve) => {
    const open = indexedDB.open('linli');
    open.onsuccess = () => {
      const req = open.result.transaction('outbox').objectStore('outbox').count();
      req.onsuccess = () => resolve(req.result);
    };
  }));

  await scan(page, 'LL0000000017');
  await expect(page.getByRole('alert')).toHaveText('卡号「LL0000000017」格式不对，请重新扫描或核对卡号。');
  // A name typed where the card goes: told where residents without a card are found.
  await page.locator('input[name=cardCode]').fill('张三明');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByRole('alert')).toHaveText('「张三明」不是卡号，请扫描或输入居民卡号。没带卡的居民，可在柜台的「找居民」里按姓名、拼音首字母或手机尾号查找。');
  await scan(page, makeCardCode(99_999, 1));
  await expect(page.getByRole('alert')).toHaveText(`没有找到卡号为「${makeCardCode(99_999, 1)}」的居民。`);
  // Resident 1's card is generation 1; a card of generation 0 was replaced by it.
  await scan(page, makeCardCode(1, 0));
  await expect(page.getByRole('alert')).toHaveText(`卡「${makeCardCode(1, 0)}」已挂失或换卡，不能再使用。`);

  const card = await cardWithPoints(2);
  await scan(page, card);
  const before = await shownBalance(page);
  await scan(page, '6901234567890');
  await expect(page.getByRole('alert')).toContainText('条码「6901234567890」无效');

  // A bicycle is 3,000 points: more than this resident has. The basket says so before 确认,
  // which stays off.
  const redeemButton = page.getByTestId('basket').getByRole('button', { name: '确认兑换' });
  await page.getByRole('button', { name: /自行车/ }).click();
  await expect(page.getByTestId('basket-reason')).toHaveText(`不能兑换：积分不足：需要 3000 分，账户只有 ${before} 分。`);
  await expect(redeemButton).toBeDisabled();
  await expect.poll(() => shownBalance(page)).toBe(before);

  // More of the scarcest goods than the shelf holds: refused before the points are looked at.
  await page.getByRole('button', { name: '−' }).click();
  const [scarce] = await db.query<{ name: string; stock: number }>(`SELECT name, stock FROM goods WHERE centre_id = 'wzgl' AND stock > 0 ORDER BY stock, id LIMIT 1`);
  const tile = page.locator('.goods-grid button', { hasText: scarce!.name });
  for (let i = 0; i <= scarce!.stock; i++) await tile.click();
  await expect(page.getByTestId('basket-reason')).toHaveText(`不能兑换：「${scarce!.name}」库存不足：要 ${scarce!.stock + 1} 件，只剩 ${scarce!.stock} 件。`);
  await expect(redeemButton).toBeDisabled();

  // The same refusal in English, for staff who read it better.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByTestId('basket-reason')).toHaveText(`Cannot redeem: Not enough "${scarce!.name}" in stock: ${scarce!.stock + 1} wanted, ${scarce!.stock} left.`);
  await expect(page.getByTestId('basket').getByRole('button', { name: 'Redeem' })).toBeDisabled();
  await expect(syncStatus(page)).toHaveText('Synced');

  await expect.poll(() => shownBalance(page)).toBe(before);
  expect(await outbox()).toBe(0);
});
