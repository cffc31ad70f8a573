import {
  activityIdFor, decideRedemption, DONATION_VALUES, formatShanghai, makeCardCode, makeEan, makeStaffCardCode, pointsForMinutes, proposedPoints, serviceEntryId, uuidv7,
  type DonationCategory, type EarningCategory, type LinliEvent, type Goods, type PointsAccount, type Resident, type ResidentFlag,
} from '../../core/index.js';
import { DEMO_PHOTOS } from './photos.js';

/**
 * A demo centre of the size of the articles' 五洲观澜 community: 8,507 residents, about 1,200
 * volunteers, the goods of the points store with their point prices (a pack of tissues is 30
 * points) and a year of history as events of the centre's import device. Deterministic: the same
 * options give the same rows, so tests and benchmarks can count on them.
 */
export type DemoOptions = {
  centreId: string;
  centreName: string;
  residents: number;
  volunteers: number;
  /** Days of history before `until`. */
  days: number;
  until: Date;
  seed: number;
  importDeviceId: string;
};

export const WUZHOU_GUANLAN: Omit<DemoOptions, 'until' | 'importDeviceId'> = {
  centreId: 'wzgl', centreName: '五洲观澜社区党群服务中心', residents: 8_507, volunteers: 1_200, days: 365, seed: 20261125,
};

export type DemoCentre = {
  staff: { id: string; name: string; role: 'clerk' | 'admin'; cardCode: string; pin: string }[];
  accounts: Omit<PointsAccount, 'changeSeq'>[];
  residents: Omit<Resident, 'changeSeq'>[];
  goods: Omit<Goods, 'changeSeq'>[];
  /** The history, in order, as the import device's events from seq 1. */
  events: LinliEvent[];
};

/** The goods of the articles, with point prices: daily necessities up to a bicycle. */
export const DEMO_GOODS: readonly (readonly [string, number])[] = [
  ['抽纸（一提）', 30], ['纸杯（50只）', 20], ['垃圾桶', 60], ['洗洁精', 40], ['洗衣液', 80], ['香皂', 25],
  ['口罩（10只）', 15], ['牙膏', 35], ['毛巾', 30], ['雨伞', 90], ['保温杯', 120], ['食用油（5L）', 300],
  ['大米（5kg）', 260], ['拖把', 70], ['儿童绘本（捐赠）', 20], ['玩具（捐赠）', 25], ['童鞋（捐赠）', 40],
  ['衣物（捐赠）', 30], ['理发券', 50], ['自行车', 3000],
];

/** The demo centre's own valuation of donated items (the other categories at the defaults). */
export const DEMO_DONATION_VALUES: readonly (readonly [DonationCategory, number, number])[] = [['books', 6, 3], ['household', 12, 8]];

/**
 * The centre's earning rules, after the scoring rules of the articles (府西社区评分细则): name,
 * category, per act or hour, points, cap per day and per month.
 */
export const DEMO_RULES: readonly (readonly [string, EarningCategory, 'act' | 'hour', number, number | null, number | null])[] = [
  ['清理楼道', 'governance', 'act', 10, 20, 200],
  ['随手拍安全隐患', 'governance', 'act', 5, 15, null],
  ['环境整治', 'civility', 'act', 10, 30, null],
  ['文明劝导', 'civility', 'act', 5, 10, 100],
  ['垃圾分类', 'reuse', 'act', 5, 10, null],
  ['志愿服务', 'volunteering', 'hour', 10, 40, 400],
  ['上门探访', 'volunteering', 'hour', 15, null, null],
];

/** A few of the alliance's thirty partner shops (爱心商铺) and what they offer for points. */
export const DEMO_SHOPS: readonly (readonly [string, string[]])[] = [
  ['张记理发店', ['理发 50分', '洗头 20分']],
  ['邻家便民超市', ['米面粮油 九五折']],
  ['老王修车铺', ['自行车补胎 30分']],
];

const SURNAMES = Array.from('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤');
const GIVEN = Array.from('伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文海燕凤林荣辉鹏雪梅晓波宇春云飞琳宁颖欣怡浩然子轩梓涵诗');

/** mulberry32: a small seeded PRNG, so the demo is the same on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The demo staff's PINs (the admin's, and the two clerks'). */
export const DEMO_ADMIN_PIN = '135790';
export const DEMO_CLERK_PIN = '246810';
/** The demo admin's password for the admin app (at /admin), printed in the README: separate from the counter PIN. */
export const DEMO_ADMIN_PASSWORD = 'wzgl-admin-2026';

