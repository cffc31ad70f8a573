import bwipjs from 'bwip-js/browser';
import type { Symbols } from '../../../core/index.js';

const svg = (bcid: string, text: string, extra: Record<string, unknown> = {}) => bwipjs.toSVG({ bcid, text, ...extra });

/** The print documents' symbols drawn for the screen (as the print page draws them): a ticket's QR, a payment QR. */
export const symbols: Symbols = {
  qr: (data) => svg('qrcode', data, { eclevel: 'M' }),
  code128: (data) => svg('code128', data, { height: 8 }),
  ean13: (data) => svg('ean13', data.slice(0, 12), { height: 10, includetext: true }),
};
