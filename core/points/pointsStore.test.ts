import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { balanceOf, foldEffects, RowState, rowsView, stockOf } from '../effects/effects.js';
import { overlay, type OverlaidEvent } from '../effects/overlay.js';
import { applyEvent, kindCheck, type EventBody } from '../events/registry.js';
import { decideRule, tallyId, type EarningRule } from './earningRules.js';
import { decideRuleAward } from './pointsAwarded.js';
import { decideReversal, entryReversed } from './reversal.js';
import { decideShopRedemption } from './partnerShops.js';
import { decideShelfCount, StockCountedV2 } from '../goods/stockReceived.js';
import { REPLICATED } from '../sync/tables.js';
import { formatMessage } from '../i18n/messages.js';
import { activityIdFor, decideCertification, decideCorrection, serviceCorrected, serviceEntryId } from '../volunteering/serviceHours.js';

const at = '2026-11-25T02:00:00.000Z';
const account = (id: string, balance: number) => ({ id, centreId: 'c', holderKind: 'resident' as const, holderId: `r-${id}`, balance, changeSeq: 1 });
const goods = (id: string, stock: number) => ({ id, centreId: 'c', name: id, barcode: '69000000', pointPrice: 30, stock, category: '', lowStock: 5, changeSeq: 1 });
const resident = (id: string, accountId: string) => ({
  id, centreId: 'c', name: '张三明', cardCode: 'LL0000000117', accountId, isVolunteer: false, phoneTail: null, building: null, room: null, birthDate: null, flags: [], changeSeq: 1,
});
const stairs: EarningRule = { id: 'rule1', centreId: 'c', name: '清理楼道', category: 'governance', unit: 'act', points: 10, capPerDay: 20, capPerMonth: 200, active: true, changeSeq: 1 };
const ev = (id: string, body: EventBody): OverlaidEvent => ({ ...body, id, at, clockOffset: 0, staffId: 's' });

describe('earning rules', () => {
  it('refuse a rule without a name, with points out of range, or caps below one act', () => {
    const form = { name: '清理楼道', category: 'governance' as const, unit: 'act' as const, points: 10, capPerDay: 20, capPerMonth: 200, active: true };
    expect(decideRule('r', form).ok).toBe(true);
    expect(decideRule('r', { ...form, name: ' ' })).toMatchObject({ ok: false, error: { key: 'ruleNameMissing' } });
    expect(decideRule('r', { ...form, points: -5 })).toMatchObject({ ok: false, error: { key: 'rulePointsInvalid' } });
    expect(decideRule('r', { ...form, points: 1_000_000 })).toMatchObject({ ok: false, error: { key: 'rulePointsInvalid' } });
    expect(decideRule('r', { ...form, capPerDay: 5 })).toMatchObject({ ok: false, error: { key: 'ruleCapInvalid' } });
    expect(decideRule('r', { ...form, capPerMonth: 10 })).toMatchObject({ ok: false, error: { key: 'ruleCapInvalid' } });
  });
});

describe('awards by rule', () => {
  const base = () => new RowState(rowsView({ accounts: [account('a1', 0)], rules: [stairs] }), 'c');

  it('awards the rule\'s points and refuses past the day\'s cap, at decide', () => {
    const state = base();
    const first = decideRuleAward(state, stairs, 'a1', 2, '2026-11-25', '3栋');
    expect(first).toMatchObject({ ok: true, value: { points: 20, ruleName: '清理楼道', capPerDay: 20 } });
    if (!first.ok) return;
    const applied = applyEvent(state, { kind: 'pointsAwarded', version: 2, payload: first.value }, { eventId: 'e1', at: 0, staffId: 's' });
    expect(foldEffects(state, { eventId: 'e1', kind: 'pointsAwarded', at, changeSeq: 2 }, applied.effects)).toEqual([]);
    expect(state.touched('ledger')[0]?.row).toMatchObject({ delta: 20, memo: '清理楼道×2', category: 'governance' });
    expect(state.row('resources', tallyId('rule1', 'a1', '2026-11-25'))).toMatchObject({ capacity: 20, used: 20 });
    expect(decideRuleAward(state, stairs, 'a1', 1, '2026-11-25', '')).toMatchObject({ ok: false, error: { key: 'capReached', params: { period: 'day', cap: 20, used: 20 } } });
    // The next day starts again.
    expect(decideRuleAward(state, stairs, 'a1', 1, '2026-11-26', '').ok).toBe(true);
    expect(decideRuleAward(state, { ...stairs, active: false }, 'a1', 1, '2026-11-26', '')).toMatchObject({ ok: false, error: { key: 'ruleInactive' } });
  });

  it('two kiosks passing a cap together offline: both applied, the second flagged capExceeded', () => {
    const decided = [0, 1].map(() => decideRuleAward(base(), stairs, 'a1', 2, '2026-11-25', ''));
    const bodies = decided.map((d) => (d.ok ? { kind: 'pointsAwarded' as const, version: 2 as const, payload: d.value } : null)).filter((b) => b !== null);
    const state = overlay(base(), 'c', bodies.map((b, i) => ev(`e${i}`, b)));
    expect(balanceOf(state, 'a1')).toBe(40);
    expect(state.touched('exceptions').map((t) => [t.row.id, t.row.kind, t.row.amount])).toEqual([['e1:x0', 'capExceeded', -20]]);
  });
});

