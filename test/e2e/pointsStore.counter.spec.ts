import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { makeStaffCardCode } from '../../core/index.js';
import type { ServerProcess } from '../../build/serverProcess.js';
import { ADMIN, COUNTER_SCREEN, counterKiosk, outboxCount, pageScrolls, redeemTissues, signInAs, unreachable } from '../support/counter.js';
import type { ScratchDb } from '../support/db.js';
import { decodeEscPos } from '../support/escpos.js';
import { pushAsImport } from '../support/centre.js';
import { FakePrinter } from '../support/fakePrinter.js';
import { CLERK, openPairedKiosk, startLiveCentre } from '../support/kiosk.js';
import { installPrintBridge } from '../support/printBridge.js';
import { scanKeys } from '../support/scanner.js';

/**
 * The counter a clerk can live with, at the counter PC's 1366×768, in Chromium against the real
 * server: every action in sight and nothing covering it, the basket saying why before 确认, a card
 * scanned over a full basket asked about, the basket and the language kept across a reload, the
 * clerk's name on the receipt, and a browser-printed receipt that is the receipt alone.
 */
let db: ScratchDb;
let server: ServerProcess;
let stopCentre: () => Promise<void>;
const contexts: BrowserContext[] = [];

test.beforeAll(async () => {
  ({ db, server, stop: stopCentre } = await startLiveCentre());
  // Ten residents with points enough for the baskets below (the demo's richest have about a hundred).
  // A resident's points account (the canteen's meal balances are residents' accounts too).
  const accounts = await db.query<{ id: string }>('SELECT account_id AS id FROM resident ORDER BY id LIMIT 10');
  await pushAsImport(db, accounts.map((a, i) => ({ kind: 'pointsAwarded', version: 1, payload: { accountId: a.id, points: 1_000 + i, category: 'volunteering', note: 'e2e' } })));
});
test.afterAll(() => stopCentre());
test.afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

/** The card of the `rank`-th richest resident. */
const cardByBalance = async (rank: number, order: 'DESC' | 'ASC' = 'DESC') =>
  (await db.query<{ card_code: string; balance: number }>(`SELECT r.card_code, a.balance FROM resident r JOIN account a ON a.id = r.account_id WHERE a.balance > 0 ORDER BY a.balance ${order}, r.id OFFSET $1 LIMIT 1`, [rank]))[0]!;

const card = (page: Page) => page.getByTestId('resident-card');
const confirmButton = (page: Page) => page.getByTestId('basket').getByRole('button', { name: '确认兑换' });

