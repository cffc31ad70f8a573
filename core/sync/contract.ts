import { z } from 'zod';
import { Centre } from '../entities.js';
import { ArrivingEvent } from '../events/events.js';
import { KeptIdNumber } from '../residents/residentRegistered.js';
import { PullRows } from './tables.js';

/**
 * The sync contract between kiosk and server (DESIGN.md, "Sync protocol").
 *
 * Push: a device sends its outbox in seq order; the server answers one outcome per event, only
 * after its transaction committed. Pull: the device asks for the rows changed after its cursor
 * and gets them in pages; the cursor is a server change sequence that becomes visible in order.
 */

/** Most events one push may carry; the body limit is set from it. */
export const MAX_PUSH_EVENTS = 500;
/** Most bytes one push body may have. */
export const MAX_PUSH_BYTES = 1_048_576;

/**
 * What one push carries of a device's pending events, in seq order: at most `MAX_PUSH_EVENTS`, and
 * no more than fit in `MAX_PUSH_BYTES` as the body `{"events":[…]}` (a day offline of roster
 * certifications, 24 KB each, would pass the limit long before 500 events and be refused whole,
 * every time). The first always goes: one event is far below the limit.
 */
export function pushBatch<T>(pending: readonly T[], eventOf: (item: T) => unknown): T[] {
  let bytes = '{"events":[]}'.length;
  const batch: T[] = [];
  for (const item of pending.slice(0, MAX_PUSH_EVENTS)) {
    const size = utf8Length(JSON.stringify(eventOf(item))) + (batch.length > 0 ? 1 : 0);
    if (batch.length > 0 && bytes + size > MAX_PUSH_BYTES) break;
    bytes += size;
    batch.push(item);
  }
  return batch;
}

/** The bytes of `text` in UTF-8 (a lone surrogate counted as the 3 bytes of its replacement). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * `POST /api/sync/push` body. Envelopes are checked here; each body is read on its own by the
 * server, so one event it cannot read is rejected alone (see `ArrivingEvent`).
 */
export const PushRequest = z.object({ events: z.array(ArrivingEvent).min(1).max(MAX_PUSH_EVENTS) }).strict();
export type PushRequest = z.infer<typeof PushRequest>;

/**
 * Why the server refused an event: a message key of `core/i18n/messages.ts` (the `refused…`
 * ones) and its parameters, so staff read it in their language. Read loosely: a newer server's
 * key still shows (see `formatLooseMessage`).
 */
export const RefusalReason = z.object({
  key: z.string().min(1).max(60),
  params: z.record(z.string(), z.union([z.string().max(400), z.number()])),
});
export type RefusalReason = z.infer<typeof RefusalReason>;

/** What happened to one pushed event. */
export const PushOutcome = z.discriminatedUnion('status', [
  /** Applied now, at this server change sequence; `exceptions` lists the rules it broke. */
  z.object({ status: z.literal('applied'), id: z.string(), seq: z.number().int(), serverSeq: z.number().int(), exceptions: z.array(z.string()) }),
  /** Seen before with the same id, seq and payload: the first outcome stands. */
  z.object({ status: z.literal('duplicate'), id: z.string(), seq: z.number().int(), serverSeq: z.number().int().nullable(), first: z.enum(['applied', 'rejected']), reason: RefusalReason.nullable() }),
  /** Refused for a reason kept on the server; it used up its seq. */
  z.object({ status: z.literal('rejected'), id: z.string(), seq: z.number().int(), reason: RefusalReason }),
  /** The same seq came before with another payload: for the admin to look at. */
  z.object({ status: z.literal('seqConflict'), id: z.string(), seq: z.number().int() }),
]);
export type PushOutcome = z.infer<typeof PushOutcome>;

/** `POST /api/sync/push` answer. */
export const PushResponse = z.object({ lastSeq: z.number().int(), outcomes: z.array(PushOutcome) });
export type PushResponse = z.infer<typeof PushResponse>;

