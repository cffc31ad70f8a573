import bwipjs from 'bwip-js/node';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { addDays, formatShanghai, makeStaffCardCode, sittingIdFor } from '../../core/index.js';
import type { ServerProcess } from '../../build/serverProcess.js';
import { DEMO_CANTEEN_CARD, DEMO_CANTEEN_PIN } from '../../server/demo/canteen.js';
import { DEMO_ADMIN_PASSWORD, DEMO_ADMIN_PIN } from '../../server/demo/generate.js';
import { createPairingCode } from '../../server/devices/enrol.js';
import type { ScratchDb } from '../support/db.js';
import { signInStaff, startLiveCentre } from '../support/kiosk.js';
import { readQrInPng } from '../support/readQr.js';
import { scanKeys } from '../support/scanner.js';

/**
 * The canteen's own screens for its menus and subsidies, in Chromium at 1366×768 against the real
 * server: a canteen device says it is the canteen; the cook publishes the menu of days ahead with
 * several meals, changes today's menu, raises today's places, and sells the dish just added; an
 * admin signed in at the canteen sets a subsidy category, which the cook sees and cannot change;
 * the till refuses a category the resident does not hold; an admin sets the centre's payment code from
 * a picture of it, and the till shows that code for a meal paid by QR. Bad input gets its message, nothing changes.
 */
let db: ScratchDb;
let server: ServerProcess;
let stopCentre: () => Promise<void>;
const contexts: BrowserContext[] = [];

test.beforeAll(async () => {
  ({ db, server, stop: stopCentre } = await startLiveCentre());
});
test.afterAll(() => stopCentre());
test.afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

const TODAY = formatShanghai(Date.now()).slice(0, 10);
const LUNCH = sittingIdFor(TODAY, 'lunch');
const COOK = { cardCode: DEMO_CANTEEN_CARD, pin: DEMO_CANTEEN_PIN };
const ADMIN = { cardCode: makeStaffCardCode(1), pin: DEMO_ADMIN_PIN };

async function canteenTill(browser: Browser, who: { cardCode: string; pin: string }): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${server.url}/#pair=${await createPairingCode(db, 'wzgl', 'canteen', new Date())}`);
  await page.getByRole('button', { name: '配对' }).click();
  await signInStaff(page, who);
  return page;
}
const synced = (page: Page) => expect(page.getByTestId('sync-status')).toHaveText('已同步', { timeout: 30_000 });

