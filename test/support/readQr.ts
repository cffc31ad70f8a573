import { createRequire } from 'node:module';
import { PNG } from 'pngjs';
import type * as Zxing from '@zxing/library';

// Playwright's loader cannot take @zxing/library's named exports (its ESM build), so the test
// reads it as CommonJS, as Node resolves it.
const zxing = createRequire(import.meta.url)('@zxing/library') as typeof Zxing;

/** What the QR code in a PNG (a screenshot of a screen's code) says, or null: zxing's own QR reader, on the picture's grey levels. */
export function readQrInPng(png: Buffer): string | null {
  const img = PNG.sync.read(png);
  const grey = new Uint8ClampedArray(img.width * img.height);
  for (let i = 0; i < grey.length; i++) grey[i] = (img.data[4 * i]! * 299 + img.data[4 * i + 1]! * 587 + img.data[4 * i + 2]! * 114) / 1000;
  const bitmap = new zxing.BinaryBitmap(new zxing.HybridBinarizer(new zxing.RGBLuminanceSource(grey, img.width, img.height)));
  try {
    return new zxing.QRCodeReader().decode(bitmap).getText();
  } catch {
    return null;
  }
}
