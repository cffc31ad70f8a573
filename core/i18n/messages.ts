/**
 * Messages that `core/` produces for people: rule errors and receipt words, in zh-CN first and en.
 * A message is a key and its parameters; the screen picks the language.
 */
export type Lang = 'zh' | 'en';

/** The keys of every message `core/` can produce, with the parameters each takes. */
export type MessageParams = {
  malformedCardCode: { code: string };
  unknownResident: { code: string };
  cardReplaced: { code: string };
  unknownGoods: { code: string };
  malformedGoodsCode: { code: string };
  invalidQuantity: { quantity: number };
  insufficientPoints: { needed: number; balance: number };
  insufficientStock: { goodsName: string; wanted: number; stock: number };
  emptyRedemption: Record<string, never>;
  invalidPoints: { points: number };
  malformedIdNumber: Record<string, never>;
  malformedTicket: { code: string };
  ticketOtherCentre: Record<string, never>;
  ticketOtherDay: { day: string };
  ticketOtherSitting: { sitting: string };
  ticketAtCounter: { number: string; sitting: string };
  printerPaperOut: Record<string, never>;
  printerCoverOpen: Record<string, never>;
  printerOffline: Record<string, never>;
  printerNoAnswer: Record<string, never>;
  printerRefused: Record<string, never>;
  printMayNotHavePrinted: { receiptNo: string };
  malformedStaffCard: { code: string };
  unknownStaffCard: { code: string };
  staffInactive: Record<string, never>;
  staffNoPin: Record<string, never>;
  staffWrongDevice: Record<string, never>;
  pinShape: Record<string, never>;
  wrongPin: { triesLeft: number };
  staffLocked: { minutes: number };
  exceptionAlreadyResolved: Record<string, never>;
  resolutionNotAllowed: { resolution: string };
  invalidAdjustment: { value: number };
  storageFull: Record<string, never>;
};

export type MessageKey = keyof MessageParams;

type Catalogue = { [K in MessageKey]: Record<Lang, (p: MessageParams[K]) => string> };

