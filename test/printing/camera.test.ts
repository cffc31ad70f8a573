import { describe, expect, it } from 'vitest';
import { makeCardCode, makeEan, makeTicketCode, parseCardCode, parseEan, parseTicketCode, receiptNumber } from '../../core/index.js';
import { decodeFrame, makeReader } from '../../renderer/src/scan/camera/decode.js';
import { onFrame, renderCode, VARIANTS, type Symbology } from '../support/barcodeImages.js';

/**
 * The camera decoder on real images: codes rendered by an independent generator, placed on a
 * 640×480 frame, then turned, tilted, blurred, noisy and washed out. What it reads goes through
 * the same parsers as a wedge scan.
 */
const ticket = makeTicketCode({ centreId: 'wzgl', day: '2026-11-25', sittingId: 'lunch', number: '10' });
const CODES: readonly { bcid: Symbology; text: string }[] = [
  { bcid: 'qrcode', text: makeCardCode(123, 1) },
  { bcid: 'qrcode', text: ticket },
  { bcid: 'code128', text: makeCardCode(8507, 2) },
  { bcid: 'code128', text: receiptNumber('K01', 42) },
  { bcid: 'ean13', text: makeEan('690100100000') },
  { bcid: 'ean8', text: makeEan('9638507') },
];

describe('camera decoding', () => {
  const reader = makeReader();

  it('reads every code on a clean frame, and the parsers accept what it read', async () => {
    for (const c of CODES) {
      const f = onFrame(await renderCode(c.bcid, c.text));
      const decoded = decodeFrame(reader, f.rgba, f.width, f.height);
      expect(decoded?.text).toBe(c.text);
    }
    expect(parseCardCode(makeCardCode(123, 1)).ok).toBe(true);
    expect(parseEan(makeEan('690100100000')).ok).toBe(true);
    expect(parseTicketCode(ticket, { centreId: 'wzgl', day: '2026-11-25' }).ok).toBe(true);
  });

  it('reads most spoiled frames, and never reads a wrong code', async () => {
    let read = 0;
    let tried = 0;
    const misses: string[] = [];
    for (const c of CODES) {
      const frame = onFrame(await renderCode(c.bcid, c.text));
      for (const v of VARIANTS) {
        const f = v.spoil(frame);
        // Two frames in a row, as the camera loop reads them: as seen, then turned a quarter.
        const decoded = decodeFrame(reader, f.rgba, f.width, f.height) ?? decodeFrame(reader, f.rgba, f.width, f.height, true);
        tried++;
        if (decoded) expect(decoded.text).toBe(c.text);
        if (decoded?.text === c.text) read++;
        else misses.push(`${c.bcid} ${v.name}`);
      }
    }
    // The figure is printed by `npm run bench` (camera_decode_success); here it must not slip.
    expect(read / tried, `missed: ${misses.join(', ')}`).toBeGreaterThanOrEqual(0.8);
  });

  it('finds nothing on a frame without a code', () => {
    const empty = new Uint8ClampedArray(640 * 480 * 4).fill(200);
    expect(decodeFrame(reader, empty, 640, 480)).toBeNull();
  });
});
