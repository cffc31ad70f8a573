import { describe, expect, it } from 'vitest';
import { decideService, fallsOn, weekOfServices } from './serviceScheduled.js';
import { weekdayOf } from '../canteen/rows.js';

const every = (name: string, weekday: number, nthWeek: number | null, startTime = '09:00') => ({ name, weekday, nthWeek, active: true, startTime });

describe('the week of services', () => {
  it('puts haircuts, health checks and tutoring on every Tuesday, and haircuts on the first Monday of the month', () => {
    const services = [every('义务理发', 2, null), every('健康检查', 2, null, '08:30'), every('课业辅导', 2, null, '15:00'), every('义务理发', 1, 1)];
    expect(weekdayOf('2026-12-01')).toBe(2);
    // The week of Monday 2026-11-30: Tuesday 12-01 has three; the first Monday of December is 12-07, not this one.
    const week = weekOfServices(services, '2026-11-30');
    expect(week[0]).toEqual({ day: '2026-11-30', services: [] });
    expect(week[1]!.services.map((s) => s.name)).toEqual(['健康检查', '义务理发', '课业辅导']);
    expect(weekOfServices(services, '2026-12-07')[0]!.services.map((s) => s.name)).toEqual(['义务理发']);
    expect(fallsOn(every('义务理发', 1, 1), '2026-12-14')).toBe(false);
    expect(fallsOn({ ...every('义务理发', 2, null), active: false }, '2026-12-01')).toBe(false);
  });

  it('refuses a service without a name or with its end before its start', () => {
    const form = { name: '义务理发', team: '', weekday: 2, nthWeek: null, startTime: '09:00', endTime: '11:00', place: '一楼活动室', note: '', active: true };
    expect(decideService('sv1', form)).toMatchObject({ ok: true, value: { serviceId: 'sv1', name: '义务理发' } });
    expect(decideService('sv1', { ...form, name: ' ' })).toMatchObject({ ok: false, error: { key: 'serviceNameMissing' } });
    expect(decideService('sv1', { ...form, endTime: '08:00' })).toMatchObject({ ok: false, error: { key: 'serviceTimeInvalid' } });
    expect(decideService('sv1', { ...form, startTime: '25:00' })).toMatchObject({ ok: false, error: { key: 'serviceTimeInvalid' } });
  });
});
