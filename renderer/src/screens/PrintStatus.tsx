import { useEffect, useState } from 'react';
import { layoutRedemption, type LinliBridge, type Paper, type PrintJobView, type RedemptionReceipt } from '../../../core/index.js';
import { useWords } from '../i18n.js';

type Props = { printer: Pick<LinliBridge, 'printJobs' | 'reprint'>; jobId: string; receipt: RedemptionReceipt; paper: Paper };

/**
 * Where a receipt's print job stands, in plain words: printing, printed, waiting for the printer
 * (and why), or "may not have printed" with the 补打 button. Only staff reprint.
 */
export function PrintStatus({ printer, jobId, receipt, paper }: Props) {
  const { t, lang, say } = useWords();
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

  // The reprint, once asked for, stands for the original.
  const mine = jobs.filter((j) => j.id === jobId || j.reprintOf === jobId);
  const job = mine[mine.length - 1];
  if (!job) return <p className="print-status" role="status">{t.printing}</p>;
  const text = job.state === 'printed' ? t.printedOk : job.problem ? say(job.problem) : t.printing;
  return (
    <div className={`print-status print-${job.state}`} role="status" data-testid="print-status" data-state={job.state}>
      <p>{text}</p>
      {job.state === 'unknown' && (
        <button className="primary" onClick={() => void printer.reprint({ jobId, label: receipt.receiptNo, doc: layoutRedemption(receipt, paper, lang, { reprint: true }) })}>
          {t.reprint}
        </button>
      )}
    </div>
  );
}
