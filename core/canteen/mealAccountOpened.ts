import { z } from 'zod';
import { Id } from '../entities.js';
import { defineKind } from '../events/kind.js';
import { mealAccountId } from './rows.js';

/**
 * A resident's prepaid meal balance (饭卡余额), in fen: an account of its own beside the points
 * account, opened once and topped up at the till. Two tills opening the same account offline
 * name the same id: the second opening is refused as there already, and both top-ups count.
 */
export const MealAccountOpenedV1 = z.object({
  kind: z.literal('mealAccountOpened'),
  version: z.literal(1),
  payload: z.object({ accountId: Id, residentId: Id }).refine((p) => p.accountId === mealAccountId(p.residentId), 'the meal account of this resident'),
});

export const mealAccountOpened = defineKind({
  versions: [MealAccountOpenedV1],
  refs: ({ payload: p }) => [{ table: 'accounts', id: p.accountId, is: 'new' }, { table: 'residents', id: p.residentId, is: 'existing' }],
  roles: ['canteen'],
  profiles: ['canteen'],
  selfService: false,
  apply: (_view, { payload: p }) => ({ effects: [{ type: 'record', table: 'accounts', create: { id: p.accountId, holderKind: 'resident', holderId: p.residentId, balance: 0 } }] }),
});

