import { accept, refuse, type Decision } from '../errors.js';

/**
 * Resident card codes (居民卡号): `LL` + an 8-digit serial + a 1-digit card generation + a
 * Luhn check digit over the nine digits, e.g. `LL0000012310`.
 *
 * Why this shape: the check digit catches every single misread digit and every swap of two
 * neighbours but 09↔90, so a misread never shows the wrong resident (ISO 7064 MOD 11 would catch
 * all swaps but needs an `X`, which a numeric keypad lacks). Digits and the two letters read the
 * same on every keyboard layout a wedge scanner may be set to, and the `LL` prefix tells a card
 * from an EAN-13 goods code at a glance. The generation goes up when a card is replaced; the old
 * code is then refused as replaced (see `cardSerialPrefix`).
 *
 * Worked example: serial 00000123, generation 1 → digits "000001231"; Luhn over them gives 0,
 * so the card reads `LL0000012310`.
 */
export type CardCode = { code: string; serial: number; generation: number };

const CARD = /^LL(\d{8})(\d)(\d)$/;

/** The Luhn check digit of a string of digits. */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** Makes the card code of a serial and generation. */
export function makeCardCode(serial: number, generation: number): string {
  if (!Number.isInteger(serial) || serial < 0 || serial > 99_999_999) throw new RangeError('serial');
  if (!Number.isInteger(generation) || generation < 0 || generation > 9) throw new RangeError('generation');
  const digits = String(serial).padStart(8, '0') + String(generation);
  return `LL${digits}${luhnCheckDigit(digits)}`;
}

/**
 * Reads a scanned or typed card code: blanks trimmed, letters upper-cased, check digit verified.
 * What a person would search a resident by (a name, pinyin initials, a phone's last four) is
 * refused as such, pointing to the search beside the card field.
 */
export function parseCardCode(raw: string): Decision<CardCode> {
  const code = raw.trim().toUpperCase();
  const m = CARD.exec(code);
  if (!m) return refuse(looksSearchedFor(raw) ? 'cardFieldSearched' : 'malformedCardCode', { code: raw.trim().slice(0, 32) });
  const [, serial = '', generation = '', check = ''] = m;
  if (luhnCheckDigit(serial + generation) !== Number(check)) {
    return refuse('malformedCardCode', { code });
  }
  return accept({ code, serial: Number(serial), generation: Number(generation) });
}

/** A name (Chinese characters), pinyin initials or a phone's last four, typed where a card code goes. */
function looksSearchedFor(raw: string): boolean {
  const text = raw.trim();
  return /\p{Script=Han}/u.test(text) || /^\d{4}$/.test(text) || (/^[a-z]{2,6}$/i.test(text) && !/^ll/i.test(text));
}

/** The part of a card code that stays when the card is replaced: `LL` and the serial. */
export function cardSerialPrefix(card: CardCode): string {
  return card.code.slice(0, 10);
}

/**
 * A name as it may be printed or shown on an unattended screen: masked. Every printed document
 * takes this type, so a full name cannot reach paper by mistake (a plain string does not fit).
 */
export type MaskedName = string & { readonly __masked: unique symbol };

/**
 * Masks a name for a screen or a receipt: 张三 → 张*, 张小明 → 张*明, 欧阳小明 → 欧**明.
 * The first and last characters stay so the resident recognises their own name.
 */
export function maskName(name: string): MaskedName {
  return maskChars(name) as MaskedName;
}

function maskChars(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return chars.join('');
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/**
 * The card serials a device may issue offline without meeting another device's: a block of
 * 99,999 per device, from its code. `K07` (a counter) issues 10,700,001–10,799,999, `C02` (a
 * canteen till) 20,200,001–…, the server's own devices (admin, import) 90,000,001–…; serials below
 * 10,000,000 are those a centre had before (the demo's, an import's). Two kiosks registering
 * residents on the same offline afternoon never print the same card.
 *
 * Worked example: cardSerialFor('K07', 12) → 10,700,012 → card `LL1070001210` (generation 1).
 */
export function cardSerialFor(deviceCode: string, n: number): number | null {
  if (!Number.isInteger(n) || n < 1 || n > 99_999) return null;
  const m = /^([KCS])(\d{2})$/.exec(deviceCode);
  const block = m ? ({ K: 1, C: 2, S: 3 } as const)[m[1] as 'K' | 'C' | 'S'] * 10_000_000 + Number(m[2]) * 100_000 : 90_000_000;
  return block + n;
}

/** Whether a text has the shape of a masked name (张*, 张*明, 欧**明): what a print request may carry. */
export function isMaskedName(text: string): text is MaskedName {
  const chars = Array.from(text);
  if (chars.length <= 1) return true;
  const middle = chars.length === 2 ? chars.slice(1) : chars.slice(1, -1);
  return middle.every((c) => c === '*');
}
