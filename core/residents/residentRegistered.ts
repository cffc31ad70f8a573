import { z } from 'zod';
import { Id, ResidentFlag } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind } from '../events/kind.js';
import { RequiredText, Text } from '../text/text.js';
import { parseIdNumber } from './idNumber.js';
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

/**
 * An ID number as the centre keeps it (PIPL, DESIGN.md): the masked form, and a keyed hash that
 * the server makes with a key of its own (HMAC-SHA256, base64url) and answers the kiosk online.
 * The full number is never written on a device: not in the event, not in the outbox.
 */
export const KeptIdNumber = z.object({
  masked: z.string().regex(/^\d{3}\*{11}[\dX]{4}$/),
  /** The server's keyed hash of the number (HMAC-SHA256 in hex, the key on the server only: server/imports/idKey.ts). */
  key: z.string().regex(/^[0-9a-f]{64}$/),
});
export type KeptIdNumber = z.infer<typeof KeptIdNumber>;

/**
 * A resident registered with the ID number kept (masked and keyed) when one was given. One ID
 * number, one resident: the key names a resource of the centre that the registration creates, so
 * a second registration of the same number (two kiosks at once) is refused by the server.
 */
export const ResidentRegisteredV2 = z.object({
  kind: z.literal('residentRegistered'),
  version: z.literal(2),
  payload: ResidentRegisteredV1.shape.payload.extend({ idNumber: KeptIdNumber.nullable() }),
});
export type ResidentRegistration = z.infer<typeof ResidentRegisteredV2>['payload'];

/** The resource an ID number holds in its centre: one number, one resident. */
export const idNumberResourceId = (key: string) => `idNumber:${key.slice(0, 40)}`;

const keptOf = (b: z.infer<typeof ResidentRegisteredV1> | z.infer<typeof ResidentRegisteredV2>): KeptIdNumber | null => (b.version === 2 ? b.payload.idNumber : null);

export const residentRegistered = defineKind({
  versions: [ResidentRegisteredV1, ResidentRegisteredV2],
  refs: (b) => {
    const kept = keptOf(b);
    return [
      { table: 'residents', id: b.payload.residentId, is: 'new' },
      { table: 'accounts', id: b.payload.accountId, is: 'new' },
      // One card, one person: a card code already given out in this centre is refused.
      { table: 'residents', field: 'cardCode', value: b.payload.cardCode, is: 'new' },
      // One ID number, one person.
      ...(kept ? [{ table: 'resources', id: idNumberResourceId(kept.key), is: 'new' } as const] : []),
    ];
  },
  roles: ['clerk'],
  profiles: ['counter'],
  selfService: false,
  apply: (_view, b) => {
    const p = b.payload;
    const kept = keptOf(b);
    return {
      effects: [
        { type: 'record', table: 'accounts', create: { id: p.accountId, holderKind: 'resident', holderId: p.residentId, balance: 0 } },
        {
          type: 'record', table: 'residents', create: {
            id: p.residentId, name: p.name, cardCode: p.cardCode, accountId: p.accountId, isVolunteer: false,
            phoneTail: p.phone ? p.phone.slice(-4) : null, building: p.building, room: p.room, birthDate: p.birthDate, flags: [...new Set(p.flags)],
            idMasked: kept?.masked ?? null, idHash: kept?.key ?? null,
          },
        },
        ...(kept ? [{ type: 'record', table: 'resources', create: { id: idNumberResourceId(kept.key), capacity: 1, used: 1 } } as const] : []),
      ],
    };
  },
});

/** What a clerk typed to register a resident. `idNumber` is optional (empty or absent: none). */
export type RegistrationForm = {
  name: string; phone: string; building: string; room: string; birthDate: string; flags: readonly ResidentFlag[]; idNumber?: string;
};

/**
 * Decides a registration on the kiosk: a name, a mobile number of 11 digits (or none), an ID
 * number that passes GB 11643 (or none), a birth date that is a real day in the past and agrees
 * with the ID number (or none: the ID number's is taken). `ids` and `cardCode` are the new
 * resident's, made by the kiosk; `today` is YYYY-MM-DD in Shanghai. An ID number needs `kept`, the
 * server's masked form and key for it (`idNumberNeedsServer` until the kiosk has asked).
 */
export function decideRegistration(
  form: RegistrationForm, ids: { residentId: string; accountId: string; cardCode: string }, today: string, kept: KeptIdNumber | null = null,
): Decision<ResidentRegistration> {
  const name = form.name.trim();
  if (name.length === 0 || name.length > 50) return refuse('registrationNameMissing', {});
  const phone = form.phone.replace(/[\s-]/g, '');
  if (phone !== '' && !Phone.safeParse(phone).success) return refuse('registrationPhoneInvalid', { phone: phone.slice(0, 20) });
  let birthDate = form.birthDate.trim();
  if (birthDate !== '' && (!DateOnly.safeParse(birthDate).success || !isRealDay(birthDate) || birthDate > today || birthDate < '1900-01-01')) {
    return refuse('registrationBirthDateInvalid', { date: birthDate.slice(0, 20) });
  }
  const idText = (form.idNumber ?? '').replace(/\s/g, '');
  let idNumber: KeptIdNumber | null = null;
  if (idText !== '') {
    const id = parseIdNumber(idText, today);
    if (!id.ok) return id;
    if (birthDate !== '' && birthDate !== id.value.birthDate) return refuse('idNumberBirthDateDiffers', { date: id.value.birthDate });
    birthDate = id.value.birthDate;
    if (kept === null) return refuse('idNumberNeedsServer', {});
    if (kept.masked !== id.value.masked) return refuse('registrationInvalid', { detail: 'idNumber' });
    idNumber = kept;
  }
  const parsed = ResidentRegisteredV2.shape.payload.safeParse({
    ...ids, name, phone: phone || null, building: form.building.trim() || null, room: form.room.trim() || null,
    birthDate: birthDate || null, flags: [...new Set(form.flags)], idNumber,
  });
  if (!parsed.success) return refuse('registrationInvalid', { detail: parsed.error.issues[0]?.path.join('.') ?? '' });
  return accept(parsed.data);
}

function isRealDay(date: string): boolean {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}
