import { z } from 'zod';
import { Id } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind } from '../events/kind.js';
import { cardSerialPrefix, makeCardCode, parseCardCode, type CardCode } from './resident.js';

/**
 * A lost or broken card replaced (补卡): the same serial with the next generation, so the old code
 * is refused as replaced from then on; the account and its balance stay the resident's. A card
 * already at generation 9 is replaced by a new serial (generation 1) from the kiosk's own block,
 * as a registration's.
 * Worked examples: LL0000012310 (generation 1) → LL0000012329 (generation 2);
 * LL0000012394 (generation 9) → LL1070000512 (serial 10,700,005 of K07's block, generation 1).
 */
export const CardReplacedV1 = z.object({
  kind: z.literal('cardReplaced'),
  version: z.literal(1),
  payload: z.object({ residentId: Id, oldCardCode: z.string().regex(/^LL\d{10}$/), newCardCode: z.string().regex(/^LL\d{10}$/) }),
});
type Replaced = z.infer<typeof CardReplacedV1>['payload'];

export const cardReplaced = defineKind({
  versions: [CardReplacedV1],
  refs: ({ payload: p }) => [
    { table: 'residents', id: p.residentId, is: 'existing' },
    { table: 'residents', field: 'cardCode', value: p.newCardCode, is: 'new' },
    // A new serial is no one's in any generation: an older card of it would open this account.
    ...laterGenerations(p).map((value) => ({ table: 'residents', field: 'cardCode', value, is: 'new' }) as const),
  ],
  roles: ['clerk'],
  profiles: ['counter'],
  selfService: false,
  check: ({ payload: p }, view) => {
    const current = view.row('residents', p.residentId)!.cardCode;
    const next = nextCard(p.oldCardCode);
    const fresh = parseCardCode(p.newCardCode);
    // After generation 9, a new serial's first card (the code's ref makes sure no one holds it).
    const newSerial = next === null && fresh.ok && fresh.value.generation === 1 && !p.newCardCode.startsWith(p.oldCardCode.slice(0, 10));
    // Replacing a card that is not the current one (two kiosks replacing it offline) is refused.
    return current === p.oldCardCode && (next?.code === p.newCardCode || newSerial) ? null : { key: 'refusedInvalidEvent', params: { detail: 'card generation' } };
  },
  apply: (_view, { payload: p }) => ({ effects: [{ type: 'record', table: 'residents', id: p.residentId, patch: { cardCode: p.newCardCode } }] }),
});

/** When a replacement gives a new serial, that serial's codes of generations 2 to 9 (none may be held). */
function laterGenerations(p: Replaced): string[] {
  const fresh = parseCardCode(p.newCardCode);
  if (!fresh.ok || p.newCardCode.startsWith(p.oldCardCode.slice(0, 10))) return [];
  return Array.from({ length: 8 }, (_, i) => makeCardCode(fresh.value.serial, i + 2));
}

/** The card after `code`: the same serial, the next generation (a card is replaced at most 9 times). */
function nextCard(code: string): CardCode | null {
  const card = parseCardCode(code);
  if (!card.ok || card.value.generation >= 9) return null;
  const next = makeCardCode(card.value.serial, card.value.generation + 1);
  return { code: next, serial: card.value.serial, generation: card.value.generation + 1 };
}

/** Whether a card's next replacement needs a new serial (its generation is 9). */
export function needsNewSerial(cardCode: string): boolean {
  const card = parseCardCode(cardCode);
  return card.ok && card.value.generation >= 9;
}

/**
 * Decides a replacement: the resident's current card, and the next generation of it; after
 * generation 9, `freshCard` (a new serial's generation 1, from the kiosk's block), or a refusal
 * when the kiosk has none to give.
 */
export function decideCardReplacement(resident: { id: string; cardCode: string }, freshCard: string | null = null): Decision<Replaced> {
  const next = nextCard(resident.cardCode)?.code ?? freshCard;
  if (!next) return refuse('cardGenerationsUsed', {});
  return accept({ residentId: resident.id, oldCardCode: resident.cardCode, newCardCode: next });
}

/** Whether two card codes are the same card (serial), whatever the generation. */
export function sameCard(a: CardCode, b: string): boolean {
  return b.startsWith(cardSerialPrefix(a));
}
