import { z } from 'zod';

/**
 * The basket kept across a reload of the counter (a crash, a power blip, F5): who is at the counter
 * and what they picked, in the tab's session storage (this kiosk's window only, gone when it closes).
 * Only a basket with goods in it is kept; it is dropped once redeemed or the clerk moves on.
 */
const Kept = z.object({ cardCode: z.string().regex(/^LL\d{10}$/), lines: z.array(z.tuple([z.string().min(1).max(64), z.number().int().min(1).max(9_999)])).max(50) });
export type KeptBasket = { cardCode: string; lines: Map<string, number> };

const KEY = 'linli.counter.basket';

export function readKeptBasket(): KeptBasket | null {
  try {
    const parsed = Kept.safeParse(JSON.parse(sessionStorage.getItem(KEY) ?? 'null'));
    return parsed.success && parsed.data.lines.length > 0 ? { cardCode: parsed.data.cardCode, lines: new Map(parsed.data.lines) } : null;
  } catch {
    return null; // storage refused, or what is there is not a basket
  }
}

export function keepBasket(cardCode: string | null, lines: ReadonlyMap<string, number>): void {
  try {
    if (!cardCode || lines.size === 0) sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, JSON.stringify({ cardCode, lines: [...lines] }));
  } catch {
    // Not kept: the basket still works, it only does not survive a reload.
  }
}
