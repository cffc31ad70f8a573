import iconv from 'iconv-lite';
import { renderEscPos, type PrintJobView, type PrintRequest } from '../../core/index.js';
import type { PrintJob, PrintQueue } from './queue.js';

/** GB18030 bytes of a text, for ESC/POS. */
export const gb18030 = (text: string): Uint8Array => new Uint8Array(iconv.encode(text, 'gb18030'));

/** A job as the kiosk sees it: no bytes. */
export function jobView(j: PrintJob): PrintJobView {
  return { id: j.id, label: j.label, state: j.state, problem: j.problem, reprintOf: j.reprintOf };
}

/**
 * The bridge's printing calls over a queue: render the document to ESC/POS, queue it under its
 * event id, and start printing without making the kiosk wait for the printer.
 */
export function printService(queue: PrintQueue) {
  const kick = () => void queue.drain();
  return {
    async print(req: PrintRequest): Promise<PrintJobView> {
      const job = await queue.enqueue(req.jobId, req.label, renderEscPos(req.doc, gb18030));
      kick();
      return jobView(job);
    },
    async reprint(req: PrintRequest): Promise<PrintJobView> {
      const job = await queue.reprint(req.jobId, renderEscPos(req.doc, gb18030));
      kick();
      return jobView(job);
    },
    printJobs: (): PrintJobView[] => queue.list().map(jobView),
  };
}
