import { z } from 'zod';

/**
 * The entities a centre keeps, as they travel between server and kiosk. Every row names its
 * centre; `changeSeq` is the server change sequence that last wrote it (see sync/contract.ts).
 */

/** Ids are short opaque strings made by the server or a device (UUIDv7 for events). */
export const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_:-]+$/);

/**
 * A resource's id, or an exception's subject (which may be one): longer than other ids, as a cap's
 * tally names its rule and account (`tally:<uuid>:<uuid>:2026-11-25` is 90 characters).
 */
export const ResourceId = z.string().min(1).max(120).regex(/^[A-Za-z0-9_:-]+$/);

/**
 * Bounds that agree end to end: what one event may move, what a level (a balance, a stock, places
 * used) may reach, what the server stores and what every pull can carry. The server refuses an
 * event that would take a level past its bound as invalid in itself, so a pull never meets a row
 * it cannot read (a balance of −5·10¹¹ once stopped every kiosk of a centre from pulling).
 */
export const LIMITS = {
  /** Most points one event may award, spend or compensate. */
  pointsPerEvent: 1_000_000,
  /** A balance stays within ± this. */
  balance: 1_000_000_000,
  /** A stock stays within ± this (the column is a 32-bit integer). */
  stock: 1_000_000_000,
  /** Places of a resource (a sitting, the nap room) stay within this. */
  places: 1_000_000,
} as const;

/** Points are whole numbers; a balance may go below zero only through an exception. */
export const Points = z.number().int().min(-LIMITS.balance).max(LIMITS.balance);

/** A community service centre (社区党群服务中心). */
export const Centre = z.object({
  id: Id,
  name: z.string().min(1).max(100),
  changeSeq: z.number().int().nonnegative(),
});
export type Centre = z.infer<typeof Centre>;

/** Who holds a points account: a resident, a partner shop (爱心商铺) or a team (志愿队). */
export const AccountHolderKind = z.enum(['resident', 'partnerShop', 'team']);
export type AccountHolderKind = z.infer<typeof AccountHolderKind>;

/** A points account (积分账户). `balance` always equals the sum of its ledger entries. */
export const PointsAccount = z.object({
  id: Id,
  centreId: Id,
  holderKind: AccountHolderKind,
  holderId: Id,
  balance: Points,
  changeSeq: z.number().int().nonnegative(),
});
export type PointsAccount = z.infer<typeof PointsAccount>;

/**
 * What a resident's record says of them that the canteen and staff need: 独居 lives alone, 失能
 * disabled, 低保 minimum-income support, 特困 special hardship, 送餐 meals delivered home.
 */
export const ResidentFlag = z.enum(['livesAlone', 'disabled', 'lowIncome', 'extremeHardship', 'homeDelivery']);
export type ResidentFlag = z.infer<typeof ResidentFlag>;

