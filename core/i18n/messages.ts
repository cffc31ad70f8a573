/**
 * Messages that `core/` produces for people: rule errors and receipt words, in zh-CN first and en.
 * A message is a key and its parameters; the screen picks the language.
 */
export type Lang = 'zh' | 'en';

/** The keys of every message `core/` can produce, with the parameters each takes. */
export type MessageParams = {
  malformedCardCode: { code: string };
  cardFieldSearched: { code: string };
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
  tooManyLines: { max: number };
  amountTooLarge: { amount: number; max: number };
  adjustmentOutOfBounds: { low: number; high: number };
  registrationNameMissing: Record<string, never>;
  registrationPhoneInvalid: { phone: string };
  registrationBirthDateInvalid: { date: string };
  registrationInvalid: { detail: string };
  idNumberBirthDateDiffers: { date: string };
  idNumberNeedsServer: Record<string, never>;
  idNumberTaken: { name: string };
  invalidEntry: { detail: string };
  // Why the server refused an event (kept with it, shown on the kiosk's 「异常」 tab).
  refusedDuplicateId: Record<string, never>;
  refusedKind: { kind: string; profile: string };
  refusedStaffRequired: { kind: string };
  refusedUnknownStaff: Record<string, never>;
  refusedRole: { role: string; kind: string };
  refusedUnknownRow: { table: string; id: string };
  refusedIdTaken: { table: string; id: string };
  refusedInvalidEvent: { detail: string };
  refusedUnknownKind: { kind: string; version: number };
  refusedOutOfRange: { table: string; id: string };
  refusedAccountMismatch: { accountId: string; residentId: string };
  refusedAlreadyResolved: { id: string };
  refusedExceptionMismatch: { id: string };
  refusedCompensation: { id: string; min: number; max: number };
  refusedLegacy: { detail: string };
  refusedReversal: { why: string };
  ruleNameMissing: Record<string, never>;
  rulePointsInvalid: { points: number };
  ruleCapInvalid: { cap: number; points: number };
  ruleInactive: { name: string };
  ruleNotHourly: { name: string };
  capReached: { name: string; cap: number; used: number; period: 'day' | 'month' };
  rosterCapReached: { resident: string; name: string; cap: number; used: number; points: number; period: 'day' | 'month' };
  activityMissing: Record<string, never>;
  activityDayInvalid: { day: string };
  rosterEmpty: Record<string, never>;
  invalidMinutes: { minutes: number };
  alreadyCertified: Record<string, never>;
  reversalReasonMissing: Record<string, never>;
  cannotReverse: { why: 'reversed' | 'reversal' | 'kind' | 'unknown' };
  goodsNameMissing: Record<string, never>;
  shopNameMissing: Record<string, never>;
  photoInvalid: Record<string, never>;
  photoUnreadable: Record<string, never>;
  photoNone: Record<string, never>;
  photoUnchanged: Record<string, never>;
  pointPriceInvalid: { price: number };
  barcodeTaken: { code: string };
  countInvalid: { counted: number };
  countReasonMissing: { expected: number; counted: number };
  countNothing: Record<string, never>;
  countTooMany: { max: number };
  countLineInvalid: { name: string; text: string; max: number };
  countLineTwice: { name: string };
  countLineReasonMissing: { name: string; expected: number; counted: number };
  donationEmpty: Record<string, never>;
  donationPointsOutOfBounds: { low: number; high: number };
  donationReasonMissing: { proposed: number };
  donationValueInvalid: { value: number; max: number };
  donationValueOrder: { good: number; fair: number };
  cardGenerationsUsed: Record<string, never>;
  signInFailed: Record<string, never>;
  // The admin app's forms (staff, services).
  staffNameMissing: Record<string, never>;
  adminWorksAtEverywhere: Record<string, never>;
  workPlaceInvalid: { place: string };
  serviceNameMissing: Record<string, never>;
  serviceTimeInvalid: { start: string; end: string };
  // The canteen (爱心食堂).
  categoryNotHeld: { category: string };
  sittingUnknown: { sitting: string };
  sittingNotToday: { day: string };
  sittingFull: { capacity: number };
  mealNotOnMenu: { meal: string };
  mealWithdrawn: { meal: string };
  lastMealOnSale: { meal: string };
  nothingOnSale: Record<string, never>;
  bookingClosed: { cutoff: string };
  cancelClosed: { cutoff: string };
  alreadyBooked: Record<string, never>;
  orderUnknown: Record<string, never>;
  secondSubsidisedMeal: Record<string, never>;
  duplicateTicketNumber: { number: string };
  tillCannotNumber: { device: string };
  noTicketToCall: Record<string, never>;
  ticketNumberUnknown: { number: string };
  ticketAlreadyServed: { number: string };
  insufficientMealBalance: { needed: string; balance: string };
  noMealAccount: Record<string, never>;
  invalidTopUp: Record<string, never>;
  capacityInvalid: { used: number };
  invalidSitting: { detail: string };
  sittingExists: { day: string };
  menuLineInvalid: { meal: string };
  menuMealTwice: { meal: string };
  menuUnchanged: Record<string, never>;
  subsidyRuleInvalid: { field: string };
  paymentCodeInvalid: { field: 'code' | 'payee' };
  standingBookingInvalid: Record<string, never>;
  notFlaggedForDelivery: Record<string, never>;
  alreadyDelivered: Record<string, never>;
  eligibilityInvalid: { detail: string };
  walkInNoBalance: Record<string, never>;
  refusedCanteenMismatch: { detail: string };
};

