import { useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { formatShanghai, type Lang, type Message } from '../../../../core/index.js';
import { useLocalWords, useWords } from '../../i18n.js';
import type { Clock } from '../../store/actions.js';
import type { LinliDb } from '../../store/db.js';
import { reverseEntry } from '../../store/pointsStore.js';
import { historyWithBalance, type HistoryLine } from '../../store/screensSupport.js';
import { ConfirmDialog } from '../shared/Dialog.js';
import { sharedWords } from '../shared/words.js';
import { pointsWords } from './words.js';

const PAGE = 30;

/** 11月25日 (or 11-25 in English). */
const dayWords = (at: string, lang: Lang) => {
  const d = formatShanghai(Date.parse(at));
  return lang === 'zh' ? `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日` : d.slice(5, 10);
};

/** +20 or −30, with a real minus sign. */
export const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0');

/** What an entry was for, in plain words: 兑换 抽纸×1, 清理楼道, 冲正：… */
function entryWords(e: HistoryLine, w: (typeof pointsWords)['zh'], categories: Record<string, string>): string {
  if (e.category === 'redemption') return `${w.redeemedWord} ${e.memo}`;
  if (e.category === 'shop') return `${w.shopWord} ${e.memo}`;
  return e.memo || (e.category ? categories[e.category] ?? e.category : '');
}

/**
 * The resident's ledger as far back as it goes, newest first, a page at a time: each entry in
 * plain words with the balance after it; entries not synced yet on top, marked. A redemption, an
 * award or a donation's points can be reversed (冲正) with a reason, after a confirmation; a
 * reversal cannot.
 */
export function History({ db, clock, staffId, accountId, afterCommit }: { db: LinliDb; clock: Clock; staffId: string; accountId: string; afterCommit(): void }) {
  const w = useLocalWords(pointsWords);
  const s = useLocalWords(sharedWords);
  const { lang, say } = useWords();
  const [limit, setLimit] = useState(PAGE);
  const page = useLiveQuery(() => historyWithBalance(db, accountId, limit), [db, accountId, limit]);
  const [reversing, setReversing] = useState<HistoryLine | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<Message | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const categories = s.categories as Record<string, string>;

  const reverse = async () => {
    if (!reversing) return;
    setBusy(true);
    try {
      const target = reversing.category === 'redemption' ? { kind: 'redemption' as const, redemptionId: reversing.eventId } : { kind: 'ledgerEntry' as const, entryId: reversing.id };
      const r = await reverseEntry(db, clock, staffId, target, reason);
      if (!r.ok) return setError(r.error);
      setReversing(null);
      setReason('');
      setError(null);
      setDone(true);
      afterCommit();
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel wide history-panel" data-testid="ledger">
      <h2>{w.historyTitle}</h2>
      {done && <p className="notice" role="status">{w.reverseDone}</p>}
      {page && page.lines.length === 0 && <p className="hint">{w.none}</p>}
      <ol className="ledger">
        {page?.lines.map((e) => (
          <li key={e.id} data-pending={e.pending || undefined} data-kind={e.kind}>
            <span className="when">{dayWords(e.at, lang)}</span>
            <span className="what">{entryWords(e, w, categories)}{e.pending && <em className="pending-mark"> · {w.pending}</em>}</span>
            <b className="delta">{signed(e.delta)}</b>
            <span className="after">{w.balanceAfter(e.balanceAfter)}</span>
            <span className="act">
              {e.reversible === 'yes' && <button type="button" className="secondary small" onClick={() => { setDone(false); setError(null); setReversing(e); }}>{w.reverse}</button>}
              {e.reversible === 'reversed' && <small>{w.reversed}</small>}
            </span>
          </li>
        ))}
      </ol>
      {page && (page.more ? <button type="button" className="secondary" onClick={() => setLimit((l) => l + PAGE)}>{w.more}</button> : page.lines.length > 0 && <p className="hint">{w.end}</p>)}
      {reversing && (
        <ConfirmDialog title={w.reverseTitle} busy={busy} onCancel={() => { setReversing(null); setError(null); }} onConfirm={() => void reverse()}>
          <p><b>{dayWords(reversing.at, lang)} {entryWords(reversing, w, categories)} {signed(reversing.delta)}</b></p>
          <p>{reversing.kind === 'shopRedemption' ? w.shopReverseBody(reversing.delta) : w.reverseBody(reversing.delta)}</p>
          {reversing.kind === 'donationReceived' && <p>{w.donationStock}</p>}
          <label>{s.reason}<input name="reason" value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} /></label>
          {error && <p className="error" role="alert">{say(error)}</p>}
        </ConfirmDialog>
      )}
    </section>
  );
}
