import bwipjs from 'bwip-js/browser';
import type { Symbols } from '../../../core/index.js';

/** Symbols drawn lately: a dialog re-rendered by a sync draws its payment QR once, not each time. */
const drawn = new Map<string, string>();
const svg = (bcid: string, text: string, extra: Record<string, unknown> = {}) => {
  const key = `${bcid}\n${text}`;
  const hit = drawn.get(key);
  if (hit !== undefined) return hit;
  const made = bwipjs.toSVG({ bcid, text, ...extra });
  if (drawn.size >= 16) drawn.delete(drawn.keys().next().value!);
  drawn.set(key, made);
  return made;
};

/** The print documents' symbols drawn for the screen (as the print page draws them): a ticket's QR, a payment QR. */
export const symbols: Symbols = {
  qr: (data) => svg('qrcode', data, { eclevel: 'M' }),
  code128: (data) => svg('code128', data, { height: 8 }),
  ean13: (data) => svg('ean13', data.slice(0, 12), { height: 10, includetext: true }),
};
