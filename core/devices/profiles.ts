import type { EventKind } from '../events/events.js';

/**
 * Device profiles: what a device was enrolled as limits the event kinds it may push.
 * The server refuses (and records) an event of a kind its device's profile may not write.
 */
export const DEVICE_PROFILES = ['selfService', 'counter', 'canteen'] as const;
export type DeviceProfile = (typeof DEVICE_PROFILES)[number];

/** The kinds each profile may push. */
export const PROFILE_KINDS: Readonly<Record<DeviceProfile, readonly EventKind[]>> = {
  selfService: [],
  counter: ['pointsAwarded', 'goodsRedeemed', 'stockReceived', 'exceptionResolved'],
  canteen: [],
};

/** What a profile receives: staff PIN data and unmasked personal data only on staffed devices. */
export function profileIsStaffed(profile: DeviceProfile): boolean {
  return profile !== 'selfService';
}

/** Whether a device of `profile` may push an event of `kind`. */
export function profileMayPush(profile: DeviceProfile, kind: EventKind): boolean {
  return PROFILE_KINDS[profile].includes(kind);
}
