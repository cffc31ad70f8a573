import { z } from 'zod';
import { Id } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind } from '../events/kind.js';
import { Fen, mealAccountId, yuanText } from './rows.js';

/** A top-up of the meal balance, paid in cash or by the payment QR code. */
export const MealBalanceToppedUpV1 = z.object({
  kind: z.literal('mealBalanceToppedUp'),
  version: z.literal(1),
  payload: z.object({ accountId: Id, residentId: Id, amountFen: Fen.min(1), payment: z.enum(['cash', 'qr']) })
    .refine((p) => p.accountId === mealAccountId(p.residentId), 'the meal account of this resident'),
});

export const mealBalanceToppedUp = defineKind({
  versions: [MealBalanceToppedUpV1],
  refs: ({ payload: p }) => [{ table: 'accounts', id: p.accountId, is: 'existing' }, { table: 'residents', id: p.residentId, is: 'existing' }],
  roles: ['canteen'],
  profiles: ['canteen'],
  selfService: false,
  apply: (_view, { payload: p }) => ({ effects: [{ type: 'ledger', accountId: p.accountId, delta: p.amountFen, memo: `饭卡充值 ￥${yuanText(p.amountFen)}`, category: 'meal' }] }),
});

/** Decides a top-up: whole fen, from ￥0.01 to ￥10,000. */
export function decideTopUp(amountFen: number): Decision<number> {
  return Number.isInteger(amountFen) && amountFen >= 1 && amountFen <= 1_000_000 ? accept(amountFen) : refuse('invalidTopUp', {});
}