/** `GET /api/sync/hello` answer: who the device is and where it stands. */
export const HelloResponse = z.object({
  deviceId: z.string(),
  deviceCode: z.string(),
  centre: Centre.pick({ id: true, name: true }),
  lastSeq: z.number().int(),
  serverTime: z.string(),
  epoch: z.string(),
});
export type HelloResponse = z.infer<typeof HelloResponse>;

/** A counter asks the server to keep an ID number it was given at registration (POST /api/residents/id-number). */
export const IdNumberRequest = z.object({ idNumber: z.string().min(1).max(30) }).strict();

/**
 * The server's answer: the number masked and keyed (what the registration event carries), and the
 * resident who already has it, if one does (full name for the clerk, masked for anything printed).
 */
export const IdNumberAnswer = z.object({
  kept: KeptIdNumber,
  takenBy: z.object({ name: z.string(), masked: z.string() }).nullable(),
});
export type IdNumberAnswer = z.infer<typeof IdNumberAnswer>;

/** `POST /api/residents/phone`: a full mobile number a counter is about to register. */
export const PhoneRequest = z.object({ phone: z.string().regex(/^1[3-9]\d{9}$/) }).strict();

/**
 * The centre's residents with the phone's last four digits, each with what the server knows of
 * their full number: `same` (this one), `other` (another: by id alone), `unknown` (never told: the
 * kiosk asks the clerk about them, as it does offline). Full names, for the clerk at the counter.
 */
export const PhoneAnswer = z.object({
  holders: z.array(z.object({ residentId: z.string(), name: z.string(), cardCode: z.string(), phone: z.enum(['same', 'other', 'unknown']) })).max(100),
});
export type PhoneAnswer = z.infer<typeof PhoneAnswer>;

/** A pull cursor: the server's epoch and the last change sequence the device holds. */
export const Cursor = z.object({ epoch: z.string(), seq: z.number().int().nonnegative() });
export type Cursor = z.infer<typeof Cursor>;

/** `GET /api/sync/pull?since=SEQ&epoch=E` answer: one page of changed rows. */
export const PullResponse = z.object({
  epoch: z.string(),
  /** The cursor after this page: every row up to it has been sent. */
  upTo: z.number().int().nonnegative(),
  /** The newest change sequence on the server now; the pull is done when `upTo` reaches it. */
  head: z.number().int().nonnegative(),
  rows: PullRows,
});
export type PullResponse = z.infer<typeof PullResponse>;
/** Where a pull page ends, read before its rows are checked (the kiosk asks for the next page meanwhile). */
export const PullEdge = PullResponse.pick({ epoch: true, upTo: true, head: true });

/** The errors the sync API answers, by name. */
export const SyncErrorCode = z.enum([
  'malformed',
  'tooLarge',
  'unauthorised',
  'seqGap',
  'wrongDevice',
  'epochMismatch',
  'pairingCodeInvalid',
  'tooManyTries',
  'forbidden',
  'exportInvalid',
]);
export type SyncErrorCode = z.infer<typeof SyncErrorCode>;

/** An error body of the sync API. */
export const SyncError = z.object({ error: SyncErrorCode, message: z.string(), lastSeq: z.number().int().optional() });
export type SyncError = z.infer<typeof SyncError>;

/** The public half of a device's ECDSA P-256 key (JWK), sent at enrolment. */
export const EcPublicJwk = z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  y: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  ext: z.boolean().optional(),
  key_ops: z.array(z.string().max(20)).max(4).optional(),
}).strip();
export type EcPublicJwk = z.infer<typeof EcPublicJwk>;

/** `POST /api/devices/enrol` body and answer. */
export const EnrolRequest = z.object({ pairingCode: z.string().min(6).max(20), publicKey: EcPublicJwk.optional() }).strict();
export const EnrolResponse = z.object({
  deviceId: z.string(), deviceCode: z.string(), token: z.string(), centreId: z.string(),
  profile: z.enum(['selfService', 'counter', 'canteen']),
});
export type EnrolResponse = z.infer<typeof EnrolResponse>;
