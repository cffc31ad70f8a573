import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { pinyinInitials } from '../../core/residents/search.js';
import type { ServerProcess } from '../../build/serverProcess.js';
import { COUNTER_SCREEN, counterKiosk, outboxCount } from '../support/counter.js';
import { decodeEscPos } from '../support/escpos.js';
import { FakePrinter } from '../support/fakePrinter.js';
import { installPrintBridge } from '../support/printBridge.js';
import type { ScratchDb } from '../support/db.js';
import { openPairedKiosk, startLiveCentre } from '../support/kiosk.js';
import { scanKeys } from '../support/scanner.js';

/**
 * Residents at the counter as a clerk meets them, at 1366×768 in Chromium against the real server:
 * found without a card (name, pinyin initials, phone tail, building and room), registered on the
 * spot with their card printed (offline too), a lost card replaced; bad input refused in Chinese.
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

type Row = { id: string; name: string; card_code: string; phone_tail: string; building: string; room: string; balance: number };
const residents = () => db.query<Row>('SELECT r.id, r.name, r.card_code, r.phone_tail, r.building, r.room, a.balance FROM resident r JOIN account a ON a.id = r.account_id ORDER BY r.id');
const syncStatus = (page: Page) => page.getByTestId('sync-status');

/** Does `work` with the server stopped, and starts it again however `work` ends. */
async function whileOffline(work: () => Promise<void>): Promise<void> {
  await server.stop();
  try {
    await work();
  } finally {
    await server.start();
  }
}
const search = (page: Page) => page.locator('input[name=residentSearch]');
const results = (page: Page) => page.getByTestId('search-results');

/** Counts the browser's print dialogs instead of opening them. */
async function countPrints(page: Page): Promise<() => Promise<number>> {
  await page.evaluate(() => {
    window.print = () => {
      const w = window as unknown as { printed?: number };
      w.printed = (w.printed ?? 0) + 1;
    };
  });
  return () => page.evaluate(() => (window as unknown as { printed?: number }).printed ?? 0);
}

test('a resident without the card is found by name, pinyin initials, phone tail or address; picking one opens them as a scan would', async ({ browser }) => {
  const page = await counterKiosk(browser, db, server.url, contexts);
  const all = await residents();
  // One whose initials and phone tail no other resident shares, so it is the only answer.
  const r = all.find((x) => all.filter((y) => pinyinInitials(y.name).startsWith(pinyinInitials(x.name))).length === 1 && all.filter((y) => y.phone_tail === x.phone_tail).length === 1)!;
  const line = results(page).getByRole('button', { name: new RegExp(r.name) });
  for (const query of [r.name, pinyinInitials(r.name), r.phone_tail, `${r.building}${r.room}`]) {
    await search(page).fill(query);
    await expect(line, query).toContainText(`尾号 ${r.phone_tail}`);
    await expect(line, query).toContainText(`${r.building}${r.room}`);
  }
  await search(page).fill(pinyinInitials(r.name));
  await expect(results(page).getByRole('button')).toHaveCount(1);
  await line.click();
  await expect(page.getByTestId('resident-card')).toHaveAttribute('data-card-code', r.card_code);
  await expect(page.getByTestId('balance')).toHaveText(String(r.balance));
  // Staff see the full name to confirm who stands there (only paper carries the masked one).
  await expect(page.getByTestId('resident-card').getByRole('heading', { level: 2 })).toHaveText(r.name);
  await page.getByRole('button', { name: '下一位' }).click();
  await search(page).fill('没有这个人');
  await expect(results(page)).toHaveText('没有找到相符的居民。');
});

