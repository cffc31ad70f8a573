import { accept, refuse, type Decision } from '../errors.js';

/**
 * Resident ID numbers (居民身份证号码, GB 11643-1999): 6 digits of region, 8 of birth date
 * (YYYYMMDD), 3 of sequence, and a check character. The check is ISO 7064 MOD 11-2: the first
 * 17 digits weighted 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, the sum mod 11 mapped through
 * 1 0 X 9 8 7 6 5 4 3 2.
 *
 * Worked example: 11010519491231002X → weighted sum 167, 167 mod 11 = 2 → check X.
 *
 * An ID number is sensitive personal information (PIPL): only the masked form and a keyed hash
 * (made on the server) are kept; the number is never printed or logged in full.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK = '10X98765432';

/** The check character of the first 17 digits. */
export function idNumberCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

/** A checked ID number, kept only as long as it takes to mask and hash it. */
export type IdNumber = { number: string; birthDate: string; masked: string };

/**
 * Checks an ID number typed or read at registration: 18 characters, a real birth date no later
 * than `today` (YYYY-MM-DD), and the right check character (x read as X).
 */
export function parseIdNumber(raw: string, today: string): Decision<IdNumber> {
  const number = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(number)) return refuse('malformedIdNumber', {});
  const y = Number(number.slice(6, 10));
  const m = Number(number.slice(10, 12));
  const d = Number(number.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  const birthDate = `${number.slice(6, 10)}-${number.slice(10, 12)}-${number.slice(12, 14)}`;
  const real = date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  if (!real || y < 1880 || birthDate > today) return refuse('malformedIdNumber', {});
  if (idNumberCheck(number) !== number[17]) return refuse('malformedIdNumber', {});
  return accept({ number, birthDate, masked: maskIdNumber(number) });
}

/** The masked form kept and shown: the first 3 and last 4 characters, 110***********002X. */
export function maskIdNumber(number: string): string {
  return `${number.slice(0, 3)}${'*'.repeat(Math.max(0, number.length - 7))}${number.slice(-4)}`;
}
