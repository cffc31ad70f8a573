import iconv from 'iconv-lite';

/**
 * Reads ESC/POS bytes back, as a printer would: the text lines (decoded from GB18030) with the
 * size and alignment they print at and the columns they take, the raster images, and the commands
 * in between. Written for the tests, from the command reference, independently of the renderer.
 *
 * Columns are counted as a printer in Chinese mode counts them, from the bytes: a one-byte
 * character (ASCII) takes one column of its 12×24 font, a character of two or four bytes is drawn
 * from the 24×24 font and takes two. A four-byte character lies outside GBK, where most printer
 * fonts have no glyph: `fourByte` counts them, so a test can say none was sent.
 */
export type DecodedLine = {
  text: string; size: 1 | 2 | 4; align: 'left' | 'center' | 'right'; bold: boolean;
  /** Columns at normal size; the line takes `columns * size` of the paper's. */
  columns: number;
  /** Characters sent as four GB18030 bytes (outside GBK). */
  fourByte: number;
};

/** A `GS v 0` raster image: `width` dots by `height` rows, rows of ceil(width / 8) bytes, 1 = black. */
export type DecodedRaster = { width: number; height: number; bits: Uint8Array };

export type Decoded = {
  lines: DecodedLine[];
  rasters: DecodedRaster[];
  commands: string[];
  qr: string[];
  barcodes: { format: 'EAN13' | 'CODE128'; data: string }[];
  cuts: number;
};

/** Columns and four-byte characters of a line's GB18030 bytes, walked as the printer walks them. */
function measure(bytes: readonly number[]): { columns: number; fourByte: number } {
  let columns = 0;
  let fourByte = 0;
  for (let i = 0; i < bytes.length;) {
    if (bytes[i]! < 0x80) {
      columns += 1;
      i += 1;
    } else if (bytes[i + 1]! >= 0x30 && bytes[i + 1]! <= 0x39) {
      columns += 2;
      fourByte += 1;
      i += 4;
    } else {
      columns += 2;
      i += 2;
    }
  }
  return { columns, fourByte };
}

/** How many dots of a raster are black. */
export function inked(r: DecodedRaster): number {
  let n = 0;
  for (const byte of r.bits) for (let b = byte; b; b &= b - 1) n += 1;
  return n;
}

/** The first and last dot across a raster that has ink in any row (null when it is blank). */
export function inkSpan(r: DecodedRaster): { from: number; to: number } | null {
  const row = r.width / 8;
  let from = Infinity;
  let to = -1;
  for (let y = 0; y < r.height; y++) {
    for (let x = 0; x < r.width; x++) {
      if ((r.bits[y * row + (x >> 3)]! & (0x80 >> (x & 7))) === 0) continue;
      from = Math.min(from, x);
      to = Math.max(to, x);
    }
  }
  return to < 0 ? null : { from, to };
}

export function decodeEscPos(bytes: Uint8Array): Decoded {
  const d: Decoded = { lines: [], rasters: [], commands: [], qr: [], barcodes: [], cuts: 0 };
  let size: 1 | 2 | 4 = 1;
  let align: 'left' | 'center' | 'right' = 'left';
  let bold = false;
  let textBytes: number[] = [];
  let i = 0;
  const need = (n: number) => {
    if (i + n > bytes.length) throw new Error(`truncated command at byte ${i}`);
  };
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b === 0x0a) {
      d.lines.push({ text: iconv.decode(Buffer.from(textBytes), 'gb18030'), size, align, bold, ...measure(textBytes) });
      textBytes = [];
      i += 1;
    } else if (b === 0x1b) {
      need(2);
      const c = bytes[i + 1]!;
      if (c === 0x40) { d.commands.push('init'); i += 2; }
      else if (c === 0x61) { need(3); align = (['left', 'center', 'right'] as const)[bytes[i + 2]!] ?? 'left'; i += 3; }
      else if (c === 0x45) { need(3); bold = bytes[i + 2] === 1; i += 3; }
      else if (c === 0x64) { need(3); d.commands.push(`feed ${bytes[i + 2]}`); i += 3; }
      else throw new Error(`unknown ESC ${c.toString(16)} at ${i}`);
    } else if (b === 0x1c) {
      need(2);
      if (bytes[i + 1] !== 0x26) throw new Error(`unknown FS at ${i}`);
      d.commands.push('chinese');
      i += 2;
    } else if (b === 0x1d) {
      need(2);
      const c = bytes[i + 1]!;
      if (c === 0x21) { need(3); const n = bytes[i + 2]!; size = n === 0 ? 1 : n === 0x11 ? 2 : n === 0x33 ? 4 : (() => { throw new Error(`odd size ${n}`); })(); i += 3; }
      else if (c === 0x56) { need(4); d.cuts += 1; i += 4; }
      else if (c === 0x68 || c === 0x77 || c === 0x48) { need(3); i += 3; }
      else if (c === 0x6b) {
        need(4);
        const m = bytes[i + 2]!;
        const n = bytes[i + 3]!;
        need(4 + n);
        const data = Buffer.from(bytes.slice(i + 4, i + 4 + n)).toString('latin1');
        if (m === 67) d.barcodes.push({ format: 'EAN13', data });
        else if (m === 73) d.barcodes.push({ format: 'CODE128', data: data.replace(/^\{B/, '') });
        else throw new Error(`unknown barcode ${m}`);
        i += 4 + n;
      } else if (c === 0x28) {
        need(7);
        if (bytes[i + 2] !== 0x6b) throw new Error(`unknown GS ( at ${i}`);
        const len = bytes[i + 3]! + bytes[i + 4]! * 256;
        need(5 + len);
        const fn = bytes[i + 6]!;
        if (fn === 0x50) d.qr.push(iconv.decode(Buffer.from(bytes.slice(i + 8, i + 5 + len)), 'gb18030'));
        i += 5 + len;
      } else if (c === 0x76) {
        // GS v 0 m xL xH yL yH d1…dk: a raster image, x bytes a row, y rows; m 0 is normal size.
        need(8);
        if (bytes[i + 2] !== 0x30 || bytes[i + 3] !== 0) throw new Error(`unknown GS v at ${i}`);
        if (textBytes.length > 0) throw new Error(`a raster image at ${i} with text waiting in the line`);
        const x = bytes[i + 4]! + bytes[i + 5]! * 256;
        const y = bytes[i + 6]! + bytes[i + 7]! * 256;
        need(8 + x * y);
        d.rasters.push({ width: x * 8, height: y, bits: bytes.slice(i + 8, i + 8 + x * y) });
        i += 8 + x * y;
      } else throw new Error(`unknown GS ${c.toString(16)} at ${i}`);
    } else if (b < 0x20) {
      throw new Error(`control byte ${b.toString(16)} in text at ${i}`);
    } else {
      textBytes.push(b);
      i += 1;
    }
  }
  if (textBytes.length > 0) throw new Error('text after the last line feed would not print');
  return d;
}
