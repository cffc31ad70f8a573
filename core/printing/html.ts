import type { MaskedName } from '../residents/resident.js';
import { escapeHtml } from '../receipt/receipt.js';
import { missingCase } from '../missingCase.js';
import type { PrintDoc, PrintLine } from './document.js';
import { fromHex, isBlack } from './raster.js';

/**
 * Print documents as HTML, for printers that only have a system driver (printed from a hidden
 * window with `webContents.print({ silent: true })`) and for the screen. The symbols are drawn as
 * SVG by an injected `Symbols`, since `core/` carries no barcode encoder.
 */
export type Symbols = { qr(data: string): string; code128(data: string): string; ean13(data: string): string };

const WIDTH_MM = { '58mm': 48, '80mm': 72 } as const;

/** A print document as a self-contained HTML fragment the width of its paper's printable area. */
export function renderPrintDocHtml(doc: PrintDoc, symbols: Symbols): string {
  const body = doc.lines.map((l) => {
    switch (l.kind) {
      case 'text': return `<p class="t a-${l.align}${l.bold ? ' b' : ''} s${l.size}">${escapeHtml(l.text) || '&nbsp;'}</p>`;
      case 'rule': return '<hr>';
      case 'qr': return `<div class="sym qr">${symbols.qr(l.data)}</div>`;
      case 'barcode': return `<div class="sym bar">${l.format === 'EAN13' ? symbols.ean13(l.data) : symbols.code128(l.data)}</div>`;
      case 'feed': return `<div style="height:${l.lines * 1.2}em"></div>`;
      case 'cut': return '';
      case 'raster': return `<div class="raster">${rasterSvg(l)}</div>`;
      default: return missingCase(l);
    }
  }).join('');
  return `<section class="print-doc" style="width:${WIDTH_MM[doc.paper]}mm">${body}</section>`;
}

/**
 * A raster line as SVG, one rectangle a run of black dots, at the printer's 8 dots a millimetre:
 * what the thermal printer prints, and what a driver printer prints the same.
 */
function rasterSvg(r: Extract<PrintLine, { kind: 'raster' }>): string {
  const bits = fromHex(r.bits, Math.ceil(r.width / 8) * r.height);
  const black = (x: number, y: number) => isBlack(bits, r.width, x, y);
  let path = '';
  for (let y = 0; y < r.height; y++) {
    for (let x = 0; x < r.width; x++) {
      if (!black(x, y)) continue;
      const start = x;
      while (x + 1 < r.width && black(x + 1, y)) x++;
      path += `M${start} ${y}h${x + 1 - start}v1h${start - x - 1}z`;
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(r.text)}" viewBox="0 0 ${r.width} ${r.height}" width="${r.width / 8}mm" height="${r.height / 8}mm" shape-rendering="crispEdges"><path d="${path}"/></svg>`;
}

/** The CSS of printed documents: monospace columns, sizes as the thermal printer's. */
export const PRINT_DOC_CSS = `
.print-doc { font-family: "Noto Sans Mono CJK SC", "Noto Sans CJK SC", monospace; font-size: 3mm; line-height: 1.25; color: #000; background: #fff; padding: 2mm 0; }
.print-doc p { margin: 0; white-space: pre; overflow: hidden; }
.print-doc .a-center { text-align: center; } .print-doc .a-right { text-align: right; } .print-doc .b { font-weight: bold; }
.print-doc .s2 { font-size: 6mm; } .print-doc .s4 { font-size: 12mm; line-height: 1.1; }
.print-doc .raster svg { display: block; }
.print-doc hr { border: 0; border-top: 1px dashed #000; margin: 1mm 0; }
.print-doc .sym { display: flex; justify-content: center; margin: 2mm 0; } .print-doc .qr svg { width: 30mm; height: 30mm; } .print-doc .bar svg { width: 44mm; height: 12mm; }
`;

/** A resident card (居民卡), ID-1 size (85.6 × 54 mm): masked name, card code as barcode and QR. */
export type ResidentCardModel = { centreName: string; residentName: MaskedName; cardCode: string };

export function renderResidentCardHtml(c: ResidentCardModel, symbols: Symbols): string {
  return `<section class="resident-card-print" data-card-code="${escapeHtml(c.cardCode)}">
<header>${escapeHtml(c.centreName)}<br><b>居民积分卡</b></header>
<div class="who"><span class="name">${escapeHtml(c.residentName)}</span><span class="code">${escapeHtml(c.cardCode)}</span></div>
<div class="qr">${symbols.qr(c.cardCode)}</div>
<div class="bar">${symbols.code128(c.cardCode)}</div>
</section>`;
}

export const RESIDENT_CARD_CSS = `
.resident-card-print { width: 85.6mm; height: 54mm; box-sizing: border-box; border-radius: 3.2mm; padding: 3mm 4mm; background: #fff; border: 0.3mm solid #8a1c14;
  display: grid; grid-template-columns: 1fr 22mm; grid-template-rows: auto 1fr auto; gap: 1mm 3mm; font-family: "Noto Sans CJK SC", sans-serif; overflow: hidden; }
.resident-card-print header { grid-column: 1 / 3; color: #8a1c14; font-size: 3mm; }
.resident-card-print header b { font-size: 4.2mm; }
.resident-card-print .who { display: grid; align-content: center; gap: 1mm; } .resident-card-print .name { font-size: 6mm; font-weight: bold; }
.resident-card-print .code { font-family: monospace; font-size: 3.2mm; letter-spacing: 0.2mm; }
.resident-card-print .qr svg { width: 22mm; height: 22mm; } .resident-card-print .bar { grid-column: 1 / 3; } .resident-card-print .bar svg { width: 100%; height: 9mm; }
`;