test('the canteen\'s menu on the device: several meals published days ahead, today\'s menu changed and its places raised, the new dish sold, then taken off sale', async ({ browser }) => {
  const till = await canteenTill(browser, COOK);
  // A canteen device is the canteen, not the points store's counter.
  await expect(till.getByRole('heading', { level: 1 })).toHaveText('邻里 · 爱心食堂');
  await till.getByRole('tab', { name: '菜单与名额' }).click();

  // The lunch of three days after the demo's published week, with a second dish.
  const first = addDays(TODAY, 8);
  await till.getByLabel('日期').selectOption(first);
  await till.getByRole('button', { name: '＋ 添加菜品' }).click();
  await till.getByLabel('名称 2').fill('红烧肉');
  await till.getByLabel('价格（元） 2').fill('8元');
  await till.getByLabel('成本（元） 2').fill('6');
  await till.locator('select[name=days]').selectOption('3');
  await till.getByRole('button', { name: '发布', exact: true }).click();
  // A price that is not an amount: the meal is named, nothing is published.
  await expect(till.getByRole('alert')).toHaveText('菜品「红烧肉」有误：名称 1–40 个字，价格和成本在 ￥0.00 到 ￥10000.00 之间。');
  await expect(till.locator(`tr[data-sitting="${sittingIdFor(first, 'lunch')}"]`)).toHaveCount(0);
  await till.getByLabel('价格（元） 2').fill('8');
  await till.getByRole('button', { name: '发布', exact: true }).click();
  const days = [0, 1, 2].map((i) => addDays(first, i));
  await expect(till.getByRole('status').filter({ hasText: '已发布' })).toHaveText(`已发布 ${days.map((d) => d.slice(5)).join('、')}，等待同步`);
  for (const d of days) await expect(till.locator(`tr[data-sitting="${sittingIdFor(d, 'lunch')}"]`)).toContainText('爱心套餐 ￥5.00、红烧肉 ￥8.00');

  // Today's lunch gets a dish; the cook raises its places on the day.
  const today = till.locator(`tr[data-sitting="${LUNCH}"]`);
  await today.getByRole('button', { name: '改菜单' }).click();
  await till.getByRole('button', { name: '＋ 添加菜品' }).click();
  const added = (await till.getByTestId('menu-lines').locator('.menu-line').count());
  await till.getByLabel(`名称 ${added}`).fill('炸酱面');
  await till.getByLabel(`价格（元） ${added}`).fill('6');
  await till.getByLabel(`成本（元） ${added}`).fill('4');
  await till.getByRole('button', { name: '保存菜单' }).click();
  await expect(till.getByRole('status').filter({ hasText: '菜单已修改' })).toBeVisible();
  await expect(today).toContainText('炸酱面 ￥6.00');
  const used = Number(/余 (\d+) \/ (\d+)/.exec((await today.textContent())!)![2]) - Number(/余 (\d+)/.exec((await today.textContent())!)![1]);
  await today.getByLabel('名额').fill('0');
  await today.getByRole('button', { name: '调整名额' }).click();
  if (used > 0) await expect(till.getByRole('alert')).toHaveText(`名额必须是整数，且不少于已用的 ${used} 个。`);
  await today.getByLabel('名额').fill('45');
  await today.getByRole('button', { name: '调整名额' }).click();
  await expect(today).toContainText(`余 ${45 - used} / 45 个名额`);

  // The till sells the dish just added, at its price.
  await till.getByRole('tab', { name: '售餐' }).click();
  await till.getByRole('radio', { name: /午餐/ }).click();
  await till.getByRole('button', { name: /散客（无卡/ }).click();
  await till.getByRole('radio', { name: /炸酱面/ }).click();
  await till.getByRole('button', { name: '出票' }).click();
  await expect(till.getByTestId('quote-paid')).toHaveText('￥6.00');
  await till.getByRole('dialog').getByRole('button', { name: '确认' }).click();
  await expect(till.getByTestId('sold-number')).toBeVisible();
  await till.getByRole('button', { name: '完成' }).click();

  // Sold out: taken off sale, it stays on the menu, and the till no longer offers it.
  await till.getByRole('tab', { name: '菜单与名额' }).click();
  await today.getByRole('button', { name: '改菜单' }).click();
  const noodles = till.getByTestId('menu-lines').locator('.menu-line').filter({ has: till.locator('input[value="炸酱面"]') });
  await noodles.getByRole('button', { name: '停售' }).click();
  await expect(till.getByRole('status').filter({ hasText: '已停售' })).toHaveText('「炸酱面」已停售：售餐、订餐和自助屏不再提供，已订的照常取餐。');
  await expect(today).toContainText('炸酱面 ￥6.00（已停售）');
  await expect(noodles.getByRole('button', { name: '恢复供应' })).toBeVisible();
  await till.getByRole('button', { name: '取消' }).click();
  await till.getByRole('tab', { name: '售餐' }).click();
  await till.getByRole('radio', { name: /午餐/ }).click();
  await till.getByRole('button', { name: /散客（无卡/ }).click();
  await expect(till.getByRole('radio', { name: /炸酱面（已停售）/ })).toBeDisabled();
  await synced(till);
  expect(await db.query(`SELECT offered FROM menu_meal WHERE centre_id = 'wzgl' AND sitting_id = $1 AND name = '炸酱面'`, [LUNCH])).toEqual([{ offered: false }]);
  // Back on sale: offered again.
  await till.getByRole('tab', { name: '菜单与名额' }).click();
  await today.getByRole('button', { name: '改菜单' }).click();
  await noodles.getByRole('button', { name: '恢复供应' }).click();
  await expect(till.getByRole('status').filter({ hasText: '恢复供应' })).toHaveText('「炸酱面」已恢复供应。');
  await till.getByRole('button', { name: '取消' }).click();
  await till.getByRole('tab', { name: '售餐' }).click();
  await till.getByRole('radio', { name: /午餐/ }).click();
  await till.getByRole('button', { name: /散客（无卡/ }).click();
  await expect(till.getByRole('radio', { name: /炸酱面/ })).toBeEnabled();
  const [row] = await db.query<{ price_fen: number; capacity: number }>(
    `SELECT m.price_fen, r.capacity FROM menu_meal m JOIN resource r ON r.centre_id = m.centre_id AND r.id = m.sitting_id WHERE m.centre_id = 'wzgl' AND m.sitting_id = $1 AND m.name = '炸酱面'`, [LUNCH]);
  expect(row).toEqual({ price_fen: 600, capacity: 45 });
  expect((await db.query(`SELECT id FROM meal_sitting WHERE centre_id = 'wzgl' AND id = ANY($1)`, [days.map((d) => sittingIdFor(d, 'lunch'))])).length).toBe(3);
});

