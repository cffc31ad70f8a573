import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { makeStaffCardCode } from '../../core/index.js';
import type { ServerProcess } from '../../build/serverProcess.js';
import { addStaff } from '../../server/admin/admin.js';
import { DEMO_ADMIN_PASSWORD } from '../../server/demo/generate.js';
import { ledgerBreaches, pushAsImport } from '../support/centre.js';
import { redeemTissues } from '../support/counter.js';
import type { ScratchDb } from '../support/db.js';
import { CLERK, openPairedKiosk, signInStaff, startLiveCentre } from '../support/kiosk.js';
import { scanKeys } from '../support/scanner.js';

/**
 * Trust at the kiosk, in Chromium against the real server: staff sign in offline (lockout, idle
 * sign-out) and every event names them; exceptions from two offline kiosks are resolved from the
 * queue by a compensating event; an offline kiosk's outbox goes to the server on a signed file;
 * a commit on one kiosk shows on another through the poke, with no poll to bring it. (A full disk
 * is tested in test/sync/storage.test.ts: Chromium's quota override only bites when its files grow.)
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

async function pairedKiosk(browser: Browser, hash = '', options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
  const context = await browser.newContext(options);
  contexts.push(context);
  return openPairedKiosk(context, db, server.url, hash);
}

const balanceOnServer = async (accountId: string) => (await db.query<{ balance: number }>('SELECT balance FROM account WHERE id = $1', [accountId]))[0]!.balance;
const syncStatus = (page: Page) => page.getByTestId('sync-status');

/** A resident given exactly `points` by the centre's import device, and their card. */
async function residentWith(points: number): Promise<{ card: string; accountId: string }> {
  const [r] = await db.query<{ account_id: string; card_code: string }>(
    `SELECT r.account_id, r.card_code FROM resident r JOIN account a ON a.id = r.account_id
     WHERE a.balance = 0 AND NOT EXISTS (SELECT 1 FROM event e WHERE e.kind = 'pointsAwarded' AND e.payload->>'accountId' = a.id AND e.payload->>'note' = 'e2e')
     ORDER BY r.id LIMIT 1`);
  await pushAsImport(db, [{ kind: 'pointsAwarded', version: 1, payload: { accountId: r!.account_id, points, category: 'volunteering', note: 'e2e' } }]);
  return { card: r!.card_code, accountId: r!.account_id };
}

/**
 * The server is back: the browser's 'online' event stands for the network returning, so a kiosk
 * that backed off (up to a minute) tries at once.
 */
async function cameBack(...pages: Page[]): Promise<void> {
  for (const page of pages) await page.evaluate("dispatchEvent(new Event('online'))");
}

test('staff sign in offline; wrong PINs lock the card, across a reload; idle signs out; events name the clerk', async ({ browser }) => {
  const cook = await addStaff(db, 'wzgl', '周师傅', 'canteen', '112233');
  const page = await pairedKiosk(browser, 'idle=8000');
  await expect(page.getByText('当前：李建国')).toBeVisible();
  await page.getByRole('button', { name: '退出登录' }).click();

  await server.stop(); // all of it offline
  const tryPin = async (card: string, pin: string) => {
    await page.locator('input[name=staffCard]').fill(card);
    await page.locator('input[name=pin]').fill(pin);
    await page.getByRole('button', { name: '登录' }).click();
  };
  await tryPin('LS99990', '123456');
  await expect(page.getByRole('alert')).toContainText('工作证号「LS99990」格式不对');
  await tryPin(makeStaffCardCode(9), '123456');
  await expect(page.getByRole('alert')).toHaveText(`本中心没有工作证号为「${makeStaffCardCode(9)}」的工作人员。`);
  await tryPin(cook.cardCode, '112233'); // the right PIN, but a canteen role at the points store counter
  await expect(page.getByRole('alert')).toContainText('这张工作证的岗位不能在这台设备上操作');
  for (let left = 4; left >= 1; left--) {
    await tryPin(CLERK.cardCode, '000000');
    await expect(page.getByRole('alert')).toHaveText(`密码不对，还可以再试 ${left} 次。`);
  }
  await tryPin(CLERK.cardCode, '000000');
  await expect(page.getByRole('alert')).toHaveText('密码错误次数太多，这张工作证已锁定，请 5 分钟后再试。');
  await page.reload();
  await tryPin(CLERK.cardCode, CLERK.pin); // the right PIN, but the card is locked
  await expect(page.getByRole('alert')).toContainText('已锁定');
  await expect(page.locator('input[name=cardCode]')).toHaveCount(0);

  // Another clerk signs in, works, and is signed out after 8 s without a touch.
  const { card } = await residentWith(100);
  await server.start();
  // The kiosk backed off while the server was away; the browser's 'online' brings it back at once.
  await cameBack(page);
  await expect(syncStatus(page)).toHaveText('已同步');
  await tryPin(makeStaffCardCode(3), CLERK.pin);
  await expect(page.getByText('当前：陈丽')).toBeVisible();
  await page.locator('input[name=cardCode]').fill(card);
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByTestId('balance')).toHaveText('100');
  await page.getByRole('button', { name: /抽纸/ }).click();
  await page.getByRole('button', { name: '确认兑换' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '确认', exact: true }).click();
  await page.getByRole('button', { name: '完成' }).click();
  await expect(page.getByText('长时间没有操作，已自动退出登录。')).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('input[name=staffCard]')).toBeVisible();
  await expect(syncStatus(page)).toHaveText('已同步');
  const staff = await db.query<{ staff_id: string; outcome: string }>(
    `SELECT e.staff_id, e.outcome FROM event e JOIN device d ON d.id = e.device_id WHERE d.code = (SELECT max(code) FROM device WHERE profile = 'counter')`);
  expect(staff).toEqual([{ staff_id: 'wzgl-s3', outcome: 'applied' }]);
});

