import { createContext, useContext } from 'react';
import { formatLooseMessage, formatMessage, type EventKind, type Lang, type Message, type RefusalReason, type Resolution } from '../../core/index.js';

/** The words of the kiosk's screens, Chinese first. Rule messages come from `core/`. */
const words = {
  zh: {
    appName: '邻里 · 积分超市柜台',
    canteenAppName: '邻里 · 爱心食堂',
    synced: '已同步',
    pending: (n: number) => `${n} 条待同步`,
    offline: (n: number) => (n > 0 ? `离线 · ${n} 条待同步` : '离线'),
    stopped: '同步已暂停，请联系管理员',
    stoppedSeqConflict: (seq: number) => `同步已暂停：本机第 ${seq} 条记录与服务器保存的不同，已记入管理员的拒绝清单，请联系管理员`,
    connecting: '正在连接服务器…',
    notPaired: '未配对',
    downloading: (pct: number) => `正在下载 ${pct}%`,
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
    printing: '正在打印小票…',
    printedOk: '小票已打印',
    reprint: '补打',
    camera: '摄像头扫码',
    cameraClose: '关闭摄像头',
    cameraFailed: '打不开摄像头：请检查摄像头是否接好，或是否允许使用。',
    nextResident: '下一位',
    redeemed: '兑换成功',
    history: '最近积分流水',
    notSynced: '待同步',
    remove: '移除',
    pairTitle: '连接服务中心',
    pairPrompt: '请输入管理员提供的 10 位配对码',
    pairButton: '配对',
    pairFailed: '配对码无效、已使用或已过期。',
    loading: (rows: number, head: number) => (head > 0 ? `正在下载社区数据… 已收到 ${rows} 行` : '正在连接服务器，准备下载社区数据…'),
    language: 'English',
    largeType: '大字',
    rejected: (n: number) => `${n} 笔操作被服务器拒绝，请查看`,
    kinds: { pointsAwarded: '获得积分', goodsRedeemed: '兑换商品', stockReceived: '入库', exceptionResolved: '异常处理', residentRegistered: '居民登记', cardReplaced: '补卡', earningRuleSet: '积分规则',
      serviceCertified: '服务认证', serviceCorrected: '时长更正', donationReceived: '旧物捐赠', donationValueSet: '捐赠估价', goodsAdded: '新增商品', goodsChanged: '商品调整', goodsPhotoSet: '商品照片',
      stockCounted: '盘点', partnerShopSet: '爱心商铺', shopRedemption: '商铺兑换', entryReversed: '冲正',
      staffSet: '工作人员', residentsImported: '居民导入', residentsRemoved: '居民移除', residentUpdated: '居民信息修改', serviceScheduled: '服务时间表',
      sittingPublished: '发布菜单', sittingCapacitySet: '调整名额', mainTillClaimed: '设为主售票机', subsidyRuleSet: '补贴标准', paymentCodeSet: '设置收款码', mealOffered: '停售/恢复供应', eligibilityApproved: '补贴资格审批',
      mealBooked: '订餐', mealBookingCancelled: '取消订餐', mealSold: '售餐', ticketCalled: '叫号', ticketFinished: '取餐/未取餐', standingBookingSet: '送餐预订',
      mealDelivered: '送餐送达', mealAccountOpened: '开通饭卡', mealBalanceToppedUp: '饭卡充值', menuChanged: '修改菜单' } satisfies Record<EventKind, string>,
    signInTitle: '工作人员登录',
    signInPrompt: '请刷工作证，或输入工作证号，再输入密码',
    staffCard: '工作证号',
    pin: '密码',
    signIn: '登录',
    checking: '正在核对…',
    signOut: '退出登录',
    closingText: '今天的日结单还没有打印。下班前请打印，交负责人核对。',
    closingPrint: '去打印日结单',
    closingSignOut: '不打印，退出',
    closingStay: '取消',
    adminApp: '管理后台',
    signedInAs: (name: string) => `当前：${name}`,
    signedOutIdle: '长时间没有操作，已自动退出登录。',
    counterTab: '柜台',
    tabs: { service: '服务认证', donations: '旧物捐赠', goods: '商品库存', shops: '爱心商铺', reports: '日结月报', rules: '积分规则' },
    exceptionsTab: (n: number) => (n > 0 ? `异常 (${n})` : '异常'),
    exceptionsTitle: '待处理异常',
    exceptionsNone: '没有待处理的异常。',
    resolutions: { recover: '追回（以后补回）', writeOff: '核销（中心承担）', adjust: '按核对结果调整', acknowledge: '已知晓' } satisfies Record<Resolution, string>,
    note: '备注',
    resolveConfirm: '确认处理？此操作会记一笔冲正记录，不会删除任何记录。',
    resolved: '已处理，等待同步',
    refusedTitle: '被服务器拒绝的操作',
    refusedNone: '没有被拒绝的操作。',
    exportOutbox: '导出待同步数据',
    exportDone: (n: number, file: string) => `已导出 ${n} 条记录到文件 ${file}，请交给管理员导入。`,
    exportNothing: '没有待同步的数据，不需要导出。',
    storageNotPersisted: '浏览器没有把本机存储设为持久保存：请在 Electron 中运行，或在浏览器设置中允许。',
  },
  en: {
    appName: 'Linli · Points Store Counter',
    canteenAppName: 'Linli · Community Canteen',
    synced: 'Synced',
    pending: (n: number) => `${n} waiting to sync`,
    offline: (n: number) => (n > 0 ? `Offline · ${n} waiting` : 'Offline'),
    stopped: 'Sync paused: call the administrator',
    stoppedSeqConflict: (seq: number) => `Sync paused: this kiosk's record ${seq} differs from the one the server holds; it is in the admin's refusals list. Call the administrator`,
    connecting: 'Connecting to the server…',
    notPaired: 'Not paired',
    downloading: (pct: number) => `Downloading ${pct}%`,
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
    printing: 'Printing the receipt…',
    printedOk: 'Receipt printed',
    reprint: 'Reprint',
    camera: 'Scan with camera',
    cameraClose: 'Close camera',
    cameraFailed: 'Cannot open the camera: check that it is connected and allowed.',
    nextResident: 'Next resident',
    redeemed: 'Redeemed',
    history: 'Recent ledger entries',
    notSynced: 'not synced yet',
    remove: 'Remove',
    pairTitle: 'Connect to the centre',
    pairPrompt: 'Type the 10-character pairing code from the administrator',
    pairButton: 'Pair',
    pairFailed: 'The pairing code is unknown, used or expired.',
    loading: (rows: number, head: number) => (head > 0 ? `Downloading the centre's data… ${rows} rows so far` : 'Connecting to the server to download the centre\'s data…'),
    language: '中文',
    largeType: 'Larger type',
    rejected: (n: number) => `${n} actions were refused by the server: please look`,
    kinds: { pointsAwarded: 'Points earned', goodsRedeemed: 'Goods redeemed', stockReceived: 'Stock in', exceptionResolved: 'Exception resolved', residentRegistered: 'Resident registered', cardReplaced: 'Card replaced', earningRuleSet: 'Earning rule',
      serviceCertified: 'Service certified', serviceCorrected: 'Hours corrected', donationReceived: 'Donation', donationValueSet: 'Donation values', goodsAdded: 'Goods added', goodsChanged: 'Goods changed', goodsPhotoSet: 'Goods photo',
      stockCounted: 'Stock count', partnerShopSet: 'Partner shop', shopRedemption: 'Shop redemption', entryReversed: 'Reversal',
      staffSet: 'Staff member', residentsImported: 'Residents imported', residentsRemoved: 'Residents removed', residentUpdated: 'Resident changed', serviceScheduled: 'Scheduled service',
      sittingPublished: 'Menu published', sittingCapacitySet: 'Places set', mainTillClaimed: 'Main till claimed', subsidyRuleSet: 'Subsidy rule', paymentCodeSet: 'Payment code set', mealOffered: 'Meal off/on sale', eligibilityApproved: 'Eligibility approved',
      mealBooked: 'Meal booked', mealBookingCancelled: 'Booking cancelled', mealSold: 'Meal sold', ticketCalled: 'Number called', ticketFinished: 'Served / no-show',
      standingBookingSet: 'Delivery booking', mealDelivered: 'Meal delivered', mealAccountOpened: 'Meal balance opened', mealBalanceToppedUp: 'Meal balance topped up', menuChanged: 'Menu changed' } satisfies Record<EventKind, string>,
    signInTitle: 'Staff sign-in',
    signInPrompt: 'Swipe your staff card or type its number, then your PIN',
    staffCard: 'Staff card',
    pin: 'PIN',
    signIn: 'Sign in',
    checking: 'Checking…',
    signOut: 'Sign out',
    closingText: 'Today\'s day summary has not been printed. Print it before you leave, for the person in charge to check.',
    closingPrint: 'Print the day summary',
    closingSignOut: 'Sign out without printing',
    closingStay: 'Cancel',
    adminApp: 'Admin app',
    signedInAs: (name: string) => `Signed in: ${name}`,
    signedOutIdle: 'Signed out after a while without use.',
    counterTab: 'Counter',
    tabs: { service: 'Service hours', donations: 'Donations', goods: 'Goods & stock', shops: 'Partner shops', reports: 'Day & month', rules: 'Earning rules' },
    exceptionsTab: (n: number) => (n > 0 ? `Exceptions (${n})` : 'Exceptions'),
    exceptionsTitle: 'Exceptions to resolve',
    exceptionsNone: 'No exceptions to resolve.',
    resolutions: { recover: 'Recover (made good later)', writeOff: 'Write off (the centre bears it)', adjust: 'Adjust to a checked figure', acknowledge: 'Acknowledge' },
    note: 'Note',
    resolveConfirm: 'Resolve it? A compensating entry is recorded; nothing is deleted.',
    resolved: 'Resolved, waiting to sync',
    refusedTitle: 'Actions the server refused',
    refusedNone: 'No refused actions.',
    exportOutbox: 'Export waiting data',
    exportDone: (n: number, file: string) => `${n} records exported to ${file}: hand it to the administrator to import.`,
    exportNothing: 'Nothing waits to be synced: no export needed.',
    storageNotPersisted: 'The browser has not made this storage persistent: run the kiosk in Electron, or allow it in the browser settings.',
  },
} satisfies Record<Lang, unknown>;

