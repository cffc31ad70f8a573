import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import {
  maskName,
  layoutDaySummary, layoutMealTicket, layoutRedemption, layoutShelfLabel, layoutToolLoan, makeCardCode, makeEan, makeTicketCode,
  PAPER_DOTS, receiptNumber, type Paper, type PrintDoc,
} from '../../core/index.js';
import { ServerProcess } from '../../build/serverProcess.js';
import { decodeEscPos, inked } from '../support/escpos.js';
import { FakePrinter } from '../support/fakePrinter.js';
import { openPairedKiosk, startLiveCentre } from '../support/kiosk.js';
import { installPrintBridge } from '../support/printBridge.js';
import { scanKeys } from '../support/scanner.js';

/**
 * Every printed document rendered as HTML on the kiosk's print page, in Chromium, as a printer
 * with a system driver would get it. Each is checked for what a person reads on it, and its
 * screenshot is kept in test-results/documents/ for a person to look at.
 */
let server: ServerProcess;
const SHOTS = 'test-results/documents';

test.beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = new ServerProcess({ LINLI_DATA_DIR: `${process.env.TMPDIR ?? '/tmp'}/linli-docs-${process.pid}`, LINLI_DEMO: 'none' });
  await server.start();
});
test.afterAll(async () => {
  await server.stop();
});

const at = Date.UTC(2026, 10, 25, 3, 30);
const centreName = '五洲观澜社区党群服务中心';

async function showDoc(page: Page, payload: unknown, shot: string): Promise<void> {
  await page.goto(`${server.url}/print.html#${encodeURIComponent(JSON.stringify(payload))}`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'yes');
  await page.locator('#doc > section').screenshot({ path: `${SHOTS}/${shot}.png` });
}
const docOf = (doc: PrintDoc) => ({ kind: 'doc', doc });

test('the meal ticket shows its number large, the sitting and a QR code', async ({ page }) => {
  const code = makeTicketCode({ centreId: 'wzgl', day: '2026-11-25', sittingId: 'lunch', number: '10' });
  await showDoc(page, docOf(layoutMealTicket({ centreName, sittingName: '午餐', day: '2026-11-25', number: '10', code, at, priceFen: 500 }, '58mm', 'zh')), 'meal-ticket');
  const number = page.locator('p.s4');
  await expect(number).toHaveText('10');
  const [numberBox, lineBox] = [await number.boundingBox(), await page.locator('p.s1').first().boundingBox()];
  expect(numberBox!.height).toBeGreaterThan(3 * lineBox!.height);
  await expect(page.locator('.print-doc')).toContainText('2026-11-25 午餐');
  await expect(page.locator('.print-doc')).toContainText('￥5.00');
  await expect(page.locator('.qr svg')).toHaveCount(1);
});

test('the tool-loan stub names borrower, tool, time and deposit, and the rent is 0', async ({ page }) => {
  await showDoc(page, docOf(layoutToolLoan({ centreName, stubNo: 'T-K01-000007', borrowerName: maskName('张三明'), tool: '电钻（含钻头一套）', at, depositFen: 5000 }, '58mm', 'zh')), 'tool-loan');
  const doc = page.locator('.print-doc');
  for (const t of ['工具租赁单存根', '张*明', '电钻（含钻头一套）', '2026-11-25 11:30', '￥50.00']) await expect(doc).toContainText(t);
  await expect(doc.locator('p', { hasText: '租金' })).toHaveText(/租金\s+￥0\.00/);
  await expect(page.locator('.bar svg')).toHaveCount(1);
});

test('the shelf label shows the point price large, with the goods barcode', async ({ page }) => {
  await showDoc(page, docOf(layoutShelfLabel({ goodsName: '抽纸（一提）', pointPrice: 30, barcode: makeEan('690100000000') }, '58mm', 'zh')), 'shelf-label');
  await expect(page.locator('p.s4')).toHaveText('30 分');
  await expect(page.locator('.print-doc')).toContainText('明码标分');
  await expect(page.locator('.bar svg')).toHaveCount(1);
});

