import { z } from 'zod';
import { Id, LIMITS } from '../entities.js';
import type { Effect } from '../effects/effects.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind, type Ref } from '../events/kind.js';
import type { StateView } from '../effects/effects.js';
import { cutText, Text } from '../text/text.js';
import { GoodsAddedV1 } from './goodsCatalogue.js';

/**
 * Donations of old things (旧物捐赠换积分): children's books, toys, shoes, clothes are checked,
 * registered and converted into points for the donor, then go on the shelf as goods with a point
 * price for other residents (DOMAIN.md). The centre's valuation rule proposes the donor's points
 * per item by category and condition; the clerk may go up or down by half of it, with a reason.
 *
 * The admin sets the rule per category (`donationValueSet`); a category never set is worth
 * `DONATION_VALUES`. A donation carries the value each item was decided at (version 2), so a
 * change never rewrites a donation, and one taken offline at the old value keeps it.
 *
 * Worked example: 3 儿童绘本 in good condition (5 each) and 1 玩具 fair (4) → proposed 19; the
 * clerk may award 10 to 28 (19 ± 9), and must say why when it is not 19.
 */
export const DONATION_CATEGORIES = ['books', 'toys', 'shoes', 'clothes', 'household', 'other'] as const;
export type DonationCategory = (typeof DONATION_CATEGORIES)[number];
export const DonationCondition = z.enum(['good', 'fair']);
export type DonationCondition = z.infer<typeof DonationCondition>;

/** Points per item, by category and condition, of a category the centre has not set. */
export const DONATION_VALUES: Record<DonationCategory, Record<DonationCondition, number>> = {
  books: { good: 5, fair: 3 }, toys: { good: 6, fair: 4 }, shoes: { good: 8, fair: 5 },
  clothes: { good: 5, fair: 3 }, household: { good: 10, fair: 6 }, other: { good: 3, fair: 2 },
};

/** Most points one donated item may be worth. */
export const MAX_ITEM_VALUE = 1_000;
const ItemValue = z.number().int().min(0).max(MAX_ITEM_VALUE);

/** A category's valuation as the centre keeps it (id: the category). */
export const DonationValue = z.object({
  id: z.enum(DONATION_CATEGORIES),
  centreId: Id,
  good: ItemValue,
  fair: ItemValue,
  changeSeq: z.number().int().nonnegative(),
});
export type DonationValue = z.infer<typeof DonationValue>;

/** A category's valuation set by the admin. */
export const DonationValueSetV1 = z.object({
  kind: z.literal('donationValueSet'),
  version: z.literal(1),
  payload: z.object({ category: z.enum(DONATION_CATEGORIES), good: ItemValue, fair: ItemValue }),
});

export const donationValueSet = defineKind({
  versions: [DonationValueSetV1],
  refs: ({ payload: p }) => [{ table: 'donationValues', id: p.category, is: 'any' }],
  roles: [],
  profiles: ['counter'],
  selfService: false,
  check: ({ payload: { good, fair } }) => (fair > good ? { key: 'refusedInvalidEvent', params: { detail: 'donation value: fair above good' } } : null),
  apply: (view, { payload: { category, good, fair } }) => ({
    effects: [view.row('donationValues', category)
      ? { type: 'record', table: 'donationValues', id: category, patch: { good, fair } }
      : { type: 'record', table: 'donationValues', create: { id: category, good, fair } }],
  }),
});

/** The points an item of `category` in `condition` is worth on `view`: the centre's value, or the default. */
export function donationValueOf(view: StateView, category: DonationCategory, condition: DonationCondition): number {
  return view.row('donationValues', category)?.[condition] ?? DONATION_VALUES[category][condition];
}

/** The centre's whole valuation, from its rows: a category without one at the default values. */
export function donationValues(rows: readonly Pick<DonationValue, 'id' | 'good' | 'fair'>[]): Record<DonationCategory, Record<DonationCondition, number>> {
  const set = new Map(rows.map((r) => [r.id, r]));
  return Object.fromEntries(DONATION_CATEGORIES.map((c) => {
    const r = set.get(c);
    return [c, r ? { good: r.good, fair: r.fair } : DONATION_VALUES[c]];
  })) as Record<DonationCategory, Record<DonationCondition, number>>;
}

