import { z } from 'zod';
import { Id } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind } from '../events/kind.js';
import { RequiredText } from '../text/text.js';

/** Why points were awarded: the categories of the scoring rules (评分细则). */
export const EarningCategory = z.enum(['governance', 'civility', 'reuse', 'volunteering', 'other']);
export type EarningCategory = z.infer<typeof EarningCategory>;

/**
 * Earning rules (评分细则): what an act or an hour of it is worth, in a category, with caps per day
 * or per month where the centre sets them (府西社区's rules: 清理楼道 10 分/次, 志愿服务 10 分/小时…).
 * The admin edits them; an award carries the points it was decided at, so a change never rewrites
 * past entries.
 */
export const EarningRule = z.object({
  id: Id,
  centreId: Id,
  name: z.string().min(1).max(30),
  category: EarningCategory,
  /** Points per act, or per hour of service. */
  unit: z.enum(['act', 'hour']),
  points: z.number().int().min(1).max(10_000),
  capPerDay: z.number().int().min(1).max(100_000).nullable(),
  capPerMonth: z.number().int().min(1).max(1_000_000).nullable(),
  active: z.boolean(),
  changeSeq: z.number().int().nonnegative(),
});
export type EarningRule = z.infer<typeof EarningRule>;

const RuleFields = z.object({
  ruleId: Id,
  name: RequiredText(30),
  category: EarningCategory,
  unit: z.enum(['act', 'hour']),
  points: z.number().int().min(1).max(10_000),
  capPerDay: z.number().int().min(1).max(100_000).nullable(),
  capPerMonth: z.number().int().min(1).max(1_000_000).nullable(),
  active: z.boolean(),
});

/** An earning rule made or changed by the admin (a rule is never deleted: it is made inactive). */
export const EarningRuleSetV1 = z.object({ kind: z.literal('earningRuleSet'), version: z.literal(1), payload: RuleFields });

export const earningRuleSet = defineKind({
  versions: [EarningRuleSetV1],
  refs: ({ payload: p }) => [{ table: 'rules', id: p.ruleId, is: 'any' }],
  roles: [],
  profiles: ['counter'],
  selfService: false,
  apply: (view, { payload: { ruleId, ...fields } }) => ({
    effects: [view.row('rules', ruleId)
      ? { type: 'record', table: 'rules', id: ruleId, patch: fields }
      : { type: 'record', table: 'rules', create: { id: ruleId, ...fields } }],
  }),
});

/** What an admin typed for a rule. */
export type RuleForm = { name: string; category: EarningCategory; unit: 'act' | 'hour'; points: number; capPerDay: number | null; capPerMonth: number | null; active: boolean };

/** Decides a rule: a name, whole points above zero, caps (when set) at least one act's worth and the month's at least the day's. */
export function decideRule(ruleId: string, form: RuleForm): Decision<z.infer<typeof RuleFields>> {
  const name = form.name.trim();
  if (name.length === 0 || name.length > 30) return refuse('ruleNameMissing', {});
  if (!Number.isInteger(form.points) || form.points < 1 || form.points > 10_000) return refuse('rulePointsInvalid', { points: form.points });
  for (const cap of [form.capPerDay, form.capPerMonth]) {
    if (cap !== null && (!Number.isInteger(cap) || cap < form.points || cap > 1_000_000)) return refuse('ruleCapInvalid', { cap, points: form.points });
  }
  if (form.capPerDay !== null && form.capPerMonth !== null && form.capPerMonth < form.capPerDay) return refuse('ruleCapInvalid', { cap: form.capPerMonth, points: form.capPerDay });
  return accept({ ruleId, ...form, name });
}

/** The tally of a resident's points under a rule in a day (YYYY-MM-DD) or a month (YYYY-MM): a resource whose capacity is the cap. */
export function tallyId(ruleId: string, accountId: string, period: string): string {
  return `tally:${ruleId}:${accountId}:${period}`;
}

/**
 * The tallies a rule's caps count an account's points against, on `day` and its month, with each
 * cap that is set (an award by rule and a certification of hours share them).
 */
export function capTallies(ruleId: string, accountId: string, day: string, caps: { capPerDay?: number | null; capPerMonth?: number | null }): { id: string; cap: number }[] {
  return [
    ...(typeof caps.capPerDay === 'number' ? [{ id: tallyId(ruleId, accountId, day), cap: caps.capPerDay }] : []),
    ...(typeof caps.capPerMonth === 'number' ? [{ id: tallyId(ruleId, accountId, day.slice(0, 7)), cap: caps.capPerMonth }] : []),
  ];
}
