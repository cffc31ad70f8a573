import { z } from 'zod';
import { Id } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind } from '../events/kind.js';
import { cutText, Text } from '../text/text.js';

/** Why points were awarded: the categories of the scoring rules (评分细则). */
export const EarningCategory = z.enum(['governance', 'civility', 'reuse', 'volunteering', 'other']);
export type EarningCategory = z.infer<typeof EarningCategory>;

/** Most points one award may give. */
export const MAX_AWARD = 100_000;

/** Points awarded to an account (积分奖励), by a rule category. */
export const PointsAwardedV1 = z.object({
  kind: z.literal('pointsAwarded'),
  version: z.literal(1),
  payload: z.object({
    accountId: Id,
    points: z.number().int().min(1).max(MAX_AWARD),
    category: EarningCategory,
    note: Text(200),
  }),
});

export const pointsAwarded = defineKind({
  versions: [PointsAwardedV1],
  refs: ({ payload: p }) => [{ table: 'accounts', id: p.accountId, is: 'existing' }],
  roles: ['clerk'],
  profiles: ['counter'],
  selfService: false,
  apply: (_view, { payload: p }) => ({ effects: [{ type: 'ledger', accountId: p.accountId, delta: p.points, memo: cutText(p.note, 60) }] }),
});

/** Decides an award of points: a whole number above zero. */
export function decideAward(points: number): Decision<number> {
  if (!Number.isInteger(points) || points <= 0 || points > MAX_AWARD) return refuse('invalidPoints', { points });
  return accept(points);
}
