import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  inGbk, maskName, type MaskedName, layoutDaySummary, layoutMealTicket, layoutRedemption, layoutShelfLabel, layoutToolLoan, makeEan, makeTicketCode, PAPER_COLUMNS,
  PAPER_DOTS, PrintDocSchema, rasterizeOutsideGbk, receiptNumber, renderEscPos, type Bitmap, type DaySummaryModel, type MealTicketModel, type Paper,
  type PrintDoc, type Rasterize, type RedemptionReceipt, type ShelfLabelModel, type ToolLoanModel,
} from '../../core/index.js';
import { decodeEscPos, inked, inkSpan, type Decoded } from '../support/escpos.js';

const gb18030 = (text: string) => new Uint8Array(iconv.encode(text, 'gb18030'));

const receipt: RedemptionReceipt = {
  kind: 'redemption', centreName: '五洲观澜社区党群服务中心', receiptNo: receiptNumber('K01', 42),
  at: Date.UTC(2026, 10, 25, 2, 5), residentName: maskName('张三明'),
  lines: [
    { name: '抽纸（一提）', quantity: 2, pointPrice: 30, points: 60 },
    { name: '特别长的商品名称：儿童绘本《小熊很忙》全套十二册（捐赠）', quantity: 1, pointPrice: 20, points: 20 },
  ],
  totalPoints: 80, balanceAfter: 390,
};

/**
 * What would not print as laid out, counted as the printer counts (from the bytes, not from
 * `core`'s width rule): lines wider than the paper at their size, characters of four GB18030
 * bytes (most printer fonts lack them), raster images wider than the paper's dots.
 */
const misprints = (paper: Paper, printed: Decoded) => [
  ...printed.lines.filter((l) => l.columns * l.size > PAPER_COLUMNS[paper]).map((l) => `too wide ×${l.size}: ${l.text}`),
  ...printed.lines.filter((l) => l.fourByte > 0).map((l) => `a glyph outside GBK: ${l.text}`),
  ...printed.rasters.filter((r) => r.width > PAPER_DOTS[paper]).map((r) => `raster ${r.width} dots wide`),
];
const print = (doc: PrintDoc) => decodeEscPos(renderEscPos(doc, gb18030));
const allText = (printed: Decoded) => printed.lines.map((l) => l.text).join('\n');

/**
 * A stand-in for the kiosk's font (the real one is Chromium's canvas, tested in
 * test/e2e/documents.spec.ts): every character a filled box in its cells on the printer's grid,
 * one column `height / 2` dots wide, two columns for anything that is not ASCII.
 */
const boxFont: Rasterize = (text, { height }) => {
  const cell = height / 2;
  const cols = Array.from(text).map((ch) => (ch.codePointAt(0)! < 0x80 ? 1 : 2));
  const width = cols.reduce((a, b) => a + b, 0) * cell;
  const row = Math.ceil(width / 8);
  const bits = new Uint8Array(row * height);
  let x0 = 0;
  for (const c of cols) {
    for (let y = 2; y < height - 2; y++) for (let x = x0 + 1; x < x0 + c * cell - 1; x++) bits[y * row + (x >> 3)]! |= 0x80 >> (x & 7);
    x0 += c * cell;
  }
  return { width, height, bits } satisfies Bitmap;
};

