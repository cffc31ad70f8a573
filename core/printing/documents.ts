import type { MaskedName } from '../residents/resident.js';
import type { Lang } from '../i18n/messages.js';
import { formatShanghai } from '../time/businessTime.js';
import { PAPER_COLUMNS, text, type Paper, type PrintDoc, type PrintLine } from './document.js';
import { big, heading, spread, wrapped } from './layout.js';

/**
 * The thermal documents besides the redemption receipt. Each takes a small model (names already
 * masked, money in fen) and lays it out for a 58 or 80 mm roll; `html.ts` renders the same
 * documents for printers with a system driver.
 */

/**
 * Money as people read it: ￥5.00. The full-width ￥ (U+FFE5, A3 A4) is in GB2312, so every
 * printer font has it; ¥ (U+00A5) takes four bytes in GB18030 and most printer fonts lack it.
 */
const yuan = (fen: number) => `￥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
const end = (lines: PrintLine[]): PrintLine[] => [...lines, { kind: 'feed', lines: 3 }, { kind: 'cut' }];

/**
 * A meal ticket (取餐票): the number large enough to read across the room, the sitting, the meal,
 * its QR. `mealName` and `subsidyFen` (what the subsidy took off) print when given.
 */
export type MealTicketModel = {
  centreName: string; sittingName: string; day: string; number: string; code: string; at: number; priceFen: number; mealName?: string; subsidyFen?: number;
};

export function layoutMealTicket(t: MealTicketModel, paper: Paper, lang: Lang): PrintDoc {
  const cols = PAPER_COLUMNS[paper];
  const w = lang === 'zh'
    ? { title: '爱心食堂 取餐票', no: '取餐号', price: '餐费', subsidy: '助餐补贴', time: '出票时间', call: '听到叫号请取餐' }
    : { title: 'Canteen meal ticket', no: 'Ticket', price: 'Price', subsidy: 'Meal subsidy', time: 'Issued', call: 'Collect your meal when your number is called' };
  return {
    paper,
    lines: end([
      ...heading(t.centreName, w.title, cols),
      ...wrapped(`${t.day} ${t.sittingName}`, cols, { align: 'center', bold: true }),
      text(w.no, { align: 'center' }),
      ...big(t.number, cols, { align: 'center', bold: true }),
      ...(t.mealName ? wrapped(t.mealName, cols, { align: 'center' }) : []),
      ...(t.subsidyFen ? spread(w.subsidy, yuan(t.subsidyFen), cols) : []),
      ...spread(w.price, yuan(t.priceFen), cols),
      ...spread(w.time, formatShanghai(t.at), cols),
      { kind: 'qr', data: t.code, module: 6 },
      ...wrapped(w.call, cols, { align: 'center' }),
    ]),
  };
}

/** A tool-loan stub (工具租赁单存根): borrower, tool, time, deposit, and the rent, which is always 0. */
export type ToolLoanModel = { centreName: string; stubNo: string; borrowerName: MaskedName; tool: string; at: number; depositFen: number };

export function layoutToolLoan(t: ToolLoanModel, paper: Paper, lang: Lang): PrintDoc {
  const cols = PAPER_COLUMNS[paper];
  const w = lang === 'zh'
    ? { title: '工具租赁单存根', no: '单号', who: '借用人', tool: '工具：', time: '借出时间', deposit: '押金', rent: '租金', note: '押金仅为保证归还，归还时全额退还。' }
    : { title: 'Tool loan stub', no: 'No.', who: 'Borrower', tool: 'Tool: ', time: 'Lent at', deposit: 'Deposit', rent: 'Rent', note: 'The deposit only ensures return and is paid back in full.' };
  return {
    paper,
    lines: end([
      ...heading(t.centreName, w.title, cols),
      ...spread(w.no, t.stubNo, cols),
      ...spread(w.who, t.borrowerName, cols),
      ...wrapped(`${w.tool}${t.tool}`, cols),
      ...spread(w.time, formatShanghai(t.at), cols),
      ...spread(w.deposit, yuan(t.depositFen), cols, { bold: true }),
      ...spread(w.rent, yuan(0), cols),
      ...wrapped(w.note, cols),
      { kind: 'barcode', format: 'CODE128', data: t.stubNo },
    ]),
  };
}

/** A shelf label (明码标分): the goods, its point price large, its EAN-13. */
export type ShelfLabelModel = { goodsName: string; pointPrice: number; barcode: string };

export function layoutShelfLabel(l: ShelfLabelModel, paper: Paper, lang: Lang): PrintDoc {
  const cols = PAPER_COLUMNS[paper];
  return {
    paper,
    lines: end([
      ...wrapped(l.goodsName, cols, { align: 'center', bold: true, size: 2 }),
      ...big(lang === 'zh' ? `${l.pointPrice} 分` : `${l.pointPrice} pts`, cols, { align: 'center', bold: true }),
      ...wrapped(lang === 'zh' ? '明码标分 · 积分兑换' : 'Points price, clearly marked', cols, { align: 'center' }),
      ...(l.barcode.length === 13 ? [{ kind: 'barcode', format: 'EAN13', data: l.barcode } as const] : []),
    ]),
  };
}

/**
 * An end-of-day summary (日结单) of one counter: what it did, and the centre's points of the day
 * per category from the ledger (`centre`: the categories that moved, named in the paper's language).
 */
export type DaySummaryModel = {
  centreName: string; day: string; deviceCode: string; printedAt: number;
  redemptions: number; pointsSpent: number; pointsAwarded: number; stockReceived: number; unsynced: number;
  goodsOut: { name: string; quantity: number }[];
  centre: { label: string; issued: number; redeemed: number }[];
};

export function layoutDaySummary(d: DaySummaryModel, paper: Paper, lang: Lang): PrintDoc {
  const cols = PAPER_COLUMNS[paper];
  const w = lang === 'zh'
    ? { title: `日结单 ${d.day}`, device: '柜台', printed: '打印时间', redemptions: '兑换笔数', spent: '兑出积分', awarded: '发放积分', stock: '入库件数', unsynced: '未同步记录', goods: '兑出商品', centre: '全中心当日积分（账本）', moves: '发放 / 减少', none: '无' }
    : { title: `Day summary ${d.day}`, device: 'Counter', printed: 'Printed', redemptions: 'Redemptions', spent: 'Points spent', awarded: 'Points awarded', stock: 'Items received', unsynced: 'Not yet synced', goods: 'Goods out', centre: 'Centre points today (ledger)', moves: 'given / taken', none: 'none' };
  return {
    paper,
    lines: end([
      ...heading(d.centreName, w.title, cols),
      ...spread(w.device, d.deviceCode, cols),
      ...spread(w.printed, formatShanghai(d.printedAt), cols),
      { kind: 'rule' },
      ...spread(w.redemptions, String(d.redemptions), cols),
      ...spread(w.spent, String(d.pointsSpent), cols),
      ...spread(w.awarded, String(d.pointsAwarded), cols),
      ...spread(w.stock, String(d.stockReceived), cols),
      ...spread(w.unsynced, String(d.unsynced), cols, { bold: d.unsynced > 0 }),
      { kind: 'rule' },
      text(w.goods, { bold: true }),
      ...d.goodsOut.flatMap((g) => spread(g.name, `× ${g.quantity}`, cols)),
      { kind: 'rule' },
      ...wrapped(w.centre, cols, { bold: true }),
      ...(d.centre.length === 0 ? [text(w.none)] : [...spread('', w.moves, cols), ...d.centre.flatMap((c) => spread(c.label, `+${c.issued} / -${c.redeemed}`, cols))]),
    ]),
  };
}

/**
 * A delivery route list (送餐路线单) for the volunteers of a day: by building, each with its
 * volunteer, each stop's masked name, room, meal and bill, a box to tick, and the time of a
 * delivery already confirmed.
 */
export type RouteListModel = {
  centreName: string; day: string; sittingName: string; printedAt: number;
  buildings: { building: string; volunteer: string | null; stops: { residentName: string; room: string | null; mealName: string; billFen: number; deliveredAt: number | null }[] }[];
};

export function layoutRouteList(r: RouteListModel, paper: Paper, lang: Lang): PrintDoc {
  const cols = PAPER_COLUMNS[paper];
  const w = lang === 'zh'
    ? { title: `送餐路线单 ${r.day} ${r.sittingName}`, printed: '打印时间', volunteer: '志愿者', none: '未安排', stops: (n: number) => `${n} 户`, total: '合计', sign: '送达后请打勾并签名：' }
    : { title: `Delivery route ${r.day} ${r.sittingName}`, printed: 'Printed', volunteer: 'Volunteer', none: 'not assigned', stops: (n: number) => `${n} stops`, total: 'Total', sign: 'Tick each stop when delivered, and sign:' };
  const lines: PrintLine[] = [...heading(r.centreName, w.title, cols), ...spread(w.printed, formatShanghai(r.printedAt), cols)];
  let stops = 0;
  for (const b of r.buildings) {
    lines.push({ kind: 'rule' });
    lines.push(...spread(b.building, w.stops(b.stops.length), cols, { bold: true }));
    lines.push(...spread(w.volunteer, b.volunteer ?? w.none, cols));
    for (const s of b.stops) {
      // √ and □ are in GB2312: every printer font has them.
      const box = s.deliveredAt !== null ? `√ ${formatShanghai(s.deliveredAt).slice(11)}` : '□';
      lines.push(...spread(`${box} ${s.residentName} ${s.room ?? ''}`.trimEnd(), yuan(s.billFen), cols));
      lines.push(...wrapped(`    ${s.mealName}`, cols));
    }
    stops += b.stops.length;
  }
  lines.push({ kind: 'rule' });
  lines.push(...spread(w.total, w.stops(stops), cols, { bold: true }));
  lines.push(...wrapped(w.sign, cols));
  lines.push({ kind: 'feed', lines: 2 });
  return { paper, lines: end(lines) };
}
