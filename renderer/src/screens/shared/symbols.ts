import { code128, drawingSVG, ean13, qrcode } from 'bwip-js/browser';
import type { Symbols } from '../../../../core/index.js';

/** bwip-js's options for one symbol (its typings lack some encoders' own options, such as eclevel). */
const options = (bcid: string, text: string, extra: Record<string, unknown> = {}) => ({ bcid, text, ...extra });

/**
 * The symbols of printed documents (QR, Code 128, EAN-13) drawn as SVG by bwip-js, for the
 * counter's print views, as the print page (print.ts) draws them. bwip-js comes whole (it does not
 * shake): one chunk shared with the print page, loaded at start so it is there offline.
 */
export const symbols: Symbols = {
  qr: (data) => qrcode(options('qrcode', data, { eclevel: 'M' }), drawingSVG()),
  code128: (data) => code128(options('code128', data, { height: 8 }), drawingSVG()),
  ean13: (data) => ean13(options('ean13', data.slice(0, 12), { height: 10, includetext: true }), drawingSVG()),
};
