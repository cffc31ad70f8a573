import { useCallback, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { layoutDaySummary, type DaySummaryModel, type LinliBridge, type Paper } from '../../../../core/index.js';
import { useLocalWords, useWords } from '../../i18n.js';
import type { Clock } from '../../store/actions.js';
import type { LinliDb } from '../../store/db.js';
import { daySummary, monthCsv, monthFigures, monthWorkbook, shanghaiDay, type MonthFigures } from '../../store/screensSupport.js';
import { markDayPrinted } from './closing.js';
import { freshJobId, PrintOut } from '../shared/printing.js';
import { reportWords } from './words.js';

type Props = { db: LinliDb; clock: Clock; paper: Paper; printer: LinliBridge | null };

/**
 * The day and the month: the day summary (日结单) of a business day, printed at closing, and the
 * points issued and redeemed per category in each month, exported as CSV for the street office's
 * spreadsheets, as CSV or Excel. (Stock movements are on the server: the kiosk does not hold them.)
 */
export function ReportsScreen({ db, clock, paper, printer }: Props) {
  const w = useLocalWords(reportWords);
  const { lang } = useWords();
  const offset = useLiveQuery(() => db.clockOffset(), [db], 0);
  // Today on the server's clock once the offset is read, until the clerk picks a day.
  const [picked, setDay] = useState<string | null>(null);
  const day = picked ?? shanghaiDay(clock.now() - offset);
  const figures = useLiveQuery(() => daySummary(db, day), [db, day]);
  const months = useLiveQuery(() => monthFigures(db), [db], [] as MonthFigures[]);
  const [month, setMonth] = useState<string | null>(null);
  const [print, setPrint] = useState<{ jobId: string; model: DaySummaryModel } | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const shownMonth = months.find((m) => m.month === month) ?? months[0] ?? null;

  const printDay = async () => {
    const device = await db.device();
    if (!figures || !device) return;
    const centre = figures.centre.filter((c) => c.entries > 0).map((c) => ({ label: w.categories[c.category], issued: c.issued, redeemed: c.redeemed }));
    setPrint({ jobId: freshJobId(), model: { centreName: device.centreName, day, deviceCode: device.deviceCode, printedAt: clock.now() - (await db.clockOffset()), ...figures, centre } });
  };
  // Closing stops asking once the printer took the summary (or the browser's print dialog closed), not on the tap.
  const printedDay = print?.model.day;
  const onPrinted = useCallback(() => { if (printedDay) markDayPrinted(printedDay); }, [printedDay]);
  const save = (fileName: string, blob: Blob) => {
    const url = URL.createObjectURL(blob);
    Object.assign(document.createElement('a'), { href: url, download: fileName }).click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    setExported(fileName);
  };
  const monthWords = { header: w.csvHeader, category: (c: MonthFigures['rows'][number]['category']) => w.categories[c] };
  const exportCsv = (m: MonthFigures) => save(`积分月报-${m.month}.csv`, new Blob([monthCsv(m, monthWords)], { type: 'text/csv;charset=utf-8' }));
  const exportExcel = async (m: MonthFigures) => {
    const bytes = await monthWorkbook(m, monthWords);
    save(`积分月报-${m.month}.xlsx`, new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
  };
  const totals = shownMonth?.rows.reduce((t, r) => ({ issued: t.issued + r.issued, redeemed: t.redeemed + r.redeemed, entries: t.entries + r.entries }), { issued: 0, redeemed: 0, entries: 0 });

  return (
    <main className="reports two-panes">
      <section className="panel">
        <h2>{w.dayTitle}</h2>
        <label>{w.day}<input type="date" name="day" value={day} onChange={(e) => { if (e.target.value) setDay(e.target.value); setPrint(null); }} /></label>
        {!print && <p className="hint">{w.dayNote}</p>}
        {print ? (
          // The summary as it prints shows every figure above: it takes their place until the clerk goes back.
          <>
            <button type="button" className="secondary" onClick={() => setPrint(null)}>{w.backToFigures}</button>
            <PrintOut printer={printer} jobId={print.jobId} label={`${w.dayTitle} ${print.model.day}`} doc={layoutDaySummary(print.model, paper, lang)} preview={{ kind: 'doc', doc: layoutDaySummary(print.model, paper, lang) }} onPrinted={onPrinted} />
          </>
        ) : (
          <>
            {figures && (
              <dl className="figures" data-testid="day-figures">
                <dt>{w.redemptions}</dt><dd data-figure="redemptions">{figures.redemptions}</dd>
                <dt>{w.spent}</dt><dd data-figure="pointsSpent">{figures.pointsSpent}</dd>
                <dt>{w.awarded}</dt><dd data-figure="pointsAwarded">{figures.pointsAwarded}</dd>
                <dt>{w.received}</dt><dd data-figure="stockReceived">{figures.stockReceived}</dd>
                <dt>{w.unsynced}</dt><dd data-figure="unsynced" className="wide">{figures.unsynced}</dd>
                <dt>{w.goodsOut}</dt><dd className="wide">{figures.goodsOut.length === 0 ? w.none : figures.goodsOut.map((g) => `${g.name}×${g.quantity}`).join('、')}</dd>
              </dl>
            )}
            {figures && (
              <div className="day-centre" tabIndex={0} role="region" aria-label={w.centreDay}>
                <table className="list compact" data-testid="day-centre">
                  <caption>{w.centreDay}</caption>
                  <thead><tr><th>{w.category}</th><th className="n">{w.issued}</th><th className="n">{w.redeemed}</th></tr></thead>
                  <tbody>
                    {figures.centre.filter((c) => c.entries > 0).map((c) => (
                      <tr key={c.category} data-category={c.category}><td>{w.categories[c.category]}</td><td className="n">{c.issued}</td><td className="n">{c.redeemed}</td></tr>
                    ))}
                    {figures.centre.every((c) => c.entries === 0) && <tr><td colSpan={3}>{w.none}</td></tr>}
                  </tbody>
                </table>
              </div>
            )}
            <button type="button" className="primary" disabled={!figures} onClick={() => void printDay()}>{w.printDay}</button>
          </>
        )}
      </section>
      <section className="panel">
        <h2>{w.monthTitle}</h2>
        {!shownMonth ? <p className="hint">{w.noData}</p> : (
          <>
            <div className="inline-form">
              <label>{w.month}
                <select name="month" value={shownMonth.month} onChange={(e) => { setMonth(e.target.value); setExported(null); }}>
                  {months.map((m) => <option key={m.month} value={m.month}>{m.month}</option>)}
                </select>
              </label>
              <button type="button" className="secondary" onClick={() => exportCsv(shownMonth)}>{w.exportCsv}</button>
              <button type="button" className="secondary" onClick={() => void exportExcel(shownMonth)}>{w.exportExcel}</button>
            </div>
            <table className="list" data-testid="month-figures">
              <thead><tr><th>{w.category}</th><th className="n">{w.issued}</th><th className="n">{w.redeemed}</th><th className="n">{w.entries}</th></tr></thead>
              <tbody>
                {shownMonth.rows.map((r) => (
                  <tr key={r.category} data-category={r.category}><td>{w.categories[r.category]}</td><td className="n">{r.issued}</td><td className="n">{r.redeemed}</td><td className="n">{r.entries}</td></tr>
                ))}
              </tbody>
              {totals && <tfoot><tr><td>{w.total}</td><td className="n">{totals.issued}</td><td className="n">{totals.redeemed}</td><td className="n">{totals.entries}</td></tr></tfoot>}
            </table>
            {exported && <p className="notice" role="status">{w.exported(exported)}</p>}
          </>
        )}
      </section>
    </main>
  );
}
