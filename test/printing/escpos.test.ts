import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  layoutDaySummary, layoutMealTicket, layoutRedemption, layoutShelfLabel, layoutToolLoan, makeEan, makeTicketCode, PAPER_COLUMNS,
  receiptNumber, renderEscPos, textColumns, type Paper, type RedemptionReceipt,
} from '../../core/index.js';
import { decodeEscPos } from '../support/escpos.js';

const gb18030 = (text: string) => new Uint8Array(iconv.encode(text, 'gb18030'));

const receipt: RedemptionReceipt = {
  kind: 'redemption', centreName: '五洲观澜社区党群服务中心', receiptNo: receiptNumber('K01', 42),
  at: Date.UTC(2026, 10, 25, 2, 5), residentName: '张*明',
  lines: [
    { name: '抽纸（一提）', quantity: 2, pointPrice: 30, points: 60 },
    { name: '特别长的商品名称：儿童绘本《小熊很忙》全套十二册（捐赠）', quantity: 1, pointPrice: 20, points: 20 },
  ],
  totalPoints: 80, balanceAfter: 390,
};

const fits = (paper: Paper, lines: { text: string; size: 1 | 2 | 4 }[]) =>
  lines.filter((l) => textColumns(l.text) * l.size > PAPER_COLUMNS[paper]);

describe.each(['58mm', '80mm'] as const)('a redemption receipt on %s paper', (paper) => {
  const bytes = renderEscPos(layoutRedemption(receipt, paper, 'zh'), gb18030);
  const printed = decodeEscPos(bytes);

  it('starts the printer in Chinese mode and ends with a cut', () => {
    expect(printed.commands.slice(0, 2)).toEqual(['init', 'chinese']);
    expect(printed.cuts).toBe(1);
    expect(bytes.slice(-4)).toEqual(Uint8Array.from([0x1d, 0x56, 0x42, 0x00]));
  });

  it('prints the Chinese text that went in, in GB18030', () => {
    const text = printed.lines.map((l) => l.text).join('\n');
    for (const expected of ['积分兑换小票', 'K01-000042', '2026-11-25 10:05', '张*明', '抽纸（一提）', '以行积分 · 以分换物']) expect(text).toContain(expected);
    expect(printed.lines.find((l) => l.text.startsWith('合计'))?.text).toMatch(/^合计 +80$/);
    expect(printed.lines.find((l) => l.text.startsWith('剩余积分'))?.text).toMatch(/ 390$/);
    // Not UTF-8 (E6 8A BD): 抽 is B3 E9 in GB18030.
    expect(Buffer.from(bytes).includes(Buffer.from([0xb3, 0xe9]))).toBe(true);
    expect(Buffer.from(bytes).includes(Buffer.from([0xe6, 0x8a, 0xbd]))).toBe(false);
  });

  it('fits every line to the paper, Chinese characters counted as two columns', () => {
    expect(fits(paper, printed.lines)).toEqual([]);
    const header = printed.lines.filter((l) => l.size === 2);
    expect(header.map((l) => l.text).join('')).toBe('五洲观澜社区党群服务中心');
    // The long name is wrapped, not cut.
    expect(printed.lines.map((l) => l.text).join('')).toContain('全套十二册（捐赠）');
  });

  it('ends with the receipt number as a Code 128 barcode, to scan it back', () => {
    expect(printed.barcodes).toEqual([{ format: 'CODE128', data: 'K01-000042' }]);
  });
});

