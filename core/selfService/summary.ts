import type { Goods, LedgerEntry } from '../entities.js';
import type { Lang } from '../i18n/messages.js';
import { formatShanghai } from '../time/businessTime.js';

/**
 * What the self-service screen says of a resident's points, in plain words an elderly resident
 * reads at a glance and a voice can say: "11月25日 兑换 抽纸×1 −30分".
 */

/** How many of a resident's last ledger entries a scan shows (and all a self-service device keeps of them). */
export const SELF_SERVICE_ENTRIES = 5;

const VERB: Record<Lang, Record<string, string>> = {
  zh: { redemption: '兑换', shop: '商铺兑换', correction: '更正', meal: '食堂', governance: '小区治理', civility: '文明帮创', reuse: '废旧利用', volunteering: '志愿服务', other: '获得积分' },
  en: { redemption: 'Redeemed', shop: 'Partner shop', correction: 'Correction', meal: 'Canteen', governance: 'Neighbourhood', civility: 'Civility', reuse: 'Reuse', volunteering: 'Volunteering', other: 'Earned' },
};

/** The minus sign a reader sees (U+2212), not a hyphen. */
const MINUS = '\u2212';

/** A ledger entry in plain words: its day, what it was, and the points with their sign. */
export function entryWords(entry: Pick<LedgerEntry, 'at' | 'delta' | 'memo' | 'category'>, lang: Lang): string {
  const day = formatShanghai(Date.parse(entry.at)).slice(5, 10);
  const [m, d] = day.split('-').map(Number) as [number, number];
  const verb = VERB[lang][entry.category ?? (entry.delta < 0 ? 'redemption' : 'other')] ?? VERB[lang].other!;
  const points = `${entry.delta < 0 ? MINUS : '+'}${Math.abs(entry.delta)}`;
  return lang === 'zh'
    ? `${m}月${d}日 ${verb} ${entry.memo} ${points}分`.replace(/\s+/g, ' ')
    : `${d}/${m} ${verb} ${entry.memo} ${points} points`.replace(/\s+/g, ' ');
}

/** Goods a balance buys now: in stock and priced at most the balance, cheapest first. */
export function affordableGoods<G extends Pick<Goods, 'pointPrice' | 'stock' | 'name'>>(goods: readonly G[], balance: number): G[] {
  return goods.filter((g) => g.stock > 0 && g.pointPrice > 0 && g.pointPrice <= balance)
    .sort((a, b) => a.pointPrice - b.pointPrice || a.name.localeCompare(b.name, 'zh'));
}

/** Masks a phone number for a screen: 13812341234 → 138****1234; a tail of four stays a tail (****1234). */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length <= 4) return `****${digits}`;
  if (digits.length < 8) return `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}