test('the end-of-day summary counts the day and warns of unsynced records', async ({ page }) => {
  const summary = { centreName, day: '2026-11-25', deviceCode: 'K01', printedAt: at, redemptions: 42, pointsSpent: 1_630, pointsAwarded: 2_210, stockReceived: 60, unsynced: 3, goodsOut: [{ name: '抽纸（一提）', quantity: 18 }, { name: '口罩（10只）', quantity: 9 }],
    centre: [{ label: '志愿服务', issued: 3_120, redeemed: 0 }, { label: '兑换商品', issued: 0, redeemed: 2_480 }] };
  await showDoc(page, docOf(layoutDaySummary(summary, '80mm', 'zh')), 'day-summary');
  const doc = page.locator('.print-doc');
  for (const t of ['日结单 2026-11-25', '42', '1630', '2210', '抽纸（一提）', '全中心当日积分（账本）']) await expect(doc).toContainText(t);
  await expect(doc.locator('p', { hasText: '志愿服务' })).toHaveText(/志愿服务\s+\+3120 \/ -0/);
  await expect(doc.locator('p.b', { hasText: '未同步记录' })).toHaveText(/未同步记录\s+3/);
});

test('the redemption receipt prints as on the thermal printer, with its receipt number barcode', async ({ page }) => {
  const receipt = { kind: 'redemption' as const, centreName, receiptNo: receiptNumber('K01', 42), at, residentName: maskName('张三明'), lines: [{ name: '抽纸（一提）', quantity: 2, pointPrice: 30, points: 60 }], totalPoints: 60, balanceAfter: 410 };
  await showDoc(page, docOf(layoutRedemption(receipt, '80mm', 'zh')), 'redemption-receipt');
  await expect(page.locator('.print-doc')).toContainText('K01-000042');
  const box = await page.locator('.print-doc').boundingBox();
  expect(Math.round(box!.width)).toBe(Math.round((72 / 25.4) * 96));
});

/** The black runs of a raster line's SVG (`M x y h len …`): where the bitmap has ink. */
async function inkRuns(page: Page): Promise<{ x: number; y: number; len: number }[]> {
  const d = await page.locator('.raster svg path').getAttribute('d');
  return Array.from(d!.matchAll(/M(\d+) (\d+)h(\d+)/g), (m) => ({ x: Number(m[1]), y: Number(m[2]), len: Number(m[3]) }));
}

test('a resident named with 𠀾 (outside GBK) prints that line as a bitmap Chromium drew, on the printer\'s grid', async ({ page }) => {
  const receipt = { kind: 'redemption' as const, centreName, receiptNo: receiptNumber('K01', 42), at, residentName: maskName('𠀾小明'), lines: [{ name: '抽纸（一提）', quantity: 2, pointPrice: 30, points: 60 }], totalPoints: 60, balanceAfter: 410 };
  await showDoc(page, docOf(layoutRedemption(receipt, '58mm', 'zh')), 'outside-gbk');
  const svg = page.locator('.raster svg');
  await expect(svg).toHaveCount(1);
  await expect(svg).toHaveAttribute('aria-label', /^居民 +𠀾\*明$/);
  // The paper's width (384 dots, 48 mm) and one line high (24 dots).
  await expect(svg).toHaveAttribute('viewBox', `0 0 ${PAPER_DOTS['58mm']} 24`);
  const runs = await inkRuns(page);
  const inkIn = (from: number, to: number) => runs.filter((r) => r.x < to && r.x + r.len > from).reduce((n, r) => n + r.len, 0);
  // 居民 in columns 0–3 (dots 0–47), 𠀾 in columns 27–28 (dots 324–347), 明 ending at dot 384.
  expect(inkIn(0, 48)).toBeGreaterThan(40);
  expect(inkIn(324, 348)).toBeGreaterThan(40);
  expect(inkIn(360, 384)).toBeGreaterThan(40);
  expect(inkIn(48, 300)).toBe(0);
  await expect(page.locator('.print-doc p', { hasText: '居民' })).toHaveCount(0);
});