test('an overdraft from two offline kiosks is resolved from the queue by a compensating event, once', async ({ browser }) => {
  const [a, b] = [await pairedKiosk(browser), await pairedKiosk(browser)];
  const { card, accountId } = await residentWith(30);
  for (const page of [a, b]) {
    await page.reload();
    await signInStaff(page);
  }
  await server.stop();
  await redeemTissues(a, card);
  await redeemTissues(b, card);
  await server.start();
  await cameBack(a, b);
  await expect(syncStatus(a)).toHaveText('已同步');
  await expect(syncStatus(b)).toHaveText('已同步');
  expect(await balanceOnServer(accountId)).toBe(-30);

  await a.getByRole('tab', { name: /异常/ }).click();
  const row = a.getByTestId('exception').filter({ hasText: '积分透支' });
  await expect(row).toContainText('余额 -30 分');
  await row.getByRole('button', { name: '核销（中心承担）' }).click();
  await a.locator('input[name=note]').fill('两台柜台离线同时兑换');
  await a.getByRole('dialog').getByRole('button', { name: '确认', exact: true }).click();
  await expect(a.getByText('已处理，等待同步')).toBeVisible();
  await expect(syncStatus(a)).toHaveText('已同步');
  expect(await balanceOnServer(accountId)).toBe(0);
  const [x] = await db.query<{ resolution: string; staff_id: string }>(
    `SELECT x.resolution, e.staff_id FROM rule_exception x JOIN event e ON e.id = x.resolved_by WHERE x.subject_id = $1`, [accountId]);
  expect(x).toEqual({ resolution: 'writeOff', staff_id: CLERK.staffId });
  // The other kiosk's queue empties by itself (poke, pull).
  await b.getByRole('tab', { name: /异常/ }).click();
  await expect(b.getByTestId('exception').filter({ hasText: '积分透支' })).toHaveCount(0);
  expect(await ledgerBreaches(db, 'wzgl')).toEqual([]);
});

