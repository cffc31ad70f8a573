import type { Lang } from '../i18n/messages.js';
import { receiptWords, type RedemptionReceipt } from '../receipt/receipt.js';
import { formatShanghai } from '../time/businessTime.js';
import { PAPER_COLUMNS, text, type Paper, type PrintDoc, type PrintLine } from './document.js';
import { spreadColumns, wrapColumns } from './width.js';

/**
 * Lays a redemption receipt out for a thermal roll: the centre's name large, the receipt number
 * as a Code 128 barcode at the foot so it can be scanned back, every goods line wrapped to the
 * paper, points right-aligned.
 */
export function layoutRedemption(receipt: RedemptionReceipt, paper: Paper, lang: Lang, options: { reprint?: boolean } = {}): PrintDoc {
  const w = receiptWords(lang);
  const cols = PAPER_COLUMNS[paper];
  const lines: PrintLine[] = [];
  for (const part of wrapColumns(receipt.centreName, Math.floor(cols / 2))) lines.push(text(part, { align: 'center', bold: true, size: 2 }));
  lines.push(text(w.title, { align: 'center', bold: true }));
  if (options.reprint) lines.push(text(w.reprint, { align: 'center', bold: true, size: 2 }));
  lines.push({ kind: 'rule' });
  lines.push(text(spreadColumns(w.no, receipt.receiptNo, cols)));
  lines.push(text(spreadColumns(w.time, formatShanghai(receipt.at), cols)));
  lines.push(text(spreadColumns(w.resident, receipt.residentName, cols)));
  lines.push({ kind: 'rule' });
  for (const l of receipt.lines) {
    for (const part of wrapColumns(l.name, cols)) lines.push(text(part));
    lines.push(text(spreadColumns(`  ${l.quantity} × ${l.pointPrice}`, `${l.points}`, cols)));
  }
  lines.push({ kind: 'rule' });
  lines.push(text(spreadColumns(w.total, `${receipt.totalPoints}`, cols), { bold: true }));
  lines.push(text(spreadColumns(w.balance, `${receipt.balanceAfter}`, cols)));
  lines.push({ kind: 'feed', lines: 1 });
  lines.push({ kind: 'barcode', format: 'CODE128', data: receipt.receiptNo });
  lines.push(text(w.thanks, { align: 'center' }));
  lines.push({ kind: 'feed', lines: 3 });
  lines.push({ kind: 'cut' });
  return { paper, lines };
}
