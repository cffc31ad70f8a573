import type { LinliDb } from '../../store/db.js';
import { daySummary, shanghaiDay } from '../../store/screensSupport.js';
import type { Clock } from '../../store/actions.js';

/*
 * Closing (下班): a counter that did anything today asks, when its clerk signs out, to print the
 * day summary first, until it has been printed that day on this PC.
 */

const PRINTED_KEY = 'linli.dayPrinted';

/** Notes that the day summary of `day` was printed on this PC. */
export function markDayPrinted(day: string): void {
  try {
    localStorage.setItem(PRINTED_KEY, day);
  } catch {
    // A browser without storage asks again next time: nothing is lost.
  }
}

function dayPrinted(day: string): boolean {
  try {
    return localStorage.getItem(PRINTED_KEY) === day;
  } catch {
    return false;
  }
}

/** Whether signing out should first ask to print today's summary: the counter did something today and it is not printed. */
export async function closingDue(db: LinliDb, clock: Clock): Promise<boolean> {
  const today = shanghaiDay(clock.now() - (await db.clockOffset()));
  if (dayPrinted(today)) return false;
  const day = await daySummary(db, today);
  return day.redemptions + day.pointsAwarded + day.stockReceived > 0;
}