test('subsidy categories: an admin sets one at the canteen, the cook sees it and cannot change it; a category not held is refused at the till', async ({ browser }) => {
  const admin = await canteenTill(browser, ADMIN);
  await admin.getByRole('tab', { name: '补贴类别' }).click();
  await admin.getByRole('button', { name: '新增类别' }).click();
  await admin.locator('input[name=ruleId]').fill('age90');
  await admin.locator('input[name=ruleName]').fill('90岁以上');
  await admin.locator('input[name=minAge]').fill('90');
  await admin.locator('input[name=perMeal]').fill('4');
  await admin.locator('input[name=capPerDay]').fill('3');
  await admin.getByRole('button', { name: '保存', exact: true }).click();
  await admin.getByRole('dialog').getByRole('button', { name: '确认' }).click();
  // A cap below the subsidy per meal: said, nothing saved.
  await expect(admin.getByRole('alert')).toHaveText('补贴类别有误：每日封顶不能低于每餐补贴。');
  await expect(admin.locator('tr[data-rule=age90]')).toHaveCount(0);
  await admin.locator('input[name=capPerDay]').fill('8');
  await admin.getByRole('button', { name: '保存', exact: true }).click();
  await admin.getByRole('dialog').getByRole('button', { name: '确认' }).click();
  await expect(admin.locator('tr[data-rule=age90]')).toContainText('90岁以上');
  await expect(admin.locator('tr[data-rule=age90]')).toContainText('￥4.00');
  await synced(admin);
  expect(await db.query(`SELECT subsidy_fen, cap_per_day_fen FROM subsidy_rule WHERE centre_id = 'wzgl' AND id = 'age90'`)).toEqual([{ subsidy_fen: 400, cap_per_day_fen: 800 }]);

  const cook = await canteenTill(browser, COOK);
  await cook.getByRole('tab', { name: '补贴类别' }).click();
  await expect(cook.locator('tr[data-rule=age90]')).toContainText('90岁以上');
  await expect(cook.getByText('补贴标准由管理员设置')).toBeVisible();
  await expect(cook.getByRole('button', { name: '修改' })).toHaveCount(0);

  // A resident in their sixties, with no status approved, named 低保/特困 at the till: refused by name.
  await cook.getByRole('tab', { name: '售餐' }).click();
  await cook.getByRole('radio', { name: /午餐/ }).click();
  const [young] = await db.query<{ card_code: string }>(
    `SELECT card_code FROM resident r WHERE centre_id = 'wzgl' AND birth_date BETWEEN $1 AND $2 AND NOT EXISTS (SELECT 1 FROM eligibility e WHERE e.centre_id = r.centre_id AND e.resident_id = r.id)
       AND NOT EXISTS (SELECT 1 FROM meal_order o WHERE o.centre_id = r.centre_id AND o.resident_id = r.id AND o.sitting_id = $3) ORDER BY id LIMIT 1`,
    [addDays(TODAY, -69 * 365), addDays(TODAY, -61 * 366), LUNCH]);
  await scanKeys(cook, young!.card_code);
  await expect(cook.getByTestId('categories')).toContainText('60-69岁');
  await cook.locator('select[name=category]').selectOption({ label: '低保/特困' });
  await cook.getByRole('button', { name: '出票' }).click();
  await expect(cook.getByRole('alert')).toHaveText('这位居民不属于补贴类别「低保/特困」，不能按这个类别补贴。');
  await expect(cook.getByRole('dialog')).toHaveCount(0);
  // Named by the category held, it sells with its subsidy.
  await cook.locator('select[name=category]').selectOption({ label: '60-69岁' });
  await cook.getByRole('button', { name: '出票' }).click();
  await expect(cook.getByTestId('quote-subsidy')).toHaveText('￥1.00');
});

