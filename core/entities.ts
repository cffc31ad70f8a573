import { z } from 'zod';

/**
 * The entities a centre keeps, as they travel between server and kiosk. Every row names its
 * centre; `changeSeq` is the server change sequence that last wrote it (see sync/contract.ts).
 */

/** Ids are short opaque strings made by the server or a device (UUIDv7 for events). */
export const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_:-]+$/);

/** Points are whole numbers; a balance may go below zero only through an exception. */
export const Points = z.number().int().min(-1_000_000_000).max(1_000_000_000);

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

/** A resident (居民) with the code printed on their resident card (居民卡). */
export const Resident = z.object({
  id: Id,
  centreId: Id,
  name: z.string().min(1).max(50),
  cardCode: z.string().min(1).max(32),
  accountId: Id,
  isVolunteer: z.boolean(),
  changeSeq: z.number().int().nonnegative(),
});
export type Resident = z.infer<typeof Resident>;

/** Goods in the points store (积分超市) with their point price (明码标分) and stock (库存). */
export const Goods = z.object({
  id: Id,
  centreId: Id,
  name: z.string().min(1).max(100),
  barcode: z.string().regex(/^\d{8}$|^\d{13}$/),
  pointPrice: z.number().int().nonnegative().max(1_000_000),
  stock: z.number().int().min(-1_000_000).max(1_000_000),
  changeSeq: z.number().int().nonnegative(),
});
export type Goods = z.infer<typeof Goods>;

/** A ledger entry (积分流水): one change of one account, written by one event. Never deleted. */
export const LedgerEntry = z.object({
  id: z.string().min(1).max(80),
  centreId: Id,
  accountId: Id,
  eventId: Id,
  delta: Points,
  kind: z.string().min(1).max(40),
  at: z.string(),
  changeSeq: z.number().int().nonnegative(),
});
export type LedgerEntry = z.infer<typeof LedgerEntry>;

/** A business exception: a rule broken on the server's state, applied anyway and flagged for staff. */
export const RuleExceptionKind = z.enum(['overdraft', 'oversold', 'clockSkew', 'staffRevoked']);
export type RuleExceptionKind = z.infer<typeof RuleExceptionKind>;

/**
 * An exception as replicated to staffed devices: what broke (`amount` is the balance or stock it
 * left, for `clockSkew` the minutes the corrected time was off, for `staffRevoked` 0), on which
 * subject (account,
 * goods or device), by which event, and the event that resolved it once staff did.
 */
export const RuleExceptionRow = z.object({
  id: z.string().min(1).max(80),
  centreId: Id,
  eventId: Id,
  kind: RuleExceptionKind,
  subjectId: Id,
  amount: z.number().int(),
  at: z.string(),
  resolvedBy: Id.nullable(),
  resolution: z.string().nullable(),
  changeSeq: z.number().int().nonnegative(),
});
export type RuleExceptionRow = z.infer<typeof RuleExceptionRow>;
