import { z } from 'zod';
import { Id } from '../entities.js';
import { EventBody } from './registry.js';

/**
 * The envelope every event travels in. `seq` is the device's own gap-free counter from 1;
 * `at` is the device clock and `clockOffset` (ms) how far it ran ahead of the server's at the
 * last sync; `basis` is the pull cursor the device had when it decided. The body (kind, version,
 * payload) is one of the kinds of `registry.ts`; the union is closed, and a version once released
 * is never changed, only joined by the next.
 */
export const EventEnvelope = z.object({
  id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
  deviceId: Id,
  seq: z.number().int().min(1).max(2 ** 31 - 1),
  staffId: Id.nullable(),
  at: z.iso.datetime({ offset: true }),
  clockOffset: z.number().int().min(-10 * 365 * 86_400_000).max(10 * 365 * 86_400_000),
  basis: z.number().int().nonnegative(),
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;

/** A whole event: envelope and body. */
export const LinliEvent = z.intersection(EventEnvelope, EventBody);
export type LinliEvent = EventEnvelope & EventBody;

/**
 * An event as it arrives at the server: a well-formed envelope, and a body read one event at a
 * time, so one event the server cannot read (a kind it does not know, a payload out of bounds) is
 * rejected alone and uses up its seq instead of refusing its whole batch for ever.
 */
export const ArrivingEvent = EventEnvelope.extend({
  kind: z.string().min(1).max(40),
  version: z.number().int().min(1).max(1_000),
  payload: z.unknown(),
});
export type ArrivingEvent = z.infer<typeof ArrivingEvent>;