/** A picture of a QR code saying `text`, as a PNG (drawn by bwip-js, not by the code under test). */
async function qrPicture(name: string, text: string) {
  return { name, mimeType: 'image/png', buffer: await bwipjs.toBuffer({ bcid: 'qrcode', text, scale: 6, paddingwidth: 20, paddingheight: 20, backgroundcolor: 'FFFFFF' }) };
}

test('the payment code: an admin gives a picture of the centre\'s code in the admin app; the till shows that code for a meal paid by QR', async ({ browser }) => {
  const alipay = 'https://qr.alipay.com/fkx0e2e1234abcd';
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  contexts.push(context);
  const admin = await context.newPage();
  await admin.goto(`${server.url}/admin`);
  await admin.getByLabel('工作证号').fill(makeStaffCardCode(1));
  await admin.getByLabel(/管理后台密码/).fill(DEMO_ADMIN_PASSWORD);
  await admin.getByRole('button', { name: '登录' }).click();
  await admin.getByRole('button', { name: '收款码', exact: true }).click();
  await expect(admin.getByTestId('payment-code-now')).toContainText('五洲观澜社区爱心食堂（演示）');

  // A picture of a resident's card is not a payment code: said, nothing filled in.
  const input = admin.locator('input[type=file]');
  await input.setInputFiles(await qrPicture('card.png', 'LL0000000117'));
  await expect(admin.getByRole('alert')).toContainText('图片里没有读到收款码');
  await expect(admin.locator('input[name=code]')).toHaveValue('');
  // Typed: what is not a collection code is said so before anything is asked.
  await admin.locator('input[name=code]').fill('微信号 linli2026');
  await admin.locator('input[name=payee]').fill('五洲观澜社区食堂');
  await admin.getByRole('button', { name: '保存…' }).click();
  await expect(admin.getByRole('alert')).toContainText('这不是收款码');
  await expect(admin.getByRole('alertdialog')).toHaveCount(0);
  // The centre's own code: read from the picture, saved after the question.
  await input.setInputFiles(await qrPicture('收款码.png', alipay));
  await expect(admin.locator('input[name=code]')).toHaveValue(alipay);
  await admin.locator('input[name=payee]').fill('五洲观澜社区食堂');
  await admin.getByRole('button', { name: '保存…' }).click();
  await expect(admin.getByRole('alertdialog')).toContainText(`付给「五洲观澜社区食堂」（${alipay}）`);
  await admin.getByRole('alertdialog').getByRole('button', { name: '确定' }).click();
  await expect(admin.getByRole('status')).toHaveText('收款码已保存，各售餐机同步后生效。');
  await expect(admin.getByTestId('payment-code-now')).toContainText(alipay);
  expect(await db.query(`SELECT code, payee FROM payment_code WHERE centre_id = 'wzgl'`)).toEqual([{ code: alipay, payee: '五洲观澜社区食堂' }]);

  // A walk-in pays by QR at the till: the dialog shows the centre's code (read back from the screen), the sum and the payee.
  const cook = await canteenTill(browser, COOK);
  await cook.getByRole('radio', { name: /午餐/ }).click();
  await cook.getByRole('button', { name: /散客（无卡/ }).click();
  await cook.getByRole('radio', { name: '扫码支付' }).click();
  await cook.getByRole('button', { name: '出票' }).click();
  const qr = cook.getByTestId('pay-qr');
  await expect(qr).toContainText('收款方：五洲观澜社区食堂');
  await expect(qr).toContainText(`￥${(await cook.getByTestId('quote-paid').textContent())!.replace('￥', '')}`);
  expect(readQrInPng(await qr.getByRole('img', { name: '本中心收款码' }).screenshot())).toBe(alipay);
  await cook.getByRole('dialog').getByRole('button', { name: '确认' }).click();
  await expect(cook.getByTestId('sold-number')).toBeVisible();
  await cook.getByRole('button', { name: '完成' }).click();

  // Taken away: after its sync the till offers no QR payment, and says why.
  await admin.getByRole('button', { name: '停用扫码支付…' }).click();
  await admin.getByRole('alertdialog').getByRole('button', { name: '确定' }).click();
  await expect(admin.getByRole('status')).toHaveText('已停用扫码支付。');
  await cook.getByRole('button', { name: /散客（无卡/ }).click();
  await expect(cook.getByTestId('no-pay-code')).toBeVisible({ timeout: 30_000 });
  await expect(cook.getByRole('radio', { name: '扫码支付' })).toBeDisabled();
});