describe("a rule's cap changed mid-day", () => {
  const base = () => new RowState(rowsView({ accounts: [account('a1', 0), account('a2', 0)], rules: [stairs] }), 'c');
  const award = (view: RowState, rule: EarningRule, accountId: string, i: number) => {
    const d = decideRuleAward(view, rule, accountId, 1, '2026-11-25', '');
    if (!d.ok) throw new Error(d.error.key);
    return ev(`${accountId}-e${i}`, { kind: 'pointsAwarded', version: 2, payload: d.value });
  };

  it('raised: an award within the new cap is not flagged, though the tally began under the old one', () => {
    const first = overlay(base(), 'c', [award(base(), stairs, 'a1', 0), award(base(), stairs, 'a1', 1)]);
    const raised = { ...stairs, capPerDay: 40 };
    const third = overlay(first, 'c', [award(first, raised, 'a1', 2)]);
    expect(third.row('resources', tallyId('rule1', 'a1', '2026-11-25'))).toMatchObject({ used: 30, capacity: 40 });
    expect(third.touched('exceptions')).toEqual([]);
  });

  it('lowered: two kiosks passing the new cap together offline are flagged, though the tally began under the old one', () => {
    const started = overlay(base(), 'c', [award(base(), stairs, 'a2', 0)]);
    const lowered = { ...stairs, capPerDay: 10 };
    // Each kiosk saw the lowered cap and 0 of it used today by this resident… on its own copy before the first award arrived.
    const kiosks = [0, 1].map((i) => award(base(), lowered, 'a2', i + 1));
    const state = overlay(started, 'c', kiosks);
    expect(state.touched('exceptions').map((t) => [t.row.kind, t.row.amount])).toEqual([['capExceeded', -10], ['capExceeded', -20]]);
  });
});

describe('the shelf counted at once (盘点单)', () => {
  const lines = [
    { goodsId: 'g1', name: '抽纸', expected: 5, counted: 3, reason: '受潮报损' },
    { goodsId: 'g2', name: '肥皂', expected: 8, counted: 8, reason: '' },
  ];

  it('sets each goods counted to its count; a sale made meanwhile elsewhere does not undo the count, and is flagged', () => {
    const d = decideShelfCount(lines);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    const sold: EventBody = { kind: 'goodsRedeemed', version: 1, payload: { accountId: 'a1', residentId: 'r1', lines: [{ goodsId: 'g2', quantity: 1, pointPrice: 30 }] } };
    const base = rowsView({ accounts: [account('a1', 100)], goods: [goods('g1', 5), goods('g2', 8), goods('g3', 4)], residents: [resident('r1', 'a1')] });
    const state = overlay(base, 'c', [ev('e0', sold), ev('e1', { kind: 'stockCounted', version: 2, payload: d.value })]);
    expect([stockOf(state, 'g1'), stockOf(state, 'g2'), stockOf(state, 'g3')]).toEqual([3, 8, 4]);
    expect(state.movements.filter((m) => m.eventId === 'e1').map((m) => [m.goodsId, m.delta])).toEqual([['g1', -2], ['g2', 1]]);
    // The soap was 8 on record when counted and 7 when booked: the sale is overwritten, and staff are told.
    expect(state.touched('exceptions').map((t) => [t.row.id, t.row.kind, t.row.subjectId, t.row.amount])).toEqual([['e1:x0', 'countMoved', 'g2', -1]]);
  });

  it('refuses a count of nothing, a line without a reason for its difference, a count below zero, and the same goods twice', () => {
    expect(decideShelfCount([])).toMatchObject({ ok: false, error: { key: 'countNothing' } });
    const noReason = decideShelfCount([{ ...lines[0]!, reason: ' ' }]);
    expect(noReason).toMatchObject({ ok: false, error: { key: 'countLineReasonMissing', params: { name: '抽纸', expected: 5, counted: 3 } } });
    if (!noReason.ok) expect(formatMessage(noReason.error, 'zh')).toBe('「抽纸」账面 5 件，清点 3 件：请填写差异原因。');
    expect(decideShelfCount([{ ...lines[1]!, counted: -1 }])).toMatchObject({ ok: false, error: { key: 'countLineInvalid', params: { name: '肥皂' } } });
    const typed = decideShelfCount([{ ...lines[1]!, counted: Number.NaN, text: '2.5' }]);
    if (!typed.ok) expect(formatMessage(typed.error, 'zh')).toBe('「肥皂」的实盘数量「2.5」不对：请填 0 到 1000000 之间的整数。');
    expect(typed.ok).toBe(false);
    expect(decideShelfCount([lines[1]!, lines[1]!])).toMatchObject({ ok: false, error: { key: 'countLineTwice', params: { name: '肥皂' } } });
    // The server reads the event the same way: the same goods twice is not an event.
    expect(StockCountedV2.safeParse({ kind: 'stockCounted', version: 2, payload: { lines: [{ goodsId: 'g1', counted: 1, expected: 1, reason: '' }, { goodsId: 'g1', counted: 2, expected: 1, reason: 'x' }] } }).success).toBe(false);
  });
});

