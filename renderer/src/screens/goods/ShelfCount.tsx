import { useEffect, useState } from 'react';
import type { Goods, Message } from '../../../../core/index.js';
import { useLocalWords, useWords } from '../../i18n.js';
import type { Clock } from '../../store/actions.js';
import type { LinliDb } from '../../store/db.js';
import { countShelf } from '../../store/pointsStore.js';
import { ConfirmDialog } from '../shared/Dialog.js';
import { goodsWords } from './words.js';

type Props = { db: LinliDb; clock: Clock; staffId: string; goods: readonly Goods[]; onClose(): void; afterCommit(): void };
/** A line as typed: the count, the reason, and the stock on record when the count was typed (what the clerk compared it with). */
type Entry = { counted: string; reason: string; seen?: number };

/** Where a clerk's unfinished count is kept, so that a sign-out for being idle (or a reload) does not lose it. */
const draftKey = (staffId: string) => `linli-shelf-count:${staffId}`;
const readDraft = (staffId: string): Record<string, Entry> => {
  try {
    return JSON.parse(sessionStorage.getItem(draftKey(staffId)) ?? '{}') as Record<string, Entry>;
  } catch {
    return {};
  }
};
/** What was typed, with full-width digits (an IME's) made plain. */
const plain = (text: string) => text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).trim();
/** The count typed, or NaN when it is not a whole number of up to seven digits. */
const countOf = (text: string) => (/^\d{1,7}$/.test(text) ? Number(text) : Number.NaN);

/**
 * The shelf counted at once (盘点单): every goods with its stock on record, the count typed beside
 * it (goods left blank are not counted), a reason for each that differs; confirmed with the
 * differences listed, then booked as one event (the whole count or none of it).
 */
export function ShelfCount({ db, clock, staffId, goods, onClose, afterCommit }: Props) {
  const w = useLocalWords(goodsWords);
  const { say } = useWords();
  const [entries, setEntries] = useState<Record<string, Entry>>(() => readDraft(staffId));
  useEffect(() => {
    if (Object.values(entries).some((e) => e.counted !== '' || e.reason !== '')) sessionStorage.setItem(draftKey(staffId), JSON.stringify(entries));
    else sessionStorage.removeItem(draftKey(staffId));
  }, [entries, staffId]);
  const [asking, setAsking] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ error: Message } | { done: string } | null>(null);
  const entry = (id: string): Entry => entries[id] ?? { counted: '', reason: '' };
  const edit = (id: string, patch: Partial<Entry>) => setEntries((e) => ({ ...e, [id]: { ...entry(id), ...patch } }));
  /** A count typed: compared with the stock on record as it was when the count was first typed in. */
  const type = (g: Goods, text: string) => edit(g.id, { counted: text, seen: text === '' ? undefined : entry(g.id).seen ?? g.stock });
  const counted = goods.flatMap((g) => {
    const e = entry(g.id);
    return e.counted === '' ? [] : [{ goods: g, counted: countOf(e.counted), text: e.counted, expected: e.seen ?? g.stock, reason: e.reason }];
  });
  const differing = counted.filter((l) => l.counted !== l.expected);

  const book = async () => {
    setBusy(true);
    try {
      const r = await countShelf(db, clock, staffId, { lines: counted.map((l) => ({ goodsId: l.goods.id, counted: l.counted, text: l.text, expected: l.expected, reason: l.reason })) });
      setAsking(false);
      if (!r.ok) return setOutcome({ error: r.error });
      setEntries({});
      setOutcome({ done: w.shelfDone(r.value.result.counted, r.value.result.differences) });
      afterCommit();
    } finally {
      setBusy(false);
    }
  };
  // Confirmed first, unless `core/` will refuse it anyway (then its message says why).
  const submit = () => {
    setOutcome(null);
    if (counted.length === 0 || differing.some((l) => l.reason.trim() === '') || counted.some((l) => !Number.isInteger(l.counted))) return void book();
    setAsking(true);
  };

  return (
    <section className="panel wide shelf-count" aria-labelledby="shelf-count-title">
      <div className="shelf-head">
        <h2 id="shelf-count-title">{w.shelfTitle}</h2>
        <p className="hint">{w.shelfHint}</p>
      </div>
      <div className="scroll">
        <table className="list" data-testid="shelf-count">
          <thead><tr><th>{w.name}</th><th>{w.category}</th><th className="n">{w.shelfExpected}</th><th className="n">{w.shelfCounted}</th><th className="n">{w.shelfDiff}</th><th>{w.countReason}</th></tr></thead>
          <tbody>
            {goods.map((g) => {
              const e = entry(g.id);
              const diff = e.counted === '' ? null : countOf(e.counted) - (e.seen ?? g.stock);
              return (
                <tr key={g.id} data-differs={diff !== null && diff !== 0 ? true : undefined}>
                  <td>{g.name}</td><td>{g.category}</td><td className="n">{g.stock}</td>
                  <td className="n"><input aria-label={`${w.shelfCounted} ${g.name}`} inputMode="numeric" value={e.counted} maxLength={8} onChange={(ev) => type(g, plain(ev.target.value))} /></td>
                  <td className="n">{diff === null ? '' : Number.isNaN(diff) ? '?' : diff > 0 ? `+${diff}` : String(diff)}</td>
                  <td><input aria-label={`${w.countReason} ${g.name}`} value={e.reason} maxLength={200} disabled={diff === null || diff === 0} onChange={(ev) => edit(g.id, { reason: ev.target.value })} /></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="actions">
        <span role="status" data-testid="shelf-summary">{w.shelfSummary(counted.length, differing.length)}</span>
        <button type="button" className="secondary" disabled={busy} onClick={() => (counted.length > 0 ? setLeaving(true) : onClose())}>{w.shelfClose}</button>
        <button type="button" className="primary" disabled={busy} onClick={submit}>{w.shelfBook}</button>
      </div>
      {outcome && ('error' in outcome ? <p className="error" role="alert">{say(outcome.error)}</p> : <p className="notice" role="status">{outcome.done}</p>)}
      {leaving && (
        <ConfirmDialog title={w.shelfLeaveTitle} busy={busy} onCancel={() => setLeaving(false)} onConfirm={() => { sessionStorage.removeItem(draftKey(staffId)); onClose(); }}>
          <p>{w.shelfLeaveBody(counted.length)}</p>
        </ConfirmDialog>
      )}
      {asking && (
        <ConfirmDialog title={w.shelfConfirmTitle} busy={busy} onCancel={() => setAsking(false)} onConfirm={() => void book()}>
          <p>{w.shelfConfirmBody(counted.length, differing.length)}</p>
          {differing.length > 0 && (
            <ul data-testid="shelf-differences">
              {differing.map((l) => <li key={l.goods.id}>{w.shelfLine(l.goods.name, l.expected, l.counted, l.reason.trim())}</li>)}
            </ul>
          )}
        </ConfirmDialog>
      )}
    </section>
  );
}
