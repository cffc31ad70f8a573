import { z } from 'zod';
import { Id } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import { luhnCheckDigit } from '../residents/resident.js';

/**
 * Staff (工作人员) and what they may do.
 *
 * Staff sign in on a counter or canteen kiosk with their staff card and a PIN, offline. The PIN
 * is kept only as a salted slow hash (PBKDF2-HMAC-SHA256, `PIN_HASH.iterations` rounds, 16-byte
 * salt, 32-byte hash), made by the server and replicated to counter and canteen devices, where it
 * is wrapped again with a device secret (see renderer/src/staff/). A self-service device never
 * receives it.
 */
export const StaffRole = z.enum(['clerk', 'canteen', 'admin']);
export type StaffRole = z.infer<typeof StaffRole>;

/**
 * The PIN hash's work factor. 600,000 rounds of PBKDF2-HMAC-SHA256 is OWASP's figure for 2023;
 * a sign-in takes about a quarter of a second on a kiosk, and a guess on a copied hash as long.
 * A six-digit PIN alone is still only a million guesses: the device-secret wrap is what keeps a
 * copied database from giving PINs up.
 */
export const PIN_HASH = { algorithm: 'PBKDF2-SHA256', iterations: 600_000, saltBytes: 16, hashBytes: 32 } as const;

/** A PIN hash as the server made it: base64 salt and hash, and the rounds used. */
export const PinHash = z.object({
  salt: z.string().min(16).max(64),
  hash: z.string().min(32).max(128),
  iterations: z.number().int().min(100_000).max(10_000_000),
});
export type PinHash = z.infer<typeof PinHash>;

/**
 * Where a staff member works, so their PIN hash goes there only: every device of a profile
 * (`counter`, `canteen`) or one device by its code (`K01`, `C02`).
 */
export const WorkPlace = z.union([z.enum(['counter', 'canteen']), z.string().regex(/^[KCS]\d{2}$/)]);
export type WorkPlace = z.infer<typeof WorkPlace>;

/** A staff member as replicated to counter and canteen devices. */
export const StaffMember = z.object({
  id: Id,
  centreId: Id,
  name: z.string().min(1).max(50),
  role: StaffRole,
  cardCode: z.string().min(1).max(16),
  pin: PinHash.nullable(),
  active: z.boolean(),
  /**
   * The devices the member signs in at: null (or absent, before schema 030) is every staffed
   * device of the centre, the usual for clerks and canteen staff, who move between counters. An
   * admin always has a list, often empty (an admin who works in the browser only): an admin's PIN
   * opens every kiosk screen, so its hash goes only where the admin works (see `pinGoesTo`).
   */
  worksAt: z.array(WorkPlace).max(50).nullish(),
  changeSeq: z.number().int().nonnegative(),
});
export type StaffMember = z.infer<typeof StaffMember>;

/**
 * Whether a member's PIN hash is sent to a device: everywhere staffed when `worksAt` is null, else
 * only to the devices of a listed profile or a listed code. A device that does not get it sees the
 * member with no PIN (and cannot sign them in). Worked example: worksAt ['K01', 'canteen'] → K01
 * and every canteen till get it; K02 does not.
 */
export function pinGoesTo(member: Pick<StaffMember, 'worksAt'>, device: { code: string; profile: string }): boolean {
  if (member.worksAt === null || member.worksAt === undefined) return true;
  return member.worksAt.some((w) => w === device.code || w === device.profile);
}

/**
 * Staff card codes: `LS` + a 4-digit serial + a Luhn check digit, e.g. `LS00018`. The prefix
 * tells a staff card from a resident card (`LL…`) and a goods code at a glance.
 */
const STAFF_CARD = /^LS(\d{4})(\d)$/;

export function makeStaffCardCode(serial: number): string {
  if (!Number.isInteger(serial) || serial < 1 || serial > 9_999) throw new RangeError('serial');
  const digits = String(serial).padStart(4, '0');
  return `LS${digits}${luhnCheckDigit(digits)}`;
}

/** Reads a scanned or typed staff card code. */
export function parseStaffCardCode(raw: string): Decision<string> {
  const code = raw.trim().toUpperCase();
  const m = STAFF_CARD.exec(code);
  if (!m || luhnCheckDigit(m[1]!) !== Number(m[2])) return refuse('malformedStaffCard', { code: raw.trim().slice(0, 16) });
  return accept(code);
}

/** A PIN is 6 to 12 digits. */
export function checkPinShape(pin: string): Decision<string> {
  return /^\d{6,12}$/.test(pin) ? accept(pin) : refuse('pinShape', {});
}

/** Failed PIN tries before a card is locked on a device, and for how long. */
export const SIGN_IN_LOCKOUT = { tries: 5, lockMs: 5 * 60_000 } as const;
/** A signed-in kiosk with no touch, key or scan for this long signs its staff out. */
export const IDLE_SIGN_OUT_MS = 3 * 60_000;

/** Where a card stands after its failed tries: locked until a time, or how many tries are left. */
export type SignInFailures = { count: number; lastAt: number };

/** Whether a card may try a PIN now; a lockout ends `lockMs` after the last failed try. */
export function signInAllowed(failures: SignInFailures | undefined, now: number): Decision<{ triesLeft: number }> {
  if (!failures || failures.count < SIGN_IN_LOCKOUT.tries) return accept({ triesLeft: SIGN_IN_LOCKOUT.tries - (failures?.count ?? 0) });
  const until = failures.lastAt + SIGN_IN_LOCKOUT.lockMs;
  if (now >= until) return accept({ triesLeft: SIGN_IN_LOCKOUT.tries });
  return refuse('staffLocked', { minutes: Math.ceil((until - now) / 60_000) });
}

/** The failures after one more wrong PIN (a lockout that has run out starts the count again). */
export function afterWrongPin(failures: SignInFailures | undefined, now: number): SignInFailures {
  const expired = failures && failures.count >= SIGN_IN_LOCKOUT.tries && now >= failures.lastAt + SIGN_IN_LOCKOUT.lockMs;
  return { count: (expired || !failures ? 0 : failures.count) + 1, lastAt: now };
}