describe('reversals (冲正)', () => {
  const redeem: EventBody = { kind: 'goodsRedeemed', version: 1, payload: { accountId: 'a1', residentId: 'r1', lines: [{ goodsId: 'g1', quantity: 2, pointPrice: 30 }] } };
  const base = () => rowsView({ accounts: [account('a1', 100)], goods: [goods('g1', 5)], residents: [resident('r1', 'a1')] });

  it('a reversed redemption gives the points and the goods back, once; a reversal is never reversed', () => {
    const state = overlay(base(), 'c', [ev('e1', redeem)]);
    expect([balanceOf(state, 'a1'), stockOf(state, 'g1')]).toEqual([40, 3]);
    const rev = decideReversal(state, { kind: 'redemption', redemptionId: 'e1' }, '扫错了');
    expect(rev.ok).toBe(true);
    if (!rev.ok) return;
    const after = overlay(state, 'c', [ev('e2', { kind: 'entryReversed', version: 1, payload: rev.value })]);
    expect([balanceOf(after, 'a1'), stockOf(after, 'g1')]).toEqual([100, 5]);
    expect(decideReversal(after, { kind: 'redemption', redemptionId: 'e1' }, '再来')).toMatchObject({ ok: false, error: { key: 'cannotReverse', params: { why: 'reversed' } } });
    const entry = after.touched('ledger').find((t) => t.row.eventId === 'e2')!.row;
    expect(decideReversal(after, { kind: 'ledgerEntry', entryId: entry.id }, '错')).toMatchObject({ ok: false, error: { key: 'cannotReverse', params: { why: 'reversal' } } });
    expect(decideReversal(after, { kind: 'redemption', redemptionId: 'e1' }, ' ')).toMatchObject({ ok: false, error: { key: 'reversalReasonMissing' } });
  });
});

describe('a reversed award by rule', () => {
  it('gives back what the award took of the rule\'s caps: the resident earns it again that day', () => {
    const start = overlay(rowsView({ accounts: [account('a1', 0)], rules: [stairs] }), 'c', []);
    const award = decideRuleAward(start, stairs, 'a1', 2, '2026-11-25', '3栋');
    if (!award.ok) throw new Error(award.error.key);
    const awarded = overlay(start, 'c', [ev('e1', { kind: 'pointsAwarded', version: 2, payload: award.value })]);
    expect(awarded.row('ledger', 'e1:0')).toMatchObject({ delta: 20, ruleId: 'rule1' });
    expect(decideRuleAward(awarded, stairs, 'a1', 1, '2026-11-25', '')).toMatchObject({ ok: false, error: { key: 'capReached', params: { period: 'day' } } });
    const rev = decideReversal(awarded, { kind: 'ledgerEntry', entryId: 'e1:0' }, '记错人');
    if (!rev.ok) throw new Error(rev.error.key);
    const reversed = overlay(awarded, 'c', [ev('e2', { kind: 'entryReversed', version: 1, payload: rev.value })]);
    expect(balanceOf(reversed, 'a1')).toBe(0);
    expect([tallyId('rule1', 'a1', '2026-11-25'), tallyId('rule1', 'a1', '2026-11')].map((id) => reversed.row('resources', id)?.used)).toEqual([0, 0]);
    expect(decideRuleAward(reversed, stairs, 'a1', 2, '2026-11-25', '').ok).toBe(true);
    // An award without a rule, reversed, moves no tally.
    const plain = overlay(start, 'c', [ev('e3', { kind: 'pointsAwarded', version: 1, payload: { accountId: 'a1', points: 5, category: 'other', note: '' } })]);
    expect(plain.row('ledger', 'e3:0')).toMatchObject({ ruleId: null });
  });
});