export type Words = (typeof words)['zh'];
/** The words of one language, outside React (tests, the print views). */
export function wordsOf(lang: Lang): Words {
  return words[lang];
}

export const LangContext = createContext<{ lang: Lang; setLang(l: Lang): void }>({ lang: 'zh', setLang: () => {} });

/** The current language's words, and formatters for `core/`'s messages and the server's reasons. */
export function useWords(): { t: Words; lang: Lang; say(m: Message): string; sayReason(r: RefusalReason | string): string } {
  const { lang } = useContext(LangContext);
  return {
    t: words[lang] as Words, lang, say: (m) => formatMessage(m, lang),
    // A reason kept before schema 3 is the server's English sentence.
    sayReason: (r) => formatLooseMessage(typeof r === 'string' ? { key: 'refusedLegacy', params: { detail: r } } : r, lang),
  };
}

/** The words of one screen folder in the current language: each folder keeps its own words file, Chinese first. */
export function useLocalWords<T>(words: Record<Lang, T>): T {
  return words[useContext(LangContext).lang];
}

const LANG_KEY = 'linli.lang';

/** The language staff chose last on this kiosk (kept across a reload), Chinese unless English was chosen. */
export function storedLang(): Lang {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh'; // storage refused (a locked-down browser): Chinese, as at first start
  }
}

/** Keeps the language for the next start, and tells the page's `<html lang>` (screen readers, fonts, hyphenation). */
export function keepLang(lang: Lang): void {
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    // The language still changes; it is only not remembered.
  }
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}
