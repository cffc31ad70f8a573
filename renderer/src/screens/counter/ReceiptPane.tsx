import { renderReceiptHtml, type LinliBridge, type Paper, type RedemptionReceipt } from '../../../../core/index.js';
import { useWords } from '../../i18n.js';
import { PrintStatus } from '../PrintStatus.js';

/**
 * The receipt of a redemption just committed. With the bridge it is printing already (keyed by
 * the event); in a browser 打印小票 prints it with the browser's dialog, the receipt alone.
 */
export function ReceiptPane({ jobId, model, paper, printer, onDone }: { jobId: string; model: RedemptionReceipt; paper: Paper; printer: LinliBridge | null; onDone(): void }) {
  const { t, lang } = useWords();
  return (
    // The paper beside its actions, not above them: a long receipt, or a notice over the screen,
    // never pushes 打印小票 and 完成 below a 1366×768 screen (the paper scrolls instead).
    <section className="receipt-pane">
      <div className="receipt-paper" data-testid="receipt" dangerouslySetInnerHTML={{ __html: renderReceiptHtml(model, lang) }} />
      <div className="receipt-side">
        <h2>{t.redeemed}</h2>
        {printer && <PrintStatus printer={printer} jobId={jobId} receipt={model} paper={paper} />}
        <div className="actions">
          {!printer && <button className="secondary" onClick={() => window.print()}>{t.print}</button>}
          <button onClick={onDone}>{t.done}</button>
        </div>
      </div>
    </section>
  );
}
