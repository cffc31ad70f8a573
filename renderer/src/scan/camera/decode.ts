import {
  BarcodeFormat, BinaryBitmap, DecodeHintType, HybridBinarizer, MultiFormatReader, NotFoundException, RGBLuminanceSource,
} from '@zxing/library';

/**
 * Decodes one camera frame with zxing: only the formats Linli prints or reads (QR for cards
 * and tickets on phones, Code 128 for card and receipt numbers, EAN-13/8 for goods), so each frame
 * costs less and nothing else is misread. The frame is RGBA as a canvas gives it; the kiosk
 * scales it down to at most 640 px wide before it gets here. Runs in the camera worker and in
 * the tests on the same code.
 */
export type Decoded = { text: string; format: 'QR' | 'CODE128' | 'EAN13' | 'EAN8' };

const FORMATS = new Map<BarcodeFormat, Decoded['format']>([
  [BarcodeFormat.QR_CODE, 'QR'], [BarcodeFormat.CODE_128, 'CODE128'], [BarcodeFormat.EAN_13, 'EAN13'], [BarcodeFormat.EAN_8, 'EAN8'],
]);

/**
 * A reader for the formats in use. Not zxing's TRY_HARDER: on the test frames it read nothing
 * more (the turned frames of the camera loop do that job) and took six times as long.
 */
export function makeReader(): MultiFormatReader {
  const reader = new MultiFormatReader();
  reader.setHints(new Map<DecodeHintType, unknown>([[DecodeHintType.POSSIBLE_FORMATS, [...FORMATS.keys()]]]));
  return reader;
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

/**
 * Decodes a frame, or answers null when it holds no code the reader can read. QR codes read at
 * any angle; 1D codes only across, so the camera loop turns every other frame a quarter
 * (`turned`): a card held sideways is read on the next frame, and no frame costs two decodes.
 */
export function decodeFrame(reader: MultiFormatReader, rgba: Uint8ClampedArray | Uint8Array, width: number, height: number, turned = false): Decoded | null {
  const grey = luminance(rgba, width, height);
  const source = turned ? new RGBLuminanceSource(turnQuarter(grey, width, height), height, width) : new RGBLuminanceSource(grey, width, height);
  const bitmap = new BinaryBitmap(new HybridBinarizer(source));
  try {
    const result = reader.decodeWithState(bitmap);
    const format = FORMATS.get(result.getBarcodeFormat());
    return format ? { text: result.getText(), format } : null;
  } catch (err) {
    if (err instanceof NotFoundException || (err instanceof Error && /Checksum|Format/.test(err.name))) return null;
    throw err;
  } finally {
    reader.reset();
  }
}
