import { describe, expect, it } from 'vitest';
import { pinyinInitials, searchResidents } from '../../../../core/residents/search.js';
import { generateDemoCentre, WUZHOU_GUANLAN } from '../../../../server/demo/generate.js';
import { findResidents, indexResidents } from './findResidents.js';

describe('findResidents', () => {
  const residents = generateDemoCentre({ ...WUZHOU_GUANLAN, residents: 2_000, volunteers: 100, days: 1, centreId: 'wzgl', centreName: '', importDeviceId: 'x', until: new Date('2026-11-25T02:00:00Z') }).residents;
  const index = indexResidents(residents);

  it('answers what core\'s searchResidents answers over every resident, by name, initials, phone tail and address', () => {
    const r = residents[17]!;
    const queries = [
      r.name, r.name.slice(0, 1), r.name.slice(1), pinyinInitials(r.name), pinyinInitials(r.name).slice(0, 1), pinyinInitials(r.name).toUpperCase(),
      r.phoneTail!, r.phoneTail!.slice(0, 3), `${r.building}${r.room}`, r.building!, r.room!, '3-2-501', ' 12栋 ', 'zz', '', '  ', '李', 'wf', '0101',
    ];
    for (const q of queries) expect(findResidents(q, index, 8), q).toEqual(searchResidents(q, residents, 8));
  });
});
