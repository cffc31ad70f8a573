import { accept, refuse, type Decision } from '../errors.js';

/**
 * The meal ticket's QR code (取餐码): it names the centre, the day, the sitting and the ticket
 * number, and ends in two check characters, so a misread is caught and a ticket of another
 * canteen, day or sitting is refused at the window.
 *
 *   LLT1.wzgl.20261125.lunch.B07.K4
 *   │    │    │        │     │   └ check: base-36 of a polynomial hash of everything before it
 *   │    │    │        │     └ ticket number (the main till: 1, 2…; other tills: B07…)
 *   │    │    │        └ sitting id
 *   │    │    └ business day, Asia/Shanghai
 *   │    └ centre id
 *   └ format and version
 *
 * The check is not a signature: a person could forge a ticket by hand. Tickets cost 5 yuan and
 * are checked by a person at the window; a signed ticket waits for device keys (the sync issue).
 */
export type MealTicket = { centreId: string; day: string; sittingId: string; number: string };

const TICKET = /^LLT1\.([A-Za-z0-9_-]{1,32})\.(\d{8})\.([A-Za-z0-9_-]{1,16})\.([A-Z]?\d{1,4})\.([0-9A-Z]{2})$/;

/** Whether a scanned text is shaped like a meal ticket (to tell it from a resident card). */
export function looksLikeTicket(raw: string): boolean {
  return raw.trim().startsWith('LLT');
}

/** Two base-36 check characters of a text: a polynomial hash mod 36² (1,296). */
export function ticketCheck(text: string): string {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) % 1296;
  return h.toString(36).toUpperCase().padStart(2, '0');
}

/** The text to put in a ticket's QR code. `day` is YYYY-MM-DD. */
export function makeTicketCode(t: MealTicket): string {
  const body = `LLT1.${t.centreId}.${t.day.replaceAll('-', '')}.${t.sittingId}.${t.number}`;
  return `${body}.${ticketCheck(body)}`;
}

/**
 * Reads a scanned ticket and checks it belongs here and now: this centre, this business day
 * (YYYY-MM-DD), and, when given, this sitting.
 */
export function parseTicketCode(raw: string, here: { centreId: string; day: string; sittingId?: string }): Decision<MealTicket> {
  const code = raw.trim();
  const m = TICKET.exec(code);
  const shown = code.slice(0, 48);
  if (!m) return refuse('malformedTicket', { code: shown });
  const [, centreId = '', ymd = '', sittingId = '', number = '', check = ''] = m;
  if (ticketCheck(code.slice(0, code.length - 3)) !== check) return refuse('malformedTicket', { code: shown });
  const day = `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`;
  if (centreId !== here.centreId) return refuse('ticketOtherCentre', {});
  if (day !== here.day) return refuse('ticketOtherDay', { day });
  if (here.sittingId !== undefined && sittingId !== here.sittingId) return refuse('ticketOtherSitting', { sitting: sittingId });
  return accept({ centreId, day, sittingId, number });
}
