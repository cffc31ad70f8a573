import { createContext, useContext } from 'react';
import { formatMessage, type Lang, type Message } from '../../core/index.js';

/** The words of the kiosk's screens, Chinese first. Rule messages come from `core/`. */
const words = {
  zh: {
    appName: '邻里 · 积分超市柜台',
    synced: '已同步',
    pending: (n: number) => `${n} 条待同步`,
    offline: (n: number) => (n > 0 ? `离线 · ${n} 条待同步` : '离线'),
    stopped: '同步已暂停，请联系管理员',
    scanPrompt: '请扫描居民卡，或输入卡号',
    cardCode: '卡号',
    lookUp: '查询',
    balance: '积分余额',
    points: '分',
    goods: '商品',
    stock: (n: number) => `库存 ${n}`,
    soldOut: '已兑完',
    basket: '已选商品',
    basketEmpty: '扫描商品条码或点选商品',
    total: '合计',
    after: '兑换后剩余',
    redeem: '确认兑换',
    confirmTitle: '确认兑换？',
    confirmBody: (total: number, after: number) => `共 ${total} 分，兑换后剩余 ${after} 分。`,
    confirm: '确认',
    cancel: '取消',
    done: '完成',
    print: '打印小票',
    nextResident: '下一位',
    redeemed: '兑换成功',
    history: '最近积分流水',
    remove: '移除',
    pairTitle: '连接服务中心',
    pairPrompt: '请输入管理员提供的 10 位配对码',
    pairButton: '配对',
    pairFailed: '配对码无效、已使用或已过期。',
    loading: (rows: number) => `正在下载社区数据… 已收到 ${rows} 行`,
    language: 'English',
    rejected: (n: number) => `${n} 笔操作被服务器拒绝，请查看`,
    kinds: { pointsAwarded: '获得积分', goodsRedeemed: '兑换商品', stockReceived: '入库' },
  },
  en: {
    appName: 'Linli · Points Store Counter',
    synced: 'Synced',
    pending: (n: number) => `${n} waiting to sync`,
    offline: (n: number) => (n > 0 ? `Offline · ${n} waiting` : 'Offline'),
    stopped: 'Sync paused: call the administrator',
    scanPrompt: 'Scan a resident card, or type the card code',
    cardCode: 'Card code',
    lookUp: 'Look up',
    balance: 'Points balance',
    points: 'pts',
    goods: 'Goods',
    stock: (n: number) => `${n} in stock`,
    soldOut: 'Sold out',
    basket: 'Picked goods',
    basketEmpty: 'Scan a goods barcode or tap goods',
    total: 'Total',
    after: 'Left after',
    redeem: 'Redeem',
    confirmTitle: 'Redeem these goods?',
    confirmBody: (total: number, after: number) => `${total} points in all; ${after} left after.`,
    confirm: 'Confirm',
    cancel: 'Cancel',
    done: 'Done',
    print: 'Print receipt',
    nextResident: 'Next resident',
    redeemed: 'Redeemed',
    history: 'Recent ledger entries',
    remove: 'Remove',
    pairTitle: 'Connect to the centre',
    pairPrompt: 'Type the 10-character pairing code from the administrator',
    pairButton: 'Pair',
    pairFailed: 'The pairing code is unknown, used or expired.',
    loading: (rows: number) => `Downloading the centre's data… ${rows} rows so far`,
    language: '中文',
    rejected: (n: number) => `${n} actions were refused by the server: please look`,
    kinds: { pointsAwarded: 'Points earned', goodsRedeemed: 'Goods redeemed', stockReceived: 'Stock in' },
  },
} satisfies Record<Lang, unknown>;

export type Words = (typeof words)['zh'];

export const LangContext = createContext<{ lang: Lang; setLang(l: Lang): void }>({ lang: 'zh', setLang: () => {} });

/** The current language's words, and a formatter for `core/`'s messages. */
export function useWords(): { t: Words; lang: Lang; say(m: Message): string } {
  const { lang } = useContext(LangContext);
  return { t: words[lang] as Words, lang, say: (m) => formatMessage(m, lang) };
}