test('at 1366×768 every screen keeps each action in sight, nothing covers it, and the page never scrolls', async ({ browser }) => {
  const page = await counterKiosk(browser, db, server.url, contexts);
  expect(page.viewportSize()).toEqual(COUNTER_SCREEN);
  const check = async (where: string) => {
    expect(await unreachable(page), where).toEqual([]);
    expect(await pageScrolls(page), where).toBe(false);
  };
  await check('scan');
  await page.getByRole('button', { name: '摄像头扫码' }).click();
  await check('scan, camera open');
  await page.getByRole('button', { name: '关闭摄像头' }).click();
  await page.getByRole('button', { name: '新居民登记' }).click();
  await check('registration');
  // Registered, with the card's preview and its print button.
  await page.locator('input[name=name]').fill('欧阳小明');
  await page.locator('input[name=building]').fill('3栋');
  await page.locator('input[name=room]').fill('2单元501');
  await page.getByRole('button', { name: '登记并制卡' }).click();
  await expect(page.getByTestId('registered')).toContainText('登记成功：欧阳小明');
  await check('registered, card shown');
  await page.getByRole('button', { name: '返回' }).click();

  const { card_code: code } = await cardByBalance(0);
  await scanKeys(page, code);
  await expect(card(page)).toHaveAttribute('data-card-code', code);
  for (const goods of [/抽纸/, /口罩/, /香皂/, /牙膏/, /毛巾/]) await page.getByRole('button', { name: goods }).click();
  await check('basket with five lines');
  await page.getByRole('button', { name: '摄像头扫码' }).click();
  await check('basket, camera open');
  await page.getByRole('button', { name: '关闭摄像头' }).click();
  for (const mode of ['奖励积分', '商铺兑换', '积分流水']) {
    await page.getByRole('button', { name: mode, exact: true }).click();
    await check(mode);
  }
  await page.getByRole('button', { name: '兑换商品' }).click();
  await confirmButton(page).click();
  await check('confirmation');
  await page.getByRole('dialog').getByRole('button', { name: '确认', exact: true }).click();
  await expect(page.getByTestId('receipt')).toBeVisible();
  await check('receipt');
  await page.getByRole('button', { name: '完成' }).click();

  await signInAs(page, ADMIN);
  for (const tab of ['服务认证', '旧物捐赠', '商品库存', '爱心商铺', '日结月报', '积分规则', '异常']) {
    await page.getByRole('tab', { name: tab }).click();
    await check(tab);
  }

  // After the actions too: a long roster, a shop's ledger, goods picked for labels, the day summary printed, the closing question.
  await page.getByRole('tab', { name: '服务认证' }).click();
  const cards = (await db.query<{ card_code: string }>('SELECT card_code FROM resident ORDER BY id LIMIT 14')).map((r) => r.card_code);
  for (const c of cards) await scanKeys(page, c);
  await expect(page.getByTestId('roster').locator('li')).toHaveCount(cards.length);
  await check('a roster of fourteen');
  await page.getByRole('tab', { name: '爱心商铺' }).click();
  await page.getByTestId('shops').locator('tr').nth(1).getByRole('button', { name: '积分明细' }).click();
  await expect(page.getByTestId('ledger')).toBeVisible();
  await check('a shop\'s ledger');
  await page.getByRole('button', { name: '返回商铺列表' }).click();
  await page.getByRole('tab', { name: '商品库存' }).click();
  await page.getByLabel('选 口罩（10只）').check();
  await page.getByLabel('选 香皂').check();
  await page.getByRole('button', { name: '打印选中商品的价签（2）' }).click();
  await expect(page.getByTestId('print-view').last()).toBeVisible();
  await check('labels printed');
  await page.getByRole('tab', { name: '日结月报' }).click();
  await page.getByRole('button', { name: '打印日结单' }).click();
  await expect(page.getByTestId('print-view').last()).toBeVisible();
  await check('day summary printed');
});

test('at 1366×768 offline, with events waiting and the admin signed in, the header keeps to one line and the screen below it in sight', async ({ browser }) => {
  const page = await counterKiosk(browser, db, server.url, contexts);
  await signInAs(page, ADMIN);
  await server.stop();
  try {
    await redeemTissues(page, (await cardByBalance(9)).card_code);
    await expect(page.getByTestId('sync-status')).toHaveText('离线 · 1 条待同步');
    await expect(page.getByRole('button', { name: '导出待同步数据' })).toBeVisible();
    // The header as tall as one row of its buttons, its title on one line.
    const header = await page.locator('header.top').boundingBox();
    const title = await page.locator('header.top h1').boundingBox();
    const button = await page.getByRole('button', { name: '退出登录' }).boundingBox();
    expect(header!.height).toBeLessThan(button!.height + 24);
    expect(title!.height).toBeLessThan(40);
    expect(await unreachable(page)).toEqual([]);
    expect(await pageScrolls(page)).toBe(false);
  } finally {
    await server.start();
  }
});

test('at 1366×768 the closing question at sign-out keeps its three answers in sight', async ({ browser }) => {
  const page = await counterKiosk(browser, db, server.url, contexts);
  await redeemTissues(page, (await cardByBalance(1)).card_code);
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByRole('dialog')).toContainText('今天的日结单还没有打印');
  expect(await unreachable(page)).toEqual([]);
  expect(await pageScrolls(page)).toBe(false);
});