describe('ESC/POS rendering', () => {
  it('marks a reprint 补打 in large type', () => {
    const printed = decodeEscPos(renderEscPos(layoutRedemption(receipt, '58mm', 'zh', { reprint: true }), gb18030));
    expect(printed.lines.find((l) => l.text === '补打')).toMatchObject({ size: 2, bold: true, align: 'center' });
  });

  it('stores a QR code with the length its bytes take, Chinese included', () => {
    const bytes = renderEscPos({ paper: '58mm', lines: [{ kind: 'qr', data: 'LLT1.wzgl.取餐', module: 6 }, { kind: 'cut' }] }, gb18030);
    expect(decodeEscPos(bytes).qr).toEqual(['LLT1.wzgl.取餐']);
  });

  it('fits any receipt to either paper', () => {
    const name = fc.string({ unit: fc.constantFrom(...Array.from('抽纸毛巾香皂ABCxyz（）《》 -123')), minLength: 1, maxLength: 60 });
    fc.assert(fc.property(
      fc.constantFrom<Paper>('58mm', '80mm'),
      fc.array(fc.record({ name, quantity: fc.integer({ min: 1, max: 999 }), pointPrice: fc.integer({ min: 0, max: 99_999 }) }), { minLength: 1, maxLength: 8 }),
      name,
      (paper, lines, centreName) => {
        const r: RedemptionReceipt = { ...receipt, centreName, lines: lines.map((l) => ({ ...l, points: l.quantity * l.pointPrice })) };
        const printed = decodeEscPos(renderEscPos(layoutRedemption(r, paper, 'zh'), gb18030));
        expect(fits(paper, printed.lines)).toEqual([]);
        expect(printed.lines.map((l) => l.text.replace(/\s/g, '')).join('')).toContain(lines[0]!.name.replace(/\s/g, ''));
      },
    ), { numRuns: 200 });
  });
});

describe('the other documents on a thermal roll', () => {
  const at = Date.UTC(2026, 10, 25, 3, 30);
  const ticketCode = makeTicketCode({ centreId: 'wzgl', day: '2026-11-25', sittingId: 'lunch', number: 'B107' });
  const docs = (paper: Paper) => ({
    ticket: layoutMealTicket({ centreName: '五洲观澜社区党群服务中心', sittingName: '午餐', day: '2026-11-25', number: 'B107', code: ticketCode, at, priceFen: 500 }, paper, 'zh'),
    loan: layoutToolLoan({ centreName: '五洲观澜社区党群服务中心', stubNo: 'T-K01-000007', borrowerName: '张*明', tool: '电钻（含钻头一套）', at, depositFen: 5000 }, paper, 'zh'),
    label: layoutShelfLabel({ goodsName: '自行车（二十六寸，捐赠）', pointPrice: 99_999, barcode: makeEan('690100000000') }, paper, 'zh'),
    summary: layoutDaySummary({ centreName: '五洲观澜社区党群服务中心', day: '2026-11-25', deviceCode: 'K01', printedAt: at, redemptions: 42, pointsSpent: 1630, pointsAwarded: 2210, stockReceived: 60, unsynced: 0, goodsOut: [{ name: '特别长的商品名称：儿童绘本全套十二册（捐赠）', quantity: 3 }] }, paper, 'zh'),
  });

  it.each(['58mm', '80mm'] as const)('every line fits %s paper', (paper) => {
    for (const doc of Object.values(docs(paper))) expect(fits(paper, decodeEscPos(renderEscPos(doc, gb18030)).lines)).toEqual([]);
  });

  it('prints the ticket number at four times the size, with the ticket code as QR', () => {
    const printed = decodeEscPos(renderEscPos(docs('58mm').ticket, gb18030));
    expect(printed.lines.find((l) => l.size === 4)).toMatchObject({ text: 'B107', align: 'center', bold: true });
    expect(printed.qr).toEqual([ticketCode]);
  });

  it('prints the rent of a tool loan as 0 and the shelf label\'s EAN-13', () => {
    expect(decodeEscPos(renderEscPos(docs('58mm').loan, gb18030)).lines.find((l) => l.text.startsWith('租金'))?.text).toMatch(/¥0\.00$/);
    expect(decodeEscPos(renderEscPos(docs('58mm').label, gb18030)).barcodes).toEqual([{ format: 'EAN13', data: '690100000000' }]);
  });
});
