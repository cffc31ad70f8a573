import bwipjs from 'bwip-js/browser';
import { z } from 'zod';
import {
  isMaskedName, PRINT_DOC_CSS, PrintDocSchema, RESIDENT_CARD_CSS, rasterizeOutsideGbk, renderPrintDocHtml, renderResidentCardHtml, type Symbols,
} from '../../core/index.js';
import { canvasRasterizer } from './printing/rasterize.js';

/**
 * The print page: renders one document given in the address's fragment (never sent to a server)
 * as HTML, for printers with only a system driver (Electron prints it from a hidden window with
 * `webContents.print({ silent: true })`) and for previews. The symbols are drawn by bwip-js; a
 * line with a character the thermal printer's font lacks is drawn as the bitmap it would print.
 */
const Payload = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('doc'), doc: PrintDocSchema }),
  z.object({ kind: z.literal('residentCard'), card: z.object({ centreName: z.string().max(100), residentName: z.string().max(50).refine(isMaskedName, 'a printed name is masked'), cardCode: z.string().regex(/^LL\d{10}$/) }) }),
]);

const svg = (bcid: string, text: string, extra: Record<string, unknown> = {}) => bwipjs.toSVG({ bcid, text, ...extra });
const symbols: Symbols = {
  qr: (data) => svg('qrcode', data, { eclevel: 'M' }),
  code128: (data) => svg('code128', data, { height: 8 }),
  ean13: (data) => svg('ean13', data.slice(0, 12), { height: 10, includetext: true }),
};

function show(): void {
  const root = document.getElementById('doc')!;
  const parsed = Payload.safeParse(JSON.parse(decodeURIComponent(location.hash.slice(1)) || 'null'));
  if (!parsed.success) {
    root.textContent = '无法打印：文档内容不正确。 / Cannot print: the document is not valid.';
    document.body.dataset.ready = 'invalid';
    return;
  }
  const style = document.createElement('style');
  style.textContent = `body { margin: 0; background: #fff; } ${PRINT_DOC_CSS} ${RESIDENT_CARD_CSS} @page { margin: 0; }`;
  document.head.append(style);
  const p = parsed.data;
  root.innerHTML = p.kind === 'doc' ? renderPrintDocHtml(rasterizeOutsideGbk(p.doc, canvasRasterizer), symbols) : renderResidentCardHtml(p.card, symbols);
  document.body.dataset.ready = 'yes';
}

show();
addEventListener('hashchange', show);
