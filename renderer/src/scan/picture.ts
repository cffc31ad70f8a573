import { decodeFrame, makeReader } from './camera/decode.js';

/** The sizes (longest side, px) a picture is read at, in turn: a photo of a printed code, a screenshot, a small scan. */
const SIZES = [1_200, 600, 2_400] as const;

/**
 * Reads a code from a picture (a photo or a scan of a printed code, a screenshot of a payment
 * app's code): drawn at each of `SIZES` in turn, and read by the camera's own decoder, which keeps
 * only texts `accepts` takes. Answers null when no size reads one, or the file is not a picture.
 */
export async function readCodeInPicture(file: Blob, accepts: (text: string) => boolean): Promise<string | null> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return null;
  }
  try {
    const reader = makeReader(accepts);
    for (const size of SIZES) {
      const scale = Math.min(1, size / Math.max(bitmap.width, bitmap.height));
      const width = Math.max(1, Math.round(bitmap.width * scale));
      const height = Math.max(1, Math.round(bitmap.height * scale));
      const canvas = new OffscreenCanvas(width, height);
      const g = canvas.getContext('2d', { willReadFrequently: true });
      if (!g) return null;
      // A code on a transparent background (a PNG) reads as dark on white.
      g.fillStyle = '#fff';
      g.fillRect(0, 0, width, height);
      g.drawImage(bitmap, 0, 0, width, height);
      const read = decodeFrame(reader, g.getImageData(0, 0, width, height).data, width, height);
      if (read) return read.text;
      if (scale === 1) break;
    }
    return null;
  } finally {
    bitmap.close();
  }
}