/** Builds the demo centre. */
export function generateDemoCentre(o: DemoOptions): DemoCentre {
  // The centre's id goes into the seed: two demo centres never share an event id.
  const rnd = prng(o.seed ^ Array.from(o.centreId).reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), 2166136261));
  const person = prng(o.seed ^ 0x5eed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const bytes = () => Uint8Array.from({ length: 16 }, () => Math.floor(rnd() * 256));

  const staff = [
    // Demo PINs, printed in the README: a real centre's staff set their own.
    { id: `${o.centreId}-s1`, name: '王秀英', role: 'admin' as const, cardCode: makeStaffCardCode(1), pin: DEMO_ADMIN_PIN },
    { id: `${o.centreId}-s2`, name: '李建国', role: 'clerk' as const, cardCode: makeStaffCardCode(2), pin: DEMO_CLERK_PIN },
    { id: `${o.centreId}-s3`, name: '陈丽', role: 'clerk' as const, cardCode: makeStaffCardCode(3), pin: DEMO_CLERK_PIN },
  ];
  const accounts: DemoCentre['accounts'] = [];
  const residents: DemoCentre['residents'] = [];
  for (let i = 0; i < o.residents; i++) {
    const id = `${o.centreId}-r${i + 1}`;
    const accountId = `${o.centreId}-a${i + 1}`;
    const name = pick(SURNAMES) + pick(GIVEN) + (rnd() < 0.7 ? pick(GIVEN) : '');
    accounts.push({ id: accountId, centreId: o.centreId, holderKind: 'resident', holderId: id, balance: 0 });
    // Half the community is over 60 (the articles): birth years 1930–2005, weighted old. From a
    // stream of its own, so the history (and every figure the tests know) stays as it was.
    const p = person;
    const born = 1930 + Math.floor(75 * p() ** 1.6);
    const birthDate = `${born}-${String(1 + Math.floor(p() * 12)).padStart(2, '0')}-${String(1 + Math.floor(p() * 28)).padStart(2, '0')}`;
    const old = born <= 1950;
    const flags: ResidentFlag[] = [
      ...(old && p() < 0.3 ? ['livesAlone' as const] : []), ...(old && p() < 0.12 ? ['disabled' as const] : []),
      ...(p() < 0.03 ? ['lowIncome' as const] : []), ...(old && p() < 0.05 ? ['homeDelivery' as const] : []),
    ];
    residents.push({
      id, centreId: o.centreId, name, cardCode: makeCardCode(i + 1, 1), accountId, isVolunteer: i < o.volunteers,
      phoneTail: String(Math.floor(p() * 10_000)).padStart(4, '0'), building: `${1 + Math.floor(p() * 24)}栋`,
      room: `${1 + Math.floor(p() * 3)}单元${1 + Math.floor(p() * 18)}0${1 + Math.floor(p() * 4)}`, birthDate, flags,
    });
  }
  const goods: DemoCentre['goods'] = DEMO_GOODS.map(([name, pointPrice], i) => ({
    id: `${o.centreId}-g${i + 1}`, centreId: o.centreId, name, pointPrice, stock: 0, lowStock: pointPrice >= 1000 ? 0 : 5,
    category: name.includes('捐赠') ? '捐赠物品' : name.includes('券') ? '服务券' : ['食用油（5L）', '大米（5kg）'].includes(name) ? '粮油' : pointPrice >= 1000 ? '大件' : '日用品',
    barcode: makeEan(`690${String(1000 + i).padStart(4, '0')}${String(i * 37 % 100000).padStart(5, '0')}`),
  }));

  const events: LinliEvent[] = [];
  const balances = new Map<string, number>();
  const stocks = new Map<string, number>();
  const start = o.until.getTime() - o.days * 86_400_000;
  const push = (dayStart: number, body: Omit<LinliEvent, 'id' | 'deviceId' | 'seq' | 'staffId' | 'at' | 'clockOffset' | 'basis'>) => {
    const at = dayStart + (9 * 60 + Math.floor(rnd() * 480)) * 60_000 - 8 * 3_600_000; // 09:00–17:00 Beijing
    events.push({ id: uuidv7(at, bytes()), deviceId: o.importDeviceId, seq: events.length + 1, staffId: pick(staff).id, at: new Date(at).toISOString(), clockOffset: 0, basis: 0, ...body } as LinliEvent);
  };
  const categories: EarningCategory[] = ['volunteering', 'governance', 'civility', 'reuse'];

  for (let day = 0; day < o.days; day++) {
    const dayStart = start + day * 86_400_000;
    if (day % 30 === 0) {
      for (const g of goods) {
        const quantity = g.pointPrice >= 1000 ? 1 : 20 + Math.floor(rnd() * 30);
        stocks.set(g.id, (stocks.get(g.id) ?? 0) + quantity);
        push(dayStart, { kind: 'stockReceived', version: 1, payload: { goodsId: g.id, quantity, source: g.name.includes('捐赠') ? 'donation' : 'purchase', note: '' } });
      }
    }
    // Volunteers serve about once a fortnight; other residents now and then.
    const awards = Math.round(o.volunteers / 14 + (o.residents - o.volunteers) / 365);
    for (let k = 0; k < awards; k++) {
      const r = rnd() < 0.85 && o.volunteers > 0 ? residents[Math.floor(rnd() * o.volunteers)]! : pick(residents);
      const category = r.isVolunteer ? 'volunteering' : pick(categories);
      const points = category === 'volunteering' ? 10 * (1 + Math.floor(rnd() * 4)) : 5 + Math.floor(rnd() * 3) * 5;
      balances.set(r.accountId, (balances.get(r.accountId) ?? 0) + points);
      push(dayStart, { kind: 'pointsAwarded', version: 1, payload: { accountId: r.accountId, points, category, note: '' } });
    }
    const redemptions = Math.round(awards / 3);
    for (let k = 0; k < redemptions; k++) {
      const r = pick(residents);
      const g = pick(goods);
      const view = { ...g, stock: stocks.get(g.id) ?? 0 };
      const decided = decideRedemption(balances.get(r.accountId) ?? 0, [{ goods: view, quantity: 1 }]);
      if (!decided.ok) continue;
      balances.set(r.accountId, (balances.get(r.accountId) ?? 0) - g.pointPrice);
      stocks.set(g.id, view.stock - 1);
      push(dayStart, { kind: 'goodsRedeemed', version: 1, payload: { accountId: r.accountId, residentId: r.id, lines: decided.value } });
    }
  }
  // Today: the centre's earning rules (评分细则) and partner shops, set by the admin. After the
  // history and from a stream of their own, so the history is what it always was.
  const admin = prng(o.seed ^ 0xad31);
  const now = o.until.getTime() - 3_600_000;
  const adminEvent = (body: NewEvent): string => {
    const id = uuidv7(now, Uint8Array.from({ length: 16 }, () => Math.floor(admin() * 256)));
    events.push({
      id, deviceId: o.importDeviceId, seq: events.length + 1,
      staffId: staff[0]!.id, at: new Date(now).toISOString(), clockOffset: 0, basis: 0, ...body,
    } as LinliEvent);
    return id;
  };
  for (const [i, [name, category, unit, points, capPerDay, capPerMonth]] of DEMO_RULES.entries()) {
    adminEvent({ kind: 'earningRuleSet', version: 1, payload: { ruleId: `${o.centreId}-rule${i + 1}`, name, category, unit, points, capPerDay, capPerMonth, active: true } });
  }
  for (const [i, [name, offers]] of DEMO_SHOPS.entries()) {
    adminEvent({ kind: 'partnerShopSet', version: 1, payload: { shopId: `${o.centreId}-shop${i + 1}`, accountId: `${o.centreId}-shopacct${i + 1}`, name, offers, active: true } });
  }
  pointsStoreToday(o, { residents, goods, balances, stocks, at: now, add: adminEvent });
  // Photos of some goods on the shelf (drawn tiles), after the day's work so its ids stay as they were.
  for (const [name, photo] of DEMO_PHOTOS) {
    const g = goods.find((x) => x.name === name);
    if (g) adminEvent({ kind: 'goodsPhotoSet', version: 1, payload: { goodsId: g.id, photo } });
  }
  // The centre values picture books and household things above the defaults; the donation above kept its values.
  for (const [category, good, fair] of DEMO_DONATION_VALUES) adminEvent({ kind: 'donationValueSet', version: 1, payload: { category, good, fair } });
  return { staff, accounts, residents, goods, events };
}

