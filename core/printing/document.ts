import { z } from 'zod';
import { missingCase } from '../missingCase.js';
import { printableText } from './width.js';

/**
 * A print document: what a thermal printer should print, line by line, independent of the
 * printer's language. `layout.ts` builds one from a receipt model; `escpos.ts` turns it into
 * bytes. Every text line fits the paper's columns at its size, counted as the printer counts
 * them (`width.ts`: anything not ASCII takes two); a line with a character outside the printer's
 * font becomes a bitmap (`raster.ts`).
 */
export type Paper = '58mm' | '80mm';

/** Columns of each paper width at normal size. */
export const PAPER_COLUMNS: Readonly<Record<Paper, number>> = { '58mm': 32, '80mm': 48 };

/** Dots across each paper's printable width (8 a millimetre: 48 and 72 mm), 12 a column. */
export const PAPER_DOTS: Readonly<Record<Paper, number>> = { '58mm': 384, '80mm': 576 };

/** The tallest raster line: more than four double-size lines is no longer a line of text. */
export const MAX_RASTER_HEIGHT = 512;

export type Align = 'left' | 'center' | 'right';

/** Character size: normal, double (headings) or quadruple (a meal ticket's number). */
export type TextSize = 1 | 2 | 4;

/** One line or block of a print document. */
export type PrintLine =
  | { kind: 'text'; text: string; align: Align; bold: boolean; /** 1 normal, 2 double, 4 quadruple width and height */ size: TextSize }
  | { kind: 'rule' }
  | { kind: 'qr'; data: string; /** module size in dots, 1–16 */ module: number }
  | { kind: 'barcode'; format: 'EAN13' | 'CODE128'; data: string }
  | { kind: 'feed'; lines: number }
  | { kind: 'cut' }
  /**
   * A 1-bit image the width of the paper: a text line drawn by the kiosk, because the printer's
   * font lacks one of its characters. `text` is what it shows, for previews and screen readers;
   * `bits` are `height` rows of ceil(width / 8) bytes, the leftmost dot in the high bit, 1 black,
   * as lowercase hex.
   */
  | { kind: 'raster'; text: string; width: number; height: number; bits: string };

export type PrintDoc = { paper: Paper; lines: PrintLine[] };

/** How a text line prints. */
export type TextOptions = Partial<{ align: Align; bold: boolean; size: TextSize }>;

/** A plain text line; a control character in it prints as a space. */
export function text(value: string, options: TextOptions = {}): PrintLine {
  return { kind: 'text', text: printableText(value), align: options.align ?? 'left', bold: options.bold ?? false, size: options.size ?? 1 };
}

/** The plain text of a document, one string per printed text line (for previews and tests). */
export function plainLines(doc: PrintDoc): string[] {
  return doc.lines.flatMap((l): string[] => {
    switch (l.kind) {
      case 'text': case 'raster': return [l.text];
      case 'rule': return ['-'.repeat(PAPER_COLUMNS[doc.paper])];
      case 'qr': case 'barcode': case 'feed': case 'cut': return [];
      default: return missingCase(l);
    }
  });
}

/** The print document as it crosses the bridge to the main process. */
export const PrintDocSchema = z.object({
  paper: z.enum(['58mm', '80mm']),
  lines: z.array(z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('text'), text: z.string().max(500).regex(/^\P{Cc}*$/u), align: z.enum(['left', 'center', 'right']), bold: z.boolean(), size: z.union([z.literal(1), z.literal(2), z.literal(4)]) }),
    z.object({ kind: z.literal('rule') }),
    z.object({ kind: z.literal('qr'), data: z.string().min(1).max(500), module: z.number().int().min(1).max(16) }),
    z.object({ kind: z.literal('barcode'), format: z.enum(['EAN13', 'CODE128']), data: z.string().regex(/^[\x20-\x7e]{1,40}$/) }),
    z.object({ kind: z.literal('feed'), lines: z.number().int().min(0).max(20) }),
    z.object({ kind: z.literal('cut') }),
    z.object({
      kind: z.literal('raster'), text: z.string().max(500), width: z.number().int().min(1).max(PAPER_DOTS['80mm']),
      height: z.number().int().min(1).max(MAX_RASTER_HEIGHT), bits: z.string().max(2 * (PAPER_DOTS['80mm'] / 8) * MAX_RASTER_HEIGHT).regex(/^[0-9a-f]*$/),
    }),
  ])).max(400),
}).superRefine((doc, ctx) => {
  // A raster's bytes are exactly its rows, and it is no wider than its paper: a printer reads
  // GS v 0 by the sizes it is given, and eats whatever follows if the bytes fall short.
  doc.lines.forEach((l, i) => {
    if (l.kind !== 'raster') return;
    if (l.width > PAPER_DOTS[doc.paper]) ctx.addIssue({ code: 'custom', path: ['lines', i, 'width'], message: `wider than ${doc.paper} paper` });
    if (l.bits.length !== 2 * Math.ceil(l.width / 8) * l.height) ctx.addIssue({ code: 'custom', path: ['lines', i, 'bits'], message: 'bits do not match the size' });
  });
}) satisfies z.ZodType<PrintDoc>;
