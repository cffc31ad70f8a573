import type { RuleExceptionKind } from '../entities.js';
import type { Lang } from '../i18n/messages.js';
import type { Resolution } from './exceptionResolved.js';
import type { TableName } from '../sync/tables.js';

/**
 * Every kind of exception, once: what it is about (its subject), what its amount means, which
 * resolutions settle it, how far a compensation may move (so a counter cannot write off a million
 * points against an overdraft of 330), and its words. The kiosk's queue, `decideResolution` and
 * the server's check of a resolution all read this map.
 */

/** How far a compensating movement may go, given the shortfall the exception recorded. */
export type Bounds = (shortfall: number) => { min: number; max: number };

export type ExceptionKindSpec = {
  /** The table the subject is a row of, or `device` (a kiosk's clock) — not a replicated table. */
  subject: TableName | 'device';
  /** The resolutions allowed, each with the movement it may make on the subject's level. */
  resolutions: Partial<Record<Resolution, Bounds>>;
  words: Record<Lang, { name: string; amount(amount: number): string; adjustTo?: string }>;
};

const none: Bounds = () => ({ min: 0, max: 0 });
const upToShortfall: Bounds = (s) => ({ min: 0, max: s });

/** The largest count a stock adjustment may find above zero (one stock-in's worth). */
const MAX_FOUND_ON_COUNT = 9_999;

export const EXCEPTION_KINDS = {
  overdraft: {
    subject: 'accounts',
    // Recover: made good later (the resident's next earnings); write off or adjust: the centre
    // bears all or part of the shortfall, never more.
    resolutions: { recover: none, writeOff: upToShortfall, adjust: upToShortfall },
    words: {
      zh: { name: '积分透支', amount: (a) => `余额 ${a} 分`, adjustTo: '核对后的积分余额（不高于 0）' },
      en: { name: 'Points overdrawn', amount: (a) => `balance ${a}`, adjustTo: 'Balance after checking (0 or less)' },
    },
  },
  oversold: {
    subject: 'goods',
    // Adjust: staff counted the shelf; the count may find more than the records say.
    resolutions: { recover: none, writeOff: upToShortfall, adjust: (s) => ({ min: s, max: s + MAX_FOUND_ON_COUNT }) },
    words: {
      zh: { name: '超卖（库存为负）', amount: (a) => `库存 ${a} 件`, adjustTo: '清点后的实际库存' },
      en: { name: 'Oversold (stock below zero)', amount: (a) => `stock ${a}`, adjustTo: 'Stock counted on the shelf' },
    },
  },
  overbooked: {
    subject: 'resources',
    // The places were promised: staff see it and make room (or cancel a booking, its own event).
    resolutions: { acknowledge: none },
    words: {
      zh: { name: '超额预订', amount: (a) => `超出 ${-a} 个名额` },
      en: { name: 'Overbooked', amount: (a) => `${-a} places over` },
    },
  },
  capExceeded: {
    subject: 'resources',
    // Two kiosks passed a rule's cap together offline: staff see it, and reverse an award if they must.
    resolutions: { acknowledge: none },
    words: {
      zh: { name: '超出积分上限', amount: (a) => `超出 ${-a} 分` },
      en: { name: 'Points cap passed', amount: (a) => `${-a} points over the cap` },
    },
  },
  clockSkew: {
    subject: 'device',
    resolutions: { acknowledge: none },
    words: {
      zh: { name: '设备时间异常', amount: (a) => `时间偏差 ${a} 分钟` },
      en: { name: 'Device clock wrong', amount: (a) => `off by ${a} min` },
    },
  },
  staffRevoked: {
    subject: 'staff',
    resolutions: { acknowledge: none },
    words: {
      zh: { name: '已停用工作证的操作', amount: () => '停用后在离线柜台上的操作' },
      en: { name: 'Work by a disabled staff card', amount: () => 'done on an offline kiosk after it was disabled' },
    },
  },
  countMoved: {
    subject: 'goods',
    // A count booked while the stock moved (a sale on another kiosk while the shelf was counted, or a
    // count made offline arriving late): the count won. Staff check the shelf, and count again if need be.
    resolutions: { acknowledge: none },
    words: {
      zh: { name: '盘点期间库存有变动', amount: (a) => `记账时库存比清点时${a < 0 ? '少' : '多'} ${Math.abs(a)} 件，已按清点数记账` },
      en: { name: 'Stock moved during a count', amount: (a) => `${Math.abs(a)} ${a < 0 ? 'fewer' : 'more'} when booked than when counted; the count was booked` },
    },
  },
  donationValueMoved: {
    subject: 'accounts',
    // A donation taken in at values other than the centre's now (decided offline before the admin
    // changed them, on a kiosk that did not know them, or forged): the donor keeps the points; staff
    // check, and reverse the donation's points from the donor's history if they must.
    resolutions: { acknowledge: none },
    words: {
      zh: { name: '捐赠估价与现行标准不同', amount: (a) => `按现行估价${a > 0 ? '多记' : '少记'} ${Math.abs(a)} 分` },
      en: { name: 'Donation valued otherwise than now', amount: (a) => `${Math.abs(a)} points ${a > 0 ? 'above' : 'below'} the values in force` },
    },
  },
} as const satisfies Record<RuleExceptionKind, ExceptionKindSpec>;

/** The resolutions that settle an exception of `kind`. */
export function resolutionsFor(kind: RuleExceptionKind): Resolution[] {
  return Object.keys(EXCEPTION_KINDS[kind].resolutions) as Resolution[];
}

/** The movement a resolution may make, given the exception's recorded amount; null when it does not fit the kind. */
export function compensationBounds(kind: RuleExceptionKind, resolution: Resolution, amount: number): { min: number; max: number } | null {
  const bounds: Bounds | undefined = (EXCEPTION_KINDS[kind].resolutions as Partial<Record<Resolution, Bounds>>)[resolution];
  return bounds ? bounds(Math.max(0, -amount)) : null;
}

/** The words of an exception kind in a language. */
export function exceptionWords(kind: RuleExceptionKind, lang: Lang): ExceptionKindSpec['words'][Lang] {
  return EXCEPTION_KINDS[kind].words[lang];
}