/** Decides a category's valuation: whole points from 0 to `MAX_ITEM_VALUE`, a fair item worth no more than a good one. */
export function decideDonationValue(category: DonationCategory, good: number, fair: number): Decision<z.infer<typeof DonationValueSetV1>['payload']> {
  for (const v of [good, fair]) if (!Number.isInteger(v) || v < 0 || v > MAX_ITEM_VALUE) return refuse('donationValueInvalid', { value: v, max: MAX_ITEM_VALUE });
  if (fair > good) return refuse('donationValueOrder', { good, fair });
  return accept({ category, good, fair });
}

const Item = z.object({
  category: z.enum(DONATION_CATEGORIES),
  condition: DonationCondition,
  quantity: z.number().int().min(1).max(1_000),
  /** The goods it goes on the shelf as: goods that exist, or goods added with this donation. */
  goodsId: Id,
  newGoods: GoodsAddedV1.shape.payload.nullable(),
});
/** Version 2's item: with the points each was worth when the donation was decided. */
const ItemV2 = Item.extend({ pointsEach: ItemValue });

const donationPayload = <I extends z.ZodType>(item: I) => z.object({
  donationId: Id,
  donorResidentId: Id,
  donorAccountId: Id,
  items: z.array(item).min(1).max(50),
  proposedPoints: z.number().int().min(0).max(LIMITS.pointsPerEvent),
  points: z.number().int().min(0).max(LIMITS.pointsPerEvent),
  reason: Text(200),
});

/** A donation (旧物捐赠) taken in: the items, the points decided, and why they differ from the proposal (items at the default values). */
export const DonationReceivedV1 = z.object({ kind: z.literal('donationReceived'), version: z.literal(1), payload: donationPayload(Item) });
/** The same, each item with the value it was decided at. */
export const DonationReceivedV2 = z.object({ kind: z.literal('donationReceived'), version: z.literal(2), payload: donationPayload(ItemV2) });
type Donation = z.infer<typeof DonationReceivedV2>['payload'];
/** What an item's points are proposed from: its kind, condition, how many, and what each is worth. */
type Valued = { category: DonationCategory; condition: DonationCondition; quantity: number; pointsEach: number };

/** A donation as the centre keeps it. */
export const DonationRow = z.object({
  id: Id,
  centreId: Id,
  donorResidentId: Id,
  donorAccountId: Id,
  items: z.array(z.object({ category: z.enum(DONATION_CATEGORIES), condition: DonationCondition, quantity: z.number().int(), goodsId: Id, pointsEach: z.number().int().optional() })).max(50),
  points: z.number().int().min(0),
  proposedPoints: z.number().int().min(0),
  reason: z.string().max(200),
  at: z.string(),
  changeSeq: z.number().int().nonnegative(),
});
export type DonationRow = z.infer<typeof DonationRow>;

/** A donation's items with their values: version 1's at the default values. */
const valued = (b: z.infer<typeof DonationReceivedV1> | z.infer<typeof DonationReceivedV2>): (Valued & { goodsId: string })[] =>
  b.version === 2 ? b.payload.items : b.payload.items.map((i) => ({ ...i, pointsEach: DONATION_VALUES[i.category][i.condition] }));

