import { describe, expect, it } from 'vitest';
import { phoneOnFile } from './phoneOnFile.js';

const local = [
  { id: 'r1', name: '张三明', cardCode: 'LL0000000117', phoneTail: '5678' },
  { id: 'r2', name: '李四', cardCode: 'LL0000000125', phoneTail: '5678' },
  { id: 'r3', name: '王五', cardCode: 'LL0000000133', phoneTail: '1111' },
  // Registered on this kiosk, not synced yet: the server does not hold them.
  { id: 'r4', name: '赵六', cardCode: 'LL1010000018', phoneTail: '5678' },
  // Removed from the centre: nobody to ask about.
  { id: 'r5', name: '钱七', cardCode: 'LL0000000141', phoneTail: '5678', removed: true },
];
const person = (r: { id: string; name: string; cardCode: string }) => ({ id: r.id, name: r.name, cardCode: r.cardCode });

describe('who may already have a phone being registered', () => {
  it('offline: everyone the kiosk knows with its last four digits, but the removed', () => {
    expect(phoneOnFile('13812345678', local, null)).toEqual({ full: false, people: [local[0]!, local[1]!, local[3]!].map(person) });
    expect(phoneOnFile('13812342222', local, null)).toEqual({ full: false, people: [] });
  });

  it('online: those with this very number; else those whose number the server was never told, and those it does not hold yet', () => {
    const answer = (phones: ('same' | 'other' | 'unknown')[]) => ({
      holders: phones.map((phone, i) => ({ residentId: local[i]!.id, name: phone === 'other' ? '' : local[i]!.name, cardCode: phone === 'other' ? '' : local[i]!.cardCode, phone })),
    });
    expect(phoneOnFile('13812345678', local, answer(['same', 'other']))).toEqual({ full: true, people: [person(local[0]!)] });
    expect(phoneOnFile('13812345678', local, answer(['other', 'unknown']))).toEqual({ full: false, people: [person(local[1]!), person(local[3]!)] });
    // Another number ending the same, known to the server: nobody to ask about but the unsynced one.
    expect(phoneOnFile('13812345678', local, answer(['other', 'other']))).toEqual({ full: false, people: [person(local[3]!)] });
  });
});
