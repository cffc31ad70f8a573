import { missingCase } from '../missingCase.js';
import { PAPER_COLUMNS, type PrintDoc, type PrintLine } from './document.js';
import { inGbk } from './gbk.js';
import { fromHex } from './raster.js';
import { printableText } from './width.js';

/**
 * ESC/POS bytes for Epson-compatible thermal printers. Text goes out in GB18030, the encoding
 * Chinese printers read in their Chinese character mode (`FS &`); the encoder is passed in, since
 * `core/` carries no code tables (iconv-lite does it in the main process).
 *
 * Commands used (hex): ESC @ 1B 40 init · FS & 1C 26 Chinese mode · ESC a n 1B 61 align ·
 * ESC E n 1B 45 bold · GS ! n 1D 21 size · LF 0A · ESC d n 1B 64 feed · GS V 66 0 1D 56 42 00
 * feed and cut · GS ( k 1D 28 6B QR (model 2, module size, error level M, store, print) ·
 * GS h/w/H/k 1D 68/77/48/6B barcodes · GS v 0 m xL xH yL yH 1D 76 30 raster image, x bytes a
 * row, y rows.
 *
 * A character outside GBK that reaches this point (no kiosk drew its line as a bitmap) prints as
 * 〓 (A1 FE, GB2312's mark for a missing character): two columns, as counted, rather than four
 * GB18030 bytes the printer's font has no glyph for.
 */
export type TextEncoder = (text: string) => Uint8Array;

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const LF = 0x0a;
const ALIGN = { left: 0, center: 1, right: 2 } as const;
/** GS ! n: width multiplier - 1 in the high nibble, height multiplier - 1 in the low one. */
const SIZE = { 1: 0x00, 2: 0x11, 4: 0x33 } as const;

/** Renders a print document to the bytes a printer takes. */
export function renderEscPos(doc: PrintDoc, encode: TextEncoder): Uint8Array {
  const out: number[] = [ESC, 0x40, FS, 0x26];
  const push = (...bytes: readonly number[]) => {
    for (const b of bytes) out.push(b);
  };
  const pushAll = (bytes: Uint8Array) => {
    for (const b of bytes) out.push(b);
  };
  for (const line of doc.lines) renderLine(line, doc, push, pushAll, encode);
  return Uint8Array.from(out);
}

/** A text as the printer can print it: no control characters, 〓 for a character its font lacks. */
const forPrinter = (text: string) => Array.from(printableText(text), (ch) => (inGbk(ch.codePointAt(0)!) ? ch : '〓')).join('');

function renderLine(line: PrintLine, doc: PrintDoc, push: (...b: readonly number[]) => void, pushAll: (b: Uint8Array) => void, encode: TextEncoder): void {
  switch (line.kind) {
    case 'text':
      push(ESC, 0x61, ALIGN[line.align], ESC, 0x45, line.bold ? 1 : 0, GS, 0x21, SIZE[line.size]);
      pushAll(encode(forPrinter(line.text)));
      push(LF, GS, 0x21, 0x00, ESC, 0x45, 0, ESC, 0x61, 0);
      return;
    case 'rule':
      push(...encode('-'.repeat(PAPER_COLUMNS[doc.paper])), LF);
      return;
    case 'raster': {
      // The bitmap is as wide as the paper, its line placed in it already: aligned left here.
      const row = Math.ceil(line.width / 8);
      push(ESC, 0x61, 0, GS, 0x76, 0x30, 0, row % 256, row >> 8, line.height % 256, line.height >> 8);
      pushAll(fromHex(line.bits, row * line.height));
      return;
    }
    case 'qr': {
      const data = encode(line.data);
      const k = data.length + 3;
      push(ESC, 0x61, 1);
      push(GS, 0x28, 0x6b, 4, 0, 0x31, 0x41, 0x32, 0x00); // model 2
      push(GS, 0x28, 0x6b, 3, 0, 0x31, 0x43, Math.min(16, Math.max(1, line.module))); // module size
      push(GS, 0x28, 0x6b, 3, 0, 0x31, 0x45, 0x31); // error correction M
      push(GS, 0x28, 0x6b, k % 256, Math.floor(k / 256), 0x31, 0x50, 0x30); // store
      pushAll(data);
      push(GS, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30, LF); // print
      push(ESC, 0x61, 0);
      return;
    }
    case 'barcode': {
      // Code 128 data starts with the code set: {B for text.
      const data = line.format === 'EAN13' ? encode(line.data.slice(0, 12)) : encode(`{B${line.data}`);
      push(ESC, 0x61, 1, GS, 0x68, 80, GS, 0x77, 2, GS, 0x48, 2);
      push(GS, 0x6b, line.format === 'EAN13' ? 67 : 73, data.length, ...data, LF);
      push(ESC, 0x61, 0);
      return;
    }
    case 'feed':
      push(ESC, 0x64, Math.min(255, Math.max(0, line.lines)));
      return;
    case 'cut':
      push(GS, 0x56, 0x42, 0x00);
      return;
    default:
      missingCase(line);
  }
}