test('the basket says why before 确认 (too few points, too little stock) and 确认 stays off; nothing is written', async ({ browser }) => {
  const page = await counterKiosk(browser, db, server.url, contexts);
  const { card_code: code, balance } = await cardByBalance(3);
  expect(balance).toBeLessThan(3000);
  await scanKeys(page, code);
  await expect(card(page)).toHaveAttribute('data-card-code', code);
  // A bicycle is 3,000 points: the basket says so at once.
  await page.getByRole('button', { name: /自行车/ }).click();
  await expect(page.getByTestId('basket-reason')).toHaveText(`不能兑换：积分不足：需要 3000 分，账户只有 ${balance} 分。`);
  await expect(confirmButton(page)).toBeDisabled();
  await page.getByTestId('basket').getByRole('button', { name: '−' }).click();
  await expect(page.getByTestId('basket-reason')).toHaveCount(0);

  // More of the scarcest goods than the shelf holds.
  const [scarce] = await db.query<{ name: string; stock: number }>(`SELECT name, stock FROM goods WHERE centre_id = 'wzgl' AND stock > 0 AND point_price * (stock + 1) <= $1 ORDER BY stock, id LIMIT 1`, [balance]);
  const tile = page.locator('.goods-grid button', { hasText: scarce!.name });
  for (let i = 0; i < scarce!.stock; i++) await tile.click();
  await expect(confirmButton(page)).toBeEnabled();
  await page.getByTestId('basket').getByRole('button', { name: '+' }).click();
  await expect(page.getByTestId('basket-reason')).toHaveText(`不能兑换：「${scarce!.name}」库存不足：要 ${scarce!.stock + 1} 件，只剩 ${scarce!.stock} 件。`);
  await expect(confirmButton(page)).toBeDisabled();
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByTestId('basket-reason')).toHaveText(`Cannot redeem: Not enough "${scarce!.name}" in stock: ${scarce!.stock + 1} wanted, ${scarce!.stock} left.`);
  expect(await outboxCount(page)).toBe(0);
});

test('a card scanned over a full basket asks first: stay keeps the basket, switch empties it', async ({ browser }) => {
  const page = await counterKiosk(browser, db, server.url, contexts);
  const [a, b] = [(await cardByBalance(4)).card_code, (await cardByBalance(5)).card_code];
  await scanKeys(page, a);
  await expect(card(page)).toHaveAttribute('data-card-code', a);
  await page.getByRole('button', { name: /抽纸/ }).click();
  await scanKeys(page, b);
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('已选商品还没有兑换');
  await expect(dialog).toContainText('已选了 1 件商品');
  // A scan while it asks is not taken.
  await scanKeys(page, a);
  await dialog.getByRole('button', { name: '取消' }).click();
  await expect(card(page)).toHaveAttribute('data-card-code', a);
  await expect(page.getByTestId('total')).toHaveText('30');
  await scanKeys(page, b);
  await page.getByRole('dialog').getByRole('button', { name: '换下一位' }).click();
  await expect(card(page)).toHaveAttribute('data-card-code', b);
  await expect(page.getByTestId('basket')).toContainText('扫描商品条码或点选商品');
  // The same card again, or with an empty basket, is not asked about.
  await page.getByRole('button', { name: /口罩/ }).click();
  await scanKeys(page, b);
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByTestId('total')).toHaveText('15');
});

