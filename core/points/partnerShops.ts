import { z } from 'zod';
import { Id, LIMITS } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind } from '../events/kind.js';
import { cutText, RequiredText, Text } from '../text/text.js';

/**
 * Partner shops (爱心商铺联盟): thirty shops near the centre offer goods and services for points,
 * earn points for service hours or times (an award to the shop's own account), and redeem at the
 * store themselves (a redemption by the shop's account). A resident's redemption at a shop moves
 * the points from the resident to the shop.
 */
export const PartnerShop = z.object({
  id: Id,
  centreId: Id,
  name: z.string().min(1).max(50),
  accountId: Id,
  /** What the shop offers for points, one line each (理发 50 分…). */
  offers: z.array(z.string().max(60)).max(20),
  active: z.boolean(),
  changeSeq: z.number().int().nonnegative(),
});
export type PartnerShop = z.infer<typeof PartnerShop>;

/**
 * A name printed whole because it is public: a partner shop's, on its sign. A receipt's holder is
 * a masked resident's name or this, never a plain string: only a shop's row makes one.
 */
export type PublicName = string & { readonly __public: unique symbol };

/** A partner shop's name as a receipt prints it (not masked: see `PublicName`). */
export function shopNameForPrint(shop: Pick<PartnerShop, 'name'>): PublicName {
  return shop.name as PublicName;
}

/** A partner shop joined (with its own points account) or changed, by the admin. */
export const PartnerShopSetV1 = z.object({
  kind: z.literal('partnerShopSet'),
  version: z.literal(1),
  payload: z.object({ shopId: Id, accountId: Id, name: RequiredText(50), offers: z.array(Text(60)).max(20), active: z.boolean() }),
});

export const partnerShopSet = defineKind({
  versions: [PartnerShopSetV1],
  refs: ({ payload: p }) => [{ table: 'partnerShops', id: p.shopId, is: 'any' }, { table: 'accounts', id: p.accountId, is: 'any' }],
  roles: [],
  profiles: ['counter'],
  selfService: false,
  check: ({ payload: p }, view) => {
    const shop = view.row('partnerShops', p.shopId);
    const account = view.row('accounts', p.accountId);
    // A new shop brings a new account; a known one keeps its own.
    if (shop ? shop.accountId !== p.accountId : account !== undefined) return { key: 'refusedIdTaken', params: { table: 'accounts', id: p.accountId } };
    return null;
  },
  apply: (view, { payload: { shopId, accountId, ...fields } }) => ({
    effects: view.row('partnerShops', shopId)
      ? [{ type: 'record', table: 'partnerShops', id: shopId, patch: fields }]
      : [
        { type: 'record', table: 'accounts', create: { id: accountId, holderKind: 'partnerShop', holderId: shopId, balance: 0 } },
        { type: 'record', table: 'partnerShops', create: { id: shopId, accountId, ...fields } },
      ],
  }),
});

/** A resident redeemed points at a partner shop: the points go from the resident to the shop. */
export const ShopRedemptionV1 = z.object({
  kind: z.literal('shopRedemption'),
  version: z.literal(1),
  payload: z.object({ residentId: Id, accountId: Id, shopId: Id, shopAccountId: Id, points: z.number().int().min(1).max(LIMITS.pointsPerEvent), offer: Text(60) }),
});

export const shopRedemption = defineKind({
  versions: [ShopRedemptionV1],
  refs: ({ payload: p }) => [
    { table: 'residents', id: p.residentId, is: 'existing' }, { table: 'accounts', id: p.accountId, is: 'existing' },
    { table: 'partnerShops', id: p.shopId, is: 'existing' }, { table: 'accounts', id: p.shopAccountId, is: 'existing' },
  ],
  roles: ['clerk'],
  profiles: ['counter'],
  selfService: false,
  check: ({ payload: p }, view) => (view.row('residents', p.residentId)!.accountId !== p.accountId || view.row('partnerShops', p.shopId)!.accountId !== p.shopAccountId
    ? { key: 'refusedAccountMismatch', params: { accountId: p.accountId, residentId: p.residentId } } : null),
  apply: (view, { payload: p }) => {
    const shop = view.row('partnerShops', p.shopId)?.name ?? p.shopId;
    return {
      effects: [
        { type: 'ledger', accountId: p.accountId, delta: -p.points, memo: cutText(`${shop} ${p.offer}`, 60), category: 'shop' },
        { type: 'ledger', accountId: p.shopAccountId, delta: p.points, memo: cutText(`居民兑换 ${p.offer}`, 60), category: 'shop' },
      ],
    };
  },
});

/** Decides a resident's redemption at a shop: whole points above zero, and enough of them. */
export function decideShopRedemption(balance: number, points: number): Decision<number> {
  if (!Number.isInteger(points) || points < 1 || points > LIMITS.pointsPerEvent) return refuse('invalidPoints', { points });
  if (points > balance) return refuse('insufficientPoints', { needed: points, balance: Math.max(0, balance) });
  return accept(points);
}
