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
 *
 * Case: a wedge scanner read with Caps Lock on turns every letter's case (llt1.WZGL….k4), so a
 * code is read in any case. That is unambiguous because the code has one canonical form: centre
 * and sitting ids are lower case by design (a centre id is made lower case by bootstrap; a
 * sitting's id must be made so too), the format, the till letter and the check upper case. The
 * check is over the canonical form, which is what `makeTicketCode` writes.
 */
export type MealTicket = { centreId: string; day: string; sittingId: string; number: string };

/** The canonical form (ids lower case, the rest upper case), matched case-insensitively. */
const TICKET = /^(LLT1)\.([a-z0-9_-]{1,32})\.(\d{8})\.([a-z0-9_-]{1,16})\.([A-Z]{0,2}\d{1,4})\.([0-9A-Z]{2})$/i;

/** Whether a scanned text is shaped like a meal ticket (to tell it from a resident card), in any case. */
export function looksLikeTicket(raw: string): boolean {
  return raw.trim().toUpperCase().startsWith('LLT');
}

/** Two base-36 check characters of a text: a polynomial hash mod 36² (1,296). */
export function ticketCheck(text: string): string {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) % 1296;
  return h.toString(36).toUpperCase().padStart(2, '0');
}

/** The text to put in a ticket's QR code, in its canonical form. `day` is YYYY-MM-DD. */
export function makeTicketCode(t: MealTicket): string {
  const body = `LLT1.${t.centreId.toLowerCase()}.${t.day.replaceAll('-', '')}.${t.sittingId.toLowerCase()}.${t.number.toUpperCase()}`;
  return `${body}.${ticketCheck(body)}`;
}

/**
 * Reads a scanned ticket, in any case, and checks its check characters, wherever it is from:
 * what the camera asks before it hands a code to the page.
 */
export function readTicketCode(raw: string): Decision<MealTicket> {
  const code = raw.trim();
  const m = TICKET.exec(code);
  const shown = code.slice(0, 48);
  if (!m) return refuse('malformedTicket', { code: shown });
  const [, , centre = '', ymd = '', sitting = '', num = '', check = ''] = m;
  const ticket = { centreId: centre.toLowerCase(), day: `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`, sittingId: sitting.toLowerCase(), number: num.toUpperCase() };
  if (makeTicketCode(ticket).slice(-2) !== check.toUpperCase()) return refuse('malformedTicket', { code: shown });
  return accept(ticket);
}

/**
 * Reads a scanned ticket and checks it belongs here and now: this centre, this business day
 * (YYYY-MM-DD), and, when given, this sitting (ids compared in lower case, see above).
 */
export function parseTicketCode(raw: string, here: { centreId: string; day: string; sittingId?: string }): Decision<MealTicket> {
  const read = readTicketCode(raw);
  if (!read.ok) return read;
  const { centreId, day, sittingId } = read.value;
  if (centreId !== here.centreId.toLowerCase()) return refuse('ticketOtherCentre', {});
  if (day !== here.day) return refuse('ticketOtherDay', { day });
  if (here.sittingId !== undefined && sittingId !== here.sittingId.toLowerCase()) return refuse('ticketOtherSitting', { sitting: sittingId });
  return read;
}
