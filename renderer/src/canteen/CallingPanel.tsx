import { useState } from 'react';
import { callingBoard, type MealOrder, type Message } from '../../../core/index.js';
import { callTicket, finishTicket, type Clock } from '../store/actions.js';
import type { LinliDb } from '../store/db.js';
import { ordersOfSitting } from '../store/view.js';
import { useReplicaQuery } from './useReplica.js';
import { useCanteenWords } from './words.js';

/**
 * Staff's calling controls at the till: call the next number, a given number, or the last again;
 * mark a called number served or a no-show. Each is an event; the calling screens of the centre
 * hear it through the sync (the poke), and this one through its own store.
 */
export function CallingPanel({ db, clock, sittingId, staffId, afterCommit }: { db: LinliDb; clock: Clock; sittingId: string; staffId: string; afterCommit(): void }) {
  const { w, say } = useCanteenWords();
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<Message | null>(null);
  const tickets = useReplicaQuery(db, () => ordersOfSitting(db, sittingId), [db, sittingId], [] as MealOrder[]);
  const board = callingBoard(tickets, 8);
  const called = [board.now, ...board.recent].filter((t): t is MealOrder => t !== null);

  const done = (r: { ok: true } | { ok: false; error: Message }) => {
    setError(r.ok ? null : r.error);
    if (r.ok) afterCommit();
  };
  const call = async (command: Parameters<typeof callTicket>[3]) => done(await callTicket(db, clock, sittingId, command, staffId));

  return (
    <section className="calling-panel" aria-label={w.calling}>
      <h2>{w.calling} <small>{w.waiting(board.next.length)}</small></h2>
      <div className="actions">
        <button className="primary" data-testid="call-next" onClick={() => void call({ kind: 'next' })}>{w.callNext}</button>
        <button className="secondary" onClick={() => window.open(`${location.origin}${location.pathname}#display`, 'linli-display', 'popup')}>{w.openDisplay}</button>
      </div>
      <form onSubmit={(e) => { e.preventDefault(); void call({ kind: 'number', number: typed }).then(() => setTyped('')); }}>
        <input name="callNumber" aria-label={w.numberToCall} placeholder={w.numberToCall} value={typed} onChange={(e) => setTyped(e.target.value.toUpperCase())} autoComplete="off" maxLength={6} />
        <button type="submit" className="secondary" disabled={typed.trim() === ''}>{w.callNumber}</button>
      </form>
      {error && <p className="error" role="alert">{say(error)}</p>}
      <ul className="called" data-testid="called-list">
        {called.map((t) => (
          <li key={t.id}>
            <b>{t.number}</b>
            <button className="secondary" onClick={() => void call({ kind: 'again', orderId: t.id })}>{w.callAgain}</button>
            <button onClick={() => void finishTicket(db, clock, t.id, 'served', staffId).then(done)}>{w.served}</button>
            <button className="secondary" onClick={() => void finishTicket(db, clock, t.id, 'noShow', staffId).then(done)}>{w.noShow}</button>
          </li>
        ))}
      </ul>
      <p className="next-line">{board.next.map((t) => t.number).join('  ')}</p>
    </section>
  );
}
