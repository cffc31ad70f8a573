import { useState } from 'react';
import { addDays, DEFAULT_PLACES, exceptionWords, fenOf, sittingIdFor, yuanText, type MealKind, type MenuMeal, type Message } from '../../../core/index.js';
import { setSittingPlaces, type Clock } from '../store/actions.js';
import { changeMenu, publishSittings, setMealOffered } from '../store/canteenMenu.js';
import type { LinliDb } from '../store/db.js';
import { businessNow, openExceptions, sittingsOnDays, type ShownSitting } from '../store/view.js';
import { lineOf, mealOf, newLine, placesOf, usualLine, USUAL_SITTINGS, type MenuFormLine } from './forms.js';
import { useReplicaQuery } from './useReplica.js';
import { useCanteenWords } from './words.js';

type Props = { db: LinliDb; clock: Clock; staffId: string; afterCommit(): void };

/** Days shown and open to publishing: this week and the next (the demo publishes a week ahead). */
const DAYS_AHEAD = 14;


/**
 * The week's menu and the sittings' places (菜单与名额): publish a sitting ahead with its times,
 * places and meals (set meals and dishes, as many as the kitchen makes), for one day or the days
 * after it too; change a published menu (meals added, renamed, repriced); raise a sitting's places
 * on the day; see the sittings overbooked by offline devices (resolved in the exception queue).
 */
