import { z } from 'zod';
import { AGE_BANDS, Id, ResidentFlag } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind } from '../events/kind.js';
import { RequiredText, Text } from '../text/text.js';
import { parseCardCode } from './resident.js';

/**
 * Residents brought in from a centre's Excel sheet (居民导入), and removed again when the import
 * is undone. An import of 10,000 rows is 20 events of at most `IMPORT_PART` residents, pushed in
 * one transaction by the centre's server device after the admin confirmed the preview: all of it
 * or none, each part its own change sequence, so a kiosk pulls it in pages of ordinary size.
 *
 * What an imported resident carries of their ID number and phone: the masked ID number
 * (110***********002X, replicated to staffed devices), keyed hashes of both (HMAC-SHA256 with a
 * key only the server holds: kept on the server for finding duplicates and for lookups, never
 * pulled by a device), and the phone's last four digits. The numbers themselves are in no event
 * and no row.
 *
 * Undoing an import is `residentsRemoved` naming every resident it brought: they are marked
 * removed (their cards no longer find them), nothing is deleted, and the server refuses to undo an
 * import whose residents have points moved since (see server/imports/).
 */
export const IMPORT_PART = 500;

const Hash = z.string().regex(/^[0-9a-f]{64}$/);
const DateOnly = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const CardCodeText = z.string().regex(/^LL\d{10}$/).refine((c) => parseCardCode(c).ok, 'card code check digit');

/** One resident of an import as the event carries them. */
export const ImportedResident = z.object({
  residentId: Id,
  accountId: Id,
  name: RequiredText(50),
  cardCode: CardCodeText,
  phoneTail: z.string().regex(/^\d{4}$/).nullable(),
  phoneHash: Hash.nullable(),
  building: Text(20).nullable(),
  room: Text(20).nullable(),
  birthDate: DateOnly.nullable(),
  ageBand: z.enum(AGE_BANDS).nullable(),
  flags: z.array(ResidentFlag).max(10),
  idMasked: z.string().regex(/^[0-9X*]{18}$/).nullable(),
  idHash: Hash.nullable(),
});
export type ImportedResident = z.infer<typeof ImportedResident>;

export const ResidentsImportedV1 = z.object({
  kind: z.literal('residentsImported'),
  version: z.literal(1),
  payload: z.object({
    importId: Id,
    /** Which part of the import, from 1, and how many parts it has. */
    part: z.number().int().min(1).max(1_000),
    parts: z.number().int().min(1).max(1_000),
    residents: z.array(ImportedResident).min(1).max(IMPORT_PART),
  }),
});

export const residentsImported = defineKind({
  versions: [ResidentsImportedV1],
  refs: ({ payload: p }) => p.residents.flatMap((r) => [
    { table: 'residents' as const, id: r.residentId, is: 'new' as const },
    { table: 'accounts' as const, id: r.accountId, is: 'new' as const },
    // One card, one person: a card code already given out in this centre is refused.
    { table: 'residents' as const, field: 'cardCode', value: r.cardCode, is: 'new' as const },
  ]),
  roles: [],
  profiles: [],
  selfService: false,
  apply: (_view, { payload: p }) => ({
    effects: p.residents.flatMap((r) => [
      { type: 'record' as const, table: 'accounts' as const, create: { id: r.accountId, holderKind: 'resident' as const, holderId: r.residentId, balance: 0 } },
      {
        type: 'record' as const, table: 'residents' as const, create: {
          id: r.residentId, name: r.name, cardCode: r.cardCode, accountId: r.accountId, isVolunteer: false, phoneTail: r.phoneTail, phoneHash: r.phoneHash,
          building: r.building, room: r.room, birthDate: r.birthDate, ageBand: r.ageBand, flags: [...new Set(r.flags)], idMasked: r.idMasked, idHash: r.idHash,
          importId: p.importId, removed: false,
        },
      },
    ]),
  }),
});

export const ResidentsRemovedV1 = z.object({
  kind: z.literal('residentsRemoved'),
  version: z.literal(1),
  payload: z.object({
    /** The import being undone, or null for residents removed one by one (moved away). */
    importId: Id.nullable(),
    residentIds: z.array(Id).min(1).max(IMPORT_PART),
    reason: RequiredText(100),
  }),
});

