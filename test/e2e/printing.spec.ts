import { expect, test, type Browser, type Page } from '@playwright/test';
import type { ServerProcess } from '../../build/serverProcess.js';
import type { ScratchDb } from '../support/db.js';
import { decodeEscPos } from '../support/escpos.js';
import { FakePrinter } from '../support/fakePrinter.js';
import { installPrintBridge } from '../support/printBridge.js';
import { openPairedKiosk, startLiveCentre } from '../support/kiosk.js';
import { scanKeys } from '../support/scanner.js';

/**
 * Printing a receipt as the counter does it in Electron: the kiosk in Chromium, the real bridge
 * handlers, print queue and TCP transport, and a printer on loopback that records the bytes.
 */
let db: ScratchDb;
let server: ServerProcess;
let printer: FakePrinter;

let stopCentre: () => Promise<void>;

test.beforeAll(async () => {
  ({ db, server, stop: stopCentre } = await startLiveCentre());
});
test.afterAll(() => stopCentre());
test.beforeEach(async () => {
  printer = new FakePrinter();
  await printer.start();
});
test.afterEach(async () => {
  await printer.stop();
});

/**
 * A paired counter with the bridge to the printer. `drained()` resolves once a whole drain of the
 * print queue has run after the call (one may be running already: the next one starts after it).
 */
async function counterWithPrinter(browser: Browser): Promise<{ page: Page; drained(): Promise<void>; close(): Promise<void> }> {
  const context = await browser.newContext();
  const bridge = await installPrintBridge(context, printer);
  const page = await openPairedKiosk(context, db, server.url);
  const drained = async () => {
    await bridge.queue.drain();
    await bridge.queue.drain();
  };
  return { page, drained, close: async () => { bridge.close(); await context.close(); } };
}

async function redeemOne(page: Page): Promise<string> {
  const [r] = await db.query<{ card_code: string }>('SELECT r.card_code FROM resident r JOIN account a ON a.id = r.account_id ORDER BY a.balance DESC LIMIT 1');
  await scanKeys(page, r!.card_code);
  await page.getByRole('button', { name: /抽纸/ }).click();
  await page.getByRole('button', { name: '确认兑换' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '确认', exact: true }).click();
  const receiptNo = await page.getByTestId('receipt').locator('article').getAttribute('data-receipt-no');
  return receiptNo!;
}

const printedText = (i: number) => decodeEscPos(printer.jobs[i]!).lines.map((l) => l.text).join('\n');

test('a redemption prints its receipt once, in Chinese, and says so', async ({ browser }) => {
  const { page, drained, close } = await counterWithPrinter(browser);
  const receiptNo = await redeemOne(page);
  await expect(page.getByTestId('print-status')).toHaveText('小票已打印');
  expect(printer.jobs).toHaveLength(1);
  expect(printedText(0)).toContain(receiptNo);
  expect(printedText(0)).toContain('抽纸（一提）');
  expect(decodeEscPos(printer.jobs[0]!).barcodes).toEqual([{ format: 'CODE128', data: receiptNo }]);
  await page.reload();
  await expect(page.locator('input[name=staffCard]')).toBeVisible(); // the kiosk is back, and asks for staff
  await drained(); // nothing more may print
  expect(printer.jobs).toHaveLength(1);
  await close();
});

test('out of paper: staff are told, and the receipt prints once paper is in', async ({ browser }) => {
  printer.mode = 'paperOut';
  const { page, close } = await counterWithPrinter(browser);
  await redeemOne(page);
  await expect(page.getByTestId('print-status')).toContainText('打印机缺纸');
  expect(printer.jobs).toHaveLength(0);
  printer.mode = 'ready';
  await expect(page.getByTestId('print-status')).toHaveText('小票已打印');
  expect(printer.jobs).toHaveLength(1);
  await close();
});

test('cut off in the middle: it may not have printed, it is not printed again by itself, staff reprint 补打', async ({ browser }) => {
  printer.mode = 'cutAfter';
  const { page, drained, close } = await counterWithPrinter(browser);
  const receiptNo = await redeemOne(page);
  await expect(page.getByTestId('print-status')).toContainText(`小票 ${receiptNo} 可能没有打印出来`);
  printer.mode = 'ready';
  await drained();
  expect(printer.jobs).toHaveLength(0);
  await page.getByRole('button', { name: '补打' }).click();
  await expect(page.getByTestId('print-status')).toHaveText('小票已打印');
  expect(printer.jobs).toHaveLength(1);
  expect(printedText(0)).toContain('补打');
  expect(printedText(0)).toContain(receiptNo);
  await close();
});
