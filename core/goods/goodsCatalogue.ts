import { z } from 'zod';
import { Id, LIMITS, type Goods } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind } from '../events/kind.js';
import { makeEan, parseEan } from './barcode.js';
import { RequiredText, Text } from '../text/text.js';

/**
 * The store's catalogue: goods added with a point price (明码标分), an EAN from the package or a
 * code of the store's own (EAN-13 with the in-store prefix 2, so a wedge scan reads it like any
 * other), and price or detail changes. A price change is an event: a redemption decided at the old
 * price keeps it (its lines carry the price).
 */
const Fields = {
  name: RequiredText(100),
  category: Text(20),
  pointPrice: z.number().int().min(0).max(LIMITS.pointsPerEvent),
  lowStock: z.number().int().min(0).max(10_000),
};

export const GoodsAddedV1 = z.object({
  kind: z.literal('goodsAdded'),
  version: z.literal(1),
  payload: z.object({ goodsId: Id, barcode: z.string().regex(/^\d{8}$|^\d{13}$/), ...Fields }),
});

export const goodsAdded = defineKind({
  versions: [GoodsAddedV1],
  refs: ({ payload: p }) => [{ table: 'goods', id: p.goodsId, is: 'new' }, { table: 'goods', field: 'barcode', value: p.barcode, is: 'new' }],
  roles: ['clerk'],
  profiles: ['counter'],
  selfService: false,
  apply: (_view, { payload: { goodsId, ...p } }) => ({ effects: [{ type: 'record', table: 'goods', create: { id: goodsId, ...p, stock: 0 } }] }),
});

export const GoodsChangedV1 = z.object({
  kind: z.literal('goodsChanged'),
  version: z.literal(1),
  payload: z.object({
    goodsId: Id, ...Fields,
    /** A barcode typed wrong when the goods were added, corrected: present only when it changes. */
    barcode: z.string().regex(/^\d{8}$|^\d{13}$/).optional(),
  }),
});

export const goodsChanged = defineKind({
  versions: [GoodsChangedV1],
  refs: ({ payload: p }) => [
    { table: 'goods', id: p.goodsId, is: 'existing' },
    ...(p.barcode !== undefined ? [{ table: 'goods', field: 'barcode', value: p.barcode, is: 'new' } as const] : []),
  ],
  roles: ['clerk'],
  profiles: ['counter'],
  selfService: false,
  apply: (_view, { payload: { goodsId, ...p } }) => ({ effects: [{ type: 'record', table: 'goods', id: goodsId, patch: p }] }),
});

/** What a clerk typed for goods. `barcode` empty: the store gives it a code of its own. */
export type GoodsForm = { name: string; category: string; pointPrice: number; lowStock: number; barcode: string };

/**
 * Decides new goods: a name, a whole point price, a low-stock mark, and a barcode that reads (its
 * check digit) and is not on other goods; without one, the store's own code `2` + 11 digits + check.
 */
export function decideGoods(form: GoodsForm, ids: { goodsId: string; ownCodeSerial: number }, barcodeTaken: (code: string) => boolean): Decision<z.infer<typeof GoodsAddedV1>['payload']> {
  const checked = checkFields(form);
  if (!checked.ok) return checked;
  let barcode = form.barcode.trim();
  if (barcode === '') barcode = makeEan(`2${String(ids.ownCodeSerial).padStart(11, '0')}`);
  const parsed = parseEan(barcode);
  if (!parsed.ok) return parsed;
  if (barcodeTaken(parsed.value)) return refuse('barcodeTaken', { code: parsed.value });
  return accept({ goodsId: ids.goodsId, barcode: parsed.value, ...checked.value });
}

/** Decides a change of price or details of goods. */
/**
 * Decides a change of goods: the fields as for new goods, and a barcode corrected when `form`
 * carries another one (it reads, and is on no other goods); blank or the same, it stays.
 */
export function decideGoodsChange(goods: Pick<Goods, 'id'> & Partial<Pick<Goods, 'barcode'>>, form: Omit<GoodsForm, 'barcode'> & { barcode?: string }, barcodeTaken: (code: string) => boolean = () => false): Decision<z.infer<typeof GoodsChangedV1>['payload']> {
  const checked = checkFields(form);
  if (!checked.ok) return checked;
  const typed = form.barcode?.trim() ?? '';
  if (typed === '' || typed === goods.barcode) return accept({ goodsId: goods.id, ...checked.value });
  const parsed = parseEan(typed);
  if (!parsed.ok) return parsed;
  if (parsed.value === goods.barcode) return accept({ goodsId: goods.id, ...checked.value });
  if (barcodeTaken(parsed.value)) return refuse('barcodeTaken', { code: parsed.value });
  return accept({ goodsId: goods.id, ...checked.value, barcode: parsed.value });
}

function checkFields(form: Omit<GoodsForm, 'barcode'>): Decision<{ name: string; category: string; pointPrice: number; lowStock: number }> {
  const name = form.name.trim();
  if (name.length === 0 || name.length > 100) return refuse('goodsNameMissing', {});
  if (!Number.isInteger(form.pointPrice) || form.pointPrice < 0 || form.pointPrice > LIMITS.pointsPerEvent) return refuse('pointPriceInvalid', { price: form.pointPrice });
  if (!Number.isInteger(form.lowStock) || form.lowStock < 0 || form.lowStock > 10_000) return refuse('invalidQuantity', { quantity: form.lowStock });
  return accept({ name, category: form.category.trim().slice(0, 20), pointPrice: form.pointPrice, lowStock: form.lowStock });
}

/**
 * The store's own code for the `n`th goods a device adds: `2`, the device's block (as card serials,
 * see `cardSerialFor`: K07 → 1 07), `n` in 8 digits, the check digit. Two kiosks adding goods
 * offline never print the same label.
 * Worked example: ownCodeSerial('K07', 3) → 10700000003 → EAN-13 `2107000000038`.
 */
export function ownCodeSerial(deviceCode: string, n: number): number {
  const m = /^([KCS])(\d{2})$/.exec(deviceCode);
  const block = m ? ({ K: 1, C: 2, S: 3 } as const)[m[1] as 'K' | 'C' | 'S'] * 100 + Number(m[2]) : 900;
  return block * 100_000_000 + n;
}