type NewEvent = Omit<LinliEvent, 'id' | 'deviceId' | 'seq' | 'staffId' | 'at' | 'clockOffset' | 'basis'>;

/**
 * What the points store did on the demo's last day, so `npm start` shows every part of it: awards
 * by rule (with a cap's tally), a reversal (冲正), a roster of volunteer hours certified and one
 * entry corrected, a donation taken in, a partner shop earning for its service, a resident paying
 * at the shop and the shop redeeming at the store, a stock count with its reason. Residents from
 * the ends of the lists (the last volunteers, the last residents), so the first residents' figures,
 * which tests and the README name, stay as they were.
 */
function pointsStoreToday(
  o: DemoOptions,
  d: { residents: DemoCentre['residents']; goods: DemoCentre['goods']; balances: Map<string, number>; stocks: Map<string, number>; at: number; add(body: NewEvent): string },
): void {
  const c = o.centreId;
  const day = formatShanghai(d.at).slice(0, 10);
  const volunteers = d.residents.slice(0, o.volunteers).slice(-6);
  const others = d.residents.slice(o.volunteers).slice(-4);
  if (volunteers.length < 6 || others.length < 4) return;
  const rule = (n: number) => `${c}-rule${n}`;
  const goodsNamed = (name: string) => d.goods.find((g) => g.name === name)!;
  const award = (accountId: string, n: number, quantity: number, note: string) => {
    const [name, category, , points, capPerDay, capPerMonth] = DEMO_RULES[n - 1]!;
    return d.add({ kind: 'pointsAwarded', version: 2, payload: { accountId, ruleId: rule(n), quantity, points: points * quantity, category, ruleName: name, capPerDay, capPerMonth, day, note } });
  };
  // 清理楼道 ×2 (the day's cap of 20 reached), 随手拍安全隐患 ×1, and one given by mistake, reversed.
  award(others[0]!.accountId, 1, 2, `${others[0]!.building ?? ''}楼道`);
  award(others[1]!.accountId, 2, 1, '消防通道堆物');
  const mistaken = award(others[2]!.accountId, 4, 1, '');
  d.add({ kind: 'entryReversed', version: 1, payload: { target: { kind: 'ledgerEntry', entryId: `${mistaken}:0` }, reason: '登记错了人' } });
  // 红色星期二 haircuts: five volunteers certified together, one corrected afterwards.
  const activity = '红色星期二 义务理发';
  const activityId = activityIdFor(day, activity);
  const roster = volunteers.slice(0, 5).map((r, i) => ({ residentId: r.id, accountId: r.accountId, minutes: 60 + 30 * (i % 3), points: pointsForMinutes(DEMO_RULES[5]![3], 60 + 30 * (i % 3)) }));
  const [, , , perHour, capPerDay, capPerMonth] = DEMO_RULES[5]!;
  d.add({ kind: 'serviceCertified', version: 1, payload: { activityId, activity, team: '文化健身队', day, ruleId: rule(6), pointsPerHour: perHour, capPerDay, capPerMonth, entries: roster } });
  d.add({ kind: 'serviceCorrected', version: 1, payload: { entryId: serviceEntryId(activityId, roster[0]!.residentId), minutes: 120, points: pointsForMinutes(perHour, 120), reason: '签退时间记错' } });
  // A donation: three picture books in good condition and a toy, on the shelf at once.
  const donor = others[3]!;
  const items = [
    { category: 'books' as const, condition: 'good' as const, quantity: 3, goodsId: goodsNamed('儿童绘本（捐赠）').id, newGoods: null, pointsEach: DONATION_VALUES.books.good },
    { category: 'toys' as const, condition: 'fair' as const, quantity: 1, goodsId: goodsNamed('玩具（捐赠）').id, newGoods: null, pointsEach: DONATION_VALUES.toys.fair },
  ];
  const proposed = proposedPoints(items);
  d.add({ kind: 'donationReceived', version: 2, payload: { donationId: `${c}-donation1`, donorResidentId: donor.id, donorAccountId: donor.accountId, items, proposedPoints: proposed, points: proposed, reason: '' } });
  // The barber's shop earns for four hours at the centre (40, the day's cap), a volunteer pays a haircut there, and
  // the shop takes a pack of tissues at the store with its points.
  award(`${c}-shopacct1`, 6, 4, '社区义剪');
  const payer = volunteers[5]!;
  if ((d.balances.get(payer.accountId) ?? 0) >= 50) {
    d.add({ kind: 'shopRedemption', version: 1, payload: { residentId: payer.id, accountId: payer.accountId, shopId: `${c}-shop1`, shopAccountId: `${c}-shopacct1`, points: 50, offer: '理发' } });
  }
  const tissues = goodsNamed('抽纸（一提）');
  if ((d.stocks.get(tissues.id) ?? 0) >= 2) {
    d.add({ kind: 'goodsRedeemed', version: 2, payload: { accountId: `${c}-shopacct1`, holder: { kind: 'partnerShop', id: `${c}-shop1` }, lines: [{ goodsId: tissues.id, quantity: 1, pointPrice: tissues.pointPrice }] } });
    const counted = (d.stocks.get(tissues.id) ?? 0) - 2;
    d.add({ kind: 'stockCounted', version: 1, payload: { goodsId: tissues.id, counted, expected: counted + 1, reason: '受潮报损1提' } });
  }
  // The month's shelf count (盘点单): three goods at once, the toothpaste one short (one tube past its date).
  const shelf = ['口罩（10只）', '香皂', '牙膏'].map((name) => goodsNamed(name));
  d.add({
    kind: 'stockCounted', version: 2, payload: {
      lines: shelf.map((g) => {
        const expected = d.stocks.get(g.id) ?? 0;
        const short = g.name === '牙膏' && expected >= 10;
        return { goodsId: g.id, counted: short ? expected - 1 : expected, expected, reason: short ? '过期1支' : '' };
      }),
    },
  });
}
