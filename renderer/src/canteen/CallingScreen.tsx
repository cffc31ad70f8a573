import { useEffect, useMemo, useRef, useState } from 'react';
import { announcement, callId, callingBoard, MEAL_NAMES, type MealOrder } from '../../../core/index.js';
import type { Clock } from '../store/actions.js';
import type { LinliDb } from '../store/db.js';
import { businessNow, shownRows } from '../store/view.js';
import { Announcer, type VoiceState } from './speech.js';
import { useReplicaQuery } from './useReplica.js';
import { useCanteenWords } from './words.js';

/**
 * The calling screen (叫号屏): a canteen device opened as a display (`#display`, a second window or
 * a TV paired as a canteen device). It shows the number called last very large, the ones called
 * before it, and the next ones, and says each new call twice. It reads the kiosk's own store,
 * which the sync client fills on every poke: a call at any till reaches it through the server.
 * No staff sign in here; it shows numbers, never names.
 */
export function CallingScreen({ db, clock }: { db: LinliDb; clock: Clock }) {
  const { w, lang } = useCanteenWords();
  const [voice, setVoice] = useState<VoiceState>('checking');
  const [said, setSaid] = useState<{ count: number; last: string }>({ count: 0, last: '' });
  const [blocked, setBlocked] = useState(false);
  const announcer = useMemo(() => new Announcer(setVoice, (text) => setSaid((s) => ({ count: s.count + 1, last: text }))), []);
  useEffect(() => () => announcer.close(), [announcer]);

  // Today's sitting whose number was called last (a lunch running late is still lunch), else the
  // one open now or next; and its tickets.
  const shown = useReplicaQuery(db, async () => {
    const now = await businessNow(db, clock.now());
    // One read of the day's tickets (the screen's whole work after a pull), then by sitting.
    const [sittings, tickets] = await Promise.all([
      shownRows(db, 'sittings', await db.sittings.where('day').equals(now.day).toArray(), (s) => s.day === now.day),
      shownRows(db, 'mealOrders', await db.mealOrders.where('day').equals(now.day).toArray(), (o) => o.day === now.day && o.number !== null),
    ]);
    const order = { breakfast: 0, lunch: 1, dinner: 2 } as const;
    const bySitting = sittings.sort((a, b) => order[a.meal] - order[b.meal]).map((sitting) => ({ sitting, tickets: tickets.filter((t) => t.sittingId === sitting.id) }));
    const lastCall = (x: { tickets: MealOrder[] }) => x.tickets.reduce((m, t) => (t.calledAt && t.calledAt > m ? t.calledAt : m), '');
    const called = bySitting.filter((x) => lastCall(x) !== '').sort((a, b) => lastCall(b).localeCompare(lastCall(a)))[0];
    return called ?? bySitting.find((x) => now.time <= x.sitting.closesAt) ?? bySitting[bySitting.length - 1] ?? null;
  }, [db, clock], null);
  const board = callingBoard<MealOrder>(shown?.tickets ?? []);

  // Each call is said once: the calls on screen when it opened are not said again.
  const heard = useRef<Set<string> | null>(null);
  useEffect(() => {
    if (!shown) return;
    const calls = shown.tickets.filter((t) => t.calls > 0).map(callId);
    if (heard.current === null) {
      heard.current = new Set(calls);
      return;
    }
    for (const t of [...shown.tickets].filter((x) => x.state === 'called' && x.number).sort((a, b) => (a.calledAt ?? '').localeCompare(b.calledAt ?? ''))) {
      const id = callId(t);
      if (heard.current.has(id)) continue;
      heard.current.add(id);
      void announcer.announce(announcement(t.number!, 'zh'));
      setBlocked(announcer.soundBlocked);
    }
  }, [shown, announcer]);

  return (
    <main className="calling-screen" data-testid="calling-screen" data-voice={voice} data-said={said.count} data-last-said={said.last}>
      <header>
        <h2>{w.displayTitle}{shown ? ` · ${MEAL_NAMES[shown.sitting.meal][lang]}` : ''}</h2>
        <span className={`voice voice-${voice}`} role="status">{voice === 'noVoice' ? w.voiceMissing : voice === 'voice' ? w.voiceReady : ''}</span>
        {blocked && <button onClick={() => void announcer.enableSound().then(() => setBlocked(false))}>{w.enableSound}</button>}
      </header>
      <section className="now" aria-live="assertive">
        <p className="number" data-testid="called-number">{board.now?.number ?? '—'}</p>
        <p className="collect">{board.now?.number ? announcement(board.now.number, lang) : ''}</p>
      </section>
      <section className="queue">
        <div><h3>{w.recent}</h3><ul>{board.recent.map((t) => <li key={t.id}>{t.number}</li>)}</ul></div>
        <div><h3>{w.next}</h3><ul data-testid="next-numbers">{board.next.map((t) => <li key={t.id}>{t.number}</li>)}</ul></div>
      </section>
    </main>
  );
}
