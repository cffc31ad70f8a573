import iconv from 'iconv-lite';
import { renderEscPos, type PrintJobView, type PrintRequest } from '../../core/index.js';
import type { PrintJob, PrintQueue } from './queue.js';

/** GB18030 bytes of a text, for ESC/POS. */
export const gb18030 = (text: string): Uint8Array => new Uint8Array(iconv.encode(text, 'gb18030'));

/** A job as the kiosk sees it: no bytes. */
export function jobView(j: PrintJob): PrintJobView {
  return { id: j.id, label: j.label, state: j.state, problem: j.problem, reprintOf: j.reprintOf };
}

/** How a document becomes a job's bytes: ESC/POS for a raw printer, the print page's payload for a driver. */
export type JobRenderer = (doc: PrintRequest['doc']) => Uint8Array;
export const escPosJob: JobRenderer = (doc) => renderEscPos(doc, gb18030);

/**
 * The bridge's printing calls over a queue: render the document for the printer, queue it under
 * its event id, and start printing without making the kiosk wait for the printer.
 */
export function printService(queue: PrintQueue, render: JobRenderer = escPosJob) {
  const kick = () => void queue.drain();
  return {
    async print(req: PrintRequest): Promise<PrintJobView> {
      const job = await queue.enqueue(req.jobId, req.label, render(req.doc));
      kick();
      return jobView(job);
    },
    async reprint(req: PrintRequest): Promise<PrintJobView> {
      const job = await queue.reprint(req.jobId, render(req.doc));
      kick();
      return jobView(job);
    },
    printJobs: (): PrintJobView[] => queue.list().map(jobView),
  };
}
