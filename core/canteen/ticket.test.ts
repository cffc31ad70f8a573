import { describe, expect, it } from 'vitest';
import { looksLikeTicket, makeTicketCode, parseTicketCode, readTicketCode } from './ticket.js';

const ticket = { centreId: 'wzgl', day: '2026-11-25', sittingId: 'lunch', number: 'B07' };
const here = { centreId: 'wzgl', day: '2026-11-25', sittingId: 'lunch' };

describe('meal ticket codes', () => {
  it('round-trips a ticket of this centre, day and sitting', () => {
    const code = makeTicketCode(ticket);
    expect(code).toMatch(/^LLT1\.wzgl\.20261125\.lunch\.B07\.[0-9A-Z]{2}$/);
    expect(parseTicketCode(` ${code}\n`, here)).toEqual({ ok: true, value: ticket });
  });

  it('refuses a ticket of another centre, day or sitting', () => {
    const key = (t: typeof ticket, h = here) => {
      const r = parseTicketCode(makeTicketCode(t), h);
      return r.ok ? null : r.error;
    };
    expect(key({ ...ticket, centreId: 'other' })).toEqual({ key: 'ticketOtherCentre', params: {} });
    expect(key({ ...ticket, day: '2026-11-24' })).toEqual({ key: 'ticketOtherDay', params: { day: '2026-11-24' } });
    expect(key({ ...ticket, sittingId: 'dinner' })).toEqual({ key: 'ticketOtherSitting', params: { sitting: 'dinner' } });
    expect(key({ ...ticket, sittingId: 'dinner' }, { centreId: 'wzgl', day: '2026-11-25' } as typeof here)).toBeNull();
  });

  it('refuses a misread or truncated code', () => {
    const code = makeTicketCode(ticket);
    for (const bad of [code.replace('B07', 'B08'), code.slice(0, -1), code.slice(0, 20), 'LL0000000117', '']) {
      const r = parseTicketCode(bad, here);
      expect(r.ok ? null : r.error.key).toBe('malformedTicket');
    }
  });

  it('reads a ticket scanned with Caps Lock on (every letter turned) or in lower case', () => {
    const code = makeTicketCode(ticket);
    const turned = [...code].map((ch) => (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase())).join('');
    expect(turned.startsWith('llt1.WZGL.')).toBe(true);
    for (const read of [turned, code.toLowerCase(), code.toUpperCase()]) {
      expect(looksLikeTicket(read), read).toBe(true);
      expect(parseTicketCode(read, here), read).toEqual({ ok: true, value: ticket });
    }
  });

  it('keeps `_` and `-` in a sitting id, and writes ids in their one canonical (lower) case', () => {
    const late = { ...ticket, sittingId: 'lunch_late-2' };
    const code = makeTicketCode(late);
    expect(code).toContain('.lunch_late-2.');
    expect(parseTicketCode(code.toUpperCase(), { ...here, sittingId: 'lunch_late-2' })).toEqual({ ok: true, value: late });
    expect(parseTicketCode(code.replace('_', '-'), here).ok).toBe(false);
    expect(makeTicketCode({ ...ticket, centreId: 'WZGL', sittingId: 'Lunch', number: 'b07' })).toBe(makeTicketCode(ticket));
    expect(readTicketCode(makeTicketCode({ ...ticket, centreId: 'other' }))).toEqual({ ok: true, value: { ...ticket, centreId: 'other' } });
  });
});
