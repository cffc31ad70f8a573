import { charColumns, rasterizeOutsideGbk, type Bitmap, type LinliBridge, type Rasterize } from '../../../core/index.js';

/**
 * The kiosk draws the lines a printer's font cannot print (a name with 𠀾, outside GBK) as
 * bitmaps before a job goes to main, which has no fonts: Chromium's canvas has the system's, and
 * falls back per character as a page does. Each character is drawn centred in its cells on the
 * printer's grid (`core/printing/raster.ts`), so the line keeps its columns.
 */
const FONTS = '"Noto Sans Mono CJK SC", "Noto Sans CJK SC", "Microsoft YaHei", SimSun, "SimSun-ExtB", "MingLiU-ExtB", sans-serif';

/** Draws a text line with the canvas, black on white, thresholded to 1 bit. */
export const canvasRasterizer: Rasterize = (text, { height, bold }): Bitmap => {
  const cell = height / 2;
  const chars = Array.from(text);
  const width = chars.reduce((w, ch) => w + charColumns(ch) * cell, 0);
  const row = Math.ceil(width / 8);
  const bits = new Uint8Array(row * height);
  if (width === 0) return { width, height, bits };
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2d canvas to draw a print line');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#000';
  // Glyphs a little smaller than the line, as the printer's 24 × 24 font leaves a gap between rows.
  ctx.font = `${bold ? 'bold ' : ''}${Math.round(height * 0.9)}px ${FONTS}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  let x = 0;
  for (const ch of chars) {
    const w = charColumns(ch) * cell;
    // At most its cells wide: a glyph wider than them is squeezed, never spills into the next.
    ctx.fillText(ch, x + w / 2, height / 2, w);
    x += w;
  }
  const { data } = ctx.getImageData(0, 0, width, height);
  for (let y = 0; y < height; y++) {
    for (let px = 0; px < width; px++) {
      const i = 4 * (y * width + px);
      const luma = 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
      if (luma < 128) bits[y * row + (px >> 3)]! |= 0x80 >> (px & 7);
    }
  }
  return { width, height, bits };
};

/** The bridge with every print job's lines the printer cannot print drawn as bitmaps first. */
export function drawingUnprintableLines(bridge: LinliBridge): LinliBridge {
  return {
    ...bridge,
    print: (job) => bridge.print({ ...job, doc: rasterizeOutsideGbk(job.doc, canvasRasterizer) }),
    reprint: (job) => bridge.reprint({ ...job, doc: rasterizeOutsideGbk(job.doc, canvasRasterizer) }),
  };
}