test('an offline kiosk exports a signed file; the server imports it once; the later push duplicates nothing', async ({ browser }) => {
  const page = await pairedKiosk(browser, '', { acceptDownloads: true });
  const { card, accountId } = await residentWith(100);
  await page.reload();
  await signInStaff(page);
  await server.stop();
  await redeemTissues(page, card);
  await redeemTissues(page, card);
  await expect(syncStatus(page)).toHaveText('离线 · 2 条待同步');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出待同步数据' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^linli-K\d\d-\d{12}-1-2\.json$/);
  await expect(page.getByRole('status').filter({ hasText: '已导出 2 条记录' })).toBeVisible();
  const text = await (await file.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks as Buffer[]).toString('utf8'));

  // The file goes to the admin by USB; the server comes back; the admin imports it.
  await server.start();
  await cameBack(page);
  const session = await fetch(`${server.url}/api/admin/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ centreId: 'wzgl', cardCode: makeStaffCardCode(1), password: DEMO_ADMIN_PASSWORD }),
  });
  const cookie = /linli_admin=[^;]+/.exec(session.headers.get('set-cookie') ?? '')![0];
  const imported = async () => (await fetch(`${server.url}/api/admin/imports`, {
    method: 'POST', headers: { cookie, 'content-type': 'application/vnd.linli.outbox+json' }, body: text,
  })).json() as Promise<{ applied: number; duplicate: number }>;
  const first = await imported();
  // The kiosk may have pushed between the start and the import: either way, each event once.
  expect(first.applied + first.duplicate).toBe(2);
  expect(await imported()).toMatchObject({ applied: 0, duplicate: 2 });
  await expect(syncStatus(page)).toHaveText('已同步');
  expect(await balanceOnServer(accountId)).toBe(40);
  expect(await ledgerBreaches(db, 'wzgl')).toEqual([]);
});

test('a commit on one kiosk shows on another through the poke, with the other\'s timers held still', async ({ browser }) => {
  const [a, b] = [await pairedKiosk(browser), await pairedKiosk(browser)];
  const { card } = await residentWith(100);
  // B's timers run on a clock the test holds (from its reload on, so every timer of the page is on it).
  await b.clock.install();
  for (const page of [a, b]) {
    await page.reload();
    await signInStaff(page);
    await scanKeys(page, card);
    await expect(page.getByTestId('balance')).toHaveText('100');
  }
  // B's clock stops: no poll can run, nor any timer; only the poke over its open stream can bring A's commit.
  // (Paused a little ahead: B's clock runs on while the test reads it, and it cannot be paused in its past;
  // what the jump fires happens before A's commit.)
  await b.clock.pauseAt((await b.evaluate(() => Date.now())) + 2_000);
  await a.getByRole('button', { name: '下一位' }).click();
  await redeemTissues(a, card);
  await expect(b.getByTestId('balance')).toHaveText('70');
});

test('a reload in the middle of a redemption commits it whole or not at all, and the server gets it once', async ({ browser }) => {
  const page = await pairedKiosk(browser);
  const { card, accountId } = await residentWith(300);
  await page.reload();
  await signInStaff(page);
  const nextSeq = () => page.evaluate(`new Promise((resolve) => {
    const open = indexedDB.open('linli');
    open.onsuccess = () => { const r = open.result.transaction('meta').objectStore('meta').get('seq'); r.onsuccess = () => resolve(r.result ? r.result.next : 1); };
  })`) as Promise<number>;
  for (const delayMs of [0, 2, 5, 10, 20]) {
    await scanKeys(page, card);
    await page.getByRole('button', { name: /抽纸/ }).click();
    await page.getByRole('button', { name: '确认兑换' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确认', exact: true }).click({ noWaitAfter: true });
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    await page.reload(); // the page goes away whatever its transaction was doing
    // The counter keeps an unfinished basket across a reload (counter/keptBasket.ts); this test is
    // about the transaction, so each round starts at an empty counter, however early the reload cut in.
    await page.evaluate(() => sessionStorage.removeItem('linli.counter.basket'));
    await signInStaff(page);
  }
  await expect(syncStatus(page)).toHaveText('已同步');
  const written = (await nextSeq()) - 1;
  const [device] = await db.query<{ n: number; seqs: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT e.seq)::int AS seqs FROM event e JOIN device d ON d.id = e.device_id
     WHERE d.code = (SELECT max(code) FROM device WHERE profile = 'counter') AND e.outcome = 'applied'`);
  expect(device).toEqual({ n: written, seqs: written });
  expect(await balanceOnServer(accountId)).toBe(300 - 30 * written);
  await scanKeys(page, card);
  await expect(page.getByTestId('balance')).toHaveText(String(300 - 30 * written));
  expect(await ledgerBreaches(db, 'wzgl')).toEqual([]);
});

test('two tabs of one kiosk share its outbox: their events get their own seqs and reach the server once', async ({ browser }) => {
  const first = await pairedKiosk(browser);
  const { card, accountId } = await residentWith(200);
  const second = await first.context().newPage(); // the same kiosk: the same IndexedDB
  await second.goto(new URL(first.url()).origin + '/');
  await signInStaff(second);
  await first.reload();
  await signInStaff(first);
  await server.stop();
  await redeemTissues(first, card);
  await redeemTissues(second, card);
  await expect(syncStatus(first)).toHaveText('离线 · 2 条待同步');
  await expect(syncStatus(second)).toHaveText('离线 · 2 条待同步');
  await server.start();
  await cameBack(first, second);
  await expect(syncStatus(first)).toHaveText('已同步');
  await expect(syncStatus(second)).toHaveText('已同步');
  const events = await db.query<{ seq: number; outcome: string }>(
    `SELECT e.seq, e.outcome FROM event e JOIN device d ON d.id = e.device_id WHERE d.code = (SELECT max(code) FROM device WHERE profile = 'counter') ORDER BY e.seq`);
  expect(events).toEqual([{ seq: 1, outcome: 'applied' }, { seq: 2, outcome: 'applied' }]);
  expect(await balanceOnServer(accountId)).toBe(140);
  expect(await db.query("SELECT code FROM refusal WHERE code IN ('seqGap', 'wrongDevice')")).toEqual([]);
});
