import { z } from 'zod';
import { Id } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind } from '../events/kind.js';
import { Text } from '../text/text.js';
import { CategoryId, Day, type SubsidyRule } from './rows.js';

/**
 * A status category approved for a resident by staff (补贴资格审批: 低保, 特困, 失能), with the day it
 * was approved and the days it holds. The resident's record flag is only a hint; this is the
 * approval the till prices by and the monthly claim shows.
 */
export const EligibilityApprovedV1 = z.object({
  kind: z.literal('eligibilityApproved'),
  version: z.literal(1),
  payload: z.object({
    eligibilityId: Id,
    residentId: Id,
    category: CategoryId,
    approvedOn: Day,
    validFrom: Day,
    validUntil: Day.nullable(),
    note: Text(100),
  }).refine((p) => p.validUntil === null || p.validUntil >= p.validFrom, 'valid until before valid from'),
});
export type EligibilityApproval = z.infer<typeof EligibilityApprovedV1>['payload'];

export const eligibilityApproved = defineKind({
  versions: [EligibilityApprovedV1],
  refs: ({ payload: p }) => [
    { table: 'eligibility', id: p.eligibilityId, is: 'new' },
    { table: 'residents', id: p.residentId, is: 'existing' },
    { table: 'subsidyRules', id: p.category, is: 'existing' },
  ],
  roles: ['canteen'],
  profiles: ['canteen'],
  selfService: false,
  // An age band follows from the birth date: only a status is approved.
  check: ({ payload: p }, view) => (view.row('subsidyRules', p.category)!.basis === 'status' ? null : { key: 'refusedCanteenMismatch', params: { detail: `${p.category} is an age band` } }),
  apply: (_view, { payload: p }, ctx) => ({
    effects: [{
      type: 'record', table: 'eligibility', create: {
        id: p.eligibilityId, residentId: p.residentId, category: p.category, approvedBy: ctx.staffId ?? 'server', approvedOn: p.approvedOn,
        validFrom: p.validFrom, validUntil: p.validUntil, note: p.note,
      },
    }],
  }),
});

/**
 * Decides an approval on the kiosk: a status category (not an age band), valid from a real day,
 * until a day not before it (or open). `today` is the approval's day.
 */
export function decideEligibility(
  form: { residentId: string; category: SubsidyRule | undefined; validFrom: string; validUntil: string; note: string },
  eligibilityId: string, today: string,
): Decision<EligibilityApproval> {
  if (!form.category || form.category.basis !== 'status') return refuse('eligibilityInvalid', { detail: 'category' });
  const parsed = EligibilityApprovedV1.shape.payload.safeParse({
    eligibilityId, residentId: form.residentId, category: form.category.id, approvedOn: today, validFrom: form.validFrom || today,
    validUntil: form.validUntil.trim() || null, note: form.note.trim(),
  });
  if (!parsed.success) return refuse('eligibilityInvalid', { detail: parsed.error.issues[0]?.message ?? '' });
  return accept(parsed.data);
}
