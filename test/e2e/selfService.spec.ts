import { expect, test, type Browser, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import { makeCardCode, maskName } from '../../core/index.js';
import type { ServerProcess } from '../../build/serverProcess.js';
import { createPairingCode } from '../../server/devices/enrol.js';
import type { ScratchDb } from '../support/db.js';
import { pushAsImport } from '../support/centre.js';
import { startLiveCentre } from '../support/kiosk.js';
import { scanKeys } from '../support/scanner.js';
import { axeAAA, installSpeechSpy, keepScreenshot, measureScreen, spoken } from '../support/a11y.js';

/**
 * The self-service touchscreen (issue 13) as a resident uses it, by touch only (taps; the card
 * comes from the wedge scanner), at 1366×768 and 1920×1080, in Chromium against the real server:
 * the balance with no tap after the scan, masked, said aloud; the idle countdown and home with
 * nothing of the person left; bad cards and refused bookings spoken, written, and home; a meal
 * booked; goods, meals and the week's services without a card. Every screen passes axe at AAA
 * and keeps a screenshot (test-results/…/selfservice-*.png).
 */
let db: ScratchDb;
let server: ServerProcess;
let stopCentre: () => Promise<void>;
const contexts: BrowserContext[] = [];

test.beforeAll(async () => {
  ({ db, server, stop: stopCentre } = await startLiveCentre());
  // Four residents with more entries than a scan shows (the small demo centre has few each).
  const residents = await db.query<{ account_id: string }>(`SELECT account_id FROM resident WHERE centre_id = 'wzgl' AND card_code LIKE 'LL%1_' ORDER BY id LIMIT 4`);
  await pushAsImport(db, residents.flatMap((r) => Array.from({ length: 6 }, (_, i) => ({
    kind: 'pointsAwarded' as const, version: 1 as const, payload: { accountId: r.account_id, points: 10 + i, category: 'governance' as const, note: '清理楼道' },
  }))));
});
test.afterAll(() => stopCentre());
test.afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

const SIZES = [{ width: 1366, height: 768 }, { width: 1920, height: 1080 }] as const;

/** A self-service touchscreen in a context of its own, paired by taps, with the speech spy. */
async function touchscreen(browser: Browser, size: { width: number; height: number }, voices = true): Promise<Page> {
  const context = await browser.newContext({ viewport: size, hasTouch: true, isMobile: false });
  contexts.push(context);
  await installSpeechSpy(context, voices);
  const page = await context.newPage();
  await page.goto(`${server.url}/#pair=${await createPairingCode(db, 'wzgl', 'selfService', new Date())}`);
  await page.getByRole('button', { name: '配对' }).tap();
  await page.getByTestId('self-service').waitFor({ timeout: 120_000 });
  await synced(page);
  return page;
}
/** Rows of the device's replica (its IndexedDB) whose `field` is `value`: what the screen can know. */
async function inReplica(page: Page, table: string, field: string, value: string): Promise<Record<string, unknown>[]> {
  return page.evaluate(([t, f, v]) => new Promise<Record<string, unknown>[]>((resolve, reject) => {
    const open = indexedDB.open('linli');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const req = open.result.transaction(t!, 'readonly').objectStore(t!).getAll();
      req.onsuccess = () => {
        resolve((req.result as Record<string, unknown>[]).filter((r) => r[f!] === v));
        open.result.close();
      };
    };
  }), [table, field, value]);
}
const synced = (page: Page) => expect(page.getByTestId('sync-status')).toHaveText('已同步', { timeout: 30_000 });

/** One of the four residents given more entries than a scan shows (and points for some goods). */
async function someResident(offset = 0) {
  const [r] = await db.query<{ id: string; name: string; card_code: string; account_id: string; balance: number }>(
    `SELECT r.id, r.name, r.card_code, r.account_id, a.balance::int AS balance FROM resident r JOIN account a ON a.id = r.account_id AND a.centre_id = r.centre_id
      WHERE r.centre_id = 'wzgl' AND r.card_code LIKE 'LL%1_' ORDER BY r.id OFFSET $1 LIMIT 1`, [offset]);
  return r!;
}

/** axe at AAA finds nothing, text is at least 7:1 and targets at least 64 px; the screen is kept as an artifact. */
async function checkScreen(page: Page, testInfo: TestInfo, name: string, clockPaused = false): Promise<void> {
  await keepScreenshot(page, testInfo, name);
  // axe waits on the page's timers: with the clock paused, the test moves it on in small steps meanwhile.
  let done = false;
  const violations = axeAAA(page, { inPageOnly: clockPaused }).finally(() => {
    done = true;
  });
  while (clockPaused && !done) await page.clock.runFor(20);
  expect(await violations, name).toEqual([]);
  const m = await measureScreen(page, '[data-testid=self-service]');
  expect(m.minContrast, `${name}: ${m.lowest}`).toBeGreaterThanOrEqual(7);
  expect(m.minTarget, `${name}: ${m.smallest}`).toBeGreaterThanOrEqual(64);
  // The page never scrolls: everything fits the screen.
  expect(await page.evaluate(() => document.documentElement.scrollHeight <= innerHeight && document.documentElement.scrollWidth <= innerWidth), name).toBe(true);
}

