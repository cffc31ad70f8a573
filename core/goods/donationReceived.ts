import { z } from 'zod';
import { Id, LIMITS } from '../entities.js';
import type { Effect } from '../effects/effects.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind, type Ref } from '../events/kind.js';
import { cutText, Text } from '../text/text.js';
import { GoodsAddedV1 } from './goodsCatalogue.js';

/**
 * Donations of old things (旧物捐赠换积分): children's books, toys, shoes, clothes are checked,
 * registered and converted into points for the donor, then go on the shelf as goods with a point
 * price for other residents (DOMAIN.md). A valuation rule proposes the donor's points per item by
 * category and condition; the clerk may go up or down by half of it, with a reason.
 *
 * Worked example: 3 儿童绘本 in good condition (5 each) and 1 玩具 fair (4) → proposed 19; the
 * clerk may award 10 to 28 (19 ± 9), and must say why when it is not 19.
 */
export const DONATION_CATEGORIES = ['books', 'toys', 'shoes', 'clothes', 'household', 'other'] as const;
export type DonationCategory = (typeof DONATION_CATEGORIES)[number];
export const DonationCondition = z.enum(['good', 'fair']);

/** Points per item, by category and condition: the centre's valuation rule. */
export const DONATION_VALUES: Record<DonationCategory, Record<z.infer<typeof DonationCondition>, number>> = {
  books: { good: 5, fair: 3 }, toys: { good: 6, fair: 4 }, shoes: { good: 8, fair: 5 },
  clothes: { good: 5, fair: 3 }, household: { good: 10, fair: 6 }, other: { good: 3, fair: 2 },
};

const Item = z.object({
  category: z.enum(DONATION_CATEGORIES),
  condition: DonationCondition,
  quantity: z.number().int().min(1).max(1_000),
  /** The goods it goes on the shelf as: goods that exist, or goods added with this donation. */
  goodsId: Id,
  newGoods: GoodsAddedV1.shape.payload.nullable(),
});

/** A donation (旧物捐赠) taken in: the items, the points decided, and why they differ from the proposal. */
export const DonationReceivedV1 = z.object({
  kind: z.literal('donationReceived'),
  version: z.literal(1),
  payload: z.object({
    donationId: Id,
    donorResidentId: Id,
    donorAccountId: Id,
    items: z.array(Item).min(1).max(50),
    proposedPoints: z.number().int().min(0).max(LIMITS.pointsPerEvent),
    points: z.number().int().min(0).max(LIMITS.pointsPerEvent),
    reason: Text(200),
  }),
});
type Donation = z.infer<typeof DonationReceivedV1>['payload'];

/** A donation as the centre keeps it. */
export const DonationRow = z.object({
  id: Id,
  centreId: Id,
  donorResidentId: Id,
  donorAccountId: Id,
  items: z.array(z.object({ category: z.enum(DONATION_CATEGORIES), condition: DonationCondition, quantity: z.number().int(), goodsId: Id })).max(50),
  points: z.number().int().min(0),
  proposedPoints: z.number().int().min(0),
  reason: z.string().max(200),
  at: z.string(),
  changeSeq: z.number().int().nonnegative(),
});
export type DonationRow = z.infer<typeof DonationRow>;

export const donationReceived = defineKind({
  versions: [DonationReceivedV1],
  refs: ({ payload: p }) => [
    { table: 'donations', id: p.donationId, is: 'new' },
    { table: 'residents', id: p.donorResidentId, is: 'existing' },
    { table: 'accounts', id: p.donorAccountId, is: 'existing' },
    ...p.items.flatMap((i): Ref[] => (i.newGoods
      ? [{ table: 'goods', id: i.goodsId, is: 'new' }, { table: 'goods', field: 'barcode', value: i.newGoods.barcode, is: 'new' }]
      : [{ table: 'goods', id: i.goodsId, is: 'existing' }])),
  ],
  roles: ['clerk'],
  profiles: ['counter'],
  selfService: false,
  check: ({ payload: p }, view) => {
    if (view.row('residents', p.donorResidentId)!.accountId !== p.donorAccountId) return { key: 'refusedAccountMismatch', params: { accountId: p.donorAccountId, residentId: p.donorResidentId } };
    const limits = pointsLimits(proposedPoints(p.items));
    if (p.proposedPoints !== proposedPoints(p.items) || p.points < limits.low || p.points > limits.high) return { key: 'refusedInvalidEvent', params: { detail: 'donation points' } };
    return null;
  },
  apply: (_view, { payload: p }, ctx) => ({
    effects: [
      ...p.items.flatMap((i): Effect[] => (i.newGoods ? [{ type: 'record', table: 'goods', create: { ...withoutId(i.newGoods), id: i.goodsId, stock: 0 } }] : [])),
      ...(p.points > 0 ? [{ type: 'ledger', accountId: p.donorAccountId, delta: p.points, memo: cutText(`旧物捐赠 ${p.items.reduce((n, i) => n + i.quantity, 0)}件`, 60), category: 'reuse' } as const] : []),
      ...p.items.map((i): Effect => ({ type: 'stock', goodsId: i.goodsId, delta: i.quantity })),
      {
        type: 'record', table: 'donations', create: {
          id: p.donationId, donorResidentId: p.donorResidentId, donorAccountId: p.donorAccountId,
          items: p.items.map((i) => ({ category: i.category, condition: i.condition, quantity: i.quantity, goodsId: i.goodsId })),
          points: p.points, proposedPoints: p.proposedPoints, reason: p.reason, at: new Date(ctx.at).toISOString(),
        },
      },
    ],
  }),
});

const withoutId = (goods: NonNullable<z.infer<typeof Item>['newGoods']>) => ({ name: goods.name, category: goods.category, pointPrice: goods.pointPrice, lowStock: goods.lowStock, barcode: goods.barcode });

/** The points the valuation rule proposes for items. */
export function proposedPoints(items: readonly { category: DonationCategory; condition: 'good' | 'fair'; quantity: number }[]): number {
  return items.reduce((sum, i) => sum + DONATION_VALUES[i.category][i.condition] * i.quantity, 0);
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
