import { describe, expect, it } from 'vitest';
import { rowsView, RowState } from '../effects/effects.js';
import { applyEvent, refsOf } from '../events/registry.js';
import { formatMessage } from '../i18n/messages.js';
import { decideRegistration, idNumberResourceId, type RegistrationForm } from './residentRegistered.js';
import { idNumberCheck } from './idNumber.js';
import { makeCardCode } from './resident.js';

const TODAY = '2026-11-25';
const ids = { residentId: 'r-new', accountId: 'a-new', cardCode: makeCardCode(10_100_001, 1) };
const form: RegistrationForm = { name: '张三明', phone: '13812345678', building: '3栋', room: '2单元501', birthDate: '', flags: [], idNumber: '11010519491231002X' };
const kept = { masked: '110***********002X', key: 'ab'.repeat(32) };

describe('registering a resident with an ID number', () => {
  it('refuses a number failing the GB 11643 check in Chinese, whatever the server says, and never repeats it', () => {
    const r = decideRegistration({ ...form, idNumber: '110105194912310021' }, ids, TODAY, kept);
    expect(r).toMatchObject({ ok: false, error: { key: 'malformedIdNumber' } });
    if (!r.ok) expect(formatMessage(r.error, 'zh')).toMatch(/^身份证号码不正确/);
    if (!r.ok) expect(formatMessage(r.error, 'zh')).not.toContain('19491231');
  });

  it('needs the server\'s masked form and key; takes the birth date from the number; refuses one that differs', () => {
    expect(decideRegistration(form, ids, TODAY)).toMatchObject({ ok: false, error: { key: 'idNumberNeedsServer' } });
    expect(decideRegistration({ ...form, birthDate: '1950-01-01' }, ids, TODAY, kept)).toMatchObject({ ok: false, error: { key: 'idNumberBirthDateDiffers', params: { date: '1949-12-31' } } });
    // A key for another number (a mix-up of answers) is not taken.
    const other = `11010519491231003${idNumberCheck('11010519491231003')}`;
    const mixedUp = decideRegistration({ ...form, idNumber: other }, ids, TODAY, kept);
    expect(mixedUp).toMatchObject({ ok: false, error: { key: 'registrationInvalid' } });
    // The field at fault in the form's words, never the schema's path.
    if (!mixedUp.ok) expect(formatMessage(mixedUp.error, 'zh')).toBe('登记信息中的「身份证号」有误，请核对。');
    expect(formatMessage({ key: 'registrationInvalid', params: { detail: 'flags.0' } }, 'zh')).toBe('登记信息中的「身份标记」有误，请核对。');
    expect(formatMessage({ key: 'registrationInvalid', params: { detail: 'cards' } }, 'en')).toBe('This counter has used up its card numbers: register at another counter, or ask the admin.');
    const ok = decideRegistration(form, ids, TODAY, kept);
    expect(ok).toMatchObject({ ok: true, value: { birthDate: '1949-12-31', idNumber: kept } });
    // The event never holds the number itself.
    expect(JSON.stringify(ok)).not.toContain('19491231002');
  });

  it('keeps the masked form and key on the resident, and holds the number\'s place so a second registration is refused', () => {
    const d = decideRegistration(form, ids, TODAY, kept);
    if (!d.ok) throw new Error(d.error.key);
    const body = { kind: 'residentRegistered' as const, version: 2 as const, payload: d.value };
    expect(refsOf(body)).toContainEqual({ table: 'resources', id: idNumberResourceId(kept.key), is: 'new' });
    const state = new RowState(rowsView({}), 'c');
    const { effects } = applyEvent(state, body, { eventId: 'e1', at: 0, staffId: 's' });
    expect(effects).toContainEqual({ type: 'record', table: 'resources', create: { id: idNumberResourceId(kept.key), capacity: 1, used: 1 } });
    expect(effects.find((e) => e.type === 'record' && e.table === 'residents')).toMatchObject({ create: { idMasked: kept.masked, idHash: kept.key, birthDate: '1949-12-31' } });
  });

  it('registers without an ID number as before', () => {
    expect(decideRegistration({ ...form, idNumber: ' ', birthDate: '1948-03-08' }, ids, TODAY)).toMatchObject({ ok: true, value: { idNumber: null, birthDate: '1948-03-08' } });
  });
});
