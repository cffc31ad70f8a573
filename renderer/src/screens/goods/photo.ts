import { MAX_PHOTO_CHARS } from '../../../../core/index.js';

/**
 * A photo or picture file as the goods' photo: drawn at most `maxSide` px on its longer side on a
 * white ground, as JPEG, the quality lowered until it fits `MAX_PHOTO_CHARS` (a phone's 4000 px
 * photo of 5 MB becomes about 15 KB). Throws when the file is not a picture the browser reads.
 */
export async function photoFromFile(file: Blob, maxSide = 320): Promise<string> {
  const bitmap = await createImageBitmap(file);
  try {
    for (const side of [maxSide, maxSide / 2]) {
      const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
      const canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      const g = canvas.getContext('2d')!;
      g.fillStyle = '#fff';
      g.fillRect(0, 0, canvas.width, canvas.height);
      g.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      for (const quality of [0.8, 0.6, 0.4]) {
        const url = canvas.toDataURL('image/jpeg', quality);
        if (url.length <= MAX_PHOTO_CHARS) return url;
      }
    }
    throw new Error('the picture does not fit even small');
  } finally {
    bitmap.close();
  }
}