test('every document, long and in English, fits its paper on the page too', async ({ page }) => {
  const long = '重阳节敬老午餐（长者优先，凭券就座）Double Ninth lunch for elders';
  for (const paper of ['58mm', '80mm'] as const satisfies readonly Paper[]) {
    for (const lang of ['zh', 'en'] as const) {
      const docs: Record<string, PrintDoc> = {
        'meal-ticket': layoutMealTicket({ centreName, sittingName: long, day: '2026-11-25', number: 'B107', code: 'LLT1.x', at, priceFen: 1_250 }, paper, lang),
        'tool-loan': layoutToolLoan({ centreName, stubNo: 'T-K01-000007', borrowerName: maskName('欧阳小明'), tool: long, at, depositFen: 5000 }, paper, lang),
        'shelf-label': layoutShelfLabel({ goodsName: '电动轮椅（捐赠）', pointPrice: 100_000, barcode: makeEan('690100000000') }, paper, lang),
        'day-summary': layoutDaySummary({ centreName, day: '2026-11-25', deviceCode: 'K01', printedAt: at, redemptions: 42, pointsSpent: 1_630, pointsAwarded: 2_210, stockReceived: 60, unsynced: 0, goodsOut: [{ name: long, quantity: 3 }],
          centre: [{ label: lang === 'zh' ? '冲正与更正' : 'Reversals and corrections', issued: 100_000, redeemed: 1_000_000 }] }, paper, lang),
      };
      for (const [name, doc] of Object.entries(docs)) {
        await showDoc(page, docOf(doc), `${name}-${paper}-${lang}`);
        // A line the page cuts off is a line the paper would: none may be wider than its box.
        const cut = await page.locator('.print-doc p').evaluateAll((ps) => ps.filter((p) => p.scrollWidth > p.clientWidth + 1).map((p) => p.textContent));
        expect(cut, `${name} ${paper} ${lang}`).toEqual([]);
      }
    }
  }
});

test('the resident card is ID-1 size, with the masked name, barcode and QR code', async ({ page }) => {
  const card = { centreName, residentName: maskName('张三明'), cardCode: makeCardCode(123, 1) };
  await showDoc(page, { kind: 'residentCard', card }, 'resident-card');
  const box = await page.locator('.resident-card-print').boundingBox();
  expect(box!.width).toBeCloseTo((85.6 / 25.4) * 96, 0);
  expect(box!.height).toBeCloseTo((54 / 25.4) * 96, 0);
  await expect(page.locator('.resident-card-print')).toContainText('张*明');
  await expect(page.locator('.resident-card-print')).toContainText('LL0000012310');
  await expect(page.locator('.resident-card-print svg')).toHaveCount(2);
});

test('a forged or broken document is refused with a message, not printed', async ({ page }) => {
  for (const payload of [{ kind: 'residentCard', card: { centreName, residentName: 'x', cardCode: '<script>' } }, { kind: 'doc', doc: { paper: '100mm', lines: [] } }]) {
    await page.goto(`${server.url}/print.html#${encodeURIComponent(JSON.stringify(payload))}`);
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'invalid');
    await expect(page.locator('#doc')).toHaveText('无法打印：文档内容不正确。 / Cannot print: the document is not valid.');
  }
});

test.describe('at the counter, through the bridge, to a thermal printer', () => {
  let live: Awaited<ReturnType<typeof startLiveCentre>>;
  let printer: FakePrinter;
  test.beforeAll(async () => {
    live = await startLiveCentre();
    printer = new FakePrinter();
    await printer.start();
  });
  test.afterAll(async () => {
    await printer.stop();
    await live.stop();
  });

  test('a resident named with 𠀾 gets a receipt whose name line the printer prints as a bitmap', async ({ browser }) => {
    const [r] = await live.db.query<{ id: string; card_code: string }>('SELECT r.id, r.card_code FROM resident r JOIN account a ON a.id = r.account_id ORDER BY a.balance DESC LIMIT 1');
    // Set before the kiosk pairs, so its first snapshot has the name.
    await live.db.query("UPDATE resident SET name = '𠀾' || substr(name, 2) WHERE id = $1", [r!.id]);
    const context = await browser.newContext();
    const bridge = await installPrintBridge(context, printer);
    try {
      const page = await openPairedKiosk(context, live.db, live.server.url);
      await scanKeys(page, r!.card_code);
      await page.getByRole('button', { name: /抽纸/ }).click();
      await page.getByRole('button', { name: '确认兑换' }).click();
      await page.getByRole('dialog').getByRole('button', { name: '确认', exact: true }).click();
      await expect(page.getByTestId('print-status')).toHaveText('小票已打印');
      const printed = decodeEscPos(printer.jobs[0]!);
      expect(printed.rasters).toHaveLength(1);
      expect(printed.rasters[0]).toMatchObject({ width: PAPER_DOTS['58mm'], height: 24 });
      expect(inked(printed.rasters[0]!)).toBeGreaterThan(100);
      const text = printed.lines.map((l) => l.text).join('\n');
      expect(text).not.toContain('居民');
      expect(text).not.toContain('〓');
      expect(text).toContain('抽纸（一提）');
      expect(printed.lines.every((l) => l.fourByte === 0 && l.columns * l.size <= 32)).toBe(true);
    } finally {
      bridge.close();
      await context.close();
    }
  });
});
