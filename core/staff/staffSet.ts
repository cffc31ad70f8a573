import { z } from 'zod';
import { Id } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind } from '../events/kind.js';
import { RequiredText } from '../text/text.js';
import { makeStaffCardCode, PinHash, StaffRole, WorkPlace, type StaffMember } from './staff.js';

/**
 * A staff member added or changed by an admin (工作人员): name, role, card, PIN hash, whether the
 * card works, and where the member works. The event carries the whole member as it is after the
 * change (like an earning rule), so a kiosk pulling the row after any number of changes sees the
 * last one. The PIN hash is made on the server (the PIN itself never travels in an event); the
 * admin password is not here at all: it stays in a server-only table.
 *
 * Done only through the centre's server device (the admin app): no kiosk profile may push it.
 */
export const StaffSetV1 = z.object({
  kind: z.literal('staffSet'),
  version: z.literal(1),
  payload: z.object({
    staffId: Id,
    name: RequiredText(50),
    role: StaffRole,
    cardCode: z.string().regex(/^LS\d{5}$/),
    pin: PinHash.nullable(),
    active: z.boolean(),
    worksAt: z.array(WorkPlace).max(50).nullable(),
  }),
});
/** What a staffSet event says of the member. */
export type StaffSetting = z.infer<typeof StaffSetV1>['payload'];

export const staffSet = defineKind({
  versions: [StaffSetV1],
  refs: ({ payload: p }) => [
    { table: 'staff', id: p.staffId, is: 'any' },
    { table: 'staff', field: 'cardCode', value: p.cardCode, is: 'any' },
  ],
  roles: [],
  profiles: [],
  selfService: false,
  check: ({ payload: p }, view) => {
    const holder = view.rowWhere('staff', 'cardCode', p.cardCode);
    // One card, one member: a card code already on another member of the centre is refused.
    if (holder && holder.id !== p.staffId) return { key: 'refusedIdTaken', params: { table: 'staff', id: p.cardCode } };
    // An admin's PIN opens every screen: it goes only where the admin works, never everywhere.
    if (p.role === 'admin' && p.worksAt === null) return { key: 'refusedInvalidEvent', params: { detail: 'worksAt: an admin works at listed devices' } };
    return null;
  },
  apply: (view, { payload: { staffId, ...fields } }) => ({
    effects: [view.row('staff', staffId)
      ? { type: 'record', table: 'staff', id: staffId, patch: fields }
      : { type: 'record', table: 'staff', create: { id: staffId, ...fields } }],
  }),
});

/** What an admin typed for a staff member. `pin` is the new PIN's hash when one was set, `undefined` to keep it. */
export type StaffForm = { name: string; role: StaffRole; active: boolean; worksAt: readonly WorkPlace[] | null; pin?: PinHash | null };

/**
 * Decides a staff member's new state: a name, a role, and where they work (an admin at listed
 * devices only: an empty list is an admin who works in the browser only). A new member gets the
 * next card of the centre (`cardSerial`); a change keeps the card and, unless a new PIN is given,
 * the PIN.
 */
export function decideStaff(existing: StaffMember | undefined, ids: { staffId: string; cardSerial: number }, form: StaffForm): Decision<StaffSetting> {
  const name = form.name.trim();
  if (name.length === 0 || name.length > 50) return refuse('staffNameMissing', {});
  const worksAt = form.worksAt === null ? null : [...new Set(form.worksAt)];
  if (form.role === 'admin' && worksAt === null) return refuse('adminWorksAtEverywhere', {});
  if (worksAt && !worksAt.every((w) => WorkPlace.safeParse(w).success)) return refuse('workPlaceInvalid', { place: worksAt.find((w) => !WorkPlace.safeParse(w).success)!.slice(0, 10) });
  return accept({
    staffId: existing?.id ?? ids.staffId,
    name,
    role: form.role,
    cardCode: existing?.cardCode ?? makeStaffCardCode(ids.cardSerial),
    pin: form.pin === undefined ? (existing?.pin ?? null) : form.pin,
    active: form.active,
    worksAt,
  });
}
