import { accept, refuse, type Decision } from '../errors.js';

/**
 * EAN-13 and EAN-8 goods codes. The check digit weighs the digits 1,3,1,3… from the left for
 * EAN-13 (3,1,3… for EAN-8), and is what brings the sum up to a multiple of ten.
 *
 * Worked example: 690123456789 → weighted sum 6+27+0+3+2+9+4+15+6+21+8+27 = 128 → check 2,
 * so the code is 6901234567892.
 */
export function eanCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const weightFromRight = (body.length - i) % 2 === 1 ? 3 : 1;
    sum += Number(body[i]) * weightFromRight;
  }
  return (10 - (sum % 10)) % 10;
}

/** Completes a 12-digit (or 7-digit) body with its check digit. */
export function makeEan(body: string): string {
  if (!/^\d{12}$|^\d{7}$/.test(body)) throw new RangeError('an EAN body is 12 or 7 digits');
  return body + String(eanCheckDigit(body));
}

/** Reads a scanned goods code: 13 or 8 digits with the right check digit. */
export function parseEan(raw: string): Decision<string> {
  const code = raw.trim();
  if (!/^\d{13}$|^\d{8}$/.test(code)) return refuse('malformedGoodsCode', { code: code.slice(0, 32) });
  if (eanCheckDigit(code.slice(0, -1)) !== Number(code.slice(-1))) {
    return refuse('malformedGoodsCode', { code });
  }
  return accept(code);
}
