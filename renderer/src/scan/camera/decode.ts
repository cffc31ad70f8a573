import {
  BarcodeFormat, BinaryBitmap, BitArray, DecodeHintType, Exception, HybridBinarizer, MultiFormatOneDReader, QRCodeReader, RGBLuminanceSource, type Result,
} from '@zxing/library';
import { parseCardCode, parseEan, parseStaffCardCode, readTicketCode } from '../../../../core/index.js';

/**
 * Decodes camera frames with zxing: only the formats Linli prints or reads (QR for cards and
 * tickets on phones, Code 128 for card and receipt numbers, EAN-13/8 for goods), so each frame
 * costs less and nothing else is misread. Frames are RGBA as a canvas gives them. Runs in the
 * camera worker and in the tests on the same code.
 *
 * Two looks at a frame, the second only when the first read nothing:
 *   1. the whole frame, scaled down to at most 640 px wide (camera.ts): fast, and enough for a
 *      code that fills a good part of the view;
 *   2. the middle of the frame at the camera's own resolution (`centre`), read row by row with
 *      sub-pixel edges (`readRowsFinely`) and as a QR code: a card or receipt held far off, or
 *      a little out of focus, whose bars are under 2 px wide once scaled.
 *
 * A text is handed on only when it is one of Linli's codes with its check (`isLinliCode`): the
 * rest is a misread, or someone else's code, and is not a read.
 *
 * zxing's own MultiFormatReader is not used: in @zxing/library 0.23 it logs a console warning
 * ("non-ReaderException from reader") for every reader that finds nothing, because its
 * NotFoundException does not extend the ReaderException it checks for, so almost every frame
 * logged. The two readers it would run for these formats are called here directly instead.
 */
export type Decoded = { text: string; format: 'QR' | 'CODE128' | 'EAN13' | 'EAN8' };

/** Pixels of a frame, or of its middle, as a canvas gives them. */
export type Pixels = { rgba: Uint8ClampedArray | Uint8Array; width: number; height: number };

const FORMATS = new Map<BarcodeFormat, Decoded['format']>([
  [BarcodeFormat.QR_CODE, 'QR'], [BarcodeFormat.CODE_128, 'CODE128'], [BarcodeFormat.EAN_13, 'EAN13'], [BarcodeFormat.EAN_8, 'EAN8'],
]);

/**
 * The readers for the formats in use, made once per worker (they keep state between frames), and
 * which texts are a read (`accepts`: Linli's codes; the tests and the bench also measure the
 * decoding itself on codes Linli does not print, such as an 18-character waybill or ID number).
 */
export type FrameReader = { oneD: MultiFormatOneDReader; qr: QRCodeReader; hints: Map<DecodeHintType, unknown>; accepts(text: string): boolean };

/**
 * A reader for the formats in use. Not zxing's TRY_HARDER: on the test frames it read nothing
 * more (the turned frames of the camera loop do that job) and took six times as long.
 */
export function makeReader(accepts: (text: string) => boolean = isLinliCode): FrameReader {
  const hints = new Map<DecodeHintType, unknown>([[DecodeHintType.POSSIBLE_FORMATS, [...FORMATS.keys()]]]);
  return { oneD: new MultiFormatOneDReader(hints), qr: new QRCodeReader(), hints, accepts };
}

/** A receipt number (K01-000042) or a tool-loan stub number (T-K01-000007): device code and seq. */
const RECEIPT = /^(T-)?[KCS]\d{2,4}-\d{6,}$/;

/**
 * Whether a decoded text is one of Linli's codes: a resident card (Luhn check), a staff card
 * (Luhn check), an EAN-13/8 goods code (check digit), a meal ticket (its two check characters),
 * or a receipt or stub number (no check of its own: it is printed only as Code 128, whose check
 * symbol zxing has verified).
 */
export function isLinliCode(text: string): boolean {
  return parseCardCode(text).ok || parseStaffCardCode(text).ok || parseEan(text).ok || readTicketCode(text).ok || RECEIPT.test(text);
}

/** Grey levels of an RGBA frame (ITU-R BT.601 weights, in integers). */
export function luminance(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(width * height);
  for (let i = 0, p = 0; i < out.length; i++, p += 4) out[i] = (rgba[p]! * 77 + rgba[p + 1]! * 150 + rgba[p + 2]! * 29) >> 8;
  return out;
}

/** Grey levels turned a quarter clockwise: a 1D code held sideways reads across. */
export function turnQuarter(grey: Uint8ClampedArray, width: number, height: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(grey.length);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[x * height + (height - 1 - y)] = grey[y * width + x]!;
  return out;
}

/** Grey levels of a frame, turned a quarter when asked, with the width and height they then have. */
function greyOf(p: Pixels, turned: boolean): { grey: Uint8ClampedArray; width: number; height: number } {
  const grey = luminance(p.rgba, p.width, p.height);
  return turned ? { grey: turnQuarter(grey, p.width, p.height), width: p.height, height: p.width } : { grey, width: p.width, height: p.height };
}

