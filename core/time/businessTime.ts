/**
 * Business time: the moment an event happened by the server's clock, `at - clockOffset`,
 * read in Asia/Shanghai. China keeps UTC+8 all year (no daylight saving), so this is plain
 * arithmetic and needs no time-zone database.
 */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The server-clock instant of an event stamped `at` by a device whose clock ran `clockOffset` ms ahead. */
export function businessInstant(at: string, clockOffset: number): number {
  return Date.parse(at) - clockOffset;
}

/** Formats an instant as `YYYY-MM-DD HH:mm` in Asia/Shanghai. */
export function formatShanghai(instant: number): string {
  const d = new Date(instant + SHANGHAI_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}
