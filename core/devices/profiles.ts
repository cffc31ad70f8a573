/**
 * Device profiles: what a device was enrolled as limits the event kinds it may push (each kind
 * says which profiles may push it, see `events/registry.ts`) and the tables it receives (see
 * `sync/tables.ts`). The server refuses (and records) an event of a kind its device's profile may
 * not write.
 */
export const DEVICE_PROFILES = ['selfService', 'counter', 'canteen'] as const;
export type DeviceProfile = (typeof DEVICE_PROFILES)[number];

/** What a profile receives: staff PIN data and unmasked personal data only on staffed devices. */
export function profileIsStaffed(profile: DeviceProfile): boolean {
  return profile !== 'selfService';
}
