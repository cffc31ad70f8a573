import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { formatShanghai, makeCardCode, makeTicketCode } from '../../core/index.js';
import type { ServerProcess } from '../../build/serverProcess.js';
import type { ScratchDb } from '../support/db.js';
import { CLERK, openPairedKiosk, signInStaff, signOut, startLiveCentre } from '../support/kiosk.js';
import { scanKeys } from '../support/scanner.js';

/**
 * Keyboard-wedge scanning with real key events in Chromium: a scanner's burst against a person's
 * typing, with the card field focused, with a Chinese input method on, with prefixes and control
 * characters, and with a slow scanner set up for one counter.
 */
let db: ScratchDb;
let server: ServerProcess;
let context: BrowserContext;
let page: Page;
const card = makeCardCode(1, 1);

let stopCentre: () => Promise<void>;

test.beforeAll(async ({ browser }) => {
  ({ db, server, stop: stopCentre } = await startLiveCentre());
  context = await browser.newContext();
  page = await openPairedKiosk(context, db, server.url);
});
test.afterAll(async () => {
  await context.close();
  await stopCentre();
});
test.beforeEach(async () => {
  // The last test may have left a resident shown, or be taking one away just now.
  const next = page.getByRole('button', { name: '下一位' });
  if (await next.isVisible()) await next.click({ timeout: 2_000 }).catch(() => undefined);
  await expect(page.getByTestId('resident-card')).toHaveCount(0);
  await page.locator('input[name=cardCode]').fill('');
});

const cardField = () => page.locator('input[name=cardCode]');
const shownCard = () => page.getByTestId('resident-card');
const today = () => formatShanghai(Date.now()).slice(0, 10);
const ticket = (o: Partial<{ centreId: string; day: string; sittingId: string }>) => makeTicketCode({ centreId: 'wzgl', day: today(), sittingId: 'lunch', number: '10', ...o });
const atCounter = (sitting: string) => `这是「${sitting}」餐次的 10 号取餐票，请到食堂窗口取餐。`;
/** Waits until the page has painted what the keys sent so far did (CDP answers once a key is handled). */
const painted = () => page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));

test('a scan with the card field focused shows the resident and leaves the field empty', async () => {
  await cardField().focus();
  await scanKeys(page, card);
  await expect(shownCard()).toHaveAttribute('data-card-code', card);
  await page.getByRole('button', { name: '下一位' }).click();
  await expect(cardField()).toHaveValue('');
});