describe('service certification', () => {
  const volunteering: EarningRule = { ...stairs, id: 'rule9', name: '志愿服务', category: 'volunteering', unit: 'hour', points: 10, capPerDay: null, capPerMonth: null };

  it('corrects hours at the rate they were certified at: a rule changed since reprices nothing', () => {
    const start = overlay(rowsView({ accounts: [account('a1', 0)], residents: [resident('r1', 'a1')], rules: [volunteering] }), 'c', []);
    const certified = decideCertification(start, volunteering, { name: '敬老院探访', team: '', day: '2026-11-25' }, [{ residentId: 'r1', accountId: 'a1', minutes: 90 }]);
    if (!certified.ok) throw new Error(certified.error.key);
    const after = overlay(start, 'c', [ev('e1', { kind: 'serviceCertified', version: 1, payload: certified.value })]);
    const entry = after.row('serviceHours', serviceEntryId(certified.value.activityId, 'r1'))!;
    expect(entry).toMatchObject({ minutes: 90, points: 15, pointsPerHour: 10 });
    // A rule without caps took no tally: its entry names no rule, and a reversal gives nothing back.
    expect(after.row('ledger', 'e1:0')).toMatchObject({ delta: 15, ruleId: null });
    // The admin doubles the rule's rate; the hours are then corrected to 120 minutes.
    const doubled = { ...volunteering, points: 20 };
    expect(decideCorrection(after, entry, doubled, 120, '签到表核对')).toMatchObject({ ok: true, value: { minutes: 120, points: 20 } });
    // An entry certified before the rate was kept takes its rule's rate now.
    expect(decideCorrection(after, { ...entry, pointsPerHour: null }, doubled, 120, '签到表核对')).toMatchObject({ ok: true, value: { points: 40 } });
  });

  it('holds a correction to the rule\'s caps when it adds points, and to the points still there when it takes some back', () => {
    const capped: EarningRule = { ...volunteering, capPerDay: 40, capPerMonth: null };
    const start = overlay(rowsView({ accounts: [account('a1', 0)], residents: [resident('r1', 'a1')], rules: [capped] }), 'c', []);
    const certified = decideCertification(start, capped, { name: '敬老院探访', team: '', day: '2026-11-25' }, [{ residentId: 'r1', accountId: 'a1', minutes: 180 }]);
    if (!certified.ok) throw new Error(certified.error.key);
    const after = overlay(start, 'c', [ev('e1', { kind: 'serviceCertified', version: 1, payload: certified.value })]);
    const entry = after.row('serviceHours', serviceEntryId(certified.value.activityId, 'r1'))!;
    // 30 points of the day's 40 used: four hours (40) fits, five (50) does not.
    const four = decideCorrection(after, entry, capped, 240, '签到表核对');
    expect(four).toMatchObject({ ok: true, value: { points: 40 } });
    // Corrected to four hours, the day's tally is full: a second correction upward is refused too, and back down is free.
    if (!four.ok) throw new Error(four.error.key);
    const corrected = overlay(after, 'c', [ev('e9', { kind: 'serviceCorrected', version: 1, payload: four.value })]);
    const entry4 = corrected.row('serviceHours', entry.id)!;
    expect(decideCorrection(corrected, entry4, capped, 300, '签到表核对')).toMatchObject({ ok: false, error: { key: 'rosterCapReached', params: { used: 40, points: 10 } } });
    expect(decideCorrection(corrected, entry4, capped, 180, '签到表核对')).toMatchObject({ ok: true, value: { points: 30 } });
    // A forged correction moving another account's tally is refused by the server.
    const forged = { ...four.value, tallies: [{ id: tallyId('rule9', 'a2', '2026-11-25'), cap: 40 }] };
    expect(serviceCorrected.check!({ kind: 'serviceCorrected', version: 1, payload: forged }, after)).toEqual({ key: 'refusedInvalidEvent', params: { detail: 'tallies' } });
    expect(serviceCorrected.check!({ kind: 'serviceCorrected', version: 1, payload: four.value }, after)).toBeNull();
    expect(decideCorrection(after, entry, capped, 300, '签到表核对')).toEqual({ ok: false, error: { key: 'rosterCapReached', params: { resident: '张三明', name: '志愿服务', cap: 40, used: 30, points: 20, period: 'day' } } });
    // The 30 points spent (a redemption elsewhere): lowering the hours to one would take back 20 the account no longer has.
    const spent = overlay(after, 'c', [ev('e2', { kind: 'goodsRedeemed', version: 1, payload: { accountId: 'a1', residentId: 'r1', lines: [{ goodsId: 'g1', quantity: 1, pointPrice: 25 }] } })]);
    expect(decideCorrection(spent, entry, capped, 60, '签到表核对')).toEqual({ ok: false, error: { key: 'insufficientPoints', params: { needed: 20, balance: 5 } } });
    expect(decideCorrection(spent, entry, capped, 150, '签到表核对')).toMatchObject({ ok: true, value: { points: 25 } });
  });

  it('counts against the rule\'s caps as awards do: refused past a cap at decide, flagged when two kiosks pass it offline, given back by a reversal', () => {
    const capped: EarningRule = { ...volunteering, capPerDay: 40, capPerMonth: 400 };
    const start = overlay(rowsView({ accounts: [account('a1', 0), account('a2', 0)], residents: [resident('r1', 'a1'), { ...resident('r2', 'a2'), name: '李四' }], rules: [capped] }), 'c', []);
    const day = '2026-11-25';
    const dayTally = (state: RowState) => state.row('resources', tallyId('rule9', 'a1', day))?.used;
    // Five hours is 50 points: past the day's 40, refused with the volunteer named.
    expect(decideCertification(start, capped, { name: '敬老院探访', team: '', day }, [{ residentId: 'r2', accountId: 'a2', minutes: 60 }, { residentId: 'r1', accountId: 'a1', minutes: 300 }]))
      .toEqual({ ok: false, error: { key: 'rosterCapReached', params: { resident: '张三明', name: '志愿服务', cap: 40, used: 0, points: 50, period: 'day' } } });
    // Two kiosks offline each certify three hours: both applied, the second flagged.
    const [a, b] = ['探访 A', '探访 B'].map((name) => decideCertification(start, capped, { name, team: '', day }, [{ residentId: 'r1', accountId: 'a1', minutes: 180 }]));
    if (!a?.ok || !b?.ok) throw new Error('refused');
    const both = overlay(start, 'c', [ev('e1', { kind: 'serviceCertified', version: 1, payload: a.value }), ev('e2', { kind: 'serviceCertified', version: 1, payload: b.value })]);
    expect(dayTally(both)).toBe(60);
    expect(both.touched('exceptions').map((t) => [t.row.kind, t.row.amount])).toEqual([['capExceeded', -20]]);
    // One kiosk: two hours, then corrected to three (the difference counts against the cap too).
    // Hours are corrected, never reversed: their entry stays linked to them.
    const one = overlay(start, 'c', [ev('e3', { kind: 'serviceCertified', version: 1, payload: { ...a.value, entries: [{ residentId: 'r1', accountId: 'a1', minutes: 120, points: 20 }] } })]);
    expect(dayTally(one)).toBe(20);
    const entry = one.row('serviceHours', serviceEntryId(a.value.activityId, 'r1'))!;
    const corrected = decideCorrection(one, entry, capped, 180, '签到表核对');
    if (!corrected.ok) throw new Error(corrected.error.key);
    const more = overlay(one, 'c', [ev('e4', { kind: 'serviceCorrected', version: 1, payload: corrected.value })]);
    expect([balanceOf(more, 'a1'), dayTally(more)]).toEqual([30, 30]);
    expect(decideReversal(more, { kind: 'ledgerEntry', entryId: 'e3:0' }, '记错人')).toMatchObject({ ok: false, error: { key: 'cannotReverse', params: { why: 'kind' } } });
    expect(entryReversed.check!({ kind: 'entryReversed', version: 1, payload: { target: { kind: 'ledgerEntry', entryId: 'e4:0' }, reason: '记错人' } }, more)).toEqual({ key: 'refusedReversal', params: { why: 'kind' } });
    // A certification from a kiosk that carried no caps took nothing: its reversal gives nothing back.
    const uncapped: Partial<typeof a.value> = { ...a.value };
    delete uncapped.capPerDay;
    delete uncapped.capPerMonth;
    const old = overlay(one, 'c', [ev('e6', { kind: 'serviceCertified', version: 1, payload: { ...(uncapped as typeof a.value), activityId: 'act-old', entries: [{ residentId: 'r1', accountId: 'a1', minutes: 60, points: 10 }] } })]);
    expect([dayTally(old), old.row('ledger', 'e6:0')?.ruleId]).toEqual([20, null]);
  });

  it('certifies an activity of today or the six days before, never of a day ahead or further back', () => {
    const start = overlay(rowsView({ accounts: [account('a1', 0)], residents: [resident('r1', 'a1')], rules: [volunteering] }), 'c', []);
    const on = (day: string) => decideCertification(start, volunteering, { name: '敬老院探访', team: '', day }, [{ residentId: 'r1', accountId: 'a1', minutes: 60 }], '2026-11-25');
    expect(on('2026-11-24')).toMatchObject({ ok: true, value: { day: '2026-11-24', activityId: activityIdFor('2026-11-24', '敬老院探访') } });
    expect(on('2026-11-19').ok).toBe(true);
    for (const day of ['2026-11-18', '2026-11-26', '11-24']) expect(on(day)).toEqual({ ok: false, error: { key: 'activityDayInvalid', params: { day } } });
    expect(formatMessage({ key: 'activityDayInvalid', params: { day: '2026-11-18' } }, 'zh')).toBe('活动日期「2026-11-18」不对：只能认证今天或之前 6 天的活动。');
  });

  it('tallies of rules and accounts with long ids fit what every pull carries', () => {
    const uuid = '019abcde-0000-7000-8000-000000000001';
    const id = tallyId(uuid, uuid, '2026-11-25');
    expect(id.length).toBeGreaterThan(64);
    expect(REPLICATED.resources.row.safeParse({ id, centreId: 'c', capacity: 40, used: 10, changeSeq: 1 }).success).toBe(true);
    expect(REPLICATED.exceptions.row.safeParse({ id: 'e1:x0', centreId: 'c', eventId: uuid, kind: 'capExceeded', subjectId: id, amount: -5, at, resolvedBy: null, resolution: null, changeSeq: 1 }).success).toBe(true);
  });
});