export type MessageKey = keyof MessageParams;

/** What is wrong with a subsidy category staff typed, by the field at fault. */
const RULE_FIELD_WORDS: Record<string, Record<Lang, string>> = {
  id: { zh: '编号只能用小写字母、数字、- 和 _（1–20 个）。', en: 'the key takes 1–20 lower-case letters, digits, - or _.' },
  taken: { zh: '这个编号已经有类别在用了。', en: 'another category has this key.' },
  name: { zh: '请填写名称（1–30 个字）。', en: 'enter a name (1–30 characters).' },
  ages: { zh: '年龄段要有起始年龄，截止年龄不小于起始年龄（0–150）。', en: 'an age band needs its youngest age, and an oldest age not below it (0–150).' },
  flags: { zh: '经审批的类别至少要对应一种身份（低保、特困、失能、独居）。', en: 'a status category stands for at least one status (低保, 特困, 失能, 独居).' },
  money: { zh: '金额在 ￥0.00 到 ￥10000.00 之间。', en: 'amounts are between ￥0.00 and ￥10000.00.' },
  cap: { zh: '每日封顶不能低于每餐补贴。', en: 'the cap per day cannot be below the subsidy per meal.' },
};

/** What is wrong with a sitting, by the field `invalidSitting` names. */
const SITTING_FIELD_WORDS: Record<string, Record<Lang, string>> = {
  day: { zh: '日期不对，请选择一个真实的日子。', en: 'the day is not a real date.' },
  past: { zh: '日期已过，过去的餐次不能发布或修改。', en: 'the day has gone by: a past sitting cannot be published or changed.' },
  ahead: { zh: '最多提前 21 天发布餐次，请核对日期。', en: 'a sitting is published at most 21 days ahead: check the day.' },
  times: { zh: '时间要按顺序：预订截止不晚于开餐，开餐早于结束。', en: 'the times go in order: bookings close no later than the sitting opens, and it opens before it closes.' },
  capacity: { zh: '名额要填 0 或以上的整数。', en: 'places are a whole number, 0 or more.' },
  deliveryFeeFen: { zh: '送餐费在 ￥0.00 到 ￥10000.00 之间。', en: 'the delivery fee is between ￥0.00 and ￥10000.00.' },
  meals: { zh: '每个餐次要有 1 到 30 道菜。', en: 'a sitting has 1 to 30 meals.' },
};

/** A resident's fields as the registration form names them, by the field `registrationInvalid` names. */
const REGISTRATION_FIELDS: Record<string, Record<Lang, string>> = {
  name: { zh: '姓名', en: 'name' },
  phone: { zh: '手机号', en: 'phone number' },
  building: { zh: '楼栋', en: 'building' },
  room: { zh: '房号', en: 'room' },
  birthDate: { zh: '出生日期', en: 'birth date' },
  flags: { zh: '身份标记', en: 'status flags' },
  idNumber: { zh: '身份证号', en: 'ID number' },
  ageBand: { zh: '年龄段', en: 'age band' },
};
/** The field of a schema path (`flags.0` → `flags`). */
const fieldOf = (detail: string) => detail.split('.')[0] ?? '';

type Catalogue = { [K in MessageKey]: Record<Lang, (p: MessageParams[K]) => string> };

