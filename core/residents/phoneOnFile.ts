import type { PhoneAnswer } from '../sync/contract.js';
import type { Resident } from '../entities.js';

type Holder = Pick<Resident, 'name' | 'cardCode'>;

/**
 * Who may already have the mobile number a clerk is registering, to ask before registering twice.
 * `full`: the server holds this very number for them. Otherwise the people whose number ends the
 * same and may be this one: offline (`answer` null), every resident the kiosk knows with those last
 * four digits (all a kiosk keeps); online, those the server was never told the full number of, and
 * those it does not hold yet (registered on this kiosk, not synced). A resident whose full number
 * the server knows to be another is not asked about.
 */
export function phoneOnFile(phone: string, local: readonly Pick<Resident, 'name' | 'cardCode' | 'phoneTail'>[], answer: PhoneAnswer | null): { full: boolean; people: Holder[] } {
  const tail = phone.slice(-4);
  const holder = (h: Holder): Holder => ({ name: h.name, cardCode: h.cardCode });
  const ending = local.filter((r) => r.phoneTail === tail).map(holder);
  if (!answer) return { full: false, people: ending };
  const same = answer.holders.filter((h) => h.phone === 'same').map(holder);
  if (same.length > 0) return { full: true, people: same };
  const told = new Set(answer.holders.map((h) => h.cardCode));
  return { full: false, people: [...answer.holders.filter((h) => h.phone === 'unknown').map(holder), ...ending.filter((r) => !told.has(r.cardCode))] };
}
