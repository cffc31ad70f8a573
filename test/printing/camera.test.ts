import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeCardCode, makeEan, makeStaffCardCode, makeTicketCode, parseCardCode, parseEan, parseTicketCode } from '../../core/index.js';
import { decodeFrame, isLinliCode, makeReader, readFrame } from '../../renderer/src/scan/camera/decode.js';
import { CAMERA_CODES as CODES, FOREIGN_CODES, HARD_CODES, HARD_VARIANTS, LONG_CODES, middle, onFrame, renderCode, scaleDown, VARIANTS, type Frame } from '../support/barcodeImages.js';

/**
 * The camera decoder on real images: codes rendered by an independent generator, placed on a
 * 640×480 frame, then turned, tilted, blurred, noisy and washed out; and small Code 128 on a
 * 1280×720 frame, read as the kiosk reads it (scaled to 640 px, then the middle at full
 * resolution). What it reads goes through the same parsers as a wedge scan.
 */
const ticket = makeTicketCode({ centreId: 'wzgl', day: '2026-11-25', sittingId: 'lunch', number: '10' });

/** Two frames in a row, as the camera loop reads them: as seen, then turned a quarter. */
const twoFrames = (reader: ReturnType<typeof makeReader>, f: Frame, centre?: Frame) => readFrame(reader, f, centre) ?? readFrame(reader, f, centre, true);

/**
 * Each code under each of the harder set's spoilings on a 1280×720 frame, read as the kiosk reads
 * it (the scaled frame, then its middle) and by the scaled frame alone: what was read, missed, misread.
 */
async function readHarderSet(reader: ReturnType<typeof makeReader>, codes: readonly string[]) {
  let read = 0;
  let scaledOnly = 0;
  const misses: string[] = [];
  const wrong: string[] = [];
  for (const text of codes) {
    const render = await renderCode('code128', text, { scale: 4, padding: 0 });
    for (const v of HARD_VARIANTS) {
      const camera = v.make(render);
      const scaled = scaleDown(camera);
      const decoded = twoFrames(reader, scaled, middle(camera, scaled.width, scaled.height));
      if (decoded && decoded.text !== text) wrong.push(`${text} ${v.name}: ${decoded.text}`);
      if (decoded?.text === text) read++;
      else misses.push(`${text} ${v.name}`);
      if (twoFrames(reader, scaled)?.text === text) scaledOnly++;
    }
  }
  return { read, scaledOnly, misses, wrong, tried: codes.length * HARD_VARIANTS.length };
}

describe('camera decoding', () => {
  const reader = makeReader();
  afterEach(() => vi.restoreAllMocks());

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
        const decoded = twoFrames(reader, v.spoil(frame));
        tried++;
        if (decoded) expect(decoded.text).toBe(c.text);
        if (decoded?.text === c.text) read++;
        else misses.push(`${c.bcid} ${v.name}`);
      }
    }
    // The figure is printed by `npm run bench` (camera_decode_success_standard); here it must not slip.
    expect(read / tried, `missed: ${misses.join(', ')}`).toBeGreaterThanOrEqual(0.8);
  });

  it('reads small, blurred and slanted Code 128 on a 1280×720 frame through its middle at full resolution, and never a wrong code', async () => {
    const foreign = await renderCode('code128', FOREIGN_CODES[0]!.text, { scale: 4, padding: 0 });
    for (const v of HARD_VARIANTS) {
      const camera = v.make(foreign);
      const scaled = scaleDown(camera);
      expect(twoFrames(reader, scaled, middle(camera, scaled.width, scaled.height)), v.name).toBeNull();
    }
    const { read, scaledOnly, misses, wrong, tried } = await readHarderSet(reader, HARD_CODES);
    expect(wrong).toEqual([]);
    // Scaled to 640 px, bars of 1 px: the scaled frame alone reads almost none of these.
    expect(scaledOnly / tried).toBeLessThan(0.2);
    // 44 of 45 (42 before a row was tried again sharpened).
    expect(read / tried, `missed: ${misses.join(', ')}`).toBeGreaterThanOrEqual(0.95);
  });

  it('decodes 18-character Code 128s small, blurred and slanted on a 1280×720 frame (a reader told to accept them), never a wrong code', async () => {
    const anyCode = makeReader(() => true);
    const { read, scaledOnly, misses, wrong, tried } = await readHarderSet(anyCode, LONG_CODES);
    expect(wrong).toEqual([]);
    // The frame scaled to 640 px, as the camera read before: almost none.
    expect(scaledOnly / tried).toBeLessThan(0.2);
    expect(read / tried, `missed: ${misses.join(', ')}`).toBeGreaterThanOrEqual(0.8);
  });

  it('hands on only Linli codes: someone else\'s Code 128 or QR code is not a read', async () => {
    for (const { bcid, text } of [...FOREIGN_CODES, { bcid: 'code128', text: 'LL0000850728' }, { bcid: 'ean13', text: '4006381333931' }] as const) {
      expect(isLinliCode(text)).toBe(bcid === 'ean13');
      const f = onFrame(await renderCode(bcid, text));
      expect(decodeFrame(reader, f.rgba, f.width, f.height)?.text ?? null).toBe(bcid === 'ean13' ? text : null);
    }
    for (const text of [makeCardCode(1, 1), makeStaffCardCode(1), ticket, ticket.toLowerCase(), 'K01-000042', 'T-K01-000007', makeEan('9638507')]) expect(isLinliCode(text), text).toBe(true);
  });

  it('writes nothing to the console while it reads (zxing warned on almost every frame)', async () => {
    const warn = vi.spyOn(console, 'warn');
    const log = vi.spyOn(console, 'log');
    const empty = new Uint8ClampedArray(640 * 480 * 4).fill(200);
    for (let i = 0; i < 4; i++) decodeFrame(reader, empty, 640, 480, i % 2 === 1);
    const f = onFrame(await renderCode('qrcode', makeCardCode(123, 1)));
    decodeFrame(reader, f.rgba, f.width, f.height);
    const small = HARD_VARIANTS[2]!.make(await renderCode('code128', makeCardCode(8507, 2), { scale: 4, padding: 0 }));
    const scaled = scaleDown(small);
    readFrame(reader, scaled, middle(small, scaled.width, scaled.height));
    expect(warn).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
  });

  it('finds nothing on a frame without a code', () => {
    const empty = new Uint8ClampedArray(640 * 480 * 4).fill(200);
    expect(decodeFrame(reader, empty, 640, 480)).toBeNull();
    const camera = new Uint8ClampedArray(1280 * 720 * 4).fill(200);
    expect(readFrame(reader, scaleDown({ rgba: camera, width: 1280, height: 720 }), { rgba: camera.subarray(0, 640 * 360 * 4), width: 640, height: 360 })).toBeNull();
  });
});
