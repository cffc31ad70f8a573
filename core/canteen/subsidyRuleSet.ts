import { z } from 'zod';
import { ResidentFlag } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind } from '../events/kind.js';
import { RequiredText } from '../text/text.js';
import { CategoryId, Fen } from './rows.js';

/**
 * A subsidy category and its rule set by an admin (补贴标准): created, or changed from a day on.
 * Meals sold before keep the figures their events carry: a change of rule never reprices them.
 * An admin sets it on a canteen device (the canteen's 「补贴类别」 screen) or through the server.
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
  // Admin only: the centre's subsidy standard is what it claims from 民政, not the cook's to set.
  // An admin may set it on a canteen device, where the canteen's rules are kept.
  roles: [],
  profiles: ['canteen'],
  selfService: false,
  apply: (_view, { payload: p }) => ({
    effects: [p.isNew ? { type: 'record', table: 'subsidyRules', create: { ...p.rule } } : { type: 'record', table: 'subsidyRules', id: p.rule.id, patch: { ...p.rule } }],
  }),
});

/** A subsidy category as staff typed it (money already in fen). */
export type SubsidyRuleForm = z.input<typeof SubsidyRuleSetV1>['payload']['rule'];

/**
 * Decides a subsidy category staff set on the device: a new one with a key no category has, or a
 * change of one the centre has (its key kept). An age band needs its youngest age (and an oldest
 * not below it), a status its flags; amounts in fen within bounds; a cap per day not below the
 * subsidy per meal. Each refusal names the field at fault.
 */
export function decideSubsidyRule(form: SubsidyRuleForm, isNew: boolean, existingIds: readonly string[]): Decision<z.infer<typeof SubsidyRuleSetV1>['payload']> {
  if (isNew && existingIds.includes(form.id)) return refuse('subsidyRuleInvalid', { field: 'taken' });
  if (!isNew && !existingIds.includes(form.id)) return refuse('subsidyRuleInvalid', { field: 'id' });
  if (form.capPerDayFen < form.subsidyFen) return refuse('subsidyRuleInvalid', { field: 'cap' });
  const rule = form.basis === 'age' ? { ...form, flags: [] } : { ...form, minAge: null, maxAge: null };
  const parsed = SubsidyRuleSetV1.shape.payload.safeParse({ isNew, rule });
  if (parsed.success) return accept(parsed.data);
  const field = String(parsed.error.issues[0]?.path[1] ?? '');
  return refuse('subsidyRuleInvalid', {
    field: field === 'id' || field === 'name' || field === 'flags' ? field : field === 'minAge' || field === 'maxAge' ? 'ages' : field === '' ? (form.basis === 'age' ? 'ages' : 'flags') : 'money',
  });
}
