import { expect, test, type Browser, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import { DEMO_CANTEEN_CARD, DEMO_CANTEEN_PIN } from '../../server/demo/canteen.js';
import { createPairingCode } from '../../server/devices/enrol.js';
import type { ServerProcess } from '../../build/serverProcess.js';
import type { ScratchDb } from '../support/db.js';
import { axeAAA, keepScreenshot, measureScreen } from '../support/a11y.js';
import { openPairedKiosk, signInStaff, startLiveCentre } from '../support/kiosk.js';
import { scanKeys } from '../support/scanner.js';

/**
 * The staff screens meet the self-service screens' rules (issue 13, item 7): on every tab of the
 * counter and the canteen till, and on the calling screen, axe at WCAG 2.2 AAA finds nothing, no
 * text is below 7:1 and no control (button, field, list, tick) below 60 px, at 1366×768; a larger type can be switched on per
 * device and stays on across a reload. Screenshots of each screen are kept as artifacts.
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

async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  contexts.push(context);
  return context;
}

/** The rules on the screen as it is now, its screenshot kept under `name`. */
async function expectStaffRules(page: Page, info: TestInfo, name: string): Promise<void> {
  await keepScreenshot(page, info, name);
  expect(await axeAAA(page), name).toEqual([]);
  // Every control: buttons, links, fields, lists to choose from, and the lines of ticks and radios.
  const drawn = await measureScreen(page, 'body');
  expect(drawn.minContrast, `${name}: lowest contrast at ${drawn.lowest}`).toBeGreaterThanOrEqual(7);
  expect(drawn.minTarget, `${name}: smallest control ${drawn.smallest}`).toBeGreaterThanOrEqual(60);
}

/** Every tab of the screen's tab list, each checked after it is chosen. */
async function everyTab(page: Page, info: TestInfo, prefix: string): Promise<string[]> {
  const names = (await page.getByRole('tab').allTextContents()).map((n) => n.trim());
  for (const name of names) {
    await page.getByRole('tab', { name, exact: true }).click();
    await expect(page.getByRole('tab', { name, exact: true })).toHaveAttribute('aria-selected', 'true');
    // The canteen's screens draw nothing until their rows are read: the screen itself is awaited.
    // (The counter's draw at once and fill in from live queries, as a clerk sees them.)
    await expect(page.locator('[role=tablist] ~ *').first()).toBeVisible();
    await expectStaffRules(page, info, `${prefix}-${name}`);
  }
  return names;
}

async function counterWithResident(browser: Browser): Promise<Page> {
  const page = await openPairedKiosk(await newContext(browser), db, server.url);
  const [resident] = await db.query<{ card_code: string }>('SELECT r.card_code FROM resident r JOIN account a ON a.id = r.account_id ORDER BY a.balance DESC, r.id LIMIT 1');
  await scanKeys(page, resident!.card_code);
  await expect(page.getByTestId('balance')).toBeVisible();
  return page;
}

test('the counter: every tab at AAA, text 7:1 or more, controls 60 px or more', async ({ browser }, info) => {
  const page = await counterWithResident(browser);
  const tabs = await everyTab(page, info, 'counter');
  expect(tabs.length).toBeGreaterThanOrEqual(5);
});

test('the canteen till and the calling screen: every tab at AAA, text 7:1 or more, controls 60 px or more', async ({ browser }, info) => {
  const till = await (await newContext(browser)).newPage();
  await till.goto(`${server.url}/#pair=${await createPairingCode(db, 'wzgl', 'canteen', new Date())}`);
  await till.getByRole('button', { name: '配对' }).click();
  await signInStaff(till, { cardCode: DEMO_CANTEEN_CARD, pin: DEMO_CANTEEN_PIN });
  await till.getByRole('radio', { name: /午餐/ }).click();
  const tabs = await everyTab(till, info, 'canteen');
  expect(tabs.length).toBeGreaterThanOrEqual(3);

  const display = await (await newContext(browser)).newPage();
  await display.goto(`${server.url}/#pair=${await createPairingCode(db, 'wzgl', 'canteen', new Date())}&display`);
  await display.getByRole('button', { name: '配对' }).click();
  await display.getByTestId('calling-screen').waitFor({ timeout: 120_000 });
  await keepScreenshot(display, info, 'calling-screen');
  expect(await axeAAA(display)).toEqual([]);
});

test('a larger type is switched on for this device alone and stays on across a reload', async ({ browser }, info) => {
  const page = await counterWithResident(browser);
  const rootSize = (p: Page) => p.evaluate(() => getComputedStyle(document.documentElement).fontSize);
  const balanceHeight = async (p: Page) => (await p.getByTestId('balance').boundingBox())!.height;
  expect(await rootSize(page)).toBe('20px');
  const before = await balanceHeight(page);

  const toggle = page.getByRole('button', { name: '大字' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  expect(await rootSize(page)).toBe('24px');
  expect(await balanceHeight(page)).toBeGreaterThan(before * 1.1);
  await expectStaffRules(page, info, 'counter-large-type');

  await page.reload();
  await signInStaff(page);
  expect(await rootSize(page)).toBe('24px');
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');

  // Another kiosk (its own browser profile) keeps the standard type.
  const other = await openPairedKiosk(await newContext(browser), db, server.url);
  expect(await rootSize(other)).toBe('20px');

  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  expect(await rootSize(page)).toBe('20px');
});