describe.each(['58mm', '80mm'] as const)('a redemption receipt on %s paper', (paper) => {
  const bytes = renderEscPos(layoutRedemption(receipt, paper, 'zh'), gb18030);
  const printed = decodeEscPos(bytes);

  it('starts the printer in Chinese mode and ends with a cut', () => {
    expect(printed.commands.slice(0, 2)).toEqual(['init', 'chinese']);
    expect(printed.cuts).toBe(1);
    expect(bytes.slice(-4)).toEqual(Uint8Array.from([0x1d, 0x56, 0x42, 0x00]));
  });

  it('prints the Chinese text that went in, in GB18030', () => {
    const text = allText(printed);
    for (const expected of ['积分兑换小票', 'K01-000042', '2026-11-25 10:05', '张*明', '抽纸（一提）', '以行积分 · 以分换物']) expect(text).toContain(expected);
    expect(printed.lines.find((l) => l.text.startsWith('合计'))?.text).toMatch(/^合计 +80$/);
    expect(printed.lines.find((l) => l.text.startsWith('剩余积分'))?.text).toMatch(/ 390$/);
    // Not UTF-8 (E6 8A BD): 抽 is B3 E9 in GB18030.
    expect(Buffer.from(bytes).includes(Buffer.from([0xb3, 0xe9]))).toBe(true);
    expect(Buffer.from(bytes).includes(Buffer.from([0xe6, 0x8a, 0xbd]))).toBe(false);
  });

  it('fits every line to the paper, as the printer counts columns', () => {
    expect(misprints(paper, printed)).toEqual([]);
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
    const printed = print(layoutRedemption(receipt, '58mm', 'zh', { reprint: true }));
    expect(printed.lines.find((l) => l.text === '补打')).toMatchObject({ size: 2, bold: true, align: 'center' });
  });

  it('stores a QR code with the length its bytes take, Chinese included', () => {
    const bytes = renderEscPos({ paper: '58mm', lines: [{ kind: 'qr', data: 'LLT1.wzgl.取餐', module: 6 }, { kind: 'cut' }] }, gb18030);
    expect(decodeEscPos(bytes).qr).toEqual(['LLT1.wzgl.取餐']);
  });

  it('prints a goods line whose "2 × 30" counts × as the two columns the printer gives it', () => {
    // 12 Chinese characters and "2 × 30" with its points: 32 columns as the printer counts.
    const line = { name: '一二三四五六七八九十一二', quantity: 2, pointPrice: 30, points: 60 };
    for (const paper of ['58mm', '80mm'] as const) {
      expect(misprints(paper, print(layoutRedemption({ ...receipt, residentName: '欧**明·木' as MaskedName, lines: [line] }, paper, 'zh')))).toEqual([]);
    }
  });

  it('sends no control byte that is in a name, so a name cannot end a line or give the printer a command', () => {
    const printed = print(layoutRedemption({ ...receipt, residentName: 'A\nB\x1bE' as MaskedName, lines: [{ ...receipt.lines[0]!, name: 'x\ty\rz' }] }, '58mm', 'zh'));
    expect(printed.lines.some((l) => l.text.includes('A B E'))).toBe(true);
    expect(allText(printed)).toContain('x y z');
  });
});

