import { useCallback, useEffect, useRef, useState } from 'react';
import {
  deliveryOrderId, formatShanghai, layoutRouteList, maskName, MEAL_NAMES, parseCardCode, renderPrintDocHtml, usualMeal, weekdayOf, yuanText,
  type LinliBridge, type Message, type Paper, type Resident, type RouteListModel, type StandingBooking,
} from '../../../core/index.js';
import type { WedgeConfig } from '../scan/burst.js';
import { listenForScans } from '../scan/wedge.js';
import { confirmDelivery, quoteDelivery, setStandingBooking, type Clock } from '../store/actions.js';
import type { LinliDb } from '../store/db.js';
import { businessNow, missingCardReason, ordersOfSitting, shownRows, sittingsOn } from '../store/view.js';
import { symbols } from './symbols.js';
import { useReplicaQuery } from './useReplica.js';
import { useCanteenWords } from './words.js';

type Props = { db: LinliDb; clock: Clock; paper: Paper; printer: LinliBridge | null; scanner: WedgeConfig; staffId: string; afterCommit(): void };

type Stop = { standing: StandingBooking; resident: Resident; volunteer: Resident | null; deliveredAt: string | null; paidFen: number | null; /** The meal taken home, once delivered. */ mealId: string | null };

/**
 * Home delivery (送餐上门): today's list from the standing bookings, by building with each
 * building's volunteer; a delivery confirmed by a scan of the resident's card or a tick (with the
 * time); the route list printed; a resident's delivery days set. Deliveries are priced when
 * confirmed, with the delivery fee and its subsidy.
 */
