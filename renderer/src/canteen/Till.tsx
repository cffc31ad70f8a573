import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  layoutMealTicket, looksLikeTicket, maskName, mealsOnSale, parseCardCode, parseTicketCode, renderPrintDocHtml, tillSeries, yuanText,
  type DecidedSale, type LinliBridge, type Message, type Paper, type Payment, type Resident,
} from '../../../core/index.js';
import type { WedgeConfig } from '../scan/burst.js';
import { listenForScans } from '../scan/wedge.js';
import { claimMainTill, finishTicket, quoteSale, sellMeal, type Clock, type SellCommand, type SoldMeal } from '../store/actions.js';
import type { LinliDb } from '../store/db.js';
import { businessNow, categoriesOf, mealBalanceOf, missingCardReason, ordersOfResident, ordersOfSitting, sittingsOn } from '../store/view.js';
import { isQuotaError } from '../sync/exportOutbox.js';
import { CallingPanel } from './CallingPanel.js';
import { ResidentTools } from './ResidentTools.js';
import { PayQr, usePaymentCode } from './PayQr.js';
import { symbols } from './symbols.js';
import { useReplicaQuery } from './useReplica.js';
import { useCanteenWords } from './words.js';

export type TillProps = { db: LinliDb; clock: Clock; paper: Paper; printer: LinliBridge | null; scanner: WedgeConfig; staffId: string; afterCommit(): void };

/** Who is buying: a resident by card, or a walk-in. */
type Buyer = { kind: 'resident'; resident: Resident } | { kind: 'walkIn' };

/**
 * The till (售餐): pick today's sitting, scan the resident's card (the category follows) or take a
 * walk-in, pick the meal and the payment, confirm the price the subsidy rules give, and the ticket
 * prints with its number. The calling panel beside it calls the numbers. Rules are `core/`'s.
 */