test('a walk-in resident registered offline gets a card printed with the masked name, is served at once, and reaches the server', async ({ browser }) => {
  const page = await counterKiosk(browser, db, server.url, contexts);
  const printed = await countPrints(page);
  let card = '';
  await whileOffline(async () => {
    await page.getByRole('button', { name: '新居民登记' }).click();
    await page.locator('input[name=name]').fill('张三明');
    // An ID number is kept only as the server masks and keys it: offline, the clerk is told to go on without.
    await page.locator('input[name=idNumber]').fill('11010519491231002X');
    await page.getByRole('button', { name: '登记并制卡' }).click();
    await expect(page.getByRole('alert')).toHaveText(/^身份证号要联网核验后才能登记（本机不保存完整号码）。/);
    expect(await outboxCount(page)).toBe(0);
    await page.locator('input[name=idNumber]').fill('');
    await page.locator('input[name=phone]').fill('138 1234 5601');
    await page.locator('input[name=building]').fill('3栋');
    await page.locator('input[name=room]').fill('2单元501');
    await page.locator('input[name=birthDate]').fill('1948-03-08');
    await page.getByLabel('独居').check();
    await page.getByLabel('送餐').check();
    await page.getByRole('button', { name: '登记并制卡' }).click();
    const done = page.getByTestId('registered');
    await expect(done).toContainText(/登记成功：张三明，卡号 LL\d{10}。/);
    card = (await done.getByRole('status').textContent())!.match(/LL\d{10}/)![0];
    // The card preview: masked name, the code, its QR and barcode; never the full name.
    const preview = page.getByTestId('print-view').locator('.resident-card-print');
    await expect(preview).toContainText('张*明');
    await expect(preview).toContainText(card);
    await expect(preview.locator('svg')).toHaveCount(2);
    await expect(preview).not.toContainText('张三明');
    await done.getByRole('button', { name: '打印' }).click();
    expect(await printed()).toBe(1);

    await page.getByRole('button', { name: '为 TA 办理' }).click();
    await expect(page.getByTestId('resident-card')).toHaveAttribute('data-card-code', card);
    await expect(page.getByTestId('balance')).toHaveText('0');
    await expect(page.getByTestId('resident-card')).toContainText('独居');
    await page.getByRole('button', { name: '下一位' }).click();
    // Found offline by the new phone's tail too.
    await search(page).fill('5601');
    await expect(results(page).getByRole('button', { name: /张三明/ })).toContainText('3栋2单元501');
    await expect(syncStatus(page)).toHaveText('离线 · 1 条待同步');
  });
  await expect(syncStatus(page)).toHaveText('已同步');
  const [row] = await db.query<{ name: string; phone_tail: string; flags: string[]; birth_date: string }>('SELECT name, phone_tail, flags, birth_date::text FROM resident WHERE card_code = $1', [card]);
  expect(row).toEqual({ name: '张三明', phone_tail: '5601', flags: ['livesAlone', 'homeDelivery'], birth_date: '1948-03-08' });
});

