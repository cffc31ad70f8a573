import { z } from 'zod';
import { Id } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind } from '../events/kind.js';
import { MealKind, Weekday, type StandingBooking } from './rows.js';

/**
 * A standing booking for home delivery (送餐上门) set or changed: a resident flagged for delivery
 * gets a meal on given weekdays, taken by a volunteer; stopping it is the same kind, inactive.
 */
export const StandingBookingSetV1 = z.object({
  kind: z.literal('standingBookingSet'),
  version: z.literal(1),
  payload: z.object({
    standingId: Id,
    isNew: z.boolean(),
    residentId: Id,
    meal: MealKind,
    weekdays: z.array(Weekday).min(1).max(7),
    volunteerId: Id.nullable(),
    active: z.boolean(),
  }),
});
export type StandingBookingChange = z.infer<typeof StandingBookingSetV1>['payload'];

export const standingBookingSet = defineKind({
  versions: [StandingBookingSetV1],
  refs: ({ payload: p }) => [
    { table: 'standingBookings', id: p.standingId, is: p.isNew ? 'new' : 'existing' },
    { table: 'residents', id: p.residentId, is: 'existing' },
    ...(p.volunteerId !== null ? [{ table: 'residents', id: p.volunteerId, is: 'existing' } as const] : []),
  ],
  roles: ['canteen'],
  profiles: ['canteen'],
  selfService: false,
  apply: (_view, { payload: p }) => {
    const fields = { residentId: p.residentId, meal: p.meal, weekdays: [...new Set(p.weekdays)].sort(), volunteerId: p.volunteerId, active: p.active };
    return { effects: [p.isNew ? { type: 'record', table: 'standingBookings', create: { id: p.standingId, ...fields } } : { type: 'record', table: 'standingBookings', id: p.standingId, patch: fields }] };
  },
});

/**
 * Decides a standing booking: a resident flagged for delivery (assessed as needing it), at least
 * one weekday. `existing` is the resident's standing booking of that meal, when there is one.
 */
export function decideStandingBooking(
  resident: { id: string; flags: readonly string[] },
  form: { meal: z.infer<typeof MealKind>; weekdays: readonly number[]; volunteerId: string | null; active: boolean },
  existing: StandingBooking | undefined, newId: string,
): Decision<StandingBookingChange> {
  if (!resident.flags.includes('homeDelivery')) return refuse('notFlaggedForDelivery', {});
  const weekdays = [...new Set(form.weekdays)].filter((d) => Number.isInteger(d) && d >= 1 && d <= 7).sort();
  if (weekdays.length === 0) return refuse('standingBookingInvalid', {});
  return accept({
    standingId: existing?.id ?? newId, isNew: !existing, residentId: resident.id, meal: form.meal, weekdays, volunteerId: form.volunteerId, active: form.active,
  });
}
