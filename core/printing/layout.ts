import type { Lang } from '../i18n/messages.js';
import { receiptWords, type RedemptionReceipt } from '../receipt/receipt.js';
import { formatShanghai } from '../time/businessTime.js';
import { PAPER_COLUMNS, text, type Paper, type PrintDoc, type PrintLine, type TextOptions, type TextSize } from './document.js';
import { spreadLines, textColumns, wrapColumns } from './width.js';

/**
 * Laying documents out on a thermal roll. Everything that can be long wraps or shrinks, so every
 * line fits its paper at its size: a size-2 line has half the paper's columns, a size-4 line a
 * quarter (32 and 48 columns at size 1 on 58 and 80 mm). The helpers here are shared by every
 * layout (this file's redemption receipt and `documents.ts`).
 */

/** A text wrapped to the paper at its size, as many lines as it takes. */
export function wrapped(value: string, cols: number, options: TextOptions = {}): PrintLine[] {
  return wrapColumns(value, Math.floor(cols / (options.size ?? 1))).map((part) => text(part, options));
}

/** A label at the start of a line and its value at the end; more lines when both do not fit. */
export function spread(label: string, value: string, cols: number, options: TextOptions = {}): PrintLine[] {
  return spreadLines(label, value, cols).map((line) => text(line, options));
}

/**
 * A short text as large as it fits on one line: four times the size, else twice, else normal
 * size wrapped. A meal ticket's number and a shelf label's price: `100000 分` is 9 columns, 36 at
 * four times, so on a 58 mm roll (32) it prints at twice the size.
 */
export function big(value: string, cols: number, options: Omit<TextOptions, 'size'> = {}): PrintLine[] {
  const size = ([4, 2] as const).find((s: TextSize) => textColumns(value) * s <= cols);
  return size ? [text(value, { ...options, size })] : wrapped(value, cols, options);
}

/** The head of every document: the centre's name large, the title, `extra` lines, a rule. */
export function heading(centreName: string, title: string, cols: number, extra: PrintLine[] = []): PrintLine[] {
  return [
    ...wrapped(centreName, cols, { align: 'center', bold: true, size: 2 }),
    ...wrapped(title, cols, { align: 'center', bold: true }),
    ...extra,
    { kind: 'rule' },
  ];
}

/**
 * Lays a redemption receipt out for a thermal roll: the centre's name large, the receipt number
 * as a Code 128 barcode at the foot so it can be scanned back, every goods line wrapped to the
 * paper, points right-aligned.
 */
export function layoutRedemption(receipt: RedemptionReceipt, paper: Paper, lang: Lang, options: { reprint?: boolean } = {}): PrintDoc {
  const w = receiptWords(lang);
  const cols = PAPER_COLUMNS[paper];
  const lines: PrintLine[] = [
    ...heading(receipt.centreName, w.title, cols, options.reprint ? wrapped(w.reprint, cols, { align: 'center', bold: true, size: 2 }) : []),
    ...spread(w.no, receipt.receiptNo, cols),
    ...spread(w.time, formatShanghai(receipt.at), cols),
    ...spread(w.resident, receipt.residentName, cols),
    ...(receipt.staffName ? spread(w.staff, receipt.staffName, cols) : []),
    { kind: 'rule' },
  ];
  for (const l of receipt.lines) {
    lines.push(...wrapped(l.name, cols));
    lines.push(...spread(`  ${l.quantity} × ${l.pointPrice}`, `${l.points}`, cols));
  }
  lines.push({ kind: 'rule' });
  lines.push(...spread(w.total, `${receipt.totalPoints}`, cols, { bold: true }));
  lines.push(...spread(w.balance, `${receipt.balanceAfter}`, cols));
  lines.push({ kind: 'feed', lines: 1 });
  lines.push({ kind: 'barcode', format: 'CODE128', data: receipt.receiptNo });
  lines.push(...wrapped(w.thanks, cols, { align: 'center' }));
  lines.push({ kind: 'feed', lines: 3 });
  lines.push({ kind: 'cut' });
  return { paper, lines };
}
