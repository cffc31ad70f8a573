import type { PhoneAnswer } from '../sync/contract.js';
import type { Resident } from '../entities.js';

type Holder = Pick<Resident, 'id' | 'name' | 'cardCode'>;

/**
 * Who may already have the mobile number a clerk is registering, to ask before registering twice.
 * `full`: the server holds this very number for them. Otherwise the people whose number ends the
 * same and may be this one: offline (`answer` null), every resident the kiosk knows with those last
 * four digits (all a kiosk keeps); online, those the server was never told the full number of, and
 * those it does not hold yet (registered on this kiosk, not synced). A resident whose full number
 * the server knows to be another is not asked about.
 */
export function phoneOnFile(phone: string, local: readonly Pick<Resident, 'id' | 'name' | 'cardCode' | 'phoneTail' | 'removed'>[], answer: PhoneAnswer | null): { full: boolean; people: Holder[] } {
  const tail = phone.slice(-4);
  const ending = local.filter((r) => r.phoneTail === tail && !r.removed).map((r) => ({ id: r.id, name: r.name, cardCode: r.cardCode }));
  if (!answer) return { full: false, people: ending };
  const told = (which: PhoneAnswer['holders'][number]['phone']) => answer.holders.filter((h) => h.phone === which).map((h) => ({ id: h.residentId, name: h.name, cardCode: h.cardCode }));
  const same = told('same');
  if (same.length > 0) return { full: true, people: same };
  const known = new Set(answer.holders.map((h) => h.residentId));
  return { full: false, people: [...told('unknown'), ...ending.filter((r) => !known.has(r.id))] };
}
