import { z } from 'zod';
import { Id, ResidentFlag } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind } from '../events/kind.js';
import { RequiredText, Text } from '../text/text.js';
import { parseCardCode } from './resident.js';

/** A mainland mobile number: 11 digits from 1. */
const Phone = z.string().regex(/^1[3-9]\d{9}$/);
/** A calendar date, YYYY-MM-DD. */
const DateOnly = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const CardCodeText = z.string().regex(/^LL\d{10}$/).refine((c) => parseCardCode(c).ok, 'card code check digit');

/**
 * A walk-in resident registered at the counter (居民登记), with a points account and a new card.
 * The full phone number travels to the server (for finding a resident and for duplicates); the
 * devices keep only its last four digits.
 */
export const ResidentRegisteredV1 = z.object({
  kind: z.literal('residentRegistered'),
  version: z.literal(1),
  payload: z.object({
    residentId: Id,
    accountId: Id,
    name: RequiredText(50),
    cardCode: CardCodeText,
    phone: Phone.nullable(),
    building: Text(20).nullable(),
    room: Text(20).nullable(),
    birthDate: DateOnly.nullable(),
    flags: z.array(ResidentFlag).max(10),
  }),
});
export type ResidentRegistration = z.infer<typeof ResidentRegisteredV1>['payload'];

export const residentRegistered = defineKind({
  versions: [ResidentRegisteredV1],
  refs: ({ payload: p }) => [
    { table: 'residents', id: p.residentId, is: 'new' },
    { table: 'accounts', id: p.accountId, is: 'new' },
    // One card, one person: a card code already given out in this centre is refused.
    { table: 'residents', field: 'cardCode', value: p.cardCode, is: 'new' },
  ],
  roles: ['clerk'],
  profiles: ['counter'],
  selfService: false,
  apply: (_view, { payload: p }) => ({
    effects: [
      { type: 'record', table: 'accounts', create: { id: p.accountId, holderKind: 'resident', holderId: p.residentId, balance: 0 } },
      {
        type: 'record', table: 'residents', create: {
          id: p.residentId, name: p.name, cardCode: p.cardCode, accountId: p.accountId, isVolunteer: false,
          phoneTail: p.phone ? p.phone.slice(-4) : null, building: p.building, room: p.room, birthDate: p.birthDate, flags: [...new Set(p.flags)],
        },
      },
    ],
  }),
});

/** What a clerk typed to register a resident. */
export type RegistrationForm = {
  name: string; phone: string; building: string; room: string; birthDate: string; flags: readonly ResidentFlag[];
};

/**
 * Decides a registration on the kiosk: a name, a mobile number of 11 digits (or none), a birth
 * date that is a real day in the past (or none). `ids` and `cardCode` are the new resident's,
 * made by the kiosk; `today` is YYYY-MM-DD in Shanghai.
 */
export function decideRegistration(form: RegistrationForm, ids: { residentId: string; accountId: string; cardCode: string }, today: string): Decision<ResidentRegistration> {
  const name = form.name.trim();
  if (name.length === 0 || name.length > 50) return refuse('registrationNameMissing', {});
  const phone = form.phone.replace(/[\s-]/g, '');
  if (phone !== '' && !Phone.safeParse(phone).success) return refuse('registrationPhoneInvalid', { phone: phone.slice(0, 20) });
  const birthDate = form.birthDate.trim();
  if (birthDate !== '' && (!DateOnly.safeParse(birthDate).success || !isRealDay(birthDate) || birthDate > today || birthDate < '1900-01-01')) {
    return refuse('registrationBirthDateInvalid', { date: birthDate.slice(0, 20) });
  }
  const parsed = ResidentRegisteredV1.shape.payload.safeParse({
    ...ids, name, phone: phone || null, building: form.building.trim() || null, room: form.room.trim() || null,
    birthDate: birthDate || null, flags: [...new Set(form.flags)],
  });
  if (!parsed.success) return refuse('registrationInvalid', { detail: parsed.error.issues[0]?.path.join('.') ?? '' });
  return accept(parsed.data);
}

function isRealDay(date: string): boolean {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}