describe('partner shops', () => {
  it('a resident pays a shop in points only what the account holds', () => {
    expect(decideShopRedemption(60, 50)).toEqual({ ok: true, value: 50 });
    expect(decideShopRedemption(40, 50)).toMatchObject({ ok: false, error: { key: 'insufficientPoints' } });
    expect(decideShopRedemption(60, 0)).toMatchObject({ ok: false, error: { key: 'invalidPoints' } });
  });

  it('reverses a resident\'s redemption at a shop whole: the shop gives the points back, once, and only points it still has', () => {
    const shop = { id: 's1', centreId: 'c', name: '张记理发店', accountId: 'as', offers: ['理发 50分'], active: true, changeSeq: 1 };
    const start = overlay(rowsView({ accounts: [account('a1', 80), account('as', 0)], residents: [resident('r1', 'a1')], partnerShops: [shop] }), 'c', []);
    const paid = overlay(start, 'c', [ev('e1', { kind: 'shopRedemption', version: 1, payload: { residentId: 'r1', accountId: 'a1', shopId: 's1', shopAccountId: 'as', points: 50, offer: '理发 50分' } })]);
    expect([balanceOf(paid, 'a1'), balanceOf(paid, 'as')]).toEqual([30, 50]);
    // From the resident's history (the resident's entry) or the shop's: either names the other.
    const fromResident = decideReversal(paid, { kind: 'ledgerEntry', entryId: 'e1:0' }, '店里没做');
    expect(fromResident).toEqual({ ok: true, value: { target: { kind: 'ledgerEntry', entryId: 'e1:0' }, reason: '店里没做', pair: 'e1:1' } });
    expect(decideReversal(paid, { kind: 'ledgerEntry', entryId: 'e1:1' }, '店里没做')).toMatchObject({ ok: true, value: { pair: 'e1:0' } });
    if (!fromResident.ok) throw new Error('refused');
    const back = overlay(paid, 'c', [ev('e2', { kind: 'entryReversed', version: 1, payload: fromResident.value })]);
    expect([balanceOf(back, 'a1'), balanceOf(back, 'as')]).toEqual([80, 0]);
    expect([back.row('ledger', 'e1:0')?.reversedBy, back.row('ledger', 'e1:1')?.reversedBy]).toEqual(['e2', 'e2']);
    expect(decideReversal(back, { kind: 'ledgerEntry', entryId: 'e1:1' }, '再来')).toMatchObject({ ok: false, error: { key: 'cannotReverse', params: { why: 'reversed' } } });
    // The server refuses one side alone (a kiosk that did not name the other entry).
    expect(entryReversed.check!({ kind: 'entryReversed', version: 1, payload: { target: { kind: 'ledgerEntry', entryId: 'e1:0' }, reason: '店里没做' } }, paid)).toEqual({ key: 'refusedReversal', params: { why: 'unknown' } });
    // The shop spent the points meanwhile: it cannot give them back.
    const spent = overlay(paid, 'c', [ev('e3', { kind: 'goodsRedeemed', version: 2, payload: { accountId: 'as', holder: { kind: 'partnerShop', id: 's1' }, lines: [{ goodsId: 'g1', quantity: 1, pointPrice: 30 }] } })]);
    expect(decideReversal(spent, { kind: 'ledgerEntry', entryId: 'e1:0' }, '店里没做')).toEqual({ ok: false, error: { key: 'insufficientPoints', params: { needed: 50, balance: 20 } } });
  });
});

