import {
  afterWrongPin, checkPinShape, parseStaffCardCode, PROFILE_KINDS, refuse, roleMayDo, signInAllowed, SIGN_IN_LOCKOUT,
  type Decision, type StaffRole,
} from '../../../core/index.js';
import type { FailuresMeta, LinliDb } from '../store/db.js';
import { pinHashOf, type Keeper } from './keeper.js';

/** Who is signed in on this kiosk now. Kept in memory only: a reload signs out. */
export type StaffSession = { staffId: string; name: string; role: StaffRole; cardCode: string };

/**
 * Signs staff in offline: the card must be of an active staff member of this centre with a PIN
 * and a role that may work on this device, the card not locked, and the PIN's hash (PBKDF2 with the member's salt and rounds) the one
 * wrapped on this device. Wrong PINs count per card on this kiosk; `SIGN_IN_LOCKOUT.tries` of
 * them lock the card for a while.
 */
export async function signIn(db: LinliDb, keeper: Keeper, cardRaw: string, pin: string, now: number): Promise<Decision<StaffSession>> {
  const card = parseStaffCardCode(cardRaw);
  if (!card.ok) return card;
  const staff = await db.staff.where('cardCode').equals(card.value).first();
  if (!staff) return refuse('unknownStaffCard', { code: card.value });
  if (!staff.active) return refuse('staffInactive', {});
  if (!staff.pin) return refuse('staffNoPin', {});
  // A role that may do none of this device's kinds would only have its work refused by the server.
  const profile = (await db.device())?.profile ?? 'counter';
  if (!PROFILE_KINDS[profile].some((kind) => roleMayDo(staff.role, kind))) return refuse('staffWrongDevice', {});
  const failures = ((await db.meta.get('signInFailures')) as FailuresMeta | undefined)?.byCard ?? {};
  const allowed = signInAllowed(failures[card.value], now);
  if (!allowed.ok) return allowed;
  const shape = checkPinShape(pin);
  if (!shape.ok) return shape;
  const candidate = await pinHashOf(pin, staff.pin.salt, staff.pin.iterations);
  if (!(await keeper.checkPin(staff.pin.wrapped, candidate))) {
    const next = afterWrongPin(failures[card.value], now);
    await db.meta.put({ key: 'signInFailures', byCard: { ...failures, [card.value]: next } });
    const left = SIGN_IN_LOCKOUT.tries - next.count;
    return left > 0 ? refuse('wrongPin', { triesLeft: left }) : refuse('staffLocked', { minutes: SIGN_IN_LOCKOUT.lockMs / 60_000 });
  }
  if (failures[card.value]) {
    await db.meta.put({ key: 'signInFailures', byCard: Object.fromEntries(Object.entries(failures).filter(([code]) => code !== card.value)) });
  }
  return { ok: true, value: { staffId: staff.id, name: staff.name, role: staff.role, cardCode: staff.cardCode } };
}
