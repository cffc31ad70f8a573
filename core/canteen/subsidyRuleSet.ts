import { z } from 'zod';
import { ResidentFlag } from '../entities.js';
import { defineKind } from '../events/kind.js';
import { RequiredText } from '../text/text.js';
import { CategoryId, Fen } from './rows.js';

/**
 * A subsidy category and its rule set by an admin (补贴标准): created, or changed from a day on.
 * Meals sold before keep the figures their events carry: a change of rule never reprices them.
 */
export const SubsidyRuleSetV1 = z.object({
  kind: z.literal('subsidyRuleSet'),
  version: z.literal(1),
  payload: z.object({
    /** Whether the category is new, or a change of one the centre has. */
    isNew: z.boolean(),
    rule: z.object({
      id: CategoryId,
      name: RequiredText(30),
      basis: z.enum(['age', 'status']),
      minAge: z.number().int().min(0).max(150).nullable(),
      maxAge: z.number().int().min(0).max(150).nullable(),
      flags: z.array(ResidentFlag).max(5),
      subsidyFen: Fen,
      capPerDayFen: Fen,
      minBillFen: Fen.nullable(),
      deliverySubsidyFen: Fen,
      active: z.boolean(),
    }).refine((r) => (r.basis === 'age' ? r.minAge !== null && (r.maxAge === null || r.maxAge >= r.minAge) : r.flags.length > 0), 'an age band needs its ages, a status its flags'),
  }),
});

export const subsidyRuleSet = defineKind({
  versions: [SubsidyRuleSetV1],
  refs: ({ payload: p }) => [{ table: 'subsidyRules', id: p.rule.id, is: p.isNew ? 'new' : 'existing' }],
  // Admin only: the centre's subsidy standard is not set at the till.
  roles: [],
  profiles: [],
  selfService: false,
  apply: (_view, { payload: p }) => ({
    effects: [p.isNew ? { type: 'record', table: 'subsidyRules', create: { ...p.rule } } : { type: 'record', table: 'subsidyRules', id: p.rule.id, patch: { ...p.rule } }],
  }),
});