// ---- properties ----------------------------------------------------------------------------

type Step = { kind: 'award'; quantity: number; day: number } | { kind: 'redeem'; quantity: number } | { kind: 'reverse'; back: number };
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('award' as const), quantity: fc.integer({ min: 1, max: 3 }), day: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('redeem' as const), quantity: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('reverse' as const), back: fc.integer({ min: 1, max: 4 }) }),
);

/** What a clerk's step decides on `state`, or null when it is refused; a reversal names its target (an earlier event's id). */
function decideStep(state: RowState, s: Step, target: string | undefined): EventBody | null {
  if (s.kind === 'award') {
    const d = decideRuleAward(state, stairs, 'a1', s.quantity, `2026-11-0${s.day}`, '');
    return d.ok ? { kind: 'pointsAwarded', version: 2, payload: d.value } : null;
  }
  if (s.kind === 'redeem') {
    if (balanceOf(state, 'a1') < 30 * s.quantity || stockOf(state, 'g1') < s.quantity) return null;
    return { kind: 'goodsRedeemed', version: 1, payload: { accountId: 'a1', residentId: 'r1', lines: [{ goodsId: 'g1', quantity: s.quantity, pointPrice: 30 }] } };
  }
  if (!target) return null;
  const asRedemption = state.row('redemptions', target);
  const d = decideReversal(state, asRedemption ? { kind: 'redemption', redemptionId: target } : { kind: 'ledgerEntry', entryId: `${target}:0` }, '更正');
  return d.ok ? { kind: 'entryReversed', version: 1, payload: d.value } : null;
}