/** What the rows of each replicated table are called in a message. */
const TABLE_WORDS: Record<string, Record<Lang, string>> = {
  accounts: { zh: '积分账户', en: 'points account' },
  residents: { zh: '居民', en: 'resident' },
  goods: { zh: '商品', en: 'goods' },
  goodsPhotos: { zh: '商品照片', en: 'goods photo' },
  ledger: { zh: '积分流水', en: 'ledger entry' },
  resources: { zh: '名额', en: 'places' },
  staff: { zh: '工作人员', en: 'staff member' },
  exceptions: { zh: '异常', en: 'exception' },
  rules: { zh: '积分规则', en: 'earning rule' },
  serviceHours: { zh: '服务时长记录', en: 'service entry' },
  donations: { zh: '捐赠记录', en: 'donation' },
  partnerShops: { zh: '爱心商铺', en: 'partner shop' },
  redemptions: { zh: '兑换记录', en: 'redemption' },
  services: { zh: '服务时间表', en: 'scheduled service' },
  sittings: { zh: '餐次', en: 'sitting' },
  meals: { zh: '菜品', en: 'meal' },
  subsidyRules: { zh: '补贴类别', en: 'subsidy category' },
  eligibility: { zh: '补贴资格', en: 'eligibility' },
  mealOrders: { zh: '订餐记录', en: 'meal order' },
  standingBookings: { zh: '送餐长期预订', en: 'standing delivery booking' },
  paymentCodes: { zh: '收款码', en: 'payment code' },
};
const tableWord = (table: string, lang: Lang) => TABLE_WORDS[table]?.[lang] ?? table;