describe('the other documents on a thermal roll', () => {
  const at = Date.UTC(2026, 10, 25, 3, 30);
  const ticketCode = makeTicketCode({ centreId: 'wzgl', day: '2026-11-25', sittingId: 'lunch', number: 'B107' });
  const ticket: MealTicketModel = { centreName: '五洲观澜社区党群服务中心', sittingName: '午餐', day: '2026-11-25', number: 'B107', code: ticketCode, at, priceFen: 500 };
  const docs = (paper: Paper) => ({
    ticket: layoutMealTicket(ticket, paper, 'zh'),
    loan: layoutToolLoan({ centreName: '五洲观澜社区党群服务中心', stubNo: 'T-K01-000007', borrowerName: maskName('张三明'), tool: '电钻（含钻头一套）', at, depositFen: 5000 }, paper, 'zh'),
    label: layoutShelfLabel({ goodsName: '自行车（二十六寸，捐赠）', pointPrice: 99_999, barcode: makeEan('690100000000') }, paper, 'zh'),
    summary: layoutDaySummary({ centreName: '五洲观澜社区党群服务中心', day: '2026-11-25', deviceCode: 'K01', printedAt: at, redemptions: 42, pointsSpent: 1630, pointsAwarded: 2210, stockReceived: 60, unsynced: 0, goodsOut: [{ name: '特别长的商品名称：儿童绘本全套十二册（捐赠）', quantity: 3 }],
      centre: [{ label: '冲正与更正', issued: 100_000, redeemed: 1_000_000 }] }, paper, 'zh'),
  });

  it.each(['58mm', '80mm'] as const)('every line fits %s paper', (paper) => {
    for (const doc of Object.values(docs(paper))) expect(misprints(paper, print(doc))).toEqual([]);
  });

  it('prints the ticket number at four times the size, with the ticket code as QR', () => {
    const printed = print(docs('58mm').ticket);
    expect(printed.lines.find((l) => l.size === 4)).toMatchObject({ text: 'B107', align: 'center', bold: true });
    expect(printed.qr).toEqual([ticketCode]);
  });

  it('prints the rent of a tool loan as 0 and the shelf label\'s EAN-13', () => {
    expect(print(docs('58mm').loan).lines.find((l) => l.text.startsWith('租金'))?.text).toMatch(/￥0\.00$/);
    expect(print(docs('58mm').label).barcodes).toEqual([{ format: 'EAN13', data: '690100000000' }]);
  });

  it('prints money with ￥ (A3 A4 in GB2312, in every font), never ¥, which is four bytes in GB18030', () => {
    for (const lang of ['zh', 'en'] as const) {
      const bytes = Buffer.from(renderEscPos(layoutMealTicket(ticket, '58mm', lang), gb18030));
      expect(bytes.includes(Buffer.from([0xa3, 0xa4]))).toBe(true);
      expect(bytes.includes(Buffer.from(iconv.encode('¥', 'gb18030')))).toBe(false);
    }
    expect(iconv.encode('¥', 'gb18030')).toHaveLength(4);
  });

  it('wraps the English call "Collect your meal when your number is called" (44 columns) on 58 mm, at spaces', () => {
    const printed = print(layoutMealTicket(ticket, '58mm', 'en'));
    expect(misprints('58mm', printed)).toEqual([]);
    const call = printed.lines.filter((l) => /Collect|called/.test(l.text)).map((l) => l.text.trim());
    expect(call.length).toBeGreaterThan(1);
    expect(call.join(' ')).toBe('Collect your meal when your number is called');
  });

  it('wraps a long sitting name instead of running off the paper', () => {
    const sittingName = '重阳节敬老午餐（长者优先，凭券就座）';
    const printed = print(layoutMealTicket({ ...ticket, sittingName }, '58mm', 'zh'));
    expect(misprints('58mm', printed)).toEqual([]);
    expect(printed.lines.map((l) => l.text.trim()).join('')).toContain(sittingName);
  });

  it('drops a shelf label of 100,000 points to double size on 58 mm; 80 mm keeps it at four times', () => {
    const label: ShelfLabelModel = { goodsName: '电动轮椅', pointPrice: 100_000, barcode: makeEan('690100000000') };
    const price = (paper: Paper) => print(layoutShelfLabel(label, paper, 'zh')).lines.find((l) => l.text.includes('100000'));
    expect(price('58mm')).toMatchObject({ text: '100000 分', size: 2 });
    expect(price('80mm')).toMatchObject({ text: '100000 分', size: 4 });
  });
});

