import { useCallback, useEffect, useRef, useState } from 'react';
import { addDays, maskName, mealsOnSale, parseCardCode, yuanText, type MealOrder, type Message, type Resident } from '../../../core/index.js';
import type { WedgeConfig } from '../scan/burst.js';
import { listenForScans } from '../scan/wedge.js';
import { bookMeal, cancelBooking, type Clock } from '../store/actions.js';
import type { LinliDb } from '../store/db.js';
import { businessNow, missingCardReason, ordersOfSitting, sittingsOn } from '../store/view.js';
import { useReplicaQuery } from './useReplica.js';
import { useCanteenWords } from './words.js';

type Props = { db: LinliDb; clock: Clock; scanner: WedgeConfig; staffId: string; afterCommit(): void };

/**
 * Bookings (订餐): today's or the week's sittings with the places left; scan a resident's card to
 * book one for them (past the places only by staff's decision), and cancel a booking before the
 * sitting's cut-off. A booked meal is collected at the till with its ticket.
 */
export function Bookings({ db, clock, scanner, staffId, afterCommit }: Props) {
  const { w, say } = useCanteenWords();
  const [offset, setOffset] = useState(0);
  const [sittingId, setSittingId] = useState<string | null>(null);
  const [resident, setResident] = useState<Resident | null>(null);
  const [typed, setTyped] = useState('');
  const [override, setOverride] = useState(false);
  const [mealId, setMealId] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<'book' | MealOrder | null>(null);
  const [message, setMessage] = useState<Message | { text: string } | null>(null);

  const data = useReplicaQuery(db, async () => {
    const now = await businessNow(db, clock.now());
    const day = addDays(now.day, offset);
    const sittings = await sittingsOn(db, day);
    const current = sittings.find((s) => s.sitting.id === sittingId) ?? sittings.find((s) => s.sitting.meal === 'lunch') ?? sittings[0];
    const orders = current ? (await ordersOfSitting(db, current.sitting.id)).filter((o) => o.state === 'booked') : [];
    const names = new Map((await db.residents.bulkGet(orders.flatMap((o) => (o.residentId ? [o.residentId] : [])))).flatMap((r) => (r ? [[r.id, r.name] as const] : [])));
    return { now, day, sittings, current, orders, names };
  }, [db, clock, offset, sittingId]);

  const showCard = useCallback(async (raw: string) => {
    const parsed = parseCardCode(raw);
    if (!parsed.ok) return setMessage(parsed.error);
    const r = await db.residents.where('cardCode').equals(parsed.value.code).first();
    if (!r) return setMessage(await missingCardReason(db, parsed.value));
    setMessage(null);
    setResident(r);
    setTyped('');
  }, [db]);
  // One listener for the screen's life (see the till): a scan is never cut by a re-render.
  const showRef = useRef(showCard);
  showRef.current = showCard;
  useEffect(() => listenForScans(window, (code) => void showRef.current(code), scanner), [scanner]);

  const book = async () => {
    const c = data?.current;
    if (!c || !resident) return;
    const r = await bookMeal(db, clock, { sittingId: c.sitting.id, day: c.sitting.day, mealId: meal?.id ?? '', residentId: resident.id, override }, staffId);
    setConfirming(null);
    setMessage(r.ok ? { text: w.bookedOk } : r.error);
    if (r.ok) {
      afterCommit();
      setResident(null);
      setOverride(false);
    }
  };
  const cancel = async (o: MealOrder) => {
    const r = await cancelBooking(db, clock, o.id, staffId);
    setConfirming(null);
    setMessage(r.ok ? null : r.error);
    if (r.ok) afterCommit();
  };

  if (!data) return null;
  const c = data.current;
  const left = c ? c.places.capacity - c.places.used : 0;
  // The meal booked: the one staff picked on this sitting's menu, else its set meal (listed first).
  // Bookings are of meals on sale.
  const onSale = mealsOnSale(c?.meals ?? []);
  const meal = onSale.find((m) => m.id === mealId) ?? onSale[0];
  return (
    <main className="canteen-bookings">
      <nav className="days" role="tablist">
        {Array.from({ length: 7 }, (_, i) => (
          <button key={i} role="tab" aria-selected={i === offset} onClick={() => { setOffset(i); setSittingId(null); setMealId(null); }}>{addDays(data.now.day, i).slice(5)}</button>
        ))}
      </nav>
      {message && <p className={'text' in message ? 'notice' : 'error'} role={'text' in message ? 'status' : 'alert'}>{'text' in message ? message.text : say(message)}</p>}
      {!c ? <p className="notice">{w.noSitting}</p> : (
        <div className="booking-work">
          <section>
            <div className="sittings" role="radiogroup">
              {data.sittings.map((s) => (
                <button key={s.sitting.id} role="radio" aria-checked={s.sitting.id === c.sitting.id} onClick={() => { setSittingId(s.sitting.id); setMealId(null); }}>
                  <b>{w.mealKinds[s.sitting.meal]}</b> {s.sitting.opensAt}<span data-testid={`booking-places-${s.sitting.meal}`}>{w.places(s.places.capacity - s.places.used, s.places.capacity)}</span>
                </button>
              ))}
            </div>
            <p className="hint">{w.cutoff} {c.sitting.day} {c.sitting.bookingCutoff}</p>
            {onSale.length > 1 ? (
              <label className="category-pick">{w.bookMeal}
                <select name="bookingMeal" value={meal?.id ?? ''} onChange={(e) => setMealId(e.target.value)}>
                  {onSale.map((m) => <option key={m.id} value={m.id}>{m.name} ￥{yuanText(m.priceFen)}</option>)}
                </select>
              </label>
            ) : meal ? <p className="hint">{meal.name} {meal.dishes}</p> : <p className="notice warn" data-testid="nothing-on-sale">{say({ key: 'nothingOnSale', params: {} })}</p>}
            {!resident ? (
              <form onSubmit={(e) => { e.preventDefault(); void showCard(typed); }}>
                <label>{w.cardCode}<input name="bookingCard" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" /></label>
                <button type="submit" className="secondary">{w.lookUp}</button>
              </form>
            ) : (
              <div className="buyer-card">
                <h2>{maskName(resident.name)}</h2>
                {left <= 0 && <label className="override"><input type="checkbox" checked={override} onChange={(e) => setOverride(e.target.checked)} /> {w.full} · {w.override}</label>}
                <div className="actions">
                  <button className="secondary" onClick={() => setResident(null)}>{w.cancel}</button>
                  <button className="primary" disabled={!meal} onClick={() => setConfirming('book')}>{w.bookFor(maskName(resident.name))}</button>
                </div>
              </div>
            )}
          </section>
          <section>
            <h2>{w.bookingList}</h2>
            {data.orders.length === 0 ? <p className="hint">{w.noBookings}</p> : (
              <ul className="booking-list" data-testid="booking-list">
                {data.orders.map((o) => (
                  <li key={o.id}><span>{maskName(data.names.get(o.residentId ?? '') ?? '?')}</span><button className="secondary" onClick={() => setConfirming(o)}>{w.cancelBooking}</button></li>
                ))}
              </ul>
            )}
          </section>
        </div>
      )}
      {confirming && c && (
        <div className="overlay">
          <div role="dialog" aria-modal="true" className="dialog">
            <p>{confirming === 'book' ? `${w.bookFor(maskName(resident?.name ?? ''))}：${c.sitting.day} ${w.mealKinds[c.sitting.meal]} ${meal?.name ?? ''}` : w.cancelConfirm(maskName(data.names.get(confirming.residentId ?? '') ?? '?'))}</p>
            <div className="actions">
              <button className="secondary" onClick={() => setConfirming(null)}>{w.cancel}</button>
              <button className="primary" onClick={() => void (confirming === 'book' ? book() : cancel(confirming))}>{w.confirm}</button>
            </div>
          </div>
        </div>
      )}
    </main>
  );
}
