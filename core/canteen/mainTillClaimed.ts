import { z } from 'zod';
import { defineKind } from '../events/kind.js';
import { DeviceCode, SittingId } from './rows.js';

/**
 * A till claims a sitting's plain ticket numbers (主售票机). Only the first claim the server applies
 * changes the sitting: its `apply` sets `mainTill` only while it is null, so the server's row names
 * one till, once. See `numbering.ts` for why that keeps numbers unique offline.
 */
export const MainTillClaimedV1 = z.object({
  kind: z.literal('mainTillClaimed'),
  version: z.literal(1),
  payload: z.object({ sittingId: SittingId, deviceCode: DeviceCode }),
});

export const mainTillClaimed = defineKind({
  versions: [MainTillClaimedV1],
  refs: ({ payload: p }) => [{ table: 'sittings', id: p.sittingId, is: 'existing' }],
  roles: ['canteen'],
  profiles: ['canteen'],
  selfService: false,
  apply: (view, { payload: p }) => ({
    effects: view.row('sittings', p.sittingId)?.mainTill === null ? [{ type: 'record', table: 'sittings', id: p.sittingId, patch: { mainTill: p.deviceCode } }] : [],
  }),
});
