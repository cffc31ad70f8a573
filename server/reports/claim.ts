import ExcelJS from 'exceljs';
import type { ClaimLine, Settlement } from './settlement.js';

/**
 * The monthly subsidy claim as files: CSV always (UTF-8 with a BOM, so Excel opens the Chinese
 * right) and Excel (exceljs). Both list every meal and end with the month's totals, which equal
 * the ledger of the canteen's events.
 */

/** Writes a claim in some format. */
export type ClaimWriter = { contentType: string; extension: string; write(s: Settlement): Promise<Uint8Array> };

const yuan = (fen: number) => `${fen < 0 ? '-' : ''}${Math.floor(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;

/** The claim's columns, Chinese first. */
export const CLAIM_COLUMNS: readonly [string, (l: ClaimLine) => string][] = [
  ['日期 Date', (l) => l.day],
  ['餐次 Sitting', (l) => l.sitting],
  ['居民 Resident', (l) => l.resident],
  ['补贴类别 Category', (l) => l.category],
  ['餐品 Meal', (l) => l.mealName],
  ['送餐 Delivered', (l) => (l.delivery ? '是' : '')],
  ['状态 State', (l) => l.state],
  ['支付 Payment', (l) => l.payment],
  ['原价 List price', (l) => yuan(l.listPriceFen)],
  ['送餐费 Delivery fee', (l) => yuan(l.deliveryFeeFen)],
  ['助餐补贴 Subsidy', (l) => yuan(l.subsidyFen)],
  ['送餐补贴 Delivery subsidy', (l) => yuan(l.deliverySubsidyFen)],
  ['实付 Paid', (l) => yuan(l.paidFen)],
];

/** A CSV field, quoted when it must be; a leading = + - @ is defused so a spreadsheet never runs it. */
function field(value: string): string {
  const safe = /^[=+\-@]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The claim as CSV text: a header, one line a meal, and the totals. */
export function claimCsv(s: Settlement): string {
  const rows = [CLAIM_COLUMNS.map(([h]) => h), ...s.lines.map((l) => CLAIM_COLUMNS.map(([, f]) => f(l)))];
  const t = s.totals;
  rows.push([`合计 Total ${s.month}`, `${t.meals} 份`, '', '', '', `${t.deliveries}`, '', '', yuan(t.listPriceFen), yuan(t.deliveryFeeFen), yuan(t.subsidyFen), yuan(t.deliverySubsidyFen), yuan(t.paidFen)]);
  return `\ufeff${rows.map((r) => r.map(field).join(',')).join('\r\n')}\r\n`;
}

/** The CSV writer. */
export const csvClaim: ClaimWriter = {
  contentType: 'text/csv; charset=utf-8', extension: 'csv',
  write: async (s) => new TextEncoder().encode(claimCsv(s)),
};

/** The Excel writer: one sheet, every meal, the month's totals last. */
export function excelClaim(): ClaimWriter {
  return {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx',
    write: async (s) => {
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet(`补贴申领 ${s.month}`);
      sheet.addRow(CLAIM_COLUMNS.map(([h]) => h));
      for (const l of s.lines) sheet.addRow(CLAIM_COLUMNS.map(([, f]) => f(l)));
      const t = s.totals;
      sheet.addRow([`合计 ${s.month}`, t.meals, '', '', '', t.deliveries, '', '', yuan(t.listPriceFen), yuan(t.deliveryFeeFen), yuan(t.subsidyFen), yuan(t.deliverySubsidyFen), yuan(t.paidFen)]);
      return new Uint8Array(await book.xlsx.writeBuffer());
    },
  };
}