const catalogue: Catalogue = {
  malformedCardCode: {
    zh: (p) => `卡号「${p.code}」格式不对，请重新扫描或核对卡号。`,
    en: (p) => `Card code "${p.code}" is not valid. Scan again or check the number.`,
  },
  cardFieldSearched: {
    zh: (p) => `「${p.code}」不是卡号，请扫描或输入居民卡号。没带卡的居民，可在柜台的「找居民」里按姓名、拼音首字母或手机尾号查找。`,
    en: (p) => `"${p.code}" is not a card code: scan or type the resident's card. For a resident without their card, use "Find a resident" at the counter (name, pinyin initials or phone's last 4).`,
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
    zh: () => '这张工作证在本机没有密码（还没设置，或没有登记在本机工作），请联系管理员。',
    en: () => 'This staff card has no PIN on this device (none was set, or the member is not listed as working here). Ask an admin.',
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
  tooManyLines: {
    zh: (p) => `一次最多兑换 ${p.max} 种商品，请分两次兑换。`,
    en: (p) => `At most ${p.max} different goods at a time: split the redemption.`,
  },
  amountTooLarge: {
    zh: (p) => `数额 ${p.amount} 太大：一笔最多 ${p.max} 分，请核对。`,
    en: (p) => `${p.amount} is too large: one entry moves at most ${p.max} points. Please check.`,
  },
  adjustmentOutOfBounds: {
    zh: (p) => `调整后的数目只能在 ${p.low} 到 ${p.high} 之间。`,
    en: (p) => `The adjusted figure must be between ${p.low} and ${p.high}.`,
  },
  registrationNameMissing: {
    zh: () => '请填写居民姓名。',
    en: () => 'Enter the resident\'s name.',
  },
  registrationPhoneInvalid: {
    zh: (p) => `手机号「${p.phone}」不对：应为 11 位数字，以 1 开头。`,
    en: (p) => `Phone "${p.phone}" is not valid: 11 digits starting with 1.`,
  },
  registrationBirthDateInvalid: {
    zh: (p) => `出生日期「${p.date}」不对：请按 年-月-日 填写，例如 1950-03-08。`,
    en: (p) => `Birth date "${p.date}" is not valid: use year-month-day, e.g. 1950-03-08.`,
  },
  registrationInvalid: {
    zh: (p) => (p.detail === 'cards' ? '本机的卡号已经用完，请换一台柜台登记，或联系管理员。' : `登记信息中的「${REGISTRATION_FIELDS[fieldOf(p.detail)]?.zh ?? '某一项'}」有误，请核对。`),
    en: (p) => (p.detail === 'cards' ? 'This counter has used up its card numbers: register at another counter, or ask the admin.' : `The ${REGISTRATION_FIELDS[fieldOf(p.detail)]?.en ?? 'registration'} is not valid. Please check.`),
  },
  idNumberBirthDateDiffers: {
    zh: (p) => `出生日期与身份证号不符：身份证上是 ${p.date}。请核对，或不填出生日期。`,
    en: (p) => `The birth date differs from the ID number's (${p.date}). Check it, or leave the birth date empty.`,
  },
  idNumberNeedsServer: {
    zh: () => '身份证号要联网核验后才能登记（本机不保存完整号码）。现在连不上服务器：可以先不填身份证号登记，联网后再补。',
    en: () => 'An ID number is checked with the server before it is kept (this kiosk never keeps the full number), and the server cannot be reached. Register without it for now.',
  },
  idNumberTaken: {
    zh: (p) => `这个身份证号已经登记过了（${p.name}）。请在「查找居民」里找到此人，不要重复登记。`,
    en: (p) => `This ID number is already registered (${p.name}). Find the resident instead of registering again.`,
  },
  invalidEntry: {
    zh: (p) => `这一笔的内容有误，没有保存（${p.detail}）。`,
    en: (p) => `This entry is not valid and was not saved (${p.detail}).`,
  },
  refusedDuplicateId: {
    zh: () => '这笔操作的编号与另一笔重复，服务器没有记入。',
    en: () => 'This entry\'s id was already used by another one; the server did not record it.',
  },
  refusedKind: {
    zh: (p) => `这台设备（${p.profile}）不能做「${p.kind}」这类操作。`,
    en: (p) => `A ${p.profile} device may not do "${p.kind}".`,
  },
  refusedStaffRequired: {
    zh: (p) => `「${p.kind}」必须由工作人员登录后操作。`,
    en: (p) => `"${p.kind}" must name the staff member who did it.`,
  },
  refusedUnknownStaff: {
    zh: () => '操作的工作人员不是本中心的。',
    en: () => 'The staff member who did this is not of this centre.',
  },
  refusedRole: {
    zh: (p) => `该岗位（${p.role}）不能做「${p.kind}」这类操作。`,
    en: (p) => `A ${p.role} may not do "${p.kind}".`,
  },
  refusedUnknownRow: {
    zh: (p) => `本中心没有这个${tableWord(p.table, 'zh')}（${p.id}）。`,
    en: (p) => `This centre has no such ${tableWord(p.table, 'en')} (${p.id}).`,
  },
  refusedIdTaken: {
    zh: (p) => `这个${tableWord(p.table, 'zh')}已经存在（${p.id}），没有重复登记。`,
    en: (p) => `This ${tableWord(p.table, 'en')} exists already (${p.id}); it was not recorded twice.`,
  },
  refusedInvalidEvent: {
    zh: (p) => `这笔操作的内容不合规定，服务器没有记入（${p.detail}）。`,
    en: (p) => `This entry breaks the rules of its kind; the server did not record it (${p.detail}).`,
  },
  refusedUnknownKind: {
    zh: (p) => `服务器不认识这类操作（${p.kind} 第 ${p.version} 版），请更新服务器。`,
    en: (p) => `The server does not know this kind of entry (${p.kind} v${p.version}); update the server.`,
  },
  refusedOutOfRange: {
    zh: (p) => `这笔操作会让${tableWord(p.table, 'zh')}（${p.id}）的数目超出范围，服务器没有记入。`,
    en: (p) => `This entry would take the ${tableWord(p.table, 'en')} (${p.id}) out of range; the server did not record it.`,
  },
  refusedAccountMismatch: {
    zh: () => '积分账户与居民对不上，服务器没有记入。',
    en: () => 'The points account is not this resident\'s; the server did not record it.',
  },
  refusedAlreadyResolved: {
    zh: () => '这条异常已由另一台设备处理，这次处理没有记入。',
    en: () => 'Another device resolved this exception first; this resolution was not recorded.',
  },
  refusedExceptionMismatch: {
    zh: () => '这次处理与异常的对象不符，没有记入。',
    en: () => 'This resolution does not fit its exception; it was not recorded.',
  },
  refusedCompensation: {
    zh: (p) => `冲正数目超出这条异常允许的范围（${p.min} 到 ${p.max}），没有记入。`,
    en: (p) => `The compensation is outside what this exception allows (${p.min} to ${p.max}); it was not recorded.`,
  },
  refusedLegacy: {
    zh: (p) => `服务器没有记入：${p.detail}`,
    en: (p) => `The server did not record it: ${p.detail}`,
  },
  refusedReversal: {
    zh: (p) => `这笔冲正没有记入：${p.why === 'reversed' ? '原记录已经冲正过了' : p.why === 'reversal' ? '冲正记录不能再冲正' : p.why === 'kind' ? '这类记录不能冲正' : '找不到原记录'}。`,
    en: (p) => `This reversal was not recorded: ${p.why === 'reversed' ? 'the entry was reversed already' : p.why === 'reversal' ? 'a reversal cannot be reversed' : p.why === 'kind' ? 'entries of this kind are not reversed' : 'the entry is not known'}.`,
  },
  ruleNameMissing: { zh: () => '请填写规则名称（30 字以内）。', en: () => 'Enter the rule\'s name (30 characters at most).' },
  rulePointsInvalid: { zh: (p) => `每次积分必须是 1 到 10000 的整数，不能是 ${p.points}。`, en: (p) => `Points must be a whole number from 1 to 10,000, not ${p.points}.` },
  ruleCapInvalid: { zh: (p) => `上限 ${p.cap} 不对：不能低于 ${p.points} 分，月上限不能低于日上限。`, en: (p) => `Cap ${p.cap} is not valid: at least ${p.points}, and a month's cap at least the day's.` },
  ruleInactive: { zh: (p) => `规则「${p.name}」已停用。`, en: (p) => `The rule "${p.name}" is no longer in use.` },
  ruleNotHourly: { zh: (p) => `规则「${p.name}」不是按小时计分的，服务认证请选按小时的规则。`, en: (p) => `The rule "${p.name}" is not per hour: pick an hourly rule to certify service.` },
  capReached: {
    zh: (p) => `已达「${p.name}」的${p.period === 'day' ? '每日' : '每月'}上限 ${p.cap} 分（已得 ${p.used} 分），不能再加。`,
    en: (p) => `The ${p.period === 'day' ? 'daily' : 'monthly'} cap of "${p.name}" is ${p.cap} points (${p.used} earned): no more can be awarded.`,
  },
  rosterCapReached: {
    zh: (p) => `${p.resident}本次 ${p.points} 分会超过「${p.name}」的${p.period === 'day' ? '每日' : '每月'}上限 ${p.cap} 分（已得 ${p.used} 分）：请减少时长或把此人从名单中去掉。`,
    en: (p) => `${p.resident}'s ${p.points} points would pass the ${p.period === 'day' ? 'daily' : 'monthly'} cap of "${p.name}", ${p.cap} points (${p.used} earned): shorten the time or take them off the roster.`,
  },
  activityMissing: { zh: () => '请填写活动名称。', en: () => 'Enter the activity.' },
  activityDayInvalid: { zh: (p) => `活动日期「${p.day}」不对：只能认证今天或之前 6 天的活动。`, en: (p) => `Activity day "${p.day}" is not valid: only today's or the six days before can be certified.` },
  rosterEmpty: { zh: () => '还没有添加志愿者。', en: () => 'No volunteer has been added yet.' },
  invalidMinutes: { zh: (p) => `服务时长不对：${p.minutes} 分钟。`, en: (p) => `Service time is not valid: ${p.minutes} min.` },
  alreadyCertified: { zh: () => '这位志愿者这次活动的时长已经认证过了，如需更改请用「更正」。', en: () => 'This volunteer\'s hours for this activity are certified already: use Correct to change them.' },
  reversalReasonMissing: { zh: () => '请填写原因。', en: () => 'Enter the reason.' },
  cannotReverse: {
    zh: (p) => (p.why === 'reversed' ? '这笔已经冲正过了，不能再冲正。' : p.why === 'reversal' ? '冲正记录（或兑换的积分部分）不能单独冲正。' : p.why === 'kind' ? '这类记录不能冲正（服务时长请用「更正」）。' : '找不到要冲正的记录。'),
    en: (p) => (p.why === 'reversed' ? 'This entry was reversed already.' : p.why === 'reversal' ? 'A reversal (or a redemption\'s points alone) cannot be reversed.' : p.why === 'kind' ? 'Entries of this kind are not reversed (hours are corrected instead).' : 'The entry to reverse is not known.'),
  },
  goodsNameMissing: { zh: () => '请填写商品名称。', en: () => 'Enter the goods\' name.' },
  shopNameMissing: { zh: () => '请填写商铺名称（1–50 个字）。', en: () => 'Enter the shop\'s name (1–50 characters).' },
  photoInvalid: { zh: () => '照片不对：只能用 JPEG、PNG 或 WebP 图片，且不超过 44 KB。', en: () => 'The photo is not valid: a JPEG, PNG or WebP picture of 44 KB at most.' },
  photoUnreadable: { zh: () => '这个文件打不开，不是图片：请拍照或选一张 JPEG、PNG 图片。', en: () => 'This file cannot be opened as a picture: take a photo or pick a JPEG or PNG.' },
  photoNone: { zh: () => '这个商品还没有照片。', en: () => 'These goods have no photo.' },
  photoUnchanged: { zh: () => '照片没有改动。', en: () => 'The photo has not changed.' },
  pointPriceInvalid: { zh: (p) => `积分价格必须是 0 或正整数，不能是 ${p.price}。`, en: (p) => `The point price must be a whole number, 0 or more, not ${p.price}.` },
  barcodeTaken: { zh: (p) => `条码 ${p.code} 已经用在别的商品上了。`, en: (p) => `Barcode ${p.code} is already on other goods.` },
  countInvalid: { zh: (p) => `盘点数量必须是 0 或正整数，不能是 ${p.counted}。`, en: (p) => `A count is a whole number, 0 or more, not ${p.counted}.` },
  countReasonMissing: { zh: (p) => `账面 ${p.expected} 件，清点 ${p.counted} 件：请填写差异原因。`, en: (p) => `Records say ${p.expected}, counted ${p.counted}: enter the reason for the difference.` },
  countNothing: { zh: () => '还没有清点任何商品：请至少填写一种商品的实盘数量。', en: () => 'Nothing counted yet: enter the count of at least one goods.' },
  countTooMany: { zh: (p) => `一张盘点单最多 ${p.max} 种商品，请分几次盘点。`, en: (p) => `A count takes at most ${p.max} goods; count in parts.` },
  countLineInvalid: { zh: (p) => `「${p.name}」的实盘数量「${p.text}」不对：请填 0 到 ${p.max} 之间的整数。`, en: (p) => `The count of "${p.name}", "${p.text}", is not right: enter a whole number from 0 to ${p.max}.` },
  countLineTwice: { zh: (p) => `「${p.name}」在盘点单上出现了两次。`, en: (p) => `"${p.name}" is on the count twice.` },
  countLineReasonMissing: { zh: (p) => `「${p.name}」账面 ${p.expected} 件，清点 ${p.counted} 件：请填写差异原因。`, en: (p) => `"${p.name}": records say ${p.expected}, counted ${p.counted}: enter the reason for the difference.` },
  donationEmpty: { zh: () => '还没有登记捐赠物品。', en: () => 'No donated item has been entered.' },
  donationPointsOutOfBounds: { zh: (p) => `积分只能在 ${p.low} 到 ${p.high} 分之间。`, en: (p) => `Points must be between ${p.low} and ${p.high}.` },
  donationReasonMissing: { zh: (p) => `积分与建议的 ${p.proposed} 分不同，请填写原因。`, en: (p) => `The points differ from the proposed ${p.proposed}: enter the reason.` },
  donationValueInvalid: { zh: (p) => `每件的积分「${Number.isNaN(p.value) ? '' : p.value}」不对：请填 0 到 ${p.max} 之间的整数。`, en: (p) => `"${Number.isNaN(p.value) ? '' : p.value}" is not a value an item may have: enter whole points from 0 to ${p.max}.` },
  donationValueOrder: { zh: (p) => `成色「一般」的每件积分（${p.fair}）不能高于「较新」的（${p.good}）。`, en: (p) => `A fair item (${p.fair}) cannot be worth more than a good one (${p.good}).` },
  cardGenerationsUsed: { zh: () => '这张卡已补办 9 次，本机可发的新卡号也已用完：请在另一台柜台补卡。', en: () => 'This card has been replaced nine times and this counter has no new card numbers left: replace it at another counter.' },
  signInFailed: { zh: () => '登录没有完成（本机出错），请再试一次；仍不行请重启本机。', en: () => 'Signing in did not finish (an error on this PC). Try again; if it persists, restart the PC.' },
  staffNameMissing: { zh: () => '请填写姓名（50 字以内）。', en: () => 'Enter the name (up to 50 characters).' },
  adminWorksAtEverywhere: {
    zh: () => '管理员的密码只发到他工作的设备：请勾选工作的柜台或食堂，或者都不勾（只在浏览器里管理）。',
    en: () => "An admin's PIN goes only to the devices where the admin works: tick them, or none (the admin works in the browser only).",
  },
  workPlaceInvalid: { zh: (p) => `「${p.place}」不是设备编号（如 K01）。`, en: (p) => `"${p.place}" is not a device code (such as K01).` },
  serviceNameMissing: { zh: () => '请填写服务名称（30 字以内）。', en: () => 'Enter the name of the service (up to 30 characters).' },
  serviceTimeInvalid: { zh: (p) => `时间不对：开始 ${p.start} 要早于结束 ${p.end}。`, en: (p) => `The times are wrong: the start ${p.start} must come before the end ${p.end}.` },
  categoryNotHeld: {
    zh: (p) => `这位居民不属于补贴类别「${p.category}」，不能按这个类别补贴。`,
    en: (p) => `This resident does not hold the subsidy category "${p.category}".`,
  },
  sittingUnknown: {
    zh: (p) => `没有找到餐次「${p.sitting}」，请先发布菜单。`,
    en: (p) => `No sitting "${p.sitting}": publish the menu first.`,
  },
  sittingNotToday: {
    zh: (p) => `这是 ${p.day} 的餐次，不是今天的，只能预订不能售票。`,
    en: (p) => `This sitting is on ${p.day}, not today: it can be booked, not sold.`,
  },
  sittingFull: {
    zh: (p) => `本餐次 ${p.capacity} 个名额已满。如厨房还能供应，请工作人员确认「超额售出」或先增加名额。`,
    en: (p) => `All ${p.capacity} places of this sitting are taken. If the kitchen can serve more, staff confirm "sell past capacity" or raise the places first.`,
  },
  mealNotOnMenu: {
    zh: (p) => `「${p.meal}」不在这个餐次的菜单上。`,
    en: (p) => `"${p.meal}" is not on this sitting's menu.`,
  },
  mealWithdrawn: {
    zh: (p) => `「${p.meal}」已停售，请选别的餐。`,
    en: (p) => `"${p.meal}" is off sale: choose another meal.`,
  },
  lastMealOnSale: {
    zh: (p) => `「${p.meal}」是这个餐次唯一在售的餐，不能停售：先添加或恢复另一种餐；不开餐请把名额设为已订的数目。`,
    en: (p) => `"${p.meal}" is the only meal on sale in this sitting and cannot be taken off: add or restore another first; to close the sitting, set its places to those taken.`,
  },
  nothingOnSale: {
    zh: () => '这个餐次的餐都已停售，没有可售的餐：请在「菜单与名额」恢复一种；不开餐请把名额设为已订的数目。',
    en: () => 'Every meal of this sitting is off sale: restore one under "Menu & places"; to close the sitting, set its places to those taken.',
  },
  bookingClosed: {
    zh: (p) => `预订已截止（截止时间 ${p.cutoff}），请当天到窗口购票。`,
    en: (p) => `Bookings closed at ${p.cutoff}: buy a ticket at the window on the day.`,
  },
  cancelClosed: {
    zh: (p) => `已过取消截止时间（${p.cutoff}），不能再取消。`,
    en: (p) => `Too late to cancel: cancellations closed at ${p.cutoff}.`,
  },
  alreadyBooked: {
    zh: () => '这位居民已经预订了这个餐次。',
    en: () => 'This resident has already booked this sitting.',
  },
  orderUnknown: {
    zh: () => '没有找到这条订餐记录。',
    en: () => 'This meal order cannot be found.',
  },
  secondSubsidisedMeal: {
    zh: () => '这位居民本餐次已经享受过一份补贴餐，第二份只能按原价出售。',
    en: () => 'This resident already had a subsidised meal in this sitting: a second one is sold at list price.',
  },
  duplicateTicketNumber: {
    zh: (p) => `取餐号 ${p.number} 在本餐次已经发出过，不能重复。`,
    en: (p) => `Ticket number ${p.number} was already handed out in this sitting.`,
  },
  tillCannotNumber: {
    zh: (p) => `这台设备（${p.device}）不能发取餐号，请在食堂售票机上操作。`,
    en: (p) => `This device (${p.device}) cannot issue ticket numbers: use a canteen till.`,
  },
  noTicketToCall: {
    zh: () => '没有等候叫号的取餐号。',
    en: () => 'No ticket is waiting to be called.',
  },
  ticketNumberUnknown: {
    zh: (p) => `本餐次没有 ${p.number} 号。`,
    en: (p) => `There is no number ${p.number} in this sitting.`,
  },
  ticketAlreadyServed: {
    zh: (p) => `${p.number} 号已经取过餐了。`,
    en: (p) => `Number ${p.number} has already collected the meal.`,
  },
  insufficientMealBalance: {
    zh: (p) => `饭卡余额不足：需要 ￥${p.needed}，余额 ￥${p.balance}。请改用现金或扫码支付，或先充值。`,
    en: (p) => `Not enough on the meal balance: ￥${p.needed} needed, ￥${p.balance} left. Pay cash or by QR code, or top up first.`,
  },
  noMealAccount: {
    zh: () => '这位居民还没有饭卡余额，请先充值。',
    en: () => 'This resident has no meal balance yet: top up first.',
  },
  invalidTopUp: {
    zh: () => '充值金额必须在 ￥0.01 到 ￥10000.00 之间。',
    en: () => 'A top-up must be between ￥0.01 and ￥10000.00.',
  },
  capacityInvalid: {
    zh: (p) => `名额必须是整数，且不少于已用的 ${p.used} 个。`,
    en: (p) => `Places must be a whole number, no fewer than the ${p.used} already taken.`,
  },
  invalidSitting: {
    zh: (p) => `餐次信息有误：${SITTING_FIELD_WORDS[p.detail]?.zh ?? `${p.detail}，请核对。`}`,
    en: (p) => `The sitting is not valid: ${SITTING_FIELD_WORDS[p.detail]?.en ?? `${p.detail}. Please check.`}`,
  },
  sittingExists: {
    zh: (p) => `${p.day} 的这个餐次已经发布过了。`,
    en: (p) => `This sitting of ${p.day} has been published already.`,
  },
  menuLineInvalid: {
    zh: (p) => `菜品「${p.meal}」有误：名称 1–40 个字，价格和成本在 ￥0.00 到 ￥10000.00 之间。`,
    en: (p) => `The meal "${p.meal}" is not valid: a name of 1–40 characters, price and cost between ￥0.00 and ￥10000.00.`,
  },
  menuMealTwice: {
    zh: (p) => `菜单上已经有「${p.meal}」了，同一餐次的菜品不能重名。`,
    en: (p) => `"${p.meal}" is on the menu already: meals of one sitting need different names.`,
  },
  menuUnchanged: {
    zh: () => '菜单没有改动。',
    en: () => 'The menu has not changed.',
  },
  paymentCodeInvalid: {
    zh: (p) => (p.field === 'code' ? '这不是收款码：应是微信（wxp://）或支付宝等（https://）收款二维码的内容。' : '请填写收款方名称（收款码上的名字，最多 30 字）。'),
    en: (p) => (p.field === 'code' ? 'This is not a payment code: it should be what a WeChat Pay (wxp://) or Alipay (https://) collection QR code says.' : 'Give the payee\'s name (the name on the payment code, at most 30 characters).'),
  },
  subsidyRuleInvalid: {
    zh: (p) => `补贴类别有误：${RULE_FIELD_WORDS[p.field]?.zh ?? p.field}`,
    en: (p) => `The subsidy category is not valid: ${RULE_FIELD_WORDS[p.field]?.en ?? p.field}`,
  },
  standingBookingInvalid: {
    zh: () => '请至少选择一天送餐。',
    en: () => 'Pick at least one weekday for delivery.',
  },
  notFlaggedForDelivery: {
    zh: () => '这位居民的档案没有标记「送餐上门」，请先经评估后在档案中标记。',
    en: () => 'This resident is not flagged for home delivery: flag them in their record after the assessment.',
  },
  alreadyDelivered: {
    zh: () => '这份餐已经确认送达了。',
    en: () => 'This meal has already been confirmed as delivered.',
  },
  eligibilityInvalid: {
    zh: (p) => `补贴资格信息有误（${p.detail}），请核对。`,
    en: (p) => `Something in the eligibility is not valid (${p.detail}). Please check.`,
  },
  walkInNoBalance: {
    zh: () => '未刷卡的散客不能用饭卡余额支付。',
    en: () => 'A walk-in without a card cannot pay from a meal balance.',
  },
  refusedCanteenMismatch: {
    zh: (p) => `食堂记录对不上（${p.detail}），服务器没有记入。`,
    en: (p) => `The canteen records do not match (${p.detail}); the server did not record it.`,
  },
};

/** A message ready to be shown: a key and its parameters. */
export type Message = { [K in MessageKey]: { key: K; params: MessageParams[K] } }[MessageKey];

/** Renders a message in the given language. */
export function formatMessage(message: Message, lang: Lang): string {
  const entry = catalogue[message.key] as Record<Lang, (p: Message['params']) => string>;
  return entry[lang](message.params);
}

/** Whether a key names a message this build knows. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(catalogue, key);
}

/**
 * Renders a message that came from elsewhere (the server's reason for a refusal): a key this build
 * does not know, or parameters that do not fit, still say something rather than nothing.
 */
export function formatLooseMessage(message: { key: string; params: Record<string, unknown> }, lang: Lang): string {
  if (isMessageKey(message.key)) {
    try {
      return formatMessage(message as Message, lang);
    } catch {
      // fall through to the plain rendering
    }
  }
  const detail = Object.values(message.params).map(String).join(' ');
  return lang === 'zh' ? `服务器没有记入（${message.key}${detail ? `：${detail}` : ''}）` : `Not recorded by the server (${message.key}${detail ? `: ${detail}` : ''})`;
}