test('a reload keeps the resident\'s basket, and the language with <html lang> following it', async ({ browser }) => {
  const page = await counterKiosk(browser, db, server.url, contexts);
  const { card_code: code } = await cardByBalance(6);
  await scanKeys(page, code);
  await expect(card(page)).toHaveAttribute('data-card-code', code);
  await page.getByRole('button', { name: /抽纸/ }).click();
  await page.getByRole('button', { name: /抽纸/ }).click();
  await page.getByRole('button', { name: /口罩/ }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Staff sign-in' })).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.locator('input[name=staffCard]').fill(CLERK.cardCode);
  await page.locator('input[name=pin]').fill(CLERK.pin);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(card(page)).toHaveAttribute('data-card-code', code);
  await expect(page.getByTestId('total')).toHaveText('75');
  await expect(page.getByRole('status').filter({ hasText: 'The basket from before the reload is back.' })).toBeVisible();
  await page.getByRole('button', { name: '中文' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  // Once redeemed, a reload shows no basket.
  await confirmButton(page).click();
  await page.getByRole('dialog').getByRole('button', { name: '确认', exact: true }).click();
  await expect(page.getByTestId('receipt')).toBeVisible();
  await page.reload();
  await page.locator('input[name=staffCard]').fill(CLERK.cardCode);
  await page.locator('input[name=pin]').fill(CLERK.pin);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.locator('input[name=cardCode]')).toBeVisible();
});

test('the receipt names the clerk; printed from the browser it is the receipt alone, its title included', async ({ browser }) => {
  const page = await counterKiosk(browser, db, server.url, contexts);
  const { card_code: code } = await cardByBalance(7);
  await scanKeys(page, code);
  await page.getByRole('button', { name: /口罩/ }).click();
  await confirmButton(page).click();
  await page.getByRole('dialog').getByRole('button', { name: '确认', exact: true }).click();
  const receipt = page.getByTestId('receipt');
  await expect(receipt).toContainText('经办李建国');
  await page.emulateMedia({ media: 'print' });
  await expect(receipt.getByRole('heading', { name: '积分兑换小票' })).toBeVisible();
  await expect(receipt.getByRole('heading', { name: '五洲观澜社区党群服务中心' })).toBeVisible();
  for (const other of [page.locator('header.top h1'), page.getByRole('tab', { name: '柜台' }), card(page), page.getByRole('button', { name: '完成' }), page.getByRole('heading', { name: '兑换成功' })]) {
    await expect(other).toBeHidden();
  }
  const box = await receipt.boundingBox();
  expect(box).toMatchObject({ x: 0, y: 0 });
});

test('on a thermal printer the receipt names the clerk too', async ({ browser }) => {
  const printer = new FakePrinter();
  await printer.start();
  const context = await browser.newContext({ viewport: COUNTER_SCREEN });
  contexts.push(context);
  const bridge = await installPrintBridge(context, printer);
  try {
    const page = await openPairedKiosk(context, db, server.url, '', undefined);
    await signInAs(page, { cardCode: makeStaffCardCode(3), pin: CLERK.pin });
    const { card_code: code } = await cardByBalance(8);
    await scanKeys(page, code);
    await page.getByRole('button', { name: /口罩/ }).click();
    await confirmButton(page).click();
    await page.getByRole('dialog').getByRole('button', { name: '确认', exact: true }).click();
    await expect(page.getByTestId('print-status')).toHaveText('小票已打印');
    const text = decodeEscPos(printer.jobs[0]!).lines.map((l) => l.text).join('\n');
    expect(text).toMatch(/经办\s+陈丽/);
    // The day summary once the printer took it: signing out no longer asks for it.
    await page.getByRole('button', { name: '完成' }).click();
    await page.getByRole('tab', { name: '日结月报' }).click();
    await page.getByRole('button', { name: '打印日结单' }).click();
    await expect(page.getByTestId('doc-print-status')).toHaveText('已打印');
    expect(decodeEscPos(printer.jobs[1]!).lines.map((l) => l.text).join('\n')).toContain('日结单');
    await page.getByRole('button', { name: '退出登录' }).click();
    await expect(page.locator('input[name=staffCard]')).toBeVisible();
  } finally {
    bridge.close();
    await printer.stop();
  }
});