export function MenuPlaces({ db, clock, staffId, afterCommit }: Props) {
  const { w, lang, say } = useCanteenWords();
  const [message, setMessage] = useState<Message | { text: string } | null>(null);
  const [form, setForm] = useState({ offset: 1, meal: 'lunch' as MealKind, ...USUAL_SITTINGS.lunch, capacity: String(DEFAULT_PLACES), fee: '3', days: 1 });
  const [lines, setLines] = useState<MenuFormLine[]>(() => [usualLine('lunch')]);
  const [editing, setEditing] = useState<ShownSitting | null>(null);
  const [places, setPlaces] = useState<Record<string, string>>({});

  const week = useReplicaQuery(db, async () => {
    const now = await businessNow(db, clock.now());
    const days = await sittingsOnDays(db, Array.from({ length: DAYS_AHEAD }, (_, i) => addDays(now.day, i)));
    const overbooked = (await openExceptions(db)).filter((x) => x.kind === 'overbooked');
    return { now, days, overbooked };
  }, [db, clock]);
  if (!week) return null;

  const done = (r: { ok: true } | { ok: false; error: Message }, text: string) => {
    setMessage(r.ok ? { text } : r.error);
    if (r.ok) afterCommit();
    return r.ok;
  };
  const publish = async () => {
    const r = await publishSittings(db, clock, {
      day: addDays(week.now.day, form.offset), meal: form.meal, opensAt: form.opensAt, closesAt: form.closesAt, bookingCutoff: form.cutoff,
      deliveryFeeFen: fenOf(form.fee), capacity: placesOf(form.capacity), meals: lines.map(mealOf),
    }, form.days, staffId);
    done(r, r.ok ? w.publishedDays(r.value.published, r.value.skipped) : '');
  };
  const saveMenu = async () => {
    if (!editing) return;
    const r = await changeMenu(db, clock, editing.sitting.id, editing.sitting.day, lines.map(mealOf), staffId);
    if (done(r, w.menuSaved)) stopEditing();
  };
  const startEditing = (s: ShownSitting) => {
    setEditing(s);
    setLines(s.meals.map(lineOf));
    setMessage(null);
  };
  const stopEditing = () => {
    setEditing(null);
    setLines([usualLine(form.meal)]);
  };
  const setCapacity = async (sittingId: string) => {
    done(await setSittingPlaces(db, clock, sittingId, Number(places[sittingId] ?? ''), staffId), w.placesSet);
  };
  // The menu being changed as it is now (a meal taken off sale shows at once).
  const onMenu = new Map((week.days.find((s) => s.sitting.id === editing?.sitting.id)?.meals ?? []).map((m) => [m.id, m]));
  const toggleOffered = async (m: MenuMeal) => {
    if (!editing) return;
    done(await setMealOffered(db, clock, editing.sitting.id, editing.sitting.day, m.id, !m.offered, staffId), m.offered ? w.withdrawn(m.name) : w.restored(m.name));
  };
  const setLine = (key: number, patch: Partial<MenuFormLine>) => setLines(lines.map((l) => (l.key === key ? { ...l, ...patch } : l)));
  const taken = new Set(week.days.map((s) => s.sitting.id));

  const mealLines = (
    <fieldset className="menu-lines" data-testid="menu-lines">
      {lines.map((l, i) => (
        <div className="menu-line" key={l.key} data-line={i}>
          <input aria-label={`${w.mealName} ${i + 1}`} placeholder={w.mealName} value={l.name} maxLength={40} onChange={(e) => setLine(l.key, { name: e.target.value })} />
          <input aria-label={`${w.dishes} ${i + 1}`} placeholder={w.dishes} value={l.dishes} maxLength={200} onChange={(e) => setLine(l.key, { dishes: e.target.value })} />
          <label className="check"><input type="checkbox" checked={l.setMeal} onChange={(e) => setLine(l.key, { setMeal: e.target.checked })} />{w.isSetMeal}</label>
          <input aria-label={`${w.price} ${i + 1}`} placeholder={w.price} inputMode="decimal" value={l.price} onChange={(e) => setLine(l.key, { price: e.target.value })} />
          <input aria-label={`${w.cost} ${i + 1}`} placeholder={w.cost} inputMode="decimal" value={l.cost} onChange={(e) => setLine(l.key, { cost: e.target.value })} />
          {/* A meal on a published menu stays on it (sold meals name it): only new lines go; a meal on it goes off sale and back. */}
          {l.id === null
            ? (lines.length > 1 ? <button type="button" className="secondary" onClick={() => setLines(lines.filter((x) => x.key !== l.key))}>{w.removeMeal}</button> : <span />)
            : <OfferButton meal={onMenu.get(l.id)} onToggle={(m) => void toggleOffered(m)} />}
        </div>
      ))}
      <button type="button" className="secondary" onClick={() => setLines([...lines, newLine()])}>{w.addMeal}</button>
    </fieldset>
  );

  return (
    <main className="canteen-menu">
      {message && <p className={'text' in message ? 'notice' : 'error'} role={'text' in message ? 'status' : 'alert'}>{'text' in message ? message.text : say(message)}</p>}
      <section>
        <h2>{w.week}</h2>
        <table className="week">
          <tbody>
            {week.days.map((s) => (
              <tr key={s.sitting.id} data-sitting={s.sitting.id}>
                <td>{s.sitting.day.slice(5)} {w.mealKinds[s.sitting.meal]} {s.sitting.opensAt}</td>
                <td>{s.meals.map((m) => `${m.name} ￥${yuanText(m.priceFen)}${m.offered ? '' : w.offSale}`).join('、')}</td>
                <td>{w.places(s.places.capacity - s.places.used, s.places.capacity)}</td>
                <td className="set-places">
                  <input aria-label={w.capacity} inputMode="numeric" value={places[s.sitting.id] ?? ''} placeholder={String(s.places.capacity)}
                    onChange={(e) => setPlaces({ ...places, [s.sitting.id]: e.target.value.replace(/\D/g, '') })} />
                  <button className="secondary" disabled={!places[s.sitting.id]} onClick={() => void setCapacity(s.sitting.id)}>{w.setPlaces}</button>
                  <button className="secondary" disabled={s.sitting.day < week.now.day} onClick={() => startEditing(s)}>{w.editMenu}</button>
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
        {editing ? (
          <form className="menu-form" onSubmit={(e) => { e.preventDefault(); void saveMenu(); }}>
            <h2>{w.editTitle(editing.sitting.day, w.mealKinds[editing.sitting.meal])}</h2>
            <p className="hint">{w.editHint}</p>
            {mealLines}
            <div className="actions">
              <button type="button" className="secondary" onClick={stopEditing}>{w.cancel}</button>
              <button type="submit" className="primary">{w.saveMenu}</button>
            </div>
          </form>
        ) : (
          <form className="menu-form" onSubmit={(e) => { e.preventDefault(); void publish(); }}>
            <h2>{w.menuTitle}</h2>
            <div className="form-grid">
              <label>{w.day}
                <select value={form.offset} onChange={(e) => setForm({ ...form, offset: Number(e.target.value) })}>
                  {Array.from({ length: DAYS_AHEAD }, (_, i) => addDays(week.now.day, i)).map((d, i) => <option key={d} value={i}>{d}</option>)}
                </select>
              </label>
              <label>{w.mealKinds.lunch}/{w.mealKinds.breakfast}/{w.mealKinds.dinner}
                <select value={form.meal} onChange={(e) => {
                  const meal = e.target.value as MealKind;
                  setForm({ ...form, meal, ...USUAL_SITTINGS[meal] });
                  setLines([usualLine(meal)]);
                }}>
                  {(['breakfast', 'lunch', 'dinner'] as const).map((m) => <option key={m} value={m} disabled={taken.has(sittingIdFor(addDays(week.now.day, form.offset), m))}>{w.mealKinds[m]}</option>)}
                </select>
              </label>
              <label>{w.opensAt}<input name="opensAt" type="time" value={form.opensAt} onChange={(e) => setForm({ ...form, opensAt: e.target.value })} /></label>
              <label>{w.closesAt}<input name="closesAt" type="time" value={form.closesAt} onChange={(e) => setForm({ ...form, closesAt: e.target.value })} /></label>
              <label>{w.cutoff}<input name="cutoff" type="time" value={form.cutoff} onChange={(e) => setForm({ ...form, cutoff: e.target.value })} /></label>
              <label>{w.capacity}<input name="capacity" inputMode="numeric" value={form.capacity} onChange={(e) => setForm({ ...form, capacity: e.target.value.replace(/\D/g, '') })} /></label>
              <label>{w.deliveryFee}<input name="fee" inputMode="decimal" value={form.fee} onChange={(e) => setForm({ ...form, fee: e.target.value })} /></label>
              <label>{w.repeatDays}
                <select name="days" value={form.days} onChange={(e) => setForm({ ...form, days: Number(e.target.value) })}>
                  {[1, 2, 3, 4, 5, 6, 7].map((n) => <option key={n} value={n}>{w.daysN(n)}</option>)}
                </select>
              </label>
            </div>
            {mealLines}
            <div className="actions"><button type="submit" className="primary">{w.publish}</button></div>
          </form>
        )}
      </section>
    </main>
  );
}

/** Takes a meal on the menu off sale, or puts it back. */
function OfferButton({ meal, onToggle }: { meal: MenuMeal | undefined; onToggle(meal: MenuMeal): void }) {
  const { w } = useCanteenWords();
  if (!meal) return <span />;
  return <button type="button" className="secondary" data-offered={meal.offered} onClick={() => onToggle(meal)}>{meal.offered ? w.withdraw : w.restore}</button>;
}