/**
 * Residents removed by an admin: an import undone (in parts, like the import), or a resident who
 * moved away. They stay in the centre's rows, marked removed: their cards no longer find them,
 * their accounts and ledger are untouched.
 */
export const residentsRemoved = defineKind({
  versions: [ResidentsRemovedV1],
  refs: ({ payload: p }) => p.residentIds.map((id) => ({ table: 'residents' as const, id, is: 'existing' as const })),
  roles: [],
  profiles: [],
  selfService: false,
  apply: (_view, { payload: p }) => ({ effects: p.residentIds.map((id) => ({ type: 'record' as const, table: 'residents' as const, id, patch: { removed: true } })) }),
});

/** The fields of a resident an admin edits. Phone and ID number arrive already reduced to tail, mask and keyed hash. */
const ResidentFields = z.object({
  residentId: Id,
  name: RequiredText(50),
  phoneTail: z.string().regex(/^\d{4}$/).nullable(),
  phoneHash: Hash.nullable(),
  building: Text(20).nullable(),
  room: Text(20).nullable(),
  birthDate: DateOnly.nullable(),
  ageBand: z.enum(AGE_BANDS).nullable(),
  flags: z.array(ResidentFlag).max(10),
  idMasked: z.string().regex(/^[0-9X*]{18}$/).nullable(),
  idHash: Hash.nullable(),
});

export const ResidentUpdatedV1 = z.object({ kind: z.literal('residentUpdated'), version: z.literal(1), payload: ResidentFields });
/** What a residentUpdated event says. */
export type ResidentUpdate = z.infer<typeof ResidentFields>;

/** A resident's details corrected by an admin (name, phone, address, birth date or age group, flags, ID number). */
export const residentUpdated = defineKind({
  versions: [ResidentUpdatedV1],
  refs: ({ payload: p }) => [{ table: 'residents', id: p.residentId, is: 'existing' }],
  roles: [],
  profiles: [],
  selfService: false,
  apply: (_view, { payload: { residentId, flags, ...p } }) => ({
    effects: [{ type: 'record', table: 'residents', id: residentId, patch: { ...p, flags: [...new Set(flags)] } }],
  }),
});

/** A resident as an admin's form gives them: text as typed. */
export type ResidentForm = { name: string; phone: string; building: string; room: string; birthDate: string; ageBand: string; flags: readonly ResidentFlag[] };

/** The form checked: a name, a mobile number of 11 digits or none, a real birth date in the past or none, a known age group or none. */
export function decideResidentForm(form: ResidentForm, today: string): Decision<{ name: string; phone: string | null; building: string | null; room: string | null; birthDate: string | null; ageBand: (typeof AGE_BANDS)[number] | null; flags: ResidentFlag[] }> {
  const name = form.name.trim();
  if (name.length === 0 || name.length > 50) return refuse('registrationNameMissing', {});
  const phone = form.phone.replace(/[\s-]/g, '');
  if (phone !== '' && !/^1[3-9]\d{9}$/.test(phone)) return refuse('registrationPhoneInvalid', { phone: phone.slice(0, 20) });
  const birthDate = form.birthDate.trim();
  if (birthDate !== '' && (!isRealDay(birthDate) || birthDate > today || birthDate < '1900-01-01')) return refuse('registrationBirthDateInvalid', { date: birthDate.slice(0, 20) });
  const ageBand = form.ageBand.trim();
  if (ageBand !== '' && !(AGE_BANDS as readonly string[]).includes(ageBand)) return refuse('registrationInvalid', { detail: 'ageBand' });
  return accept({
    name, phone: phone || null, building: form.building.trim().slice(0, 20) || null, room: form.room.trim().slice(0, 20) || null,
    birthDate: birthDate || null, ageBand: (ageBand || null) as (typeof AGE_BANDS)[number] | null, flags: [...new Set(form.flags)],
  });
}

/** Whether `date` (YYYY-MM-DD) is a day of the calendar. */
export function isRealDay(date: string): boolean {
  if (!DateOnly.safeParse(date).success) return false;
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}