test('a scan never lands in a field a person is typing in', async () => {
  await cardField().focus();
  await page.keyboard.type('LL00', { delay: 120 });
  await expect(cardField()).toHaveValue('LL00');
  await scanKeys(page, card);
  await expect(shownCard()).toHaveAttribute('data-card-code', card);
  await page.getByRole('button', { name: '下一位' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a key a person presses shows in the field as it is pressed, not a scanner\'s gap later', async () => {
  await cardField().focus();
  // The key and what the field holds right after it, in one script: nothing else runs in between.
  const shown = await page.evaluate(() => {
    const field = document.querySelector<HTMLInputElement>('input[name=cardCode]')!;
    field.dispatchEvent(new KeyboardEvent('keydown', { key: 'z', code: 'KeyZ', bubbles: true, cancelable: true }));
    return field.value;
  });
  expect(shown).toBe('z');
  await expect(cardField()).toHaveValue('z');
  await painted();
  await expect(cardField()).toHaveValue('z');
});

test('two keys typed fast inside a word go where the caret is, not at the end', async () => {
  await cardField().fill('张三明');
  // The caret after 张; two keys 1 ms apart (a fast typist's roll), as one script so nothing runs in between.
  await page.evaluate(() => {
    const field = document.querySelector<HTMLInputElement>('input[name=cardCode]')!;
    field.focus();
    field.setSelectionRange(1, 1);
    for (const key of ['a', 'b']) field.dispatchEvent(new KeyboardEvent('keydown', { key, code: `Key${key.toUpperCase()}`, bubbles: true, cancelable: true }));
  });
  await expect(cardField()).toHaveValue('张ab三明');
});

test('typing at a person\'s pace goes into the field, and Enter looks the card up', async () => {
  await cardField().focus();
  await page.keyboard.type(card.toLowerCase(), { delay: 110 });
  await expect(cardField()).toHaveValue(card.toLowerCase());
  await expect(shownCard()).toHaveCount(0);
  await page.keyboard.press('Enter');
  await expect(shownCard()).toHaveAttribute('data-card-code', card);
});

test('scans still read while a Chinese input method turns keys into Process/229', async () => {
  await cardField().focus();
  await scanKeys(page, card, { ime: true });
  await expect(shownCard()).toHaveAttribute('data-card-code', card);
  const tissues = await page.getByRole('button', { name: /抽纸/ }).getAttribute('data-barcode');
  await scanKeys(page, tissues!, { ime: true });
  await expect(page.getByTestId('total')).toHaveText('30');
});

test('a control character and an AIM prefix before the code are stripped', async () => {
  await scanKeys(page, card, { controlFirst: true, prefix: ']C1' });
  await expect(shownCard()).toHaveAttribute('data-card-code', card);
  const tissues = await page.getByRole('button', { name: /抽纸/ }).getAttribute('data-barcode');
  await scanKeys(page, tissues!, { prefix: ']E0' });
  await expect(page.getByTestId('total')).toHaveText('30');
});

test('a scanner ending in CR LF does not press the focused button with its LF', async () => {
  await scanKeys(page, card, { terminator: 'CRLF' });
  await expect(shownCard()).toHaveAttribute('data-card-code', card);
  const tissues = page.getByRole('button', { name: /抽纸/ });
  await tissues.focus();
  await scanKeys(page, (await tissues.getAttribute('data-barcode'))!, { terminator: 'CRLF' });
  await painted();
  // One pack for the scan; a stray Enter on the focused button would have added a second.
  await expect(page.getByTestId('total')).toHaveText('30');
  await expect(tissues).toBeFocused();
});

test('any AIM identifier before the code is stripped: ]Q2 on a meal ticket, ]d2, ]e0', async () => {
  await scanKeys(page, ticket({ sittingId: 'breakfast' }), { prefix: ']Q2' });
  await expect(page.getByRole('alert')).toHaveText(atCounter('breakfast'));
  await scanKeys(page, card, { prefix: ']d2' });
  await expect(shownCard()).toHaveAttribute('data-card-code', card);
  const tissues = await page.getByRole('button', { name: /抽纸/ }).getAttribute('data-barcode');
  await scanKeys(page, tissues!, { prefix: ']e0' });
  await expect(page.getByTestId('total')).toHaveText('30');
});

test('a meal ticket and a card scanned with Caps Lock on are read', async () => {
  await scanKeys(page, ticket({ sittingId: 'supper' }), { capsLock: true });
  await expect(page.getByRole('alert')).toHaveText(atCounter('supper'));
  await scanKeys(page, card, { capsLock: true });
  await expect(shownCard()).toHaveAttribute('data-card-code', card);
});

test('a sitting id with `_` reads as `_`', async () => {
  await scanKeys(page, ticket({ sittingId: 'lunch_late' }));
  await expect(page.getByRole('alert')).toHaveText(atCounter('lunch_late'));
});

test('a meal ticket scanned at the counter is sent to the canteen, and one of another day or centre is refused', async () => {
  await scanKeys(page, ticket({}));
  await expect(page.getByRole('alert')).toHaveText(atCounter('lunch'));
  await scanKeys(page, ticket({ day: '2026-01-02' }));
  await expect(page.getByRole('alert')).toHaveText('这张取餐票是 2026-01-02 的，不是今天的。');
  await scanKeys(page, ticket({ centreId: 'other' }));
  await expect(page.getByRole('alert')).toHaveText('这张取餐票不是本食堂的。');
  await expect(shownCard()).toHaveCount(0);
});

test('a staff card scanned with Caps Lock on into the sign-in\'s card field, which upper-cases what is typed, reads whole', async () => {
  await signOut(page);
  const staffField = page.locator('input[name=staffCard]');
  await staffField.focus();
  await scanKeys(page, CLERK.cardCode, { capsLock: true });
  await expect(staffField).toHaveValue(CLERK.cardCode);
  await expect(page.locator('input[name=pin]')).toBeFocused();
  await page.locator('input[name=pin]').fill(CLERK.pin);
  await page.getByRole('button', { name: '登录' }).click();
  await cardField().waitFor();
});

test('a slow scanner works once its counter is set up for it', async () => {
  await scanKeys(page, card);
  await expect(shownCard()).toHaveAttribute('data-card-code', card);
  const tissues = await page.getByRole('button', { name: /抽纸/ }).getAttribute('data-barcode');
  // At the default timing, 70 ms a key is a person typing where no field takes it: nothing happens.
  await scanKeys(page, tissues!, { gapMs: 70 });
  await expect(page.getByTestId('basket')).toContainText('扫描商品条码或点选商品');

  await page.evaluate(() => new Promise<void>((resolve, reject) => {
    const open = indexedDB.open('linli');
    open.onsuccess = () => {
      const tx = open.result.transaction('meta', 'readwrite');
      tx.objectStore('meta').put({ key: 'scanner', config: { maxGapMs: 100, minLength: 6, terminator: 'Enter', prefixes: [] } });
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    };
  }));
  // Written past Dexie, so the kiosk reads it at its next start.
  await page.reload();
  await signInStaff(page);
  await cardField().waitFor();
  await scanKeys(page, card, { gapMs: 70 });
  await expect(shownCard()).toHaveAttribute('data-card-code', card);
  await scanKeys(page, tissues!, { gapMs: 70 });
  await expect(page.getByTestId('total')).toHaveText('30');
});