/** The age groups a centre's sheet may give instead of a birth date (年龄段): under 60, 60–69, 70–79, 80 and over. */
export const AGE_BANDS = ['under60', '60-69', '70-79', '80+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/**
 * A resident (居民) with the code printed on their resident card (居民卡). Staffed devices get the
 * full name and the phone's last four digits (to confirm who stands there); the full phone stays
 * on the server. Residents registered before schema 005 have no phone, address or birth date.
 */
export const Resident = z.object({
  id: Id,
  centreId: Id,
  name: z.string().min(1).max(50),
  cardCode: z.string().min(1).max(32),
  accountId: Id,
  isVolunteer: z.boolean(),
  phoneTail: z.string().regex(/^\d{4}$/).nullable(),
  building: z.string().max(20).nullable(),
  room: z.string().max(20).nullable(),
  /** YYYY-MM-DD */
  birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
  flags: z.array(ResidentFlag).max(10),
  /**
   * The ID number masked (110***********002X), from an import or an admin's edit: staffed
   * devices show it so staff can tell two residents of one name apart. Never the number itself.
   * The fields below are optional so rows written before schema 030 (and kiosk rows) still read.
   */
  idMasked: z.string().regex(/^[0-9X*]{18}$/).nullish(),
  /** A keyed hash (HMAC-SHA256, the key on the server only) of the ID number: kept on the server, never pulled. */
  idHash: z.string().regex(/^[0-9a-f]{64}$/).nullish(),
  /** A keyed hash of the full mobile number, for finding duplicates: kept on the server, never pulled. */
  phoneHash: z.string().regex(/^[0-9a-f]{64}$/).nullish(),
  /** The age group a centre's sheet gave when it had no birth date (年龄段). */
  ageBand: z.enum(AGE_BANDS).nullish(),
  /** The import that brought the resident in, when one did (an import is undone as a whole). */
  importId: z.string().min(1).max(64).nullish(),
  /** Removed by an admin (an import undone, a resident who moved away): the card no longer finds them; their ledger stays. */
  removed: z.boolean().nullish(),
  changeSeq: z.number().int().nonnegative(),
});
export type Resident = z.infer<typeof Resident>;

/** Goods in the points store (积分超市) with their point price (明码标分) and stock (库存). */
export const Goods = z.object({
  id: Id,
  centreId: Id,
  name: z.string().min(1).max(100),
  barcode: z.string().regex(/^\d{8}$|^\d{13}$/),
  pointPrice: z.number().int().nonnegative().max(LIMITS.pointsPerEvent),
  stock: z.number().int().min(-LIMITS.stock).max(LIMITS.stock),
  /** 日用品, 食品, 捐赠物品…: how the shelf and the reports group goods. */
  category: z.string().max(20),
  /** At or below this stock the goods are on the low-stock list. */
  lowStock: z.number().int().min(0).max(10_000),
  changeSeq: z.number().int().nonnegative(),
});
export type Goods = z.infer<typeof Goods>;

/**
 * A ledger entry (积分流水): one change of one account, written by one event. Never deleted.
 * `memo` says what it was for in the centre's words (抽纸×1, 清理楼道), fixed when it was written.
 */
export const LedgerEntry = z.object({
  id: z.string().min(1).max(80),
  centreId: Id,
  accountId: Id,
  eventId: Id,
  delta: Points,
  kind: z.string().min(1).max(40),
  memo: z.string().max(60),
  /** The earning category of an award (see `EarningCategory`), or what else moved points: `redemption`, `shop`, `correction`. */
  category: z.string().max(20).nullable(),
  at: z.string(),
  /** The reversal (冲正) that compensated this entry, once one did: an entry is reversed at most once. */
  reversedBy: Id.nullable(),
  /** The earning rule of an award by rule: its reversal gives back what the award took of the rule's caps. */
  ruleId: Id.nullable(),
  changeSeq: z.number().int().nonnegative(),
});
export type LedgerEntry = z.infer<typeof LedgerEntry>;

/**
 * A limited resource whose use is counted: the places of a meal sitting, the beds of the nap room,
 * the places of an activity. `used` may pass `capacity` only through an exception (overbooked).
 */
export const Resource = z.object({
  id: ResourceId,
  centreId: Id,
  capacity: z.number().int().min(0).max(LIMITS.places),
  used: z.number().int().min(-LIMITS.places).max(LIMITS.places),
  changeSeq: z.number().int().nonnegative(),
});
export type Resource = z.infer<typeof Resource>;

/** A business exception: a rule broken on the server's state, applied anyway and flagged for staff. */
export const RuleExceptionKind = z.enum(['overdraft', 'oversold', 'overbooked', 'capExceeded', 'clockSkew', 'staffRevoked', 'countMoved', 'donationValueMoved']);
export type RuleExceptionKind = z.infer<typeof RuleExceptionKind>;

/**
 * An exception as replicated to staffed devices: what broke, on which subject, by which event, and
 * the event that resolved it once staff did. What `subjectId` and `amount` mean per kind is in
 * `exceptions/exceptionKinds.ts`.
 */
export const RuleExceptionRow = z.object({
  id: z.string().min(1).max(80),
  centreId: Id,
  eventId: Id,
  kind: RuleExceptionKind,
  subjectId: ResourceId,
  amount: z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER),
  at: z.string(),
  resolvedBy: Id.nullable(),
  resolution: z.string().nullable(),
  changeSeq: z.number().int().nonnegative(),
});
export type RuleExceptionRow = z.infer<typeof RuleExceptionRow>;
