import type { MaskedName } from '../residents/resident.js';
import type { PublicName } from '../points/partnerShops.js';
import type { Lang } from '../i18n/messages.js';
import { formatShanghai } from '../time/businessTime.js';

/**
 * The receipt document model: what a receipt says, not how it looks. It is rendered to HTML
 * here (for the screen and for printers with a system driver) and, later, to ESC/POS bytes.
 * Names are already masked when they enter the model: a receipt never carries a full name.
 */
export type ReceiptLine = { name: string; quantity: number; pointPrice: number; points: number };

/** A redemption receipt (兑换小票). */
export type RedemptionReceipt = {
  kind: 'redemption';
  centreName: string;
  /** Device code + seq, unique without the network: `K01-000042`. */
  receiptNo: string;
  /** Business time, server clock, Asia/Shanghai. */
  at: number;
  /** Who redeemed: a resident's masked name, or a partner shop's public one. */
  residentName: MaskedName | PublicName;
  lines: ReceiptLine[];
  totalPoints: number;
  balanceAfter: number;
  /**
   * The clerk who handed the goods over (经办), so a resident who comes back about a receipt
   * knows whom to ask. Absent on receipts made before it was printed.
   */
  staffName?: string;
};

/** The receipt number of a device's event: device code and seq, e.g. `K01-000042`. */
export function receiptNumber(deviceCode: string, seq: number): string {
  return `${deviceCode}-${String(seq).padStart(6, '0')}`;
}

const WORDS = {
  zh: { title: '积分兑换小票', no: '单号', time: '时间', resident: '居民', goods: '商品', qty: '数量', points: '积分', total: '合计', balance: '剩余积分', staff: '经办', thanks: '以行积分 · 以分换物', reprint: '补打' },
  en: { title: 'Points Redemption Receipt', no: 'No.', time: 'Time', resident: 'Resident', goods: 'Goods', qty: 'Qty', points: 'Points', total: 'Total', balance: 'Balance left', staff: 'Clerk', thanks: 'Earn by doing, exchange by points', reprint: 'REPRINT' },
} as const;

/** The words of a receipt in a language, shared by its HTML and its thermal layout. */
export function receiptWords(lang: Lang) {
  return WORDS[lang];
}

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Renders a receipt to a self-contained HTML fragment, for the screen or a driver printer. */
export function renderReceiptHtml(receipt: RedemptionReceipt, lang: Lang): string {
  const w = WORDS[lang];
  const e = escapeHtml;
  const rows = receipt.lines
    .map((l) => `<tr><td>${e(l.name)}</td><td class="n">${l.quantity}</td><td class="n">${l.points}</td></tr>`)
    .join('');
  return [
    `<article class="receipt" data-receipt-no="${e(receipt.receiptNo)}">`,
    `<h1>${e(receipt.centreName)}</h1><h2>${w.title}</h2>`,
    `<dl><dt>${w.no}</dt><dd>${e(receipt.receiptNo)}</dd>`,
    `<dt>${w.time}</dt><dd>${formatShanghai(receipt.at)}</dd>`,
    `<dt>${w.resident}</dt><dd>${e(receipt.residentName)}</dd>`,
    receipt.staffName ? `<dt>${w.staff}</dt><dd class="staff">${e(receipt.staffName)}</dd>` : '',
    '</dl>',
    `<table><thead><tr><th>${w.goods}</th><th class="n">${w.qty}</th><th class="n">${w.points}</th></tr></thead>`,
    `<tbody>${rows}</tbody>`,
    `<tfoot><tr><td>${w.total}</td><td></td><td class="n total">${receipt.totalPoints}</td></tr>`,
    `<tr><td>${w.balance}</td><td></td><td class="n balance">${receipt.balanceAfter}</td></tr></tfoot></table>`,
    `<p class="thanks">${w.thanks}</p></article>`,
  ].join('');
}