const catalogue: Catalogue = {
  malformedCardCode: {
    zh: (p) => `卡号「${p.code}」格式不对，请重新扫描或核对卡号。`,
    en: (p) => `Card code "${p.code}" is not valid. Scan again or check the number.`,
  },
  unknownResident: {
    zh: (p) => `没有找到卡号为「${p.code}」的居民。`,
    en: (p) => `No resident has card code "${p.code}".`,
  },
  cardReplaced: {
    zh: (p) => `卡「${p.code}」已挂失或换卡，不能再使用。`,
    en: (p) => `Card "${p.code}" has been replaced and can no longer be used.`,
  },
  unknownGoods: {
    zh: (p) => `没有找到条码为「${p.code}」的商品。`,
    en: (p) => `No goods have barcode "${p.code}".`,
  },
  malformedGoodsCode: {
    zh: (p) => `条码「${p.code}」无效（校验位不对）。`,
    en: (p) => `Barcode "${p.code}" is not valid (wrong check digit).`,
  },
  invalidQuantity: {
    zh: (p) => `数量必须是正整数，不能是 ${p.quantity}。`,
    en: (p) => `Quantity must be a whole number above zero, not ${p.quantity}.`,
  },
  insufficientPoints: {
    zh: (p) => `积分不足：需要 ${p.needed} 分，账户只有 ${p.balance} 分。`,
    en: (p) => `Not enough points: ${p.needed} needed, the account has ${p.balance}.`,
  },
  insufficientStock: {
    zh: (p) => `「${p.goodsName}」库存不足：要 ${p.wanted} 件，只剩 ${p.stock} 件。`,
    en: (p) => `Not enough "${p.goodsName}" in stock: ${p.wanted} wanted, ${p.stock} left.`,
  },
  emptyRedemption: {
    zh: () => '还没有选择商品。',
    en: () => 'No goods have been picked yet.',
  },
  invalidPoints: {
    zh: (p) => `积分必须是正整数，不能是 ${p.points}。`,
    en: (p) => `Points must be a whole number above zero, not ${p.points}.`,
  },
  // The ID number itself is never put in a message: it is sensitive personal information.
  malformedIdNumber: {
    zh: () => '身份证号码不正确（位数、出生日期或校验位不对），请核对。',
    en: () => 'The ID number is not valid (length, birth date or check character). Please check it.',
  },
  malformedTicket: {
    zh: (p) => `取餐码「${p.code}」无法识别，请重新扫描。`,
    en: (p) => `Meal ticket code "${p.code}" cannot be read. Scan it again.`,
  },
  ticketOtherCentre: {
    zh: () => '这张取餐票不是本食堂的。',
    en: () => 'This meal ticket is from another canteen.',
  },
  ticketOtherDay: {
    zh: (p) => `这张取餐票是 ${p.day} 的，不是今天的。`,
    en: (p) => `This meal ticket is for ${p.day}, not today.`,
  },
  ticketOtherSitting: {
    zh: (p) => `这张取餐票是「${p.sitting}」餐次的。`,
    en: (p) => `This meal ticket is for the ${p.sitting} sitting.`,
  },
  ticketAtCounter: {
    zh: (p) => `这是「${p.sitting}」餐次的 ${p.number} 号取餐票，请到食堂窗口取餐。`,
    en: (p) => `This is meal ticket ${p.number} for the ${p.sitting} sitting: please collect the meal at the canteen window.`,
  },
  printerPaperOut: {
    zh: () => '打印机缺纸，请装纸。装好后会自动继续打印。',
    en: () => 'The printer is out of paper. Load paper and printing goes on by itself.',
  },
  printerCoverOpen: {
    zh: () => '打印机盖子没有关好，请合上。',
    en: () => 'The printer cover is open. Close it.',
  },
  printerOffline: {
    zh: () => '打印机处于离线状态，请检查打印机。',
    en: () => 'The printer is offline. Check the printer.',
  },
  printerNoAnswer: {
    zh: () => '打印机没有响应，请检查电源和网线。小票会在打印机恢复后自动打印。',
    en: () => 'The printer does not answer. Check its power and cable; the receipt prints when it is back.',
  },
  printerRefused: {
    zh: () => '连接不上打印机，请检查打印机是否开机、地址是否正确。',
    en: () => 'Cannot connect to the printer. Check that it is on and its address is right.',
  },
  printMayNotHavePrinted: {
    zh: (p) => `小票 ${p.receiptNo} 可能没有打印出来，请查看打印机；如没有，请点「补打」。`,
    en: (p) => `Receipt ${p.receiptNo} may not have printed. Check the printer and tap Reprint if it did not.`,
  },
  malformedStaffCard: {
    zh: (p) => `工作证号「${p.code}」格式不对，请重新扫描。`,
    en: (p) => `Staff card "${p.code}" is not valid. Scan it again.`,
  },
  unknownStaffCard: {
    zh: (p) => `本中心没有工作证号为「${p.code}」的工作人员。`,
    en: (p) => `No staff member of this centre has card "${p.code}".`,
  },
  staffInactive: {
    zh: () => '这张工作证已停用，请联系管理员。',
    en: () => 'This staff card has been disabled. Ask an admin.',
  },
  staffNoPin: {
    zh: () => '还没有为这张工作证设置密码，请联系管理员。',
    en: () => 'No PIN has been set for this staff card. Ask an admin.',
  },
  staffWrongDevice: {
    zh: () => '这张工作证的岗位不能在这台设备上操作（例如食堂岗位不能使用积分超市柜台）。',
    en: () => 'This staff role cannot work on this device (a canteen role cannot use the points store counter).',
  },
  pinShape: {
    zh: () => '密码是 6 到 12 位数字。',
    en: () => 'The PIN is 6 to 12 digits.',
  },
  wrongPin: {
    zh: (p) => `密码不对，还可以再试 ${p.triesLeft} 次。`,
    en: (p) => `Wrong PIN. ${p.triesLeft} more tries.`,
  },
  staffLocked: {
    zh: (p) => `密码错误次数太多，这张工作证已锁定，请 ${p.minutes} 分钟后再试。`,
    en: (p) => `Too many wrong PINs: this card is locked. Try again in ${p.minutes} min.`,
  },
  exceptionAlreadyResolved: {
    zh: () => '这条异常已经处理过了。',
    en: () => 'This exception has already been resolved.',
  },
  resolutionNotAllowed: {
    zh: (p) => `这类异常不能用「${p.resolution}」处理。`,
    en: (p) => `This exception cannot be resolved by "${p.resolution}".`,
  },
  invalidAdjustment: {
    zh: () => '调整后的数目必须是 0 或正整数。',
    en: () => 'The adjusted figure must be a whole number, 0 or more.',
  },
  storageFull: {
    zh: () => '本机存储空间已满，这一笔没有保存（已保存的数据都在）。请联系管理员清理磁盘，或先同步、导出待同步数据。',
    en: () => 'This computer\'s storage is full: this entry was not saved (everything saved before is kept). Ask an admin to free disk space, or sync or export the waiting entries first.',
  },
};

/** A message ready to be shown: a key and its parameters. */
export type Message = { [K in MessageKey]: { key: K; params: MessageParams[K] } }[MessageKey];

/** Renders a message in the given language. */
export function formatMessage(message: Message, lang: Lang): string {
  const entry = catalogue[message.key] as Record<Lang, (p: Message['params']) => string>;
  return entry[lang](message.params);
}