test('two tills offline each take the other breakfast off sale: both count; the till and the bookings say nothing is on sale, until one is put back', async ({ browser }) => {
  const breakfast = sittingIdFor(TODAY, 'breakfast');
  const a = await canteenTill(browser, COOK);
  const b = await canteenTill(browser, COOK);
  await synced(a);
  await synced(b);
  const withdraw = async (till: Page, meal: string, button: '停售' | '恢复供应') => {
    await till.getByRole('tab', { name: '菜单与名额' }).click();
    await till.locator(`tr[data-sitting="${breakfast}"]`).getByRole('button', { name: '改菜单' }).click();
    await till.getByTestId('menu-lines').locator('.menu-line').filter({ has: till.locator(`input[value="${meal}"]`) }).getByRole('button', { name: button }).click();
    await expect(till.getByRole('status').filter({ hasText: meal })).toBeVisible();
    await till.getByRole('button', { name: '取消' }).click();
  };
  // Each till holds both meals on sale, so each lets its own go.
  await server.stop();
  await withdraw(a, '早餐套餐', '停售');
  await withdraw(b, '豆浆油条', '停售');
  await server.start();
  await synced(a);
  await synced(b);
  expect(await db.query(`SELECT name, offered FROM menu_meal WHERE centre_id = 'wzgl' AND sitting_id = $1 ORDER BY name`, [breakfast]))
    .toEqual([{ name: '早餐套餐', offered: false }, { name: '豆浆油条', offered: false }]);

  // Nothing to sell: both tills say so and what to do; the bookings too.
  const nothing = '这个餐次的餐都已停售，没有可售的餐：请在「菜单与名额」恢复一种；不开餐请把名额设为已订的数目。';
  for (const till of [a, b]) {
    await till.getByRole('tab', { name: '售餐' }).click();
    await till.getByRole('radio', { name: /^早餐 \d/ }).click();
    await till.getByRole('button', { name: /散客（无卡/ }).click();
    await expect(till.getByTestId('nothing-on-sale')).toHaveText(nothing);
    await expect(till.getByRole('button', { name: '出票' })).toBeDisabled();
  }
  await b.getByRole('tab', { name: '订餐' }).click();
  await b.getByRole('radio', { name: /^早餐 \d/ }).click();
  await expect(b.getByTestId('nothing-on-sale')).toHaveText(nothing);

  // One put back at one till: the other sells it again.
  await withdraw(a, '豆浆油条', '恢复供应');
  await b.getByRole('tab', { name: '售餐' }).click();
  await b.getByRole('radio', { name: /^早餐 \d/ }).click();
  await b.getByRole('button', { name: /散客（无卡/ }).click();
  await expect(b.getByRole('radio', { name: /豆浆油条/ })).toBeEnabled({ timeout: 10_000 });
  await expect(b.getByTestId('nothing-on-sale')).toHaveCount(0);
  await expect(b.getByRole('button', { name: '出票' })).toBeEnabled();
});