describe('a character outside GBK', () => {
  const outside = '𠀾';
  const named = { ...receipt, residentName: `${outside}*明` as MaskedName };

  it('is printed as a bitmap of its line, on the printer\'s grid and within the paper, the other lines as text', () => {
    for (const paper of ['58mm', '80mm'] as const) {
      const doc = rasterizeOutsideGbk(layoutRedemption(named, paper, 'zh'), boxFont);
      const printed = print(doc);
      expect(misprints(paper, printed)).toEqual([]);
      expect(printed.rasters).toHaveLength(1);
      const [r] = printed.rasters;
      expect(r).toMatchObject({ width: PAPER_DOTS[paper], height: 24 });
      // The whole line "居民 … 𠀾*明" is drawn across the paper, 12 dots a column: 居 from the first
      // cell, 明 to the last (the box font leaves a dot free at each side of a cell).
      expect(inked(r!)).toBeGreaterThan(0);
      expect(inkSpan(r!)).toEqual({ from: 1, to: PAPER_DOTS[paper] - 2 });
      expect(allText(printed)).not.toContain('居民');
      expect(allText(printed)).toContain('抽纸（一提）');
    }
  });

  it('keeps the size of its line: a double-size heading becomes a bitmap 48 dots high', () => {
    const printed = print(rasterizeOutsideGbk(layoutRedemption({ ...receipt, centreName: `${outside}家社区` }, '58mm', 'zh'), boxFont));
    expect(printed.rasters.map((r) => r.height)).toEqual([48]);
  });

  it('never goes to the printer as four GB18030 bytes: without a bitmap it prints 〓, two columns', () => {
    const printed = print(layoutRedemption(named, '58mm', 'zh'));
    expect(misprints('58mm', printed)).toEqual([]);
    expect(printed.lines.find((l) => l.text.startsWith('居民'))?.text).toMatch(/ 〓\*明$/);
  });

  it('is told from GBK as GB18030 tells it: two bytes or fewer is in, four bytes is out, over the whole BMP', () => {
    const wrong: string[] = [];
    for (let c = 0x20; c <= 0xffff; c++) {
      if ((c >= 0xd800 && c <= 0xdfff) || c === 0x7f) continue;
      const ch = String.fromCodePoint(c);
      const bytes = iconv.encode(ch, 'gb18030');
      // The private use area maps to GBK's user-defined rows, which a printer's font leaves empty.
      const expected = bytes.length <= 2 && iconv.decode(bytes, 'gb18030') === ch && !(c >= 0xe000 && c <= 0xf8ff);
      if (inGbk(c) !== expected) wrong.push(c.toString(16));
    }
    expect(wrong).toEqual([]);
    for (const ch of ['𠀾', '😀', '¥', '㐀']) expect(inGbk(ch.codePointAt(0)!)).toBe(false);
  });
});

describe('the raster line', () => {
  const raster = (width: number, height: number, paper: Paper = '80mm') => ({
    paper, lines: [{ kind: 'raster' as const, text: '𠀾', width, height, bits: 'f0'.repeat(Math.ceil(width / 8) * height) }],
  });

  it('goes out as GS v 0 with its bytes a row and its rows', () => {
    const bytes = renderEscPos(raster(20, 3), gb18030);
    expect(Buffer.from(bytes).includes(Buffer.from([0x1d, 0x76, 0x30, 0x00, 3, 0, 3, 0, 0xf0, 0xf0]))).toBe(true);
    expect(decodeEscPos(bytes).rasters).toEqual([{ width: 24, height: 3, bits: new Uint8Array(9).fill(0xf0) }]);
  });

  it('crosses the bridge only with sane sizes: at most the paper\'s dots wide, 512 high, its bits all there', () => {
    expect(PrintDocSchema.safeParse(raster(576, 96)).success).toBe(true);
    expect(PrintDocSchema.safeParse(raster(384, 512, '58mm')).success).toBe(true);
    expect(PrintDocSchema.safeParse(raster(392, 24, '58mm')).success).toBe(false);
    expect(PrintDocSchema.safeParse(raster(584, 24)).success).toBe(false);
    expect(PrintDocSchema.safeParse(raster(8, 513)).success).toBe(false);
    const short = raster(16, 2);
    expect(PrintDocSchema.safeParse({ ...short, lines: [{ ...short.lines[0]!, bits: 'f0f0f0' }] }).success).toBe(false);
    expect(PrintDocSchema.safeParse({ ...short, lines: [{ ...short.lines[0]!, bits: 'zzzzzzzz' }] }).success).toBe(false);
  });
});

