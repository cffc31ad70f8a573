import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { addDays, formatShanghai, makeTicketCode, readTicketNumber, sittingIdFor } from '../../core/index.js';
import type { ServerProcess } from '../../build/serverProcess.js';
import { DEMO_CANTEEN_CARD, DEMO_CANTEEN_PIN } from '../../server/demo/canteen.js';
import { createPairingCode } from '../../server/devices/enrol.js';
import type { ScratchDb } from '../support/db.js';
import { ledgerBreaches } from '../support/centre.js';
import { signInStaff, startLiveCentre } from '../support/kiosk.js';
import { scanKeys } from '../support/scanner.js';

/**
 * A lunch sitting as the canteen runs it, in Chromium against the real server on PostgreSQL: two
 * tills and a calling screen (a third canteen device opened as `#display`), sales by card and to
 * walk-ins, calls reaching the screen through the poke, both tills offline and back with no number
 * handed out twice, a ticket of another day refused at the window.
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

/** A canteen device in a context of its own (its own IndexedDB), paired; a till signs the cook in. */
async function canteenDevice(browser: Browser, as: 'till' | 'display'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${server.url}/#pair=${await createPairingCode(db, 'wzgl', 'canteen', new Date())}${as === 'display' ? '&display' : ''}`);
  await page.getByRole('button', { name: '配对' }).click();
  if (as === 'till') {
    await signInStaff(page, COOK);
    await page.getByRole('radio', { name: /午餐/ }).click();
  } else {
    await page.getByTestId('calling-screen').waitFor({ timeout: 120_000 });
  }
  return page;
}

/** Sells the lunch's set meal at a till, to a walk-in or to the card scanned before, for cash; answers the ticket number. */
async function sell(page: Page): Promise<string> {
  await page.getByRole('button', { name: '出票' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '确认' }).click();
  const number = (await page.getByTestId('sold-number').textContent())!.replace(/^已出票：(\S+) 号$/, '$1');
  await page.getByRole('button', { name: '完成' }).click();
  return number;
}
async function sellToWalkIn(page: Page): Promise<string> {
  await page.getByRole('button', { name: /散客（无卡/ }).click();
  return sell(page);
}

const synced = (page: Page) => expect(page.getByTestId('sync-status')).toHaveText('已同步', { timeout: 30_000 });

test('a lunch at two tills and a calling screen: sold, called through the poke, offline and back with no number twice', async ({ browser }) => {
  const a = await canteenDevice(browser, 'till');
  await expect(a.getByTestId('till-series')).toHaveText('本机为主售票机：取餐号 1、2、3…');
  const b = await canteenDevice(browser, 'till');
  await expect(b.getByTestId('till-series')).toHaveText('本机取餐号：B01、B02…');
  const display = await canteenDevice(browser, 'display');

  // A walk-in pays the list price; a resident of 80 is subsidised by the rules of the day.
  expect(await sellToWalkIn(a)).toBe('1');
  const [old] = await db.query<{ card_code: string }>(
    `SELECT card_code FROM resident WHERE centre_id = 'wzgl' AND birth_date <= $1 AND NOT flags ?| array['lowIncome', 'extremeHardship', 'disabled']
       AND id NOT IN (SELECT resident_id FROM meal_order WHERE sitting_id = $2 AND resident_id IS NOT NULL) ORDER BY id LIMIT 1`,
    [addDays(TODAY, -81 * 366), LUNCH]);
  await scanKeys(a, old!.card_code);
  await expect(a.getByTestId('categories')).toContainText('80岁以上');
  await a.getByRole('button', { name: '出票' }).click();
  await expect(a.getByTestId('quote-subsidy')).toHaveText('￥3.00');
  await expect(a.getByTestId('quote-paid')).toHaveText('￥2.00');
  await a.getByRole('dialog').getByRole('button', { name: '确认' }).click();
  await expect(a.getByTestId('sold-number')).toHaveText('已出票：2 号');
  await expect(a.getByTestId('ticket')).toContainText('助餐补贴');
  await a.getByRole('button', { name: '完成' }).click();
  // The same card again: at list price, and the screen says why.
  await scanKeys(a, old!.card_code);
  await a.getByRole('button', { name: '出票' }).click();
  await expect(a.getByTestId('quote-note')).toHaveText('本餐次已享受过一份补贴，这一份按原价');
  await a.getByRole('dialog').getByRole('button', { name: '取消' }).click();
  await a.getByRole('button', { name: '下一位' }).click();
  expect(await sellToWalkIn(b)).toBe('B01');

  // The call reaches the other device's calling screen through the server's poke.
  await synced(b);
  await a.getByTestId('call-next').click();
  await expect(display.getByTestId('called-number')).toHaveText('1', { timeout: 5_000 });
  await expect(display.getByTestId('next-numbers')).toContainText('2');
  // Headless Chromium has no Chinese voice: the screen says so, and the chime stands in.
  await expect(display.getByRole('status').filter({ hasText: '本机没有安装中文语音' })).toBeVisible();
  await expect(display.getByTestId('calling-screen')).toHaveAttribute('data-last-said', '1号，请取餐', { timeout: 10_000 });

  // Both tills offline: each goes on with its own series.
  await server.stop();
  const offline = [await sellToWalkIn(a), await sellToWalkIn(b), await sellToWalkIn(a), await sellToWalkIn(b)];
  expect(offline).toEqual(['3', 'B02', '4', 'B03']);
  await expect(a.getByTestId('sync-status')).toContainText('离线');
  await server.start();
  await synced(a);
  await synced(b);
  const sold = await db.query<{ number: string; device_code: string }>(`SELECT number, device_code FROM meal_order WHERE sitting_id = $1 AND number IS NOT NULL ORDER BY sold_at`, [LUNCH]);
  expect(sold.map((s) => s.number).sort()).toEqual(['1', '2', '3', '4', 'B01', 'B02', 'B03']);
  for (const d of ['C01', 'C02']) {
    const counts = sold.filter((s) => s.device_code === d).map((s) => readTicketNumber(s.number)!.count);
    expect(counts).toEqual(counts.map((_, i) => i + 1));
  }
  expect(await ledgerBreaches(db, 'wzgl')).toEqual([]);

  // Called again from the other till, then served; the screen moves on to the next call.
  await expect(b.getByTestId('called-list')).toContainText('1');
  await b.getByTestId('called-list').getByRole('button', { name: '已取餐' }).first().click();
  await b.getByTestId('call-next').click();
  await expect(display.getByTestId('called-number')).toHaveText('2', { timeout: 10_000 });
  await expect(display.getByTestId('calling-screen')).toHaveAttribute('data-last-said', '2号，请取餐', { timeout: 10_000 });
  await synced(b);
  expect((await db.query<{ state: string }>(`SELECT state FROM meal_order WHERE sitting_id = $1 AND number = '1'`, [LUNCH]))[0]!.state).toBe('served');

  // A ticket of another day shown at the window: refused with its reason, nothing changes.
  const yesterday = addDays(TODAY, -1);
  await scanKeys(a, makeTicketCode({ centreId: 'wzgl', day: yesterday, sittingId: sittingIdFor(yesterday, 'lunch'), number: '3' }));
  await expect(a.getByRole('alert')).toHaveText(`这张取餐票是 ${yesterday} 的，不是今天的。`);
  // Today's ticket 3, scanned: its meal collected.
  await scanKeys(a, makeTicketCode({ centreId: 'wzgl', day: TODAY, sittingId: LUNCH, number: '3' }));
  await expect(a.getByRole('alert')).toHaveText('3 号已取餐。');
});

