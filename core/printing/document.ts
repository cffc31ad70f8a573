import { z } from 'zod';
import { missingCase } from '../missingCase.js';

/**
 * A print document: what a thermal printer should print, line by line, independent of the
 * printer's language. `layout.ts` builds one from a receipt model; `escpos.ts` turns it into
 * bytes. Every text line fits the paper's columns at its size (Chinese characters count two).
 */
export type Paper = '58mm' | '80mm';

/** Columns of each paper width at normal size. */
export const PAPER_COLUMNS: Readonly<Record<Paper, number>> = { '58mm': 32, '80mm': 48 };

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
  | { kind: 'cut' };

export type PrintDoc = { paper: Paper; lines: PrintLine[] };

/** A plain text line. */
export function text(value: string, options: Partial<{ align: Align; bold: boolean; size: TextSize }> = {}): PrintLine {
  return { kind: 'text', text: value, align: options.align ?? 'left', bold: options.bold ?? false, size: options.size ?? 1 };
}

/** The plain text of a document, one string per printed text line (for previews and tests). */
export function plainLines(doc: PrintDoc): string[] {
  return doc.lines.flatMap((l): string[] => {
    switch (l.kind) {
      case 'text': return [l.text];
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
    z.object({ kind: z.literal('text'), text: z.string().max(500), align: z.enum(['left', 'center', 'right']), bold: z.boolean(), size: z.union([z.literal(1), z.literal(2), z.literal(4)]) }),
    z.object({ kind: z.literal('rule') }),
    z.object({ kind: z.literal('qr'), data: z.string().min(1).max(500), module: z.number().int().min(1).max(16) }),
    z.object({ kind: z.literal('barcode'), format: z.enum(['EAN13', 'CODE128']), data: z.string().regex(/^[\x20-\x7e]{1,40}$/) }),
    z.object({ kind: z.literal('feed'), lines: z.number().int().min(0).max(20) }),
    z.object({ kind: z.literal('cut') }),
  ])).max(400),
}) satisfies z.ZodType<PrintDoc>;
