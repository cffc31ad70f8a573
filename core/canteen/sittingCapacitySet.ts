import { z } from 'zod';
import { LIMITS } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind } from '../events/kind.js';
import { SittingId } from './rows.js';

/**
 * A sitting's places set by staff (增加名额), on the day when more people come than the kitchen
 * planned for. An absolute write of the sitting's `resources` row: it sets capacity, never `used`.
 */
export const SittingCapacitySetV1 = z.object({
  kind: z.literal('sittingCapacitySet'),
  version: z.literal(1),
  payload: z.object({ sittingId: SittingId, capacity: z.number().int().min(0).max(LIMITS.places) }),
});

export const sittingCapacitySet = defineKind({
  versions: [SittingCapacitySetV1],
  refs: ({ payload: p }) => [{ table: 'resources', id: p.sittingId, is: 'existing' }, { table: 'sittings', id: p.sittingId, is: 'existing' }],
  roles: ['canteen'],
  profiles: ['canteen'],
  selfService: false,
  apply: (_view, { payload: p }) => ({ effects: [{ type: 'record', table: 'resources', id: p.sittingId, patch: { capacity: p.capacity } }] }),
});

/** Decides new places for a sitting: a whole number, no fewer than the places already taken. */
export function decideCapacity(capacity: number, used: number): Decision<number> {
  if (!Number.isInteger(capacity) || capacity < used || capacity < 0 || capacity > LIMITS.places) return refuse('capacityInvalid', { used });
  return accept(capacity);
}