test('bookings at the counter: places shown, booked, collected at the till with its ticket', async ({ browser }) => {
  const a = await canteenDevice(browser, 'till');
  const tomorrow = addDays(TODAY, 1);
  await a.getByRole('tab', { name: '订餐' }).click();
  await a.getByRole('tab', { name: tomorrow.slice(5) }).click();
  await a.getByRole('radio', { name: /午餐/ }).click();
  // Tomorrow's lunch on screen (the panel re-renders after the tab), then its places are read.
  await expect(a.getByText(`预订截止 ${tomorrow} `)).toBeVisible();
  const places = a.getByTestId('booking-places-lunch');
  const before = Number(/余 (\d+)/.exec((await places.textContent())!)![1]);
  const [who] = await db.query<{ card_code: string }>(
    // No meal booked tomorrow, nor today (before today's cut-off the resident is booked for today's lunch below).
    `SELECT card_code FROM resident r WHERE centre_id = 'wzgl' AND NOT EXISTS (SELECT 1 FROM meal_order o WHERE o.resident_id = r.id AND o.day IN ($1, $2)) ORDER BY id LIMIT 1`, [tomorrow, TODAY]);
  await scanKeys(a, who!.card_code);
  await a.getByRole('button', { name: /^为 .* 预订$/ }).click();
  await a.getByRole('dialog').getByRole('button', { name: '确认' }).click();
  await expect(places).toContainText(`余 ${before - 1} /`);
  await expect(a.getByTestId('booking-list')).toBeVisible();
  await synced(a);
  // Today's lunch closed for bookings at 10:00 (or is still open before it): the screen says which.
  await a.getByRole('tab', { name: TODAY.slice(5) }).click();
  await a.getByRole('radio', { name: /午餐/ }).click();
  await scanKeys(a, who!.card_code);
  await a.getByRole('button', { name: /^为 .* 预订$/ }).click();
  await a.getByRole('dialog').getByRole('button', { name: '确认' }).click();
  const now = formatShanghai(Date.now()).slice(11, 16);
  if (now >= '10:00') await expect(a.getByRole('alert')).toContainText('预订已截止');
  else await expect(a.getByText('已预订，等待同步')).toBeVisible();

  // A booking made yesterday for today's lunch is collected at the till: the ticket, no new place.
  const [booked] = await db.query<{ card_code: string }>(
    `SELECT r.card_code FROM meal_order o JOIN resident r ON r.id = o.resident_id AND r.centre_id = o.centre_id WHERE o.sitting_id = $1 AND o.state = 'booked' ORDER BY o.id LIMIT 1`, [LUNCH]);
  await a.getByRole('tab', { name: '售餐' }).click();
  await a.getByRole('radio', { name: /午餐/ }).click();
  const lunchPlaces = await a.getByTestId('places-lunch').textContent();
  await scanKeys(a, booked!.card_code);
  await expect(a.getByText('已预订本餐次，售出即取餐')).toBeVisible();
  await sell(a);
  await expect(a.getByTestId('places-lunch')).toHaveText(lunchPlaces!);
});
