import { describe, expect, it } from 'vitest';
import { balanceOf, RowState, rowsView } from '../effects/effects.js';
import { overlay, type OverlaidEvent } from '../effects/overlay.js';
import { kindCheck, type EventBody } from '../events/registry.js';
import { formatMessage } from '../i18n/messages.js';
import { decideDonation, decideDonationValue, donationValueOf, donationValues, DONATION_VALUES, MAX_ITEM_VALUE } from './donationReceived.js';

const at = '2026-11-25T02:00:00.000Z';
const ev = (id: string, body: EventBody): OverlaidEvent => ({ ...body, id, at, clockOffset: 0, staffId: 's' });
const account = { id: 'a1', centreId: 'c', holderKind: 'resident' as const, holderId: 'r1', balance: 0, changeSeq: 1 };
const resident = { id: 'r1', centreId: 'c', name: '张三明', cardCode: 'LL0000000117', accountId: 'a1', isVolunteer: false, phoneTail: null, building: null, room: null, birthDate: null, flags: [], changeSeq: 1 };
const shelf = { id: 'g1', centreId: 'c', name: '旧鞋', barcode: '69000000', pointPrice: 10, stock: 0, category: '', lowStock: 0, changeSeq: 1 };
const start = () => rowsView({ accounts: [account], residents: [resident], goods: [shelf] });
const shoes = (pointsEach: number, quantity = 2) => ({ category: 'shoes' as const, condition: 'good' as const, quantity, goodsId: 'g1', newGoods: null, pointsEach });

describe("the centre's valuation of donated items", () => {
  it('refuses values that are not whole points from 0 to 1000, and a fair item worth more than a good one', () => {
    expect(decideDonationValue('shoes', 10, 6)).toEqual({ ok: true, value: { category: 'shoes', good: 10, fair: 6 } });
    expect(decideDonationValue('shoes', 0, 0).ok).toBe(true);
    for (const [good, fair] of [[-1, 0], [MAX_ITEM_VALUE + 1, 5], [Number.NaN, 5], [5, 2.5]] as const) {
      expect(decideDonationValue('shoes', good, fair)).toMatchObject({ ok: false, error: { key: 'donationValueInvalid' } });
    }
    const order = decideDonationValue('shoes', 4, 7);
    expect(order.ok ? '' : formatMessage(order.error, 'zh')).toBe('成色「一般」的每件积分（7）不能高于「较新」的（4）。');
  });

  it('is the default for a category never set, and what the admin set once set; a donation proposes at it', () => {
    const view = overlay(start(), 'c', [ev('v1', { kind: 'donationValueSet', version: 1, payload: { category: 'shoes', good: 10, fair: 6 } })]);
    expect(donationValueOf(view, 'shoes', 'good')).toBe(10);
    expect(donationValueOf(view, 'books', 'good')).toBe(DONATION_VALUES.books.good);
    expect(donationValues(view.touched('donationValues').map((t) => t.row)).shoes).toEqual({ good: 10, fair: 6 });
    // Set again: the row changes, not a second one.
    const again = overlay(view, 'c', [ev('v2', { kind: 'donationValueSet', version: 1, payload: { category: 'shoes', good: 12, fair: 6 } })]);
    expect(donationValueOf(again, 'shoes', 'good')).toBe(12);
    const d = decideDonation({ donationId: 'd1' }, { residentId: 'r1', accountId: 'a1' }, [shoes(donationValueOf(view, 'shoes', 'good'))], 20, '');
    expect(d).toMatchObject({ ok: true, value: { proposedPoints: 20, points: 20 } });
  });

  it('never rewrites a donation: each item keeps the value it was decided at (flagged when that is not the value in force), and its points must follow from those values', () => {
    const at10 = decideDonation({ donationId: 'd1' }, { residentId: 'r1', accountId: 'a1' }, [shoes(DONATION_VALUES.shoes.good)], 16, '');
    if (!at10.ok) throw new Error('refused');
    const body: EventBody = { kind: 'donationReceived', version: 2, payload: at10.value };
    // The valuation changed before the donation arrived: it is taken at its own values.
    const changed = overlay(start(), 'c', [ev('v1', { kind: 'donationValueSet', version: 1, payload: { category: 'shoes', good: 4, fair: 2 } })]);
    expect(kindCheck(body, changed)).toBeNull();
    const after = overlay(changed, 'c', [ev('d', body)]);
    expect(balanceOf(after, 'a1')).toBe(16);
    expect(after.row('donations', 'd1')?.items).toEqual([{ category: 'shoes', condition: 'good', quantity: 2, goodsId: 'g1', pointsEach: 8 }]);
    // Two shoes at 8 where the centre now says 4: 8 points more, for staff to check.
    expect(after.touched('exceptions').map((t) => [t.row.kind, t.row.subjectId, t.row.amount])).toEqual([['donationValueMoved', 'a1', 8]]);
    // At the values in force, nothing is flagged.
    expect(overlay(start(), 'c', [ev('d', body)]).touched('exceptions')).toEqual([]);
    // Points that do not follow from the items' values are invalid in themselves.
    expect(kindCheck({ ...body, payload: { ...at10.value, proposedPoints: 30, points: 30 } } as EventBody, changed)).toMatchObject({ key: 'refusedInvalidEvent' });
    // A valuation with fair above good is invalid in itself on the server too.
    expect(kindCheck({ kind: 'donationValueSet', version: 1, payload: { category: 'shoes', good: 4, fair: 7 } }, changed)).toMatchObject({ key: 'refusedInvalidEvent' });
    // Version 1 still reads, at the default values.
    const v1: EventBody = { kind: 'donationReceived', version: 1, payload: { ...at10.value, items: [{ category: 'shoes', condition: 'good', quantity: 2, goodsId: 'g1', newGoods: null }] } };
    expect(kindCheck(v1, new RowState(start(), 'c'))).toBeNull();
    expect(overlay(start(), 'c', [ev('d', v1)]).row('donations', 'd1')?.items[0]?.pointsEach).toBe(DONATION_VALUES.shoes.good);
  });
});