/** A code the reader accepts (a Linli code) out of a zxing result, or null for none, another format or someone else's code. */
function accepted(reader: FrameReader, result: Result | null): Decoded | null {
  const format = result && FORMATS.get(result.getBarcodeFormat());
  return format && reader.accepts(result.getText()) ? { text: result.getText(), format } : null;
}

/** Runs one zxing reader; its exceptions (not found, checksum, format) mean nothing was read. */
function attempt(read: () => Result): Result | null {
  try {
    return read();
  } catch (err) {
    if (err instanceof Exception) return null;
    throw err;
  }
}

/**
 * Decodes a frame as it is (look 1), or answers null when it holds no Linli code the readers
 * can read. 1D codes read only across, so the camera loop turns every other frame a quarter
 * (`turned`): a card held sideways is read on the next frame, and no frame costs two decodes.
 * QR codes read at any angle, so they are looked for on the frames not turned: zxing's QR finder
 * can spend 100 ms and more on the bars of a 1D code, and every other frame is enough.
 */
export function decodeFrame(reader: FrameReader, rgba: Uint8ClampedArray | Uint8Array, width: number, height: number, turned = false): Decoded | null {
  const g = greyOf({ rgba, width, height }, turned);
  const bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(g.grey, g.width, g.height)));
  try {
    return accepted(reader, attempt(() => reader.oneD.decode(bitmap, reader.hints))) ?? (turned ? null : accepted(reader, attempt(() => reader.qr.decode(bitmap, reader.hints))));
  } finally {
    reader.oneD.reset();
    reader.qr.reset();
  }
}

/**
 * Look 2: the middle of the frame at the camera's resolution. 1D codes row by row with
 * sub-pixel edges, then, on frames not turned, QR codes with zxing as in look 1.
 */
export function decodeCentre(reader: FrameReader, centre: Pixels, turned = false): Decoded | null {
  const g = greyOf(centre, turned);
  const row = readRowsFinely(reader, g.grey, g.width, g.height);
  if (row || turned) return row;
  const bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(g.grey, g.width, g.height)));
  try {
    return accepted(reader, attempt(() => reader.qr.decode(bitmap, reader.hints)));
  } finally {
    reader.qr.reset();
  }
}

/** Both looks, as the worker takes a frame: the scaled frame, then its middle when that read nothing. */
export function readFrame(reader: FrameReader, frame: Pixels, centre: Pixels | undefined, turned = false): Decoded | null {
  return decodeFrame(reader, frame.rgba, frame.width, frame.height, turned) ?? (centre ? decodeCentre(reader, centre, turned) : null);
}

/**
 * Samples per pixel after interpolation, rows averaged either side, local threshold window (px), rows
 * tried, and how much of a row's second difference a second try takes away (a row less 0.4 of its
 * blur: on the harder test set it read 44 of 45 frames of Linli's codes, not 42, and 23 of 27 of
 * 18-character codes, not 21; more sharpening read fewer).
 */
const FINE = { upsample: 4, rowsEitherSide: 2, windowPx: 16, lines: 25, sharpen: 0.4 } as const;
/** Grey levels between a row's darkest and lightest pixel below which no code crosses it. */
const MIN_CONTRAST = 24;
/** Edges across the shortest code read here: EAN-8 is 43 bars and spaces, so 44 edges with the paper either side. */
const MIN_EDGES = 40;

/**
 * Reads 1D codes whose bars are only 1.5 to 3 px wide, which zxing's own row binarizer (one
 * threshold a row, whole pixels) cannot: bars that narrow put an edge in the middle of a pixel,
 * and a whole-pixel cut makes a bar up to a pixel, half a module or more, too wide or too narrow.
 *
 * For each of 25 rows from the middle out (as zxing's 1D reader picks them):
 *   - average 5 rows (the bars run down, so this only takes noise out),
 *   - interpolate 4 samples a pixel, so an edge falls between the right samples,
 *   - cut at the midpoint of the darkest and lightest level within 16 px (a local threshold:
 *     blur and uneven light leave a narrow space greyer than a wide one), or at the row's
 *     midpoint where the window holds no edge (paper, or inside a wide bar),
 *   - hand the bits to zxing's own row decoders (Code 128, EAN), forwards and reversed; the
 *     first row that decodes answers (a code that is not Linli's is no read);
 *   - a row that reads nothing is tried once more sharpened (`FINE.sharpen`): a blur runs the
 *     narrow spaces of a small code into its bars, and taking some of the row's second
 *     difference away parts them again.
 *
 * Worked example: a space from x = 10.6 to 13.2 (2.6 px, one module) between two bars. Pixels
 * 10 to 13 are 40 %, 100 %, 100 % and 20 % light. Cut whole at 50 %, the space is 2 px (pixels
 * 11 and 12); half a pixel to the left it would be 3: a module read as 0.8 or 1.2. Interpolated
 * between pixel centres, the level crosses 50 % at 10.67 and 13.13: 2.46 px, within a tenth.
 */
