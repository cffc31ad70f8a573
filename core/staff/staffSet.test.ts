import { describe, expect, it } from 'vitest';
import { foldEffects, RowState, rowsView, type LookupView } from '../effects/effects.js';
import { applyEvent, kindCheck } from '../events/registry.js';
import { pinGoesTo, type StaffMember } from './staff.js';
import { decideStaff } from './staffSet.js';

const pin = { salt: 'c2FsdHNhbHRzYWx0c2FsdA==', hash: 'aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=', iterations: 600_000 };
const clerk: StaffMember = { id: 's2', centreId: 'c', name: '李建国', role: 'clerk', cardCode: 'LS00026', pin, active: true, worksAt: null, changeSeq: 1 };
const lookup = (staff: StaffMember[]): LookupView => {
  const view = rowsView({ staff });
  return { ...view, rowWhere: (table, field, value) => (table === 'staff' ? staff.find((s) => (s as Record<string, unknown>)[field] === value) : undefined) as never };
};

describe('staffSet', () => {
  it('adds a member with the next card, and keeps card and PIN on a change unless a new PIN is given', () => {
    const added = decideStaff(undefined, { staffId: 's9', cardSerial: 9 }, { name: ' 张三 ', role: 'canteen', active: true, worksAt: null, pin });
    expect(added).toEqual({ ok: true, value: { staffId: 's9', name: '张三', role: 'canteen', cardCode: 'LS00091', pin, active: true, worksAt: null } });
    const renamed = decideStaff(clerk, { staffId: 'x', cardSerial: 99 }, { name: '李建军', role: 'clerk', active: false, worksAt: ['K01', 'K01'] });
    expect(renamed).toMatchObject({ ok: true, value: { staffId: 's2', cardCode: 'LS00026', pin, active: false, worksAt: ['K01'] } });
    expect(decideStaff(clerk, { staffId: 'x', cardSerial: 99 }, { name: '', role: 'clerk', active: true, worksAt: null })).toMatchObject({ ok: false, error: { key: 'staffNameMissing' } });
  });

  it('never lets an admin work everywhere: the admin PIN goes only to listed devices', () => {
    expect(decideStaff(clerk, { staffId: 'x', cardSerial: 9 }, { name: '李建国', role: 'admin', active: true, worksAt: null })).toMatchObject({ ok: false, error: { key: 'adminWorksAtEverywhere' } });
    expect(decideStaff(clerk, { staffId: 'x', cardSerial: 9 }, { name: '李建国', role: 'admin', active: true, worksAt: ['K1'] })).toMatchObject({ ok: false, error: { key: 'workPlaceInvalid' } });
    const body = { kind: 'staffSet' as const, version: 1 as const, payload: { staffId: 's2', name: '李建国', role: 'admin' as const, cardCode: 'LS00026', pin, active: true, worksAt: null } };
    expect(kindCheck(body, lookup([clerk]))).toMatchObject({ key: 'refusedInvalidEvent' });
    expect(kindCheck({ ...body, payload: { ...body.payload, worksAt: [] } }, lookup([clerk]))).toBeNull();
    // Another member's card is refused.
    expect(kindCheck({ ...body, payload: { ...body.payload, staffId: 's3', worksAt: [] } }, lookup([clerk]))).toMatchObject({ key: 'refusedIdTaken' });
  });

  it('creates or patches the row, PIN hash included', () => {
    const state = new RowState(lookup([clerk]), 'c');
    const body = { kind: 'staffSet' as const, version: 1 as const, payload: { staffId: 's2', name: '李建国', role: 'clerk' as const, cardCode: 'LS00026', pin: null, active: false, worksAt: ['K01'] } };
    foldEffects(state, { eventId: 'e', kind: 'staffSet', at: '', changeSeq: 7 }, applyEvent(state, body, { eventId: 'e', at: 0, staffId: 's1' }).effects);
    expect(state.row('staff', 's2')).toMatchObject({ pin: null, active: false, worksAt: ['K01'], changeSeq: 7 });
  });

  it('sends a PIN hash only where the member works', () => {
    expect(pinGoesTo({ worksAt: null }, { code: 'C01', profile: 'canteen' })).toBe(true);
    expect(pinGoesTo({ worksAt: undefined }, { code: 'K01', profile: 'counter' })).toBe(true);
    expect(pinGoesTo({ worksAt: [] }, { code: 'K01', profile: 'counter' })).toBe(false);
    expect(pinGoesTo({ worksAt: ['K01', 'canteen'] }, { code: 'K01', profile: 'counter' })).toBe(true);
    expect(pinGoesTo({ worksAt: ['K01', 'canteen'] }, { code: 'C03', profile: 'canteen' })).toBe(true);
    expect(pinGoesTo({ worksAt: ['K01', 'canteen'] }, { code: 'K02', profile: 'counter' })).toBe(false);
  });
});