export function Delivery({ db, clock, paper, printer, scanner, staffId, afterCommit }: Props) {
  const { w, lang, say } = useCanteenWords();
  const [message, setMessage] = useState<Message | { text: string } | null>(null);
  const [ticking, setTicking] = useState<Stop | null>(null);
  const [editing, setEditing] = useState<{ resident: Resident; weekdays: number[]; volunteerCard: string; active: boolean } | null>(null);
  const [typed, setTyped] = useState('');
  const [route, setRoute] = useState<RouteListModel | null>(null);

  const data = useReplicaQuery(db, async () => {
    const now = await businessNow(db, clock.now());
    const lunch = (await sittingsOn(db, now.day)).find((s) => s.sitting.meal === 'lunch');
    const all = await shownRows(db, 'standingBookings', await db.standingBookings.toArray(), () => true);
    const todays = all.filter((b) => b.active && b.meal === 'lunch' && b.weekdays.includes(weekdayOf(now.day)));
    const people = new Map((await db.residents.bulkGet([...new Set(all.flatMap((b) => [b.residentId, ...(b.volunteerId ? [b.volunteerId] : [])]))])).flatMap((r) => (r ? [[r.id, r] as const] : [])));
    const delivered = new Map(lunch ? (await ordersOfSitting(db, lunch.sitting.id)).filter((o) => o.delivery).map((o) => [o.id, o] as const) : []);
    const stops: Stop[] = todays.flatMap((standing) => {
      const resident = people.get(standing.residentId);
      if (!resident) return [];
      const order = lunch ? delivered.get(deliveryOrderId(standing.id, lunch.sitting.id)) : undefined;
      return [{ standing, resident, volunteer: standing.volunteerId ? people.get(standing.volunteerId) ?? null : null, deliveredAt: order?.finishedAt ?? null, paidFen: order?.paidFen ?? null, mealId: order?.mealId ?? null }];
    });
    const buildings = new Map<string, Stop[]>();
    for (const s of stops.sort((a, b) => (a.resident.room ?? '').localeCompare(b.resident.room ?? '', 'zh'))) {
      const key = s.resident.building ?? '—';
      buildings.set(key, [...(buildings.get(key) ?? []), s]);
    }
    return { now, lunch, all, buildings: [...buildings.entries()].sort(([a], [b]) => a.localeCompare(b, 'zh', { numeric: true })), stops };
  }, [db, clock]);

  const deliver = useCallback(async (stop: Stop, confirmedBy: 'scan' | 'tick') => {
    if (!data?.lunch) return;
    const r = await confirmDelivery(db, clock, { standingId: stop.standing.id, sittingId: data.lunch.sitting.id, confirmedBy }, staffId);
    setTicking(null);
    setMessage(r.ok ? { text: `${maskName(stop.resident.name)} · ${w.savedWaiting}` } : r.error);
    if (r.ok) afterCommit();
  }, [data, db, clock, staffId, afterCommit, w]);

  // A scanned card on this screen: that resident's delivery confirmed (the scan is the proof).
  const onScan = useCallback(async (code: string) => {
    const parsed = parseCardCode(code);
    if (!parsed.ok) return setMessage(parsed.error);
    const stop = data?.stops.find((s) => s.resident.cardCode === parsed.value.code);
    if (!stop) {
      const r = await db.residents.where('cardCode').equals(parsed.value.code).first();
      return setMessage(r ? { key: 'orderUnknown', params: {} } : await missingCardReason(db, parsed.value));
    }
    await deliver(stop, 'scan');
  }, [data, db, deliver]);
  // One listener for the screen's life (see the till): a scan is never cut by a re-render.
  const onScanRef = useRef(onScan);
  onScanRef.current = onScan;
  useEffect(() => listenForScans(window, (c) => void onScanRef.current(c), scanner), [scanner]);

  const printRoute = async () => {
    if (!data?.lunch) return;
    const lunch = data.lunch;
    const device = await db.device();
    const model: RouteListModel = {
      centreName: device?.centreName ?? '', day: data.now.day, sittingName: MEAL_NAMES.lunch[lang], printedAt: data.now.instant,
      buildings: await Promise.all(data.buildings.map(async ([building, stops]) => ({
        building, volunteer: stops[0]?.volunteer ? maskName(stops[0].volunteer.name) : null,
        stops: await Promise.all(stops.map(async (s) => {
          const quote = s.paidFen === null ? await quoteDelivery(db, clock, { standingId: s.standing.id, sittingId: lunch.sitting.id }) : null;
          const quoted: number = s.paidFen ?? (quote?.ok ? quote.value.paidFen : 0);
          return { residentName: maskName(s.resident.name), room: s.resident.room, mealName: (lunch.meals.find((m) => m.id === s.mealId) ?? usualMeal(lunch.meals))?.name ?? '', billFen: quoted, deliveredAt: s.deliveredAt ? Date.parse(s.deliveredAt) : null };
        })),
      }))),
    };
    setRoute(model);
    void printer?.print({ jobId: crypto.randomUUID(), label: `送餐 ${data.now.day}`, doc: layoutRouteList(model, paper, lang) });
  };

  const findResident = async () => {
    const parsed = parseCardCode(typed);
    if (!parsed.ok) return setMessage(parsed.error);
    const r = await db.residents.where('cardCode').equals(parsed.value.code).first();
    if (!r) return setMessage(await missingCardReason(db, parsed.value));
    const existing = data?.all.find((b) => b.residentId === r.id && b.meal === 'lunch');
    const volunteer = existing?.volunteerId ? await db.residents.get(existing.volunteerId) : undefined;
    setEditing({ resident: r, weekdays: existing?.weekdays ?? [1, 2, 3, 4, 5], volunteerCard: volunteer?.cardCode ?? '', active: true });
    setTyped('');
  };
  const saveStanding = async (active: boolean) => {
    if (!editing) return;
    const volunteer = editing.volunteerCard.trim() ? await db.residents.where('cardCode').equals(editing.volunteerCard.trim().toUpperCase()).first() : null;
    if (editing.volunteerCard.trim() && !volunteer) return setMessage({ key: 'unknownResident', params: { code: editing.volunteerCard.trim() } });
    const r = await setStandingBooking(db, clock, { residentId: editing.resident.id, meal: 'lunch', weekdays: editing.weekdays, volunteerId: volunteer?.id ?? null, active }, staffId);
    setMessage(r.ok ? { text: w.savedWaiting } : r.error);
    if (r.ok) {
      afterCommit();
      setEditing(null);
    }
  };

  if (!data) return null;
  return (
    <main className="canteen-delivery">
      <header className="row">
        <h2>{w.deliveryTitle(data.now.day)}</h2>
        <span className="hint">{w.scanDelivered}</span>
        <button className="secondary" disabled={!data.lunch || data.stops.length === 0} onClick={() => void printRoute()}>{w.printRoute}</button>
      </header>
      {message && <p className={'text' in message ? 'notice' : 'error'} role={'text' in message ? 'status' : 'alert'}>{'text' in message ? message.text : say(message)}</p>}
      {data.stops.length === 0 ? <p className="hint">{w.deliveryNone}</p> : (
        <div className="buildings" data-testid="delivery-list">
          {data.buildings.map(([building, stops]) => (
            <section key={building} className="building">
              <h3>{building} · {w.volunteer}：{stops[0]?.volunteer ? maskName(stops[0].volunteer.name) : w.unassigned}</h3>
              <ul>
                {stops.map((s) => (
                  <li key={s.standing.id} data-resident={s.resident.cardCode}>
                    <span>{maskName(s.resident.name)} {s.resident.room}</span>
                    {s.deliveredAt ? <b className="done">{w.deliveredAt(formatShanghai(Date.parse(s.deliveredAt)).slice(11))} · ￥{yuanText(s.paidFen ?? 0)}</b>
                      : <button onClick={() => setTicking(s)}>{w.tick}</button>}
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>
      )}
      <section className="standing">
        <h3>{w.standing}</h3>
        {!editing ? (
          <form onSubmit={(e) => { e.preventDefault(); void findResident(); }}>
            <input name="standingCard" aria-label={w.cardCode} placeholder={w.cardCode} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
            <button type="submit" className="secondary">{w.lookUp}</button>
          </form>
        ) : (
          <div className="standing-form">
            <p>{w.standingFor(maskName(editing.resident.name))}</p>
            <div className="weekdays">
              {w.weekdays.map((d, i) => (
                <label key={d}><input type="checkbox" checked={editing.weekdays.includes(i + 1)} onChange={(e) => setEditing({ ...editing, weekdays: e.target.checked ? [...editing.weekdays, i + 1] : editing.weekdays.filter((x) => x !== i + 1) })} />{d}</label>
              ))}
            </div>
            <label>{w.volunteerCard}<input name="volunteerCard" value={editing.volunteerCard} onChange={(e) => setEditing({ ...editing, volunteerCard: e.target.value })} autoComplete="off" /></label>
            <div className="actions">
              <button className="secondary" onClick={() => setEditing(null)}>{w.cancel}</button>
              <button className="secondary" onClick={() => void saveStanding(false)}>{w.stop}</button>
              <button className="primary" onClick={() => void saveStanding(true)}>{w.save}</button>
            </div>
          </div>
        )}
      </section>
      {ticking && (
        <div className="overlay">
          <div role="dialog" aria-modal="true" className="dialog">
            <p>{w.tickConfirm(maskName(ticking.resident.name))}</p>
            <div className="actions">
              <button className="secondary" onClick={() => setTicking(null)}>{w.cancel}</button>
              <button className="primary" onClick={() => void deliver(ticking, 'tick')}>{w.confirm}</button>
            </div>
          </div>
        </div>
      )}
      {route && (
        <div className="overlay" onClick={() => setRoute(null)}>
          <div role="dialog" aria-modal="true" className="dialog route-preview" onClick={(e) => e.stopPropagation()}>
            <div className="ticket-paper" data-testid="route-list" dangerouslySetInnerHTML={{ __html: renderPrintDocHtml(layoutRouteList(route, paper, lang), symbols) }} />
            <div className="actions">
              {!printer && <button className="secondary" onClick={() => window.print()}>{w.printRoute}</button>}
              <button className="primary" onClick={() => setRoute(null)}>{w.done}</button>
            </div>
          </div>
        </div>
      )}
    </main>
  );
}