for (const size of SIZES) {
  const at = `${size.width}x${size.height}`;

  test(`scan → balance with no tap, masked and spoken; a minute idle brings a countdown, then home with nothing left (${at})`, async ({ browser }, testInfo) => {
    const page = await touchscreen(browser, size);
    const who = await someResident();
    await checkScreen(page, testInfo, `selfservice-home-${at}`);
    await page.getByRole('button', { name: /查积分/ }).tap();
    await expect(page.getByRole('heading', { name: '请刷居民卡' })).toBeVisible();
    await checkScreen(page, testInfo, `selfservice-scan-${at}`);

    await scanKeys(page, who.card_code);
    // No tap after the scan: the balance is there, big, with the masked name.
    await expect(page.getByTestId('ss-balance')).toContainText(String(who.balance));
    await expect(page.getByRole('heading', { name: `${maskName(who.name)}，您好` })).toBeVisible();
    await expect(page.getByText(who.name, { exact: true })).toHaveCount(0);
    await expect(page.getByTestId('ss-entries').locator('li')).toHaveCount(5);
    await expect(page.getByTestId('ss-entries').locator('li').first()).toHaveText(/^\d{1,2}月\d{1,2}日 \S+ .*[+−]\d+分$/);
    await checkScreen(page, testInfo, `selfservice-balance-${at}`);
    // One utterance at a time: each is said after a cancel of the one before.
    const said = await spoken(page);
    expect(said.slice(-2)).toEqual(['cancel', `say[zh-CN] 您好，您现在有 ${who.balance} 分。`]);
    expect(said).toContain('say[zh-CN] 请把居民卡对准扫描口');

    // A minute without a touch: the countdown, said once; a tap on it keeps the person's screen.
    // (The page's clock is the test's from here: it stops, and only the test moves it. Installed no
    // earlier, as the wedge scanner's timing runs on the page's own timers.)
    await page.clock.install();
    await page.getByTestId('ss-balance').tap();
    await page.clock.pauseAt(await page.evaluate(() => Date.now() + 2_000));
    await page.clock.fastForward(61_000);
    await expect(page.getByTestId('countdown')).toContainText(/\d+ 秒后回到首页/);
    expect(await spoken(page)).toContain('say[zh-CN] 没有操作，马上回到首页。还要用请点屏幕。');
    await checkScreen(page, testInfo, `selfservice-countdown-${at}`, true);
    await page.getByRole('button', { name: '我还要用' }).tap();
    await expect(page.getByTestId('countdown')).toHaveCount(0);
    await expect(page.getByTestId('ss-balance')).toContainText(String(who.balance));

    // Left alone again: countdown, then home, and nothing of the person is on the page.
    await page.clock.fastForward(61_000);
    await expect(page.getByTestId('countdown')).toBeVisible();
    await page.clock.fastForward(10_000);
    await expect(page.getByRole('heading', { name: '您好！请点下面的大按钮' })).toBeVisible();
    await expect(page.getByTestId('countdown')).toHaveCount(0);
    const text = await page.locator('body').innerText();
    expect(text).not.toContain(maskName(who.name));
    expect(text).not.toContain(String(who.balance));
    expect(await page.locator('[data-testid=ss-person], [data-testid=ss-entries]').count()).toBe(0);
  });

  test(`bad cards are said and written, change nothing, and the screen goes home (${at})`, async ({ browser }, testInfo) => {
    const page = await touchscreen(browser, size);
    const who = await someResident(1);
    await scanKeys(page, makeCardCode(99_999_990, 1));
    await expect(page.getByTestId('ss-notice')).toHaveText('没有找到这张卡，请找工作人员帮忙。');
    expect((await spoken(page)).at(-1)).toBe('say[zh-CN] 没有找到这张卡，请找工作人员帮忙。');
    await checkScreen(page, testInfo, `selfservice-unknown-card-${at}`);
    await scanKeys(page, '6901234567892');
    await expect(page.getByTestId('ss-notice')).toHaveText('这不是居民卡，请再刷一次，或找工作人员帮忙。');

    // The card is replaced at the counter: the old code is refused as such, the new one works.
    const oldCode = who.card_code;
    const newCode = makeCardCode(Number(oldCode.slice(2, 10)), Number(oldCode[10]) + 1);
    await pushAsImport(db, [{ kind: 'cardReplaced', version: 1, payload: { residentId: who.id, oldCardCode: oldCode, newCardCode: newCode } }]);
    await expect.poll(async () => (await inReplica(page, 'residents', 'id', who.id))[0]?.cardCode, { timeout: 30_000 }).toMatch(/2$/);
    await scanKeys(page, oldCode);
    await expect(page.getByTestId('ss-notice')).toHaveText('此卡已挂失或更换，不能再用。请用新卡，或找工作人员帮忙。');
    expect((await spoken(page)).at(-1)).toBe('say[zh-CN] 此卡已挂失或更换，不能再用。请用新卡，或找工作人员帮忙。');
    await expect(page.getByRole('heading', { name: '您好！请点下面的大按钮' })).toBeVisible();
    await scanKeys(page, newCode);
    await expect(page.getByTestId('ss-balance')).toContainText(String(who.balance));
  });

  test(`a meal booked by taps, said and written; booked twice, full and past the cut-off are refused and home (${at})`, async ({ browser }, testInfo) => {
    const page = await touchscreen(browser, size);
    // Each screen size books for residents of its own: the other size's bookings are theirs.
    const who = await someResident(2 + 2 * SIZES.indexOf(size));
    await scanKeys(page, who.card_code);
    // The first sitting offered for booking (one made full by the run at the other screen size offers none).
    const offered = page.getByTestId('ss-sittings').locator('li').filter({ has: page.getByRole('button', { name: '订这一餐' }) }).first();
    await expect(offered).toBeVisible();
    const bookedId = (await offered.getAttribute('data-sitting'))!;
    const first = page.locator(`[data-sitting="${bookedId}"]`);
    await first.getByRole('button', { name: '订这一餐' }).tap();
    await expect(page.getByTestId('ss-confirm')).toBeVisible();
    await checkScreen(page, testInfo, `selfservice-book-confirm-${at}`);
    await page.getByRole('button', { name: '确认预订' }).tap();
    await expect(page.getByTestId('ss-booked')).toContainText('已为您预订');
    expect((await spoken(page)).at(-1)).toMatch(/^say\[zh-CN\] 已为您预订\d+月\d+日 (早餐|午餐|晚餐)。开餐时请带居民卡到食堂窗口取餐。$/);
    await expect(first).toContainText('已预订 ✓');
    await checkScreen(page, testInfo, `selfservice-booked-${at}`);
    await synced(page);
    expect(await db.query(`SELECT state FROM meal_order WHERE resident_id = $1 AND sitting_id = $2`, [who.id, bookedId])).toEqual([{ state: 'booked' }]);
    const events = await db.query(`SELECT staff_id, outcome FROM event WHERE kind = 'mealBooked' AND payload->>'residentId' = $1 AND payload->>'sittingId' = $2`, [who.id, bookedId]);
    expect(events).toEqual([{ staff_id: null, outcome: 'applied' }]);

    // The next sitting offered: booked meanwhile at the canteen, then tapped here → refused, home.
    await page.getByRole('button', { name: '回到首页' }).tap();
    await scanKeys(page, who.card_code);
    const next = page.getByTestId('ss-sittings').locator('li').filter({ has: page.getByRole('button', { name: '订这一餐' }) }).first();
    const sittingId = (await next.getAttribute('data-sitting'))!;
    const [sitting] = await db.query<{ id: string; day: string; meal_id: string }>(
      `SELECT s.id, s.day, m.id AS meal_id FROM meal_sitting s JOIN menu_meal m ON m.sitting_id = s.id AND m.centre_id = s.centre_id AND m.set_meal WHERE s.centre_id = 'wzgl' AND s.id = $1`, [sittingId]);
    await pushAsImport(db, [{ kind: 'mealBooked', version: 1, payload: { orderId: crypto.randomUUID(), sittingId: sitting!.id, day: sitting!.day, mealId: sitting!.meal_id, residentId: who.id, override: false } }], 'wzgl-s4');
    await expect.poll(async () => (await inReplica(page, 'mealOrders', 'residentId', who.id)).some((o) => o.sittingId === sittingId), { timeout: 30_000 }).toBe(true);
    await next.getByRole('button', { name: '订这一餐' }).tap();
    await page.getByRole('button', { name: '确认预订' }).tap();
    await expect(page.getByTestId('ss-notice')).toHaveText('您已经订过这一餐了，不用再订。');
    expect((await spoken(page)).at(-1)).toBe('say[zh-CN] 您已经订过这一餐了，不用再订。');

    // A sitting made full at the canteen while the screen shows it: the tap is refused, home.
    const other = await someResident(3 + 2 * SIZES.indexOf(size));
    await scanKeys(page, other.card_code);
    const open = page.getByTestId('ss-sittings').locator('li').filter({ has: page.getByRole('button', { name: '订这一餐' }) }).first();
    const [full] = await db.query<{ id: string; used: number }>(`SELECT id, used FROM resource WHERE centre_id = 'wzgl' AND id = $1`, [await open.getAttribute('data-sitting')]);
    await pushAsImport(db, [{ kind: 'sittingCapacitySet', version: 1, payload: { sittingId: full!.id, capacity: full!.used } }], 'wzgl-s4');
    await expect.poll(async () => (await inReplica(page, 'resources', 'id', full!.id))[0]?.capacity, { timeout: 30_000 }).toBe(full!.used);
    await open.getByRole('button', { name: '订这一餐' }).tap();
    await page.getByRole('button', { name: '确认预订' }).tap();
    await expect(page.getByTestId('ss-notice')).toHaveText('这一餐已经订满了，请找工作人员问一问。');
    const before = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM meal_order WHERE resident_id = $1', [other.id]))[0]!.n;
    // Scanned again, the full sitting says so and offers no booking button.
    await scanKeys(page, other.card_code);
    const shownFull = page.locator(`[data-sitting="${full!.id}"]`);
    await expect(shownFull).toContainText('名额已满');
    await expect(shownFull.getByRole('button')).toHaveCount(0);
    await page.getByRole('button', { name: '回到首页' }).tap();

    // Past the cut-off (the clock runs on to the next day while the screen is open): refused, home.
    await scanKeys(page, other.card_code);
    const late = page.getByTestId('ss-sittings').locator('li').filter({ has: page.getByRole('button', { name: '订这一餐' }) }).first();
    await expect(late).toBeVisible();
    await page.clock.install();
    await page.clock.setSystemTime(Date.now() + 2 * 86_400_000);
    await late.getByRole('button', { name: '订这一餐' }).tap();
    await page.getByRole('button', { name: '确认预订' }).tap();
    await expect(page.getByTestId('ss-notice')).toHaveText('这一餐的预订已经截止了，请到食堂窗口购买。');
    expect((await spoken(page)).at(-1)).toBe('say[zh-CN] 这一餐的预订已经截止了，请到食堂窗口购买。');
    await expect.poll(async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM meal_order WHERE resident_id = $1', [other.id]))[0]!.n).toBe(before);
  });

  test(`goods, meals and the week's services without a card; English and voice switches; no voice installed is said (${at})`, async ({ browser }, testInfo) => {
    const page = await touchscreen(browser, size);
    await page.getByRole('button', { name: /看商品/ }).tap();
    await expect(page.getByTestId('ss-goods').locator('li').first()).toContainText(/\d+ 分/);
    await checkScreen(page, testInfo, `selfservice-goods-${at}`);
    await page.getByRole('button', { name: '回到首页' }).tap();
    await page.getByRole('button', { name: /订餐/ }).tap();
    await expect(page.getByTestId('ss-sittings').locator('li').first()).toContainText(/还剩 \d+ 个名额|名额已满/);
    await checkScreen(page, testInfo, `selfservice-meals-${at}`);
    await page.getByRole('button', { name: '回到首页' }).tap();
    await page.getByRole('button', { name: /本周服务/ }).tap();
    await expect(page.getByRole('heading', { name: '本周服务' })).toBeVisible();
    // The timetable staff entered: haircuts, health checks and tutoring on Tuesday.
    await expect(page.getByTestId('ss-week').locator('> li').nth(1)).toContainText('星期二');
    for (const name of ['义务理发', '健康检查', '课业辅导']) await expect(page.getByTestId('ss-week').locator('> li').nth(1)).toContainText(name);
    await checkScreen(page, testInfo, `selfservice-services-${at}`);
    await page.getByRole('button', { name: '回到首页' }).tap();

    // English, then the voice off: nothing more is said.
    await page.getByRole('button', { name: /Switch to English/ }).tap();
    await expect(page.getByRole('button', { name: /My points/ })).toBeVisible();
    await checkScreen(page, testInfo, `selfservice-home-en-${at}`);
    await page.getByRole('button', { name: /My points/ }).tap();
    expect((await spoken(page)).at(-1)).toBe('say[en-US] Please hold your resident card to the scanner');
    await page.getByRole('button', { name: 'Voice: on' }).tap();
    const count = (await spoken(page)).filter((s) => s.startsWith('say')).length;
    await page.getByRole('button', { name: 'Home' }).tap();
    await page.getByRole('button', { name: /Goods/ }).tap();
    expect((await spoken(page)).filter((s) => s.startsWith('say')).length).toBe(count);

    // A screen with no voice installed says so.
    const mute = await touchscreen(browser, size, false);
    await expect(mute.getByTestId('no-voice')).toHaveText('本机没有安装中文语音，提示只显示在屏幕上。');
    await checkScreen(mute, testInfo, `selfservice-no-voice-${at}`);
  });
}