test('bad registrations are refused in Chinese and change nothing; a phone tail already on file is shown first', async ({ browser }) => {
  const page = await counterKiosk(browser, db, server.url, contexts);
  await page.getByRole('button', { name: '新居民登记' }).click();
  const submit = page.getByRole('button', { name: '登记并制卡' });
  await submit.click();
  await expect(page.getByRole('alert')).toHaveText('请填写居民姓名。');
  await page.locator('input[name=name]').fill('李四');
  await page.locator('input[name=phone]').fill('1381234');
  await submit.click();
  await expect(page.getByRole('alert')).toHaveText('手机号「1381234」不对：应为 11 位数字，以 1 开头。');
  await page.locator('input[name=phone]').fill('');
  for (const date of ['2099-01-01', '1950-02-30', '1950/03/08']) {
    await page.locator('input[name=birthDate]').fill(date);
    await submit.click();
    await expect(page.getByRole('alert')).toHaveText(`出生日期「${date}」不对：请按 年-月-日 填写，例如 1950-03-08。`);
  }
  await page.locator('input[name=birthDate]').fill('');
  // An ID number failing the GB 11643 check, then one whose birth date is not the one typed.
  await page.locator('input[name=idNumber]').fill('110105194912310021');
  await submit.click();
  await expect(page.getByRole('alert')).toHaveText('身份证号码不正确（位数、出生日期或校验位不对），请核对。');
  await page.locator('input[name=idNumber]').fill('11010519491231002x');
  await page.locator('input[name=birthDate]').fill('1950-03-08');
  await submit.click();
  await expect(page.getByRole('alert')).toHaveText('出生日期与身份证号不符：身份证上是 1949-12-31。请核对，或不填出生日期。');
  expect(await outboxCount(page)).toBe(0);
  // Online, it is registered masked; the same number again is refused with who has it.
  await page.locator('input[name=birthDate]').fill('');
  await submit.click();
  await expect(page.getByTestId('registered')).toContainText('登记成功：李四');
  // Waited for on the server: the header can still say 已同步 from before the registration's commit is counted.
  await expect.poll(() => db.query('SELECT name, id_masked, birth_date FROM resident WHERE id_masked IS NOT NULL')).toEqual([{ name: '李四', id_masked: '110***********002X', birth_date: '1949-12-31' }]);
  await expect(syncStatus(page)).toHaveText('已同步');
  await page.getByRole('button', { name: '返回' }).click();
  await page.getByRole('button', { name: '新居民登记' }).click();
  await page.locator('input[name=name]').fill('李四');
  await page.locator('input[name=idNumber]').fill('110105 19491231 002X');
  await submit.click();
  await expect(page.getByRole('alert')).toHaveText('这个身份证号已经登记过了（李四）。请在「查找居民」里找到此人，不要重复登记。');
  await page.locator('input[name=idNumber]').fill('');
  const written = await outboxCount(page);

  // A resident whose full number the server was never told, only its last four digits: a phone
  // ending the same is shown with who has it, before anything is written.
  const [other] = await db.query<{ name: string; phone_tail: string }>(`SELECT r.name, r.phone_tail FROM resident r WHERE r.phone_tail IS NOT NULL AND r.phone_hash IS NULL
    AND NOT EXISTS (SELECT 1 FROM event e WHERE e.centre_id = r.centre_id AND e.kind = 'residentRegistered' AND e.payload->>'residentId' = r.id AND e.payload->>'phone' IS NOT NULL)
    ORDER BY r.id LIMIT 1`);
  await page.locator('input[name=phone]').fill(`1390000${other!.phone_tail}`);
  await submit.click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(`手机尾号 ${other!.phone_tail} 已有居民登记`);
  await expect(dialog).toContainText(other!.name);
  await dialog.getByRole('button', { name: '取消' }).click();
  await expect(page.getByTestId('registered')).toHaveCount(0);
  expect(await outboxCount(page)).toBe(written);
});

test('a phone already registered is asked about by its full number online (family members may share one), another number ending the same is not; offline the kiosk asks by the last four digits', async ({ browser }) => {
  const page = await counterKiosk(browser, db, server.url, contexts);
  const used = new Set((await residents()).map((r) => r.phone_tail));
  const tail = Array.from({ length: 10_000 }, (_, n) => String(n).padStart(4, '0')).find((t) => !used.has(t))!;
  const submit = page.getByRole('button', { name: '登记并制卡' });
  const dialog = page.getByRole('dialog');
  const registerAs = async (name: string, phone: string) => {
    await page.getByRole('button', { name: '新居民登记' }).click();
    await page.locator('input[name=name]').fill(name);
    await page.locator('input[name=phone]').fill(phone);
    await submit.click();
  };
  const registered = async (name: string) => {
    await expect(page.getByTestId('registered')).toContainText(`登记成功：${name}`);
    await expect(syncStatus(page)).toHaveText('已同步');
    await page.getByRole('button', { name: '返回' }).click();
  };
  await registerAs('王五', `1391111${tail}`);
  await registered('王五');
  // The same number: the server knows it is 王五's.
  await registerAs('刘芳', `139 1111 ${tail}`);
  await expect(dialog).toContainText(`手机号 139****${tail} 已经登记过了`);
  await expect(dialog).toContainText('王五');
  await dialog.getByRole('button', { name: '取消' }).click();
  await expect(page.getByTestId('registered')).toHaveCount(0);
  // His wife shares his phone: registered after the question.
  await submit.click();
  await dialog.getByRole('button', { name: '不是同一人，继续登记' }).click();
  await registered('刘芳');
  // Another number ending the same: nobody to ask about.
  await registerAs('陈七', `1382222${tail}`);
  await registered('陈七');
  // Offline, the last four digits are all the kiosk has: it asks about all three.
  await whileOffline(async () => {
    await registerAs('周八', `1373333${tail}`);
    await expect(dialog).toContainText(`手机尾号 ${tail} 已有居民登记`);
    for (const name of ['王五', '刘芳', '陈七']) await expect(dialog).toContainText(name);
    await dialog.getByRole('button', { name: '取消' }).click();
  });
  expect((await db.query<{ name: string }>('SELECT name FROM resident WHERE phone_tail = $1 ORDER BY name', [tail])).map((r) => r.name).sort()).toEqual(['刘芳', '王五', '陈七'].sort());
});

