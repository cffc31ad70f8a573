import { useState } from 'react';
import { addDays, DEFAULT_PLACES, exceptionWords, sittingIdFor, yuanText, type MealKind, type Message } from '../../../core/index.js';
import { publishSitting, setSittingPlaces, type Clock } from '../store/actions.js';
import type { LinliDb } from '../store/db.js';
import { businessNow, openExceptions, sittingsOn } from '../store/view.js';
import { useReplicaQuery } from './useReplica.js';
import { fenOf, useCanteenWords } from './words.js';

type Props = { db: LinliDb; clock: Clock; staffId: string; afterCommit(): void };

const TIMES: Record<MealKind, { opensAt: string; closesAt: string; cutoff: string; name: string; price: string; cost: string }> = {
  breakfast: { opensAt: '07:00', closesAt: '08:30', cutoff: '06:30', name: '早餐套餐', price: '2', cost: '3.5' },
  lunch: { opensAt: '11:30', closesAt: '13:00', cutoff: '10:00', name: '爱心套餐', price: '5', cost: '9' },
  dinner: { opensAt: '17:30', closesAt: '18:45', cutoff: '16:00', name: '晚餐套餐', price: '4', cost: '6.5' },
};

/**
 * The week's menu and the sittings' places: publish a sitting with its set meal ahead, raise the
 * places of a sitting on the day, and see the sittings overbooked by offline devices (resolved by
 * an admin in the counter's exception queue).
 */
export function MenuPlaces({ db, clock, staffId, afterCommit }: Props) {
  const { w, lang, say } = useCanteenWords();
  const [message, setMessage] = useState<Message | { text: string } | null>(null);
  const [form, setForm] = useState({ offset: 1, meal: 'lunch' as MealKind, capacity: String(DEFAULT_PLACES), fee: '3', name: TIMES.lunch.name, dishes: '一荤两素，主食不限，例汤', price: TIMES.lunch.price, cost: TIMES.lunch.cost });
  const [places, setPlaces] = useState<Record<string, string>>({});

  const week = useReplicaQuery(db, async () => {
    const now = await businessNow(db, clock.now());
    const days = await Promise.all(Array.from({ length: 7 }, (_, i) => sittingsOn(db, addDays(now.day, i))));
    const overbooked = (await openExceptions(db)).filter((x) => x.kind === 'overbooked');
    return { now, days: days.flat(), overbooked };
  }, [db, clock]);
  if (!week) return null;

  const publish = async () => {
    const t = TIMES[form.meal];
    const r = await publishSitting(db, clock, {
      day: addDays(week.now.day, form.offset), meal: form.meal, opensAt: t.opensAt, closesAt: t.closesAt, bookingCutoff: t.cutoff, deliveryFeeFen: fenOf(form.fee), capacity: Number(form.capacity),
      meals: [{ name: form.name, dishes: form.dishes, setMeal: true, priceFen: fenOf(form.price), costFen: fenOf(form.cost) }],
    }, staffId);
    setMessage(r.ok ? { text: w.published } : r.error);
    if (r.ok) afterCommit();
  };
  const setCapacity = async (sittingId: string) => {
    const r = await setSittingPlaces(db, clock, sittingId, Number(places[sittingId] ?? ''), staffId);
    setMessage(r.ok ? { text: w.placesSet } : r.error);
    if (r.ok) afterCommit();
  };
  const taken = new Set(week.days.map((s) => s.sitting.id));

  return (
    <main className="canteen-menu">
      {message && <p className={'text' in message ? 'notice' : 'error'} role={'text' in message ? 'status' : 'alert'}>{'text' in message ? message.text : say(message)}</p>}
      <section>
        <h2>{w.week}</h2>
        <table className="week">
          <tbody>
            {week.days.map((s) => (
              <tr key={s.sitting.id} data-sitting={s.sitting.id}>
                <td>{s.sitting.day.slice(5)} {w.mealKinds[s.sitting.meal]}</td>
                <td>{s.meals.map((m) => `${m.name} ￥${yuanText(m.priceFen)}`).join('、')}</td>
                <td>{w.places(s.places.capacity - s.places.used, s.places.capacity)}</td>
                <td className="set-places">
                  <input aria-label={w.capacity} inputMode="numeric" value={places[s.sitting.id] ?? ''} placeholder={String(s.places.capacity)}
                    onChange={(e) => setPlaces({ ...places, [s.sitting.id]: e.target.value.replace(/\D/g, '') })} />
                  <button className="secondary" disabled={!places[s.sitting.id]} onClick={() => void setCapacity(s.sitting.id)}>{w.setPlaces}</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {week.overbooked.length > 0 && (
          <div className="overbooked" role="status">
            <h3>{w.overbookedTitle}</h3>
            <ul>{week.overbooked.map((x) => <li key={x.id}>{x.subjectId} · {exceptionWords('overbooked', lang).amount(x.amount)}</li>)}</ul>
          </div>
        )}
      </section>
      <section>
        <h2>{w.menuTitle}</h2>
        <form className="form-grid" onSubmit={(e) => { e.preventDefault(); void publish(); }}>
          <label>{w.day}
            <select value={form.offset} onChange={(e) => setForm({ ...form, offset: Number(e.target.value) })}>
              {Array.from({ length: 8 }, (_, i) => addDays(week.now.day, i)).map((d, i) => <option key={d} value={i}>{d}</option>)}
            </select>
          </label>
          <label>{w.mealKinds.lunch}/{w.mealKinds.breakfast}/{w.mealKinds.dinner}
            <select value={form.meal} onChange={(e) => { const meal = e.target.value as MealKind; setForm({ ...form, meal, name: TIMES[meal].name, price: TIMES[meal].price, cost: TIMES[meal].cost }); }}>
              {(['breakfast', 'lunch', 'dinner'] as const).map((m) => <option key={m} value={m} disabled={taken.has(sittingIdFor(addDays(week.now.day, form.offset), m))}>{w.mealKinds[m]} {TIMES[m].opensAt}</option>)}
            </select>
          </label>
          <label>{w.capacity}<input name="capacity" inputMode="numeric" value={form.capacity} onChange={(e) => setForm({ ...form, capacity: e.target.value.replace(/\D/g, '') })} /></label>
          <label>{w.deliveryFee}<input name="fee" inputMode="decimal" value={form.fee} onChange={(e) => setForm({ ...form, fee: e.target.value })} /></label>
          <label>{w.setMeal}<input name="setMeal" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} /></label>
          <label>{w.dishes}<input name="dishes" value={form.dishes} onChange={(e) => setForm({ ...form, dishes: e.target.value })} /></label>
          <label>{w.price}<input name="price" inputMode="decimal" value={form.price} onChange={(e) => setForm({ ...form, price: e.target.value })} /></label>
          <label>{w.cost}<input name="cost" inputMode="decimal" value={form.cost} onChange={(e) => setForm({ ...form, cost: e.target.value })} /></label>
          <button type="submit" className="primary">{w.publish}</button>
        </form>
      </section>
    </main>
  );
}