describe('properties of the points store', () => {
  it('whatever the clerk does, decided awards keep within the caps, balances equal ledgers, stock equals movements, and reversals restore both', () => {
    fc.assert(fc.property(fc.array(stepArb, { maxLength: 40 }), (steps) => {
      const state = new RowState(rowsView({ accounts: [account('a1', 0)], goods: [goods('g1', 20)], residents: [resident('r1', 'a1')], rules: [stairs] }), 'c');
      const done: string[] = [];
      steps.forEach((s, i) => {
        const id = `e${i}`;
        const body = decideStep(state, s, s.kind === 'reverse' ? done[done.length - s.back] : undefined);
        if (!body) return;
        const applied = applyEvent(state, body, { eventId: id, at: 0, staffId: 's' });
        foldEffects(state, { eventId: id, kind: body.kind, at, changeSeq: i + 2 }, applied.effects, applied.exceptions);
        done.push(id);
      });
      const ledger = state.touched('ledger').map((t) => t.row);
      expect(balanceOf(state, 'a1')).toBe(ledger.reduce((sum, l) => sum + l.delta, 0));
      expect(stockOf(state, 'g1')).toBe(20 + state.movements.reduce((sum, m) => sum + m.delta, 0));
      // Decided awards never pass a cap, and nothing the clerk decided overdraws or oversells.
      expect(state.touched('exceptions')).toEqual([]);
      for (const { row } of state.touched('resources')) expect(row.used).toBeLessThanOrEqual(row.capacity);
      expect(balanceOf(state, 'a1')).toBeGreaterThanOrEqual(0);
      // Every reversal restored what its entry moved: reversed pairs sum to zero.
      for (const l of ledger.filter((x) => x.reversedBy !== null)) {
        const back = ledger.find((x) => x.eventId === l.reversedBy)!;
        expect(back.delta).toBe(-l.delta);
      }
    }), { numRuns: 300 });
  });

  it('two kiosks offline, then the server in any order: balances equal ledgers, stock equals movements, every cap or balance passed is flagged, nothing is reversed twice', () => {
    const kioskStep = fc.record({ kiosk: fc.integer({ min: 0, max: 1 }), step: stepArb });
    fc.assert(fc.property(fc.array(kioskStep, { maxLength: 40 }), fc.array(fc.boolean(), { maxLength: 80 }), (steps, turns) => {
      // Synced before: an award of 20 and a redemption of one g1 for 30, which either kiosk may reverse.
      const award0 = { id: 'e0:0', centreId: 'c', accountId: 'a1', eventId: 'e0', delta: 20, kind: 'pointsAwarded', memo: '', category: 'governance', at: '2026-11-01T02:00:00.000Z', reversedBy: null, ruleId: null, changeSeq: 1 };
      const redemption0 = { id: 'r0', centreId: 'c', accountId: 'a1', residentId: 'r1', shopId: null, lines: [{ goodsId: 'g1', quantity: 1, pointPrice: 30, name: 'g1' }], total: 30, at: '2026-11-01T02:00:00.000Z', reversedBy: null, changeSeq: 1 };
      const base = rowsView({ accounts: [account('a1', 60)], goods: [goods('g1', 4)], residents: [resident('r1', 'a1')], rules: [stairs], ledger: [award0], redemptions: [redemption0] });
      // Each kiosk decides on its own copy with its own events laid over, as offline.
      const kiosks = [new RowState(base, 'c'), new RowState(base, 'c')];
      const written: { id: string; body: EventBody }[][] = [[], []];
      steps.forEach(({ kiosk, step: s }, i) => {
        const state = kiosks[kiosk]!;
        const done = written[kiosk]!;
        const id = `k${kiosk}e${i}`;
        // The oldest choices reach back to what was synced before, which both kiosks see.
        const target = s.kind !== 'reverse' ? undefined : s.back === 4 ? 'e0' : s.back === 3 ? 'r0' : done[done.length - s.back]?.id;
        const body = decideStep(state, s, target);
        if (!body) return;
        const applied = applyEvent(state, body, { eventId: id, at: 0, staffId: 's' });
        foldEffects(state, { eventId: id, kind: body.kind, at, changeSeq: i + 2 }, applied.effects, applied.exceptions);
        done.push({ id, body });
      });
      // The server takes both kiosks' events, each kiosk's in its order, interleaved as the turns say; a check refuses some.
      const server = new RowState(base, 'c');
      const queues = written.map((w) => [...w]);
      let seq = 100;
      for (let t = 0; queues[0]!.length + queues[1]!.length > 0; t++) {
        const from = queues[0]!.length === 0 ? 1 : queues[1]!.length === 0 ? 0 : turns[t % Math.max(1, turns.length)] ? 1 : 0;
        const { id, body } = queues[from]!.shift()!;
        if (kindCheck(body, server) !== null) continue;
        const applied = applyEvent(server, body, { eventId: id, at: 0, staffId: 's' });
        foldEffects(server, { eventId: id, kind: body.kind, at, changeSeq: ++seq }, applied.effects, applied.exceptions);
      }
      // The entries the events made (a synced one a reversal marked is touched too, not made).
      const ledger = server.touched('ledger').filter((t) => t.touch === 'created').map((t) => t.row);
      const exceptions = server.touched('exceptions').map((t) => t.row);
      expect(balanceOf(server, 'a1')).toBe(60 + ledger.reduce((sum, l) => sum + l.delta, 0));
      expect(stockOf(server, 'g1')).toBe(4 + server.movements.reduce((sum, m) => sum + m.delta, 0));
      // What the kiosks could not see of each other is flagged, never silent.
      if (balanceOf(server, 'a1') < 0) expect(exceptions.some((x) => x.kind === 'overdraft')).toBe(true);
      if (stockOf(server, 'g1') < 0) expect(exceptions.some((x) => x.kind === 'oversold')).toBe(true);
      for (const { row } of server.touched('resources')) if (row.used > row.capacity) expect(exceptions.some((x) => x.kind === 'capExceeded' && x.subjectId === row.id)).toBe(true);
      // Reversals restore what their entry moved, once: two kiosks reversing the same entry apply one.
      const reversals = ledger.filter((x) => x.kind === 'entryReversed');
      const reversed = [...ledger, ...(server.row('ledger', 'e0:0')?.reversedBy ? [server.row('ledger', 'e0:0')!] : [])].filter((x) => x.reversedBy !== null);
      for (const l of new Map(reversed.map((x) => [x.id, x])).values()) {
        const back = ledger.filter((x) => x.eventId === l.reversedBy);
        expect(back.map((b) => b.delta)).toEqual([-l.delta]);
      }
      const redemptionsReversed = ['r0', ...server.touched('redemptions').map((t) => t.row.id)].filter((id, i, all) => all.indexOf(id) === i && server.row('redemptions', id)?.reversedBy);
      expect(reversals.length).toBe(new Set(reversed.map((x) => x.id)).size + redemptionsReversed.length);
    }), { numRuns: 300 });
  });
});
