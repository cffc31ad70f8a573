import { describe, expect, it } from 'vitest';
import { foldEffects, RowState, rowsView } from '../effects/effects.js';
import { applyEvent, refsOf, type EventBody } from '../events/registry.js';
import { decideResidentForm, type ImportedResident } from './residentsImported.js';

const person = (n: number): ImportedResident => ({
  residentId: `r${n}`, accountId: `a${n}`, name: `居民${n}`, cardCode: 'LL9000000110', phoneTail: '5678', phoneHash: 'a'.repeat(64), building: '3栋', room: '101',
  birthDate: null, ageBand: '70-79', flags: ['livesAlone'], idMasked: '110***********002X', idHash: 'b'.repeat(64),
});

describe('residents imported and removed', () => {
  it('creates each resident with an account of 0, their import named, and no ID number but its mask and hash', () => {
    const body: EventBody = { kind: 'residentsImported', version: 1, payload: { importId: 'imp1', part: 1, parts: 1, residents: [person(1)] } };
    expect(refsOf(body).map((r) => r.is)).toEqual(['new', 'new', 'new']);
    const state = new RowState(rowsView({}), 'c');
    foldEffects(state, { eventId: 'e1', kind: 'residentsImported', at: '', changeSeq: 3 }, applyEvent(state, body, { eventId: 'e1', at: 0, staffId: 's1' }).effects);
    expect(state.row('accounts', 'a1')).toMatchObject({ holderKind: 'resident', holderId: 'r1', balance: 0 });
    expect(state.row('residents', 'r1')).toMatchObject({ importId: 'imp1', removed: false, idMasked: '110***********002X', ageBand: '70-79', phoneTail: '5678' });

    const removed: EventBody = { kind: 'residentsRemoved', version: 1, payload: { importId: 'imp1', residentIds: ['r1'], reason: '导入错了' } };
    foldEffects(state, { eventId: 'e2', kind: 'residentsRemoved', at: '', changeSeq: 4 }, applyEvent(state, removed, { eventId: 'e2', at: 0, staffId: 's1' }).effects);
    expect(state.row('residents', 'r1')).toMatchObject({ removed: true, changeSeq: 4 });
    // Nothing else moved: the account is there, its balance as it was.
    expect(state.row('accounts', 'a1')).toMatchObject({ balance: 0 });
  });

  it('checks an admin\'s form of a resident like the counter\'s registration', () => {
    const form = { name: ' 周八 ', phone: '139-0000-0000', building: '', room: '', birthDate: '', ageBand: '80+', flags: ['disabled', 'disabled'] as const };
    expect(decideResidentForm({ ...form, flags: [...form.flags] }, '2026-11-25')).toEqual({
      ok: true, value: { name: '周八', phone: '13900000000', building: null, room: null, birthDate: null, ageBand: '80+', flags: ['disabled'] },
    });
    expect(decideResidentForm({ ...form, flags: [], phone: '12345' }, '2026-11-25')).toMatchObject({ ok: false, error: { key: 'registrationPhoneInvalid' } });
    expect(decideResidentForm({ ...form, flags: [], birthDate: '1950-02-30' }, '2026-11-25')).toMatchObject({ ok: false, error: { key: 'registrationBirthDateInvalid' } });
  });
});
