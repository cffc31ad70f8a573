import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deviceNumber, nextTicketNumber, readTicketNumber, seriesPrefix, tillSeries } from './numbering.js';
import { makeTicketCode, readTicketCode } from './ticket.js';

describe('ticket numbers', () => {
  it('the worked example: the main till counts 1, 2, 3…; C02 B01, B02…; a wiped till enrolled as C03 C01…', () => {
    const lunch: string[] = [];
    const sell = (device: string, mainTill: string | null) => {
      const n = nextTicketNumber(tillSeries(device, mainTill)!, lunch)!;
      lunch.push(n);
      return n;
    };
    expect([sell('C01', 'C01'), sell('C01', 'C01'), sell('C02', 'C01'), sell('C01', 'C01'), sell('C02', 'C01')]).toEqual(['1', '2', 'B01', '3', 'B02']);
    // Offline: each goes on with its own series.
    expect([sell('C01', 'C01'), sell('C02', 'C01'), sell('C02', 'C01')]).toEqual(['4', 'B03', 'B04']);
    expect(sell('C03', 'C01')).toBe('C01');
    // A till that claimed but has not heard back from the server uses its letter meanwhile.
    expect(sell('C02', null)).toBe('B05');
  });

  it('prefixes are one-to-one over device numbers, with no I or O', () => {
    expect([1, 2, 24, 25, 48, 600].map(seriesPrefix)).toEqual(['A', 'B', 'Z', 'AA', 'AZ', 'ZZ']);
    expect(seriesPrefix(601)).toBeNull();
    const seen = new Set<string>();
    for (let n = 1; n <= 600; n++) {
      const p = seriesPrefix(n)!;
      expect(p).toMatch(/^[A-HJ-NP-Z]{1,2}$/);
      expect(seen.has(p)).toBe(false);
      seen.add(p);
    }
    expect(deviceNumber('C07')).toBe(7);
    expect(deviceNumber('IMPORT')).toBeNull();
    expect(tillSeries('IMPORT', null)).toBeNull();
  });

  it('numbers print short (7, B07), read back, and fit the ticket\'s QR code', () => {
    expect(readTicketNumber('B07')).toEqual({ series: 'B', count: 7 });
    expect(readTicketNumber('AB1234')).toEqual({ series: 'AB', count: 1234 });
    const code = makeTicketCode({ centreId: 'wzgl', day: '2026-11-25', sittingId: '20261125-l', number: 'AB107' });
    expect(readTicketCode(code)).toEqual({ ok: true, value: { centreId: 'wzgl', day: '2026-11-25', sittingId: '20261125-l', number: 'AB107' } });
    expect(nextTicketNumber('', Array.from({ length: 9_999 }, (_, i) => String(i + 1)))).toBeNull();
  });

  it('property: tills selling offline in any interleaving, one of them main, never hand out a number twice, and each rises by one', () => {
    const devices = ['C01', 'C02', 'C05', 'K03', 'C27'];
    fc.assert(fc.property(fc.constantFrom(null, ...devices), fc.array(fc.constantFrom(...devices), { maxLength: 120 }), (main, sales) => {
      // Each till sees only its own sales (offline): its series is computed from what it issued.
      const own = new Map<string, string[]>();
      const all: string[] = [];
      for (const d of sales) {
        const mine = own.get(d) ?? [];
        const n = nextTicketNumber(tillSeries(d, main)!, mine)!;
        expect(readTicketNumber(n)!.count).toBe(mine.length + 1);
        mine.push(n);
        own.set(d, mine);
        all.push(n);
      }
      expect(new Set(all).size).toBe(all.length);
    }), { numRuns: 300 });
  });
});
