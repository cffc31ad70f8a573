/**
 * Ticket numbers (取餐号) that two tills working offline never hand out twice.
 *
 * People hold a numbered ticket and are called by it ("10号，请取餐"); whoever comes first gets a
 * lower number. A sitting's numbers come from one till, the sitting's **main till**, as plain
 * numbers 1, 2, 3…; every other till uses a series of its own, a letter prefix taken from its
 * device code: B01, B02… Within a till and a sitting, numbers start at 1 and rise in the order
 * of its sales.
 *
 * The series of a till:
 * - The main till of a sitting is named once in the sitting's row (`mainTill`), by the first
 *   `mainTillClaimed` the server applies (a later claim changes nothing there). A till uses the
 *   plain series only when the sitting row **as pulled from the server** names it, never on the
 *   strength of its own pending claim.
 * - Any other till uses the prefix of its device number: the device code's digits n (C02 → 2)
 *   written in bijective base 24 over the letters A–Z without I and O (1 → A, 2 → B, 24 → Z,
 *   25 → AA …). The main till's own code does the same in the sittings it is not main of.
 * - The next number of a till is one more than the highest it has issued in its series in that
 *   sitting, counting its replica and its pending events (the outbox is kept until the replica
 *   holds the same rows, so nothing it issued is forgotten).
 *
 * Why two tills never hand out the same number in a sitting:
 * 1. Device codes are unique in a centre (enrolment numbers them), and n ↦ prefix is one-to-one,
 *    so two tills' prefixed series never share a prefix, hence never a number.
 * 2. A prefixed number always has a letter and a plain one never does: the two kinds never meet.
 * 3. The server's row changes its `mainTill` at most once, from null to one code; a replica is a
 *    copy of the server's row at some moment, so every replica shows either null or that one
 *    code. So at most one till ever sees itself as main and issues plain numbers.
 * 4. One till issues its own series in order: each new number is above every number it issued.
 * A wiped till enrols again with a new code (a new series, and no longer the main till), so it
 * cannot repeat its old numbers either. The server refuses a ticket whose `sitting/number` is
 * taken all the same (a unique field): a number from a bug or a forgery never reaches a screen.
 *
 * Worked example: the lunch of 25 November; C01 and C02 are tills, K01 the points counter.
 *   11:05  C01 claims the main till and syncs: the server's lunch row now says mainTill C01.
 *   11:06  C02 claims too (offline): when it syncs, its claim changes nothing; its row says C01.
 *   11:30  C01 sells 1, 2, 3. C02 (replica: mainTill C01) sells B01, B02.
 *   11:40  the network goes. C01 sells 4, 5; C02 sells B03. No number twice.
 *   11:50  C02 is wiped and enrols again as C03: it sells C01, C02… (prefix of 3 is C; the
 *          letters name a series, not a device: C01 is the third till's first ticket).
 * Calling order is the order of sale (business time), across the series.
 */

/** The letters of a prefix: A–Z without I and O, which read as 1 and 0. */
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

/** The number part of a device code (C02 → 2), or null for a code without one (the server's). */
export function deviceNumber(deviceCode: string): number | null {
  const m = /^[A-Z](\d{2,4})$/.exec(deviceCode);
  return m ? Number(m[1]) : null;
}

/** The prefix of a device number in bijective base 24: 1 → A, 24 → Z, 25 → AA, 600 → ZZ. Null past ZZ. */
export function seriesPrefix(n: number): string | null {
  if (!Number.isInteger(n) || n < 1 || n > LETTERS.length * (LETTERS.length + 1)) return null;
  let out = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / LETTERS.length)) out = LETTERS[(k - 1) % LETTERS.length]! + out;
  return out;
}

/**
 * The series a till uses in a sitting: '' (plain numbers) when the sitting row as pulled from the
 * server names this till as main, else its prefix. Null when the device cannot issue numbers.
 */
export function tillSeries(deviceCode: string, syncedMainTill: string | null): string | null {
  if (syncedMainTill !== null && syncedMainTill === deviceCode) return '';
  const n = deviceNumber(deviceCode);
  return n === null ? null : seriesPrefix(n);
}

/** A ticket number split into its series and its count: B07 → { series: 'B', count: 7 }. */
export function readTicketNumber(number: string): { series: string; count: number } | null {
  const m = /^([A-Z]{0,2})(\d{1,4})$/.exec(number);
  return m ? { series: m[1]!, count: Number(m[2]) } : null;
}

/** Most tickets one till may issue in one sitting (four digits). */
export const MAX_TICKETS_PER_TILL = 9_999;

/**
 * The next number of a series, given the numbers of the sitting seen so far (any series): one more
 * than the highest of this series. Plain numbers print as they are (7); prefixed ones with at
 * least two digits (B07). Null when the series is full.
 */
export function nextTicketNumber(series: string, seen: Iterable<string>): string | null {
  let highest = 0;
  for (const n of seen) {
    const r = readTicketNumber(n);
    if (r && r.series === series) highest = Math.max(highest, r.count);
  }
  const next = highest + 1;
  if (next > MAX_TICKETS_PER_TILL) return null;
  return series === '' ? String(next) : `${series}${String(next).padStart(2, '0')}`;
}

/** The key that makes a number unique in a centre: the sitting and the number. */
export function ticketKey(sittingId: string, number: string): string {
  return `${sittingId}/${number}`;
}