export function Till({ db, clock, paper, printer, scanner, staffId, afterCommit }: TillProps) {
  const { w, lang, say } = useCanteenWords();
  const [sittingId, setSittingId] = useState<string | null>(null);
  const [buyer, setBuyer] = useState<Buyer | null>(null);
  const [typed, setTyped] = useState('');
  const [mealId, setMealId] = useState<string | null>(null);
  const [payment, setPayment] = useState<Exclude<Payment, 'none'>>('cash');
  const [override, setOverride] = useState(false);
  // A category staff name for this meal (the resident says they are 低保…), else the best held.
  const [chosen, setChosen] = useState<string | null>(null);
  const [quote, setQuote] = useState<DecidedSale | null>(null);
  const [sold, setSold] = useState<SoldMeal | null>(null);
  const [error, setError] = useState<Message | { text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  // The sale whose ticket went to the printer: its copy on the screen is drawn only then (below).
  const [printedId, setPrintedId] = useState<string | null>(null);
  // The centre's payment code (收款码): without one, QR payment is not offered.
  const payCode = usePaymentCode(db);

  const today = useReplicaQuery(db, async () => {
    const now = await businessNow(db, clock.now());
    const device = await db.device();
    const sittings = await sittingsOn(db, now.day);
    const synced = new Map((await db.sittings.bulkGet(sittings.map((s) => s.sitting.id))).flatMap((s) => (s ? [[s.id, s.mainTill] as const] : [])));
    return { now, sittings, deviceCode: device?.deviceCode ?? '', synced };
  }, [db, clock]);
  const sittings = today?.sittings ?? [];
  // The sitting open now, or the next one today, unless staff picked another.
  const current = sittings.find((s) => s.sitting.id === sittingId) ?? sittings.find((s) => (today?.now.time ?? '') <= s.sitting.closesAt) ?? sittings[sittings.length - 1];
  // The meal staff picked while it is on sale, else the first on sale.
  const meal = current?.meals.find((m) => m.id === mealId && m.offered) ?? mealsOnSale(current?.meals ?? [])[0];
  const series = current && today ? tillSeries(today.deviceCode, today.synced.get(current.sitting.id) ?? null) : null;

  // A till that opens a sitting nobody has claimed asks for its plain numbers (see numbering.ts).
  useEffect(() => {
    if (current && today && current.sitting.mainTill === null && today.synced.get(current.sitting.id) === null) {
      void claimMainTill(db, clock, current.sitting.id, staffId).then((asked) => asked && afterCommit());
    }
  }, [current?.sitting.id, current?.sitting.mainTill, today, db, clock, staffId, afterCommit]);

  const person = useReplicaQuery(db, async () => {
    if (buyer?.kind !== 'resident' || !today) return null;
    const r = buyer.resident;
    const [{ held, rules }, balance, orders] = await Promise.all([categoriesOf(db, r, today.now.day), mealBalanceOf(db, r.id), ordersOfResident(db, r.id, today.now.day)]);
    return { held, rules, balance, booked: orders.some((o) => o.sittingId === current?.sitting.id && o.state === 'booked') };
  }, [buyer, today?.now.day, current?.sitting.id]);

  const reset = () => {
    setBuyer(null);
    setTyped('');
    setQuote(null);
    setSold(null);
    setOverride(false);
    setChosen(null);
    setPayment('cash');
    setError(null);
  };

  const showCard = useCallback(async (raw: string) => {
    const parsed = parseCardCode(raw);
    if (!parsed.ok) return setError(parsed.error);
    const r = await db.residents.where('cardCode').equals(parsed.value.code).first();
    if (!r) return setError(await missingCardReason(db, parsed.value));
    reset();
    setBuyer({ kind: 'resident', resident: r });
  }, [db]);

  // A ticket scanned at the till is checked: this centre, today, this sitting.
  const showTicket = useCallback(async (raw: string) => {
    const device = await db.device();
    const now = await businessNow(db, clock.now());
    const t = parseTicketCode(raw, { centreId: device?.centreId ?? '', day: now.day, ...(current ? { sittingId: current.sitting.id } : {}) });
    if (!t.ok || !current) return setError(t.ok ? { key: 'sittingUnknown', params: { sitting: '' } } : t.error);
    // A ticket shown at the window is its meal collected.
    const order = (await ordersOfSitting(db, current.sitting.id)).find((o) => o.number === t.value.number);
    const done = await finishTicket(db, clock, order?.id ?? '', 'served', staffId);
    if (!done.ok) return setError(order ? done.error : { key: 'ticketNumberUnknown', params: { number: t.value.number } });
    afterCommit();
    setError({ text: w.servedByScan(t.value.number) });
  }, [db, clock, current, w, staffId, afterCommit]);

  const stageRef = useRef({ quote, busy });
  stageRef.current = { quote, busy };
  const onScan = useCallback((code: string) => {
    if (stageRef.current.quote || stageRef.current.busy) return;
    if (looksLikeTicket(code)) void showTicket(code);
    else void showCard(code);
  }, [showCard, showTicket]);
  // One listener for the screen's life: re-registering it on every render (a sync re-renders the
  // till) would cut a scan arriving meanwhile in two, half of it typed into the card field.
  const onScanRef = useRef(onScan);
  onScanRef.current = onScan;
  useEffect(() => listenForScans(window, (code) => onScanRef.current(code), scanner), [scanner]);

  const command = (): SellCommand | null => (current && meal && buyer ? {
    sittingId: current.sitting.id, mealId: meal.id, residentId: buyer.kind === 'resident' ? buyer.resident.id : null, chosenCategory: buyer.kind === 'resident' ? chosen : null, payment, override,
  } : null);

  const ask = async () => {
    const c = command();
    if (!c) return;
    const q = await quoteSale(db, clock, c);
    // A category named but not held is said by its name, as staff picked it.
    if (!q.ok && q.error.key === 'categoryNotHeld') return setError({ key: 'categoryNotHeld', params: { category: person?.rules.find((r) => r.id === c.chosenCategory)?.name ?? c.chosenCategory ?? '' } });
    if (!q.ok) return setError(q.error);
    setError(null);
    setQuote(q.value);
  };

  const confirm = async () => {
    const c = command();
    if (!c || busy) return;
    setBusy(true);
    try {
      const result = await sellMeal(db, clock, c, staffId, lang);
      setQuote(null);
      if (!result.ok) return setError(result.error);
      setSold(result.value);
      setError(null);
      afterCommit();
      // Queued only now that the sale is committed; keyed by its event, so it prints at most once.
      // The screen's copy of the ticket (its QR drawn by bwip-js, tens of ms) waits for the
      // printer's answer, so drawing it never holds up the ticket itself.
      const id = result.value.event.id;
      void (printer?.print({ jobId: id, label: `取餐号 ${result.value.ticket.number}`, doc: layoutMealTicket(result.value.ticket, paper, lang) }) ?? Promise.resolve())
        .catch(() => undefined).then(() => setPrintedId(id));
    } catch (err) {
      setError(isQuotaError(err) ? { key: 'storageFull', params: {} } : { text: `保存失败，没有出票：${String(err)} / Not saved, no ticket.` });
    } finally {
      setBusy(false);
    }
  };

  // Drawn once per sale, not on every re-render a sync brings.
  const ticketHtml = useMemo(
    () => (sold && printedId === sold.event.id ? renderPrintDocHtml(layoutMealTicket(sold.ticket, paper, lang), symbols) : null),
    [sold, printedId, paper, lang],
  );
  const errorText = error ? ('text' in error ? error.text : say(error)) : null;
  if (!today) return null;
  if (!current) return <main className="canteen-till"><p className="notice">{w.noSitting}</p></main>;
  const left = current.places.capacity - current.places.used;

  return (
    <main className="canteen-till">
      <section className="till-left">
        <div className="sittings" role="radiogroup">
          {sittings.map((s) => (
            <button key={s.sitting.id} role="radio" aria-checked={s.sitting.id === current.sitting.id} onClick={() => { setSittingId(s.sitting.id); setQuote(null); }}>
              <b>{w.mealKinds[s.sitting.meal]}</b> {s.sitting.opensAt}
              <span data-testid={`places-${s.sitting.meal}`}>{w.places(s.places.capacity - s.places.used, s.places.capacity)}</span>
            </button>
          ))}
        </div>
        <p className="series" data-testid="till-series">{series === null ? '' : w.series(series)}</p>
        {!buyer ? (
          <form className="buyer" onSubmit={(e) => { e.preventDefault(); void showCard(typed); }}>
            <p>{w.scanOrWalkIn}</p>
            <label>{w.cardCode}<input name="cardCode" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" autoFocus /></label>
            <div className="actions">
              <button type="submit" className="secondary">{w.lookUp}</button>
              <button type="button" onClick={() => { reset(); setBuyer({ kind: 'walkIn' }); }}>{w.walkIn}</button>
            </div>
          </form>
        ) : (
          <div className="buyer-card" data-testid="buyer">
            {buyer.kind === 'walkIn' ? <h2>{w.walkInShort}</h2> : (
              <>
                <h2 className="name">{maskName(buyer.resident.name)}</h2>
                <p className="code">{buyer.resident.cardCode}</p>
                <p data-testid="categories">{w.categories}：{person?.held.length ? person.held.map((r) => r.name).join('、') : w.noCategory}</p>
                {person && (
                  <label className="category-pick">{w.categoryPick}
                    <select name="category" value={chosen ?? ''} onChange={(e) => setChosen(e.target.value === '' ? null : e.target.value)}>
                      <option value="">{w.categoryAuto}</option>
                      {person.rules.filter((r) => r.active).map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
                    </select>
                  </label>
                )}
                {person && <p data-testid="meal-balance">{w.mealBalance(person.balance)}</p>}
                {person?.booked && <p className="notice">{w.booked}</p>}
                <ResidentTools db={db} clock={clock} resident={buyer.resident} rules={person?.rules ?? []} staffId={staffId} afterCommit={afterCommit} onError={setError} />
              </>
            )}
            <button className="secondary" onClick={reset}>{w.nextPerson}</button>
          </div>
        )}
      </section>

      <section className="till-middle">
        {errorText && <p className="error" role="alert">{errorText}</p>}
        {sold ? (
          <div className="sold">
            <h2 data-testid="sold-number">{w.sold(sold.ticket.number)}</h2>
            {sold.note !== 'subsidised' && sold.note !== 'walkIn' && <p className="notice">{w.notes[sold.note]}</p>}
            {ticketHtml !== null && <div className="ticket-paper" data-testid="ticket" dangerouslySetInnerHTML={{ __html: ticketHtml }} />}
            <div className="actions">
              {!printer && <button className="secondary" onClick={() => window.print()}>{w.printTicket}</button>}
              <button className="primary" onClick={reset}>{w.done}</button>
            </div>
          </div>
        ) : (
          <>
            <h2>{w.meals}</h2>
            <div className="meals" role="radiogroup">
              {current.meals.map((m) => (
                <button key={m.id} role="radio" aria-checked={m.id === meal?.id} disabled={!m.offered} onClick={() => setMealId(m.id)}>
                  <b>{m.name}{m.offered ? '' : w.offSale}</b><span className="dishes">{m.dishes}</span><span className="price">￥{yuanText(m.priceFen)}</span>
                </button>
              ))}
            </div>
            {!meal && <p className="notice warn" data-testid="nothing-on-sale">{say({ key: 'nothingOnSale', params: {} })}</p>}
            <h2>{w.payment}</h2>
            <div className="payments" role="radiogroup">
              {(['cash', 'qr', 'balance'] as const).map((p) => (
                <button key={p} role="radio" aria-checked={payment === p} disabled={(p === 'balance' && buyer?.kind !== 'resident') || (p === 'qr' && !payCode)} onClick={() => setPayment(p)}>{w.payments[p]}</button>
              ))}
            </div>
            {payCode === null && <p className="note" data-testid="no-pay-code">{w.noPayCode}</p>}
            {left <= 0 && (
              <label className="override"><input type="checkbox" checked={override} onChange={(e) => setOverride(e.target.checked)} /> {w.full} · {w.override}</label>
            )}
            <button className="primary sell" disabled={!buyer || !meal || busy} onClick={() => void ask()}>{w.sell}</button>
          </>
        )}
      </section>

      <CallingPanel db={db} clock={clock} sittingId={current.sitting.id} staffId={staffId} afterCommit={afterCommit} />

      {quote && (
        <div className="overlay">
          <div role="dialog" aria-modal="true" aria-labelledby="sell-title" className="dialog">
            <h2 id="sell-title">{w.confirmTitle}</h2>
            <dl className="price-lines">
              <dt>{w.listPrice}</dt><dd>￥{yuanText(quote.sale.listPriceFen)}</dd>
              <dt>{w.subsidy}</dt><dd data-testid="quote-subsidy">￥{yuanText(quote.sale.subsidyFen)}</dd>
              <dt>{w.pay}</dt><dd data-testid="quote-paid"><b>￥{yuanText(quote.sale.paidFen)}</b></dd>
            </dl>
            <p className="note" data-testid="quote-note">{w.notes[quote.note]}</p>
            {quote.sale.payment === 'qr' && (payCode ? <PayQr code={payCode} amountFen={quote.sale.paidFen} /> : <p role="alert">{w.noPayCode}</p>)}
            <div className="actions">
              <button className="secondary" onClick={() => setQuote(null)}>{w.cancel}</button>
              <button className="primary" disabled={busy || (quote.sale.payment === 'qr' && !payCode)} onClick={() => void confirm()}>{w.confirm}</button>
            </div>
          </div>
        </div>
      )}
    </main>
  );
}
