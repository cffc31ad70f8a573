import { z } from 'zod';
import { Id } from '../entities.js';
import { LinliEvent } from '../events/events.js';

/**
 * The outbox export file (sneakernet): a kiosk that cannot reach the server for days writes its
 * waiting events to a file on a USB stick; an admin imports it on the server, which applies it
 * with the same exactly-once rules as a push. The file is `{ body, signature }`: `body` is the
 * JSON text of an `OutboxExport`, and `signature` the device's ECDSA P-256 / SHA-256 signature
 * over its UTF-8 bytes (IEEE P1363 r‖s, base64url), made with the non-extractable key the device
 * made at enrolment; the server checks it with the public key it kept. Signing the text as
 * written means no canonical form is needed, and any change to one byte is caught.
 */
export const EXPORT_FORMAT = 'linli-outbox/1';
/** Most events one export file may carry (a month of a busy counter). */
export const MAX_EXPORT_EVENTS = 100_000;
/** Most bytes an export file may have. */
export const MAX_EXPORT_BYTES = 64 * 1_048_576;

export const OutboxExport = z.object({
  format: z.literal(EXPORT_FORMAT),
  deviceId: Id,
  deviceCode: z.string().max(16),
  centreId: Id,
  exportedAt: z.iso.datetime({ offset: true }),
  events: z.array(LinliEvent).min(1).max(MAX_EXPORT_EVENTS),
}).strict();
export type OutboxExport = z.infer<typeof OutboxExport>;

export const SignedExport = z.object({
  body: z.string().min(2).max(MAX_EXPORT_BYTES),
  signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/),
}).strict();
export type SignedExport = z.infer<typeof SignedExport>;

/** The algorithm parameters for WebCrypto, on both sides. */
export const EXPORT_KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
export const EXPORT_SIGN_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** What an import did: how many events were new, seen before, or refused one by one. */
export const ImportResult = z.object({
  deviceCode: z.string(),
  events: z.number().int(),
  applied: z.number().int(),
  duplicate: z.number().int(),
  rejected: z.number().int(),
  conflicts: z.number().int(),
  /** Applied events that broke a rule on the server's state (overdraft, oversold…): in the exception queue. */
  exceptions: z.number().int(),
});
export type ImportResult = z.infer<typeof ImportResult>;