test('a lost card is replaced after a confirmation, offline: the old code stops working, the new card prints, the balance stays', async ({ browser }) => {
  const page = await counterKiosk(browser, db, server.url, contexts);
  const [, r] = await residents();
  let card = '';
  await whileOffline(async () => {
    await scanKeys(page, r!.card_code);
    await expect(page.getByTestId('balance')).toHaveText(String(r!.balance));
    await page.getByRole('button', { name: '补卡' }).click();
    await expect(page.getByRole('dialog')).toContainText(`补卡后，旧卡「${r!.card_code}」立即停止使用，积分余额不变。`);
    await page.getByRole('dialog').getByRole('button', { name: '取消' }).click();
    expect(await outboxCount(page)).toBe(0);
    await page.getByRole('button', { name: '补卡' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确认' }).click();
    const replaced = page.getByTestId('card-replaced');
    await expect(replaced).toContainText(/补卡成功，新卡号 LL\d{10}，旧卡已停用。/);
    card = (await replaced.getByRole('status').textContent())!.match(/LL\d{10}/)![0];
    expect(card.slice(0, 10)).toBe(r!.card_code.slice(0, 10));
    await expect(page.getByTestId('print-view').locator('.resident-card-print')).toContainText(card);
    await expect(page.getByTestId('resident-card')).toHaveAttribute('data-card-code', card);
    await page.getByRole('button', { name: '下一位' }).click();

    await scanKeys(page, r!.card_code);
    await expect(page.getByRole('alert')).toHaveText(`卡「${r!.card_code}」已挂失或换卡，不能再使用。`);
    await scanKeys(page, card);
    await expect(page.getByTestId('balance')).toHaveText(String(r!.balance));
  });
  await expect(syncStatus(page)).toHaveText('已同步');
  expect((await db.query<{ card_code: string }>('SELECT card_code FROM resident WHERE id = $1', [r!.id]))[0]!.card_code).toBe(card);
});

test('in Electron the new card prints once on the receipt printer: the masked name, the code as QR and Code 128', async ({ browser }) => {
  const printer = new FakePrinter();
  await printer.start();
  const context = await browser.newContext({ viewport: COUNTER_SCREEN });
  contexts.push(context);
  const bridge = await installPrintBridge(context, printer);
  try {
    const page = await openPairedKiosk(context, db, server.url);
    await page.getByRole('button', { name: '新居民登记' }).click();
    await page.locator('input[name=name]').fill('欧阳小明');
    await page.getByRole('button', { name: '登记并制卡' }).click();
    const done = page.getByTestId('registered');
    await expect(done.getByTestId('doc-print-status')).toHaveText('已打印');
    const card = (await done.getByRole('status').first().textContent())!.match(/LL\d{10}/)![0];
    expect(printer.jobs).toHaveLength(1);
    const printed = decodeEscPos(printer.jobs[0]!);
    const text = printed.lines.map((l) => l.text).join('\n');
    expect(text).toContain('居民积分卡');
    expect(text).toContain('欧**明');
    expect(text).not.toContain('欧阳小明');
    expect(printed.qr).toEqual([card]);
    expect(printed.barcodes).toEqual([{ format: 'CODE128', data: card }]);
  } finally {
    bridge.close();
    await printer.stop();
  }
});
