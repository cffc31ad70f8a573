import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  layoutRedemption, PAPER_COLUMNS, receiptNumber, renderEscPos, textColumns,
  type Paper, type RedemptionReceipt,
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

const fits = (paper: Paper, lines: { text: string; size: 1 | 2 }[]) =>
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
