import type { EventKind } from '../events/events.js';

/**
 * Device profiles: what a device was enrolled as limits the event kinds it may push.
 * The server refuses (and records) an event of a kind its device's profile may not write.
 */
export type DeviceProfile = 'selfService' | 'counter' | 'canteen';

/** The kinds each profile may push. */
export const PROFILE_KINDS: Readonly<Record<DeviceProfile, readonly EventKind[]>> = {
  selfService: [],
  counter: ['pointsAwarded', 'goodsRedeemed', 'stockReceived'],
  canteen: [],
};

/** Whether a device of `profile` may push an event of `kind`. */
export function profileMayPush(profile: DeviceProfile, kind: EventKind): boolean {
  return PROFILE_KINDS[profile].includes(kind);
}