export const donationReceived = defineKind({
  versions: [DonationReceivedV1, DonationReceivedV2],
  refs: ({ payload: p }) => [
    { table: 'donations', id: p.donationId, is: 'new' },
    { table: 'residents', id: p.donorResidentId, is: 'existing' },
    { table: 'accounts', id: p.donorAccountId, is: 'existing' },
    // The centre's values of its categories, to flag a donation valued otherwise.
    ...[...new Set(p.items.map((i) => i.category))].map((c): Ref => ({ table: 'donationValues', id: c, is: 'any' })),
    ...p.items.flatMap((i): Ref[] => (i.newGoods
      ? [{ table: 'goods', id: i.goodsId, is: 'new' }, { table: 'goods', field: 'barcode', value: i.newGoods.barcode, is: 'new' }]
      : [{ table: 'goods', id: i.goodsId, is: 'existing' }])),
  ],
  roles: ['clerk'],
  profiles: ['counter'],
  selfService: false,
  check: (b, view) => {
    const p = b.payload;
    if (view.row('residents', p.donorResidentId)!.accountId !== p.donorAccountId) return { key: 'refusedAccountMismatch', params: { accountId: p.donorAccountId, residentId: p.donorResidentId } };
    const proposed = proposedPoints(valued(b));
    const limits = pointsLimits(proposed);
    if (p.proposedPoints !== proposed || p.points < limits.low || p.points > limits.high) return { key: 'refusedInvalidEvent', params: { detail: 'donation points' } };
    return null;
  },
  apply: (view, b, ctx) => {
    const p = b.payload;
    // Valued otherwise than the centre's values now: applied as decided, and flagged for staff.
    const moved = valued(b).reduce((sum, i) => sum + (i.pointsEach - donationValueOf(view, i.category, i.condition)) * i.quantity, 0);
    return {
      exceptions: moved === 0 ? [] : [{ kind: 'donationValueMoved', subjectId: p.donorAccountId, amount: moved }],
      effects: [
        ...p.items.flatMap((i): Effect[] => (i.newGoods ? [{ type: 'record', table: 'goods', create: { ...withoutId(i.newGoods), id: i.goodsId, stock: 0 } }] : [])),
        ...(p.points > 0 ? [{ type: 'ledger', accountId: p.donorAccountId, delta: p.points, memo: cutText(`旧物捐赠 ${p.items.reduce((n, i) => n + i.quantity, 0)}件`, 60), category: 'reuse' } as const] : []),
        ...p.items.map((i): Effect => ({ type: 'stock', goodsId: i.goodsId, delta: i.quantity })),
        {
          type: 'record', table: 'donations', create: {
            id: p.donationId, donorResidentId: p.donorResidentId, donorAccountId: p.donorAccountId,
            items: valued(b).map((i) => ({ category: i.category, condition: i.condition, quantity: i.quantity, goodsId: i.goodsId, pointsEach: i.pointsEach })),
            points: p.points, proposedPoints: p.proposedPoints, reason: p.reason, at: new Date(ctx.at).toISOString(),
          },
        },
      ],
    };
  },
});

const withoutId = (goods: NonNullable<z.infer<typeof Item>['newGoods']>) => ({ name: goods.name, category: goods.category, pointPrice: goods.pointPrice, lowStock: goods.lowStock, barcode: goods.barcode });

/** The points the valuation rule proposes for items, each at its value. */
export function proposedPoints(items: readonly Valued[]): number {
  return items.reduce((sum, i) => sum + i.pointsEach * i.quantity, 0);
}

/** How far the clerk may move the proposal: by half of it, up or down. */
export function pointsLimits(proposed: number): { low: number; high: number } {
  const room = Math.floor(proposed / 2);
  return { low: proposed - room, high: proposed + room };
}

/** Decides a donation: items, points within the limits, and a reason when they are not the proposal. */
export function decideDonation(ids: { donationId: string }, donor: { residentId: string; accountId: string }, items: Donation['items'], points: number, reason: string): Decision<Donation> {
  if (items.length === 0) return refuse('donationEmpty', {});
  for (const i of items) if (!Number.isInteger(i.quantity) || i.quantity < 1 || i.quantity > 1_000) return refuse('invalidQuantity', { quantity: i.quantity });
  const proposed = proposedPoints(items);
  const { low, high } = pointsLimits(proposed);
  if (!Number.isInteger(points) || points < low || points > high) return refuse('donationPointsOutOfBounds', { low, high });
  const why = reason.trim();
  if (points !== proposed && why.length === 0) return refuse('donationReasonMissing', { proposed });
  return accept({ donationId: ids.donationId, donorResidentId: donor.residentId, donorAccountId: donor.accountId, items: [...items], proposedPoints: proposed, points, reason: cutText(why, 200) });
}
