import { z } from 'zod';
import { Id } from '../entities.js';
import type { Effect, StateView } from '../effects/effects.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind } from '../events/kind.js';
import { cutText, Text } from '../text/text.js';
import { capTallies, EarningCategory, tallyId, type EarningRule } from './earningRules.js';

/** Most points one award may give. */
export const MAX_AWARD = 100_000;

/** Points awarded to an account (积分奖励), by a rule category (before earning rules existed). */
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

/**
 * Points awarded by an earning rule: so many acts or hours, at the points the kiosk decided from
 * the rule (carried, so a later change of the rule rewrites nothing). `day` is the business day
 * the caps count in. The rule's caps are tallies (resources) this award uses; two kiosks passing
 * a cap together offline are flagged `capExceeded` by the fold.
 */
export const PointsAwardedV2 = z.object({
  kind: z.literal('pointsAwarded'),
  version: z.literal(2),
  payload: z.object({
    accountId: Id,
    ruleId: Id,
    quantity: z.number().int().min(1).max(1_000),
    points: z.number().int().min(1).max(MAX_AWARD),
    category: EarningCategory,
    /** What the award was for, in the centre's words: the rule's name when it was given. */
    ruleName: Text(30),
    /** Caps when the award was decided (null: none). */
    capPerDay: z.number().int().min(1).nullable(),
    capPerMonth: z.number().int().min(1).nullable(),
    day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    note: Text(200),
  }),
});
type AwardV2 = z.infer<typeof PointsAwardedV2>['payload'];

/** The tallies an award by rule counts against. */
function tallies(p: Pick<AwardV2, 'ruleId' | 'accountId' | 'day' | 'capPerDay' | 'capPerMonth'>): { id: string; cap: number }[] {
  return capTallies(p.ruleId, p.accountId, p.day, p);
}

export const pointsAwarded = defineKind({
  versions: [PointsAwardedV1, PointsAwardedV2],
  refs: (b) => b.version === 1
    ? [{ table: 'accounts', id: b.payload.accountId, is: 'existing' }]
    : [
      { table: 'accounts', id: b.payload.accountId, is: 'existing' },
      { table: 'rules', id: b.payload.ruleId, is: 'existing' },
      ...tallies(b.payload).map((t) => ({ table: 'resources', id: t.id, is: 'any' }) as const),
    ],
  roles: ['clerk'],
  profiles: ['counter'],
  selfService: false,
  apply: (_view, b) => {
    const p = b.payload;
    if (b.version === 1) return { effects: [{ type: 'ledger', accountId: p.accountId, delta: p.points, memo: cutText(p.note, 60), category: p.category }] };
    const v2 = b.payload as AwardV2;
    return {
      effects: [
        { type: 'ledger', accountId: v2.accountId, delta: v2.points, memo: cutText(v2.quantity > 1 ? `${v2.ruleName}×${v2.quantity}` : v2.ruleName, 60), category: v2.category, ruleId: v2.ruleId },
        ...tallies(v2).map((t): Effect => ({ type: 'use', resourceId: t.id, amount: v2.points, create: { capacity: t.cap }, raises: 'capExceeded' })),
      ],
    };
  },
});

/** Decides an award of points without a rule: a whole number above zero. */
export function decideAward(points: number): Decision<number> {
  if (!Number.isInteger(points) || points <= 0 || points > MAX_AWARD) return refuse('invalidPoints', { points });
  return accept(points);
}

/**
 * Decides an award by rule on the kiosk: an active rule, a whole quantity, and room under its caps
 * this day and month (what `view` shows, pending awards included). Answers the payload.
 */
export function decideRuleAward(view: StateView, rule: EarningRule, accountId: string, quantity: number, day: string, note: string): Decision<AwardV2> {
  if (!rule.active) return refuse('ruleInactive', { name: rule.name });
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > 1_000) return refuse('invalidQuantity', { quantity });
  const points = rule.points * quantity;
  if (points > MAX_AWARD) return refuse('amountTooLarge', { amount: points, max: MAX_AWARD });
  const payload: AwardV2 = {
    accountId, ruleId: rule.id, quantity, points, category: rule.category, ruleName: rule.name,
    capPerDay: rule.capPerDay, capPerMonth: rule.capPerMonth, day, note: cutText(note.trim(), 200),
  };
  for (const t of tallies(payload)) {
    const used = view.row('resources', t.id)?.used ?? 0;
    if (used + points > t.cap) return refuse('capReached', { name: rule.name, cap: t.cap, used, period: t.id.endsWith(day) ? 'day' : 'month' });
  }
  return accept(payload);
}

/** The rows `decideRuleAward` reads: the caps' tallies for this account, rule and day. */
export function awardTallyIds(ruleId: string, accountId: string, day: string): string[] {
  return [tallyId(ruleId, accountId, day), tallyId(ruleId, accountId, day.slice(0, 7))];
}