export function readRowsFinely(reader: FrameReader, grey: Uint8ClampedArray, width: number, height: number): Decoded | null {
  const k = FINE.upsample;
  const n = width * k;
  const profile = new Float32Array(width);
  const sharpened = new Float32Array(width);
  const fine = new Float32Array(n);
  const darkest = new Float32Array(n);
  const lightest = new Float32Array(n);
  const bits = new BitArray(n);
  const rows = 2 * FINE.rowsEitherSide + 1;
  const step = Math.max(1, height >> 5);
  const middle = height >> 1;
  /** One row's profile cut into bars and handed to zxing's row decoders: a result, or null. */
  const readProfile = (y: number, levels: Float32Array, lo: number, hi: number): Result | null => {
    for (let x = 0; x < n; x++) {
      const at = Math.min(width - 1, Math.max(0, (x + 0.5) / k - 0.5));
      const x0 = Math.min(width - 2, Math.floor(at));
      const t = at - x0;
      fine[x] = levels[x0]! * (1 - t) + levels[x0 + 1]! * t;
    }
    const halfWindow = (FINE.windowPx * k) >> 1;
    slidingMin(fine, halfWindow, darkest);
    slidingMax(fine, halfWindow, lightest);
    const minSwing = (hi - lo) / 4;
    const rowMid = (hi + lo) / 2;
    bits.clear();
    let edges = 0;
    let dark = false;
    for (let x = 0; x < n; x++) {
      const swing = lightest[x]! - darkest[x]!;
      const isDark = fine[x]! < (swing >= minSwing ? (lightest[x]! + darkest[x]!) / 2 : rowMid);
      if (isDark) bits.set(x);
      if (isDark !== dark) edges++;
      dark = isDark;
    }
    // Fewer edges than the shortest code has (MIN_EDGES): no code on this row.
    if (edges < MIN_EDGES) return null;
    for (let pass = 0; pass < 2; pass++) {
      if (pass === 1) bits.reverse();
      const result = attempt(() => reader.oneD.decodeRow(y, bits, reader.hints));
      if (result) return result;
    }
    return null;
  };
  for (let i = 0; i < FINE.lines; i++) {
    const y = middle + step * (i % 2 === 0 ? i / 2 : -(i + 1) / 2);
    if (y - FINE.rowsEitherSide < 0 || y + FINE.rowsEitherSide >= height) continue;
    profile.fill(0);
    for (let dy = -FINE.rowsEitherSide; dy <= FINE.rowsEitherSide; dy++) {
      const off = (y + dy) * width;
      for (let x = 0; x < width; x++) profile[x] = profile[x]! + grey[off + x]!;
    }
    let lo = Infinity;
    let hi = -Infinity;
    for (let x = 0; x < width; x++) {
      lo = Math.min(lo, profile[x]!);
      hi = Math.max(hi, profile[x]!);
    }
    // A row no code crosses (bare paper, a hand): not worth the decoders' time.
    if (hi - lo < MIN_CONTRAST * rows) continue;
    const plain = readProfile(y, profile, lo, hi);
    // Someone else's code in the middle: the other rows would read it too.
    if (plain) return accepted(reader, plain);
    // Then sharpened (the row less its blur), which parts narrow bars a blur ran together. Cut at the
    // plain row's levels (sharpening overshoots them a little, which only deepens the cut). A sharpened
    // read counts only as an accepted Code 128, whose check symbol is strong; anything else is no
    // read, and the next row is tried.
    sharpened[0] = profile[0]!;
    sharpened[width - 1] = profile[width - 1]!;
    for (let x = 1; x < width - 1; x++) sharpened[x] = profile[x]! + FINE.sharpen * (2 * profile[x]! - profile[x - 1]! - profile[x + 1]!);
    const sharp = readProfile(y, sharpened, lo, hi);
    const taken = sharp && accepted(reader, sharp);
    if (taken && taken.format === 'CODE128') return taken;
  }
  return null;
}

/** The darkest value within `half` samples either side of each sample, into `out`: a monotonic queue, O(n). */
function slidingMin(values: Float32Array, half: number, out: Float32Array): void {
  const n = values.length;
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  let next = 0;
  for (let x = 0; x < n; x++) {
    for (; next < n && next <= x + half; next++) {
      while (tail > head && values[next]! <= values[queue[tail - 1]!]!) tail--;
      queue[tail++] = next;
    }
    while (queue[head]! < x - half) head++;
    out[x] = values[queue[head]!]!;
  }
}

/** The lightest value within `half` samples either side of each sample, into `out` (as `slidingMin`). */
function slidingMax(values: Float32Array, half: number, out: Float32Array): void {
  const n = values.length;
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  let next = 0;
  for (let x = 0; x < n; x++) {
    for (; next < n && next <= x + half; next++) {
      while (tail > head && values[next]! >= values[queue[tail - 1]!]!) tail--;
      queue[tail++] = next;
    }
    while (queue[head]! < x - half) head++;
    out[x] = values[queue[head]!]!;
  }
}
