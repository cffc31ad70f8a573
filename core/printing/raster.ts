import { PAPER_DOTS, type Paper, type PrintDoc, type PrintLine } from './document.js';
import { allInGbk } from './gbk.js';

/**
 * Lines the printer's font cannot print, drawn as bitmaps. A name with a character outside GBK
 * (𠀾 U+2003E, in CJK Extension B) would print as a blank or a wrong glyph; the kiosk, which has
 * fonts (Chromium's canvas), draws such a line and the printer prints the dots (`GS v 0`). Main
 * stays free of fonts: the document reaches it already drawn.
 *
 * The whole line becomes one bitmap the width of the paper (a printer cannot mix a raster image
 * and text on one line), drawn on the printer's own grid: a column is 12 dots at normal size,
 * a line 24 dots high, both times the line's size, so the line keeps its place, its alignment and
 * its columns. For example, `居民          𠀾*明` on 58 mm paper (32 columns) becomes a bitmap
 * of 384 × 24 dots, 𠀾 in dots 324–347.
 */

/** A 1-bit image as a rasterizer draws it: `height` rows of ceil(width / 8) bytes, the leftmost dot in the high bit, 1 black. */
export type Bitmap = { width: number; height: number; bits: Uint8Array };

/**
 * Draws a line of text `height` dots high on the printer's grid: each character centred in its
 * cells, `height / 2` dots a column, two columns for anything not ASCII (`charColumns`). So the
 * bitmap is `textColumns(text) * height / 2` dots wide.
 */
export type Rasterize = (text: string, options: { height: number; bold: boolean }) => Bitmap;

/** Dots a line of text is high at normal size: the printer's 24 × 24 font. */
export const LINE_DOTS = 24;

/** The document with every text line the printer's font cannot print drawn as a raster line. */
export function rasterizeOutsideGbk(doc: PrintDoc, rasterize: Rasterize): PrintDoc {
  return { ...doc, lines: doc.lines.map((l) => (l.kind === 'text' && !allInGbk(l.text) ? rasterLine(l, doc.paper, rasterize) : l)) };
}

function rasterLine(line: Extract<PrintLine, { kind: 'text' }>, paper: Paper, rasterize: Rasterize): PrintLine {
  const height = LINE_DOTS * line.size;
  const drawn = rasterize(line.text, { height, bold: line.bold });
  // The paper's width, the drawing placed in it as the line is aligned (and cut to it, should a
  // rasterizer draw wider than it was asked to).
  const width = PAPER_DOTS[paper];
  const w = Math.min(drawn.width, width);
  const x0 = line.align === 'left' ? 0 : line.align === 'right' ? width - w : Math.floor((width - w) / 2);
  const out = new Uint8Array((width / 8) * height);
  for (let y = 0; y < Math.min(height, drawn.height); y++) {
    for (let x = 0; x < w; x++) {
      if (!isBlack(drawn.bits, drawn.width, x, y)) continue;
      const at = y * (width / 8) + ((x0 + x) >> 3);
      out[at] = (out[at] ?? 0) | (0x80 >> ((x0 + x) & 7));
    }
  }
  return { kind: 'raster', text: line.text, width, height, bits: toHex(out) };
}

/** Whether dot (x, y) of a bitmap `width` dots wide is black (rows of ceil(width / 8) bytes, high bit leftmost). */
export function isBlack(bits: Uint8Array, width: number, x: number, y: number): boolean {
  return ((bits[y * Math.ceil(width / 8) + (x >> 3)] ?? 0) & (0x80 >> (x & 7))) !== 0;
}

/** Bytes as lowercase hex, as a raster line carries them. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += (b < 16 ? '0' : '') + b.toString(16);
  return s;
}

/** The bytes of a raster line's hex, exactly `length` of them (missing ones white). */
export function fromHex(hex: string, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length && 2 * i + 1 < hex.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16) || 0;
  return out;
}
