/**
 * The self-service screen's idle reset (适老化: the screen does not change while someone is using
 * it, yet a card left on screen must not stay for the next person). After `idleMs` without a
 * touch the screen shows a countdown of `countdownMs`; a touch in it keeps the person's screen;
 * at its end the screen goes home and forgets the person.
 *
 * Pure: the screen passes the instant of the last touch and now (a clock the tests drive).
 * Worked example with the defaults: last touch at t, now t + 59 s → active; t + 63 s → countdown,
 * 7 seconds left; t + 70 s → reset.
 */

/** Without a touch this long, the countdown starts. */
export const SELF_SERVICE_IDLE_MS = 60_000;
/** The countdown's length before the screen goes home. */
export const SELF_SERVICE_COUNTDOWN_MS = 10_000;

/** Where the idle timer stands. */
export type IdlePhase = { kind: 'active'; countdownInMs: number } | { kind: 'countdown'; secondsLeft: number; msToNextSecond: number } | { kind: 'reset' };

/** The phase at `now` of a screen last touched at `lastTouch`. */
export function idlePhase(lastTouch: number, now: number, idleMs = SELF_SERVICE_IDLE_MS, countdownMs = SELF_SERVICE_COUNTDOWN_MS): IdlePhase {
  const idle = Math.max(0, now - lastTouch);
  if (idle < idleMs) return { kind: 'active', countdownInMs: idleMs - idle };
  const left = idleMs + countdownMs - idle;
  if (left <= 0) return { kind: 'reset' };
  const secondsLeft = Math.ceil(left / 1000);
  return { kind: 'countdown', secondsLeft, msToNextSecond: left - (secondsLeft - 1) * 1000 };
}