describe('every document, with long and odd inputs, in Chinese and English, on both papers', () => {
  // Words as people type them: Chinese, English, the symbols that print two columns wide, and
  // characters outside GBK (𠀾, ¥, an emoji).
  const unit = fc.constantFrom(...Array.from('抽纸毛巾香皂电钻（）《》：，、·×—…“”ｅé'), ...'abc Bread Milk 1 2 0 - . /'.split(' ').filter(Boolean), ' ', '𠀾', '¥', '😀');
  const words = (maxLength: number) => fc.string({ unit, minLength: 1, maxLength });
  const at = Date.UTC(2026, 10, 25, 3, 30);
  const models = fc.record({
    centreName: words(40), name: words(40), residentName: words(24).map((w) => w as MaskedName), sittingName: words(40), tool: words(60),
    goods: fc.array(fc.record({ name: words(60), quantity: fc.integer({ min: 1, max: 999 }), pointPrice: fc.integer({ min: 0, max: 99_999 }) }), { minLength: 1, maxLength: 4 }),
    number: fc.stringMatching(/^[A-Z]?\d{1,4}$/),
    points: fc.oneof(fc.constant(100_000), fc.integer({ min: 0, max: 10_000_000 })),
    fen: fc.integer({ min: 0, max: 100_000_000 }),
    count: fc.integer({ min: 0, max: 1_000_000_000 }),
    stubNo: fc.stringMatching(/^[A-Z0-9-]{1,24}$/),
  });
  type Model = typeof models extends fc.Arbitrary<infer T> ? T : never;
  const documents = (m: Model, paper: Paper, lang: 'zh' | 'en') => {
    const ticket: MealTicketModel = { centreName: m.centreName, sittingName: m.sittingName, day: '2026-11-25', number: m.number, code: 'LLT1.x', at, priceFen: m.fen };
    const loan: ToolLoanModel = { centreName: m.centreName, stubNo: m.stubNo, borrowerName: m.residentName, tool: m.tool, at, depositFen: m.fen };
    const summary: DaySummaryModel = {
      centreName: m.centreName, day: '2026-11-25', deviceCode: 'K01', printedAt: at, redemptions: m.count, pointsSpent: m.count, pointsAwarded: m.points,
      stockReceived: m.count, unsynced: m.count, goodsOut: m.goods.map((g) => ({ name: g.name, quantity: g.quantity })),
      centre: m.goods.map((g) => ({ label: g.name, issued: m.points, redeemed: m.count })),
    };
    const r: RedemptionReceipt = {
      ...receipt, centreName: m.centreName, residentName: m.residentName, totalPoints: m.count, balanceAfter: m.points,
      lines: m.goods.map((g) => ({ ...g, points: g.quantity * g.pointPrice })),
    };
    return {
      docs: [
        layoutRedemption(r, paper, lang, { reprint: m.count % 2 === 0 }), layoutMealTicket(ticket, paper, lang), layoutToolLoan(loan, paper, lang),
        layoutShelfLabel({ goodsName: m.name, pointPrice: m.points, barcode: makeEan('690100000000') }, paper, lang), layoutDaySummary(summary, paper, lang),
      ],
      texts: [m.centreName, m.name, m.residentName, m.sittingName, m.tool, m.number, m.stubNo, ...m.goods.map((g) => g.name)],
    };
  };
  // What a reader finds on paper, as the test sees it: no spaces (lines break at them), and a
  // character outside GBK as the 〓 that stands for it.
  const onPaper = (s: string) => Array.from(s.replace(/\s/g, '')).map((ch) => (iconv.encode(ch, 'gb18030').length === 4 ? '〓' : ch)).join('');

  it('prints every line within its paper at its size, and loses no text', () => {
    fc.assert(fc.property(models, fc.constantFrom<Paper>('58mm', '80mm'), fc.constantFrom('zh' as const, 'en' as const), (m, paper, lang) => {
      const { docs, texts } = documents(m, paper, lang);
      for (const doc of docs) expect(misprints(paper, print(doc))).toEqual([]);
      const printed = onPaper(docs.map((doc) => allText(print(doc))).join(''));
      for (const t of texts) expect(printed).toContain(onPaper(t));
    }), { numRuns: 300 });
  });

  it('fits its paper with the lines outside GBK drawn as bitmaps', () => {
    fc.assert(fc.property(models, fc.constantFrom<Paper>('58mm', '80mm'), fc.constantFrom('zh' as const, 'en' as const), (m, paper, lang) => {
      for (const doc of documents(m, paper, lang).docs) {
        const printed = print(PrintDocSchema.parse(rasterizeOutsideGbk(doc, boxFont)));
        expect(misprints(paper, printed)).toEqual([]);
        expect(allText(printed)).not.toContain('〓');
      }
    }), { numRuns: 100 });
  });
});
