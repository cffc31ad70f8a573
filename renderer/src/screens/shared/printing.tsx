import { useEffect, useRef, useState } from 'react';
import {
  big, heading, layoutShelfLabel, PAPER_COLUMNS, PRINT_DOC_CSS, rasterizeOutsideGbk, renderPrintDocHtml, renderResidentCardHtml, RESIDENT_CARD_CSS, text, uuidv7, wrapped,
  type Goods, type Lang, type LinliBridge, type Paper, type PrintDoc, type PrintJobView, type ResidentCardModel,
} from '../../../../core/index.js';
import { useLocalWords, useWords } from '../../i18n.js';
import { canvasRasterizer } from '../../printing/rasterize.js';
import { symbols } from './symbols.js';
import { sharedWords } from './words.js';

/** What the print page (print.html) shows: a thermal document, or a resident card at ID-1 size. */
export type PrintPayload = { kind: 'doc'; doc: PrintDoc } | { kind: 'residentCard'; card: ResidentCardModel };

/**
 * The print job of the `n`th document an event prints (a donation's shelf labels): the event's id
 * with `n` in its last four hex digits, so each prints at most once however often it is asked.
 */
export function jobIdFor(eventId: string, n: number): string {
  return `${eventId.slice(0, 32)}${n.toString(16).padStart(4, '0')}`;
}

/** A job of its own for what staff print on demand (a shelf label, a day summary): printed each time it is asked. */
export const freshJobId = () => uuidv7(Date.now(), crypto.getRandomValues(new Uint8Array(16)));

/**
 * A resident card as a thermal printer prints it (the kiosk's receipt printer has no card stock):
 * the masked name, the card code, its QR code and Code 128, so the slip scans like the card until
 * the centre's card printer makes the plastic one from the same code.
 */
export function layoutCardSlip(c: ResidentCardModel, paper: Paper, lang: Lang): PrintDoc {
  const cols = PAPER_COLUMNS[paper];
  return {
    paper,
    lines: [
      ...heading(c.centreName, lang === 'zh' ? '居民积分卡' : 'Resident points card', cols),
      ...big(c.residentName, cols, { align: 'center', bold: true }),
      text(c.cardCode, { align: 'center' }),
      { kind: 'qr', data: c.cardCode, module: 6 },
      { kind: 'barcode', format: 'CODE128', data: c.cardCode },
      ...wrapped(lang === 'zh' ? '请妥善保管，丢失请到服务中心补卡' : 'Keep it safe; a lost card is replaced at the centre', cols, { align: 'center' }),
      { kind: 'feed', lines: 3 }, { kind: 'cut' },
    ],
  };
}

/** Documents printed one after another on the roll (each ends with its own cut). */
export function joinDocs(docs: readonly PrintDoc[], paper: Paper): PrintDoc {
  return { paper, lines: docs.flatMap((d) => d.lines) };
}

/**
 * Prints a document the way this kiosk can. With the Electron bridge: queued once (keyed by
 * `jobId`) to the receipt printer, and its state shown with 补打 when it may not have printed.
 * In a browser: the document shown as it prints, printed with the browser's print dialog (alone,
 * nothing of the counter around it).
 */
export function PrintOut({ printer, jobId, label, doc, preview, onPrinted }: { printer: LinliBridge | null; jobId: string; label: string; doc: PrintDoc; preview: PrintPayload; onPrinted?: () => void }) {
  const asked = useRef<string | null>(null);
  useEffect(() => {
    if (!printer || asked.current === jobId) return;
    asked.current = jobId;
    void printer.print({ jobId, label, doc });
  }, [printer, jobId, label, doc]);
  return printer ? <JobStatus printer={printer} jobId={jobId} label={label} doc={doc} onPrinted={onPrinted} /> : <PrintFrame payload={preview} onPrinted={onPrinted} />;
}

/**
 * Where a print job stands, in plain words; 补打 when it may not have printed. `onPrinted` is
 * called once, when the printer took the whole job (it or its reprint).
 */
function JobStatus({ printer, jobId, label, doc, onPrinted }: { printer: LinliBridge; jobId: string; label: string; doc: PrintDoc; onPrinted?: (() => void) | undefined }) {
  const w = useLocalWords(sharedWords);
  const { say } = useWords();
  const [jobs, setJobs] = useState<PrintJobView[]>([]);
  useEffect(() => {
    let live = true;
    const poll = () => void printer.printJobs().then((j) => live && setJobs(j));
    poll();
    const timer = setInterval(poll, 500);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [printer]);
  const mine = jobs.filter((j) => j.id === jobId || j.reprintOf === jobId);
  const job = mine[mine.length - 1];
  const told = useRef<string | null>(null);
  const printed = job?.state === 'printed';
  useEffect(() => {
    if (!printed || told.current === jobId) return;
    told.current = jobId;
    onPrinted?.();
  }, [printed, jobId, onPrinted]);
  return (
    <div className={`print-status print-${job?.state ?? 'queued'}`} role="status" data-testid="doc-print-status" data-state={job?.state ?? 'queued'}>
      <p>{!job ? w.printing : job.state === 'printed' ? w.printed : job.problem ? say(job.problem) : w.printing}</p>
      {job?.state === 'unknown' && <button type="button" className="primary" onClick={() => void printer.reprint({ jobId, label, doc })}>{w.printAgain}</button>}
    </div>
  );
}

/**
 * The document as it prints, on the screen: a preview, and 打印 prints it alone with the browser's
 * dialog (the print CSS shows the view being printed and nothing else of the counter).
 * `onPrinted`: called when the browser's print dialog has closed (all a page can know of it).
 */
export function PrintFrame({ payload, onPrinted }: { payload: PrintPayload; onPrinted?: (() => void) | undefined }) {
  const w = useLocalWords(sharedWords);
  const view = useRef<HTMLDivElement>(null);
  const html = payload.kind === 'doc' ? renderPrintDocHtml(rasterizeOutsideGbk(payload.doc, canvasRasterizer), symbols) : renderResidentCardHtml(payload.card, symbols);
  const print = () => {
    const el = view.current;
    if (!el) return;
    el.classList.add('print-now');
    addEventListener('afterprint', () => {
      el.classList.remove('print-now');
      onPrinted?.();
    }, { once: true });
    window.print();
  };
  return (
    <div className="print-frame">
      <style>{PRINT_DOC_CSS}{RESIDENT_CARD_CSS}</style>
      <div ref={view} className={`print-view ${payload.kind === 'residentCard' ? 'card' : 'doc'}`} data-testid="print-view" aria-label={w.printPreview} dangerouslySetInnerHTML={{ __html: html }} />
      <button type="button" className="primary" onClick={print}>{w.print}</button>
    </div>
  );
}

/** Shelf labels (明码标分) of goods, one after another on the roll, printed as one job. */
export function LabelsPrint({ printer, jobId, goods, paper, lang }: { printer: LinliBridge | null; jobId: string; goods: readonly Pick<Goods, 'name' | 'pointPrice' | 'barcode'>[]; paper: Paper; lang: Lang }) {
  const doc = joinDocs(goods.map((g) => layoutShelfLabel({ goodsName: g.name, pointPrice: g.pointPrice, barcode: g.barcode }, paper, lang)), paper);
  return <PrintOut printer={printer} jobId={jobId} label={lang === 'zh' ? '价签' : 'labels'} doc={doc} preview={{ kind: 'doc', doc }} />;
}
