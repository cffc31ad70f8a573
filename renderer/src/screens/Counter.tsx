import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { formatShanghai, layoutRedemption, looksLikeTicket, maskName, parseCardCode, parseEan, parseTicketCode, redemptionTotal, renderReceiptHtml, type Goods, type LinliBridge, type Message, type Paper, type RedemptionReceipt } from '../../../core/index.js';
import { CameraPanel } from './CameraPanel.js';
import { PrintStatus } from './PrintStatus.js';
import { useWords } from '../i18n.js';
import type { WedgeConfig } from '../scan/burst.js';
import { listenForScans } from '../scan/wedge.js';
import { redeem, type Clock } from '../store/actions.js';
import { isQuotaError } from '../sync/exportOutbox.js';
import type { LinliDb } from '../store/db.js';
import { historyOf, missingCardReason, residentByCard, shownGoods } from '../store/view.js';

type Props = { db: LinliDb; clock: Clock; paper: Paper; printer: LinliBridge | null; scanner: WedgeConfig; staffId: string; afterCommit(): void };
type Stage = 'basket' | 'confirm' | 'receipt';

/**
 * The counter: scan a resident card (or type its code), see the balance, pick goods by scan or
 * tap, confirm, get a receipt. Rules are `core/`'s; this screen only gathers and shows.
 */
export function Counter({ db, clock, paper, printer, scanner, staffId, afterCommit }: Props) {
  const { t, lang, say } = useWords();
  const [cardCode, setCardCode] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const [basket, setBasket] = useState<Map<string, number>>(new Map());
  const [stage, setStage] = useState<Stage>('basket');
  const [error, setError] = useState<Message | { text: string } | null>(null);
  const [receipt, setReceipt] = useState<{ jobId: string; model: RedemptionReceipt } | null>(null);
  const [busy, setBusy] = useState(false);
  const [camera, setCamera] = useState(false);

  const shown = useLiveQuery(() => (cardCode ? residentByCard(db, cardCode) : undefined), [cardCode]);
  const goods = useLiveQuery(() => shownGoods(db), [], [] as Goods[]);
  // The ledger with this kiosk's pending entries on top, as the balance counts them.
  const history = useLiveQuery(() => (shown ? historyOf(db, shown.resident.accountId, 5) : []), [shown?.resident.accountId], []);
  const byId = useMemo(() => new Map(goods.map((g) => [g.id, g])), [goods]);
  const lines = [...basket].flatMap(([id, quantity]) => {
    const g = byId.get(id);
    return g ? [{ goods: g, quantity }] : [];
  });
  const total = redemptionTotal(lines.map((l) => ({ goodsId: l.goods.id, quantity: l.quantity, pointPrice: l.goods.pointPrice })));

  const reset = () => {
    setCardCode(null);
    setBasket(new Map());
    setStage('basket');
    setReceipt(null);
    setError(null);
    setTyped('');
  };

  const showCard = useCallback(async (raw: string) => {
    const parsed = parseCardCode(raw);
    if (!parsed.ok) return setError(parsed.error);
    const found = await residentByCard(db, parsed.value.code);
    if (!found) return setError(await missingCardReason(db, parsed.value));
    setError(null);
    setBasket(new Map());
    setStage('basket');
    setReceipt(null);
    setTyped('');
    setCardCode(parsed.value.code);
  }, [db]);

  const addGoods = useCallback(async (raw: string) => {
    const parsed = parseEan(raw);
    if (!parsed.ok) return setError(parsed.error);
    const g = await db.goods.where('barcode').equals(parsed.value).first();
    if (!g) return setError({ key: 'unknownGoods', params: { code: parsed.value } });
    setError(null);
    setBasket((b) => new Map(b).set(g.id, (b.get(g.id) ?? 0) + 1));
  }, [db]);

  // A scan is a card when it looks like one, else goods (only once a resident is shown).
  const stageRef = useRef(stage);
  stageRef.current = stage;
  const cardRef = useRef(cardCode);
  cardRef.current = cardCode;
  // A meal ticket is for the canteen window: say so, checked for this centre and today.
  const showTicket = useCallback(async (raw: string) => {
    const device = await db.device();
    const today = formatShanghai(clock.now() - (await db.clockOffset())).slice(0, 10);
    const t = parseTicketCode(raw, { centreId: device?.centreId ?? '', day: today });
    setError(t.ok ? { key: 'ticketAtCounter', params: { number: t.value.number, sitting: t.value.sittingId } } : t.error);
  }, [db, clock]);

  const onScan = useCallback((code: string) => {
    if (stageRef.current === 'confirm') return;
    if (looksLikeTicket(code)) void showTicket(code);
    else if (/^LL/i.test(code) || !cardRef.current || stageRef.current === 'receipt') void showCard(code);
    else void addGoods(code);
  }, [showCard, addGoods, showTicket]);
  useEffect(() => listenForScans(window, onScan, scanner), [onScan, scanner]);

  const setQuantity = (id: string, quantity: number) =>
    setBasket((b) => {
      const n = new Map(b);
      if (quantity <= 0) n.delete(id);
      else n.set(id, quantity);
      return n;
    });

  const confirm = async () => {
    if (!shown || busy) return;
    setBusy(true);
    try {
      const result = await redeem(db, clock, { residentId: shown.resident.id, picks: lines.map((l) => ({ goodsId: l.goods.id, quantity: l.quantity })) }, staffId);
      if (!result.ok) {
        setError(result.error);
        setStage('basket');
        return;
      }
      const { event, receipt: model } = result.value;
      setReceipt({ jobId: event.id, model });
      setStage('receipt');
      setError(null);
      afterCommit();
      // Queued only now that the event is committed; keyed by it, so it prints at most once.
      void printer?.print({ jobId: event.id, label: model.receiptNo, doc: layoutRedemption(model, paper, lang) });
    } catch (err) {
      setError(isQuotaError(err) ? { key: 'storageFull', params: {} } : { text: `保存失败，未扣积分：${String(err)} / Not saved, nothing was taken.` });
      setStage('basket');
    } finally {
      setBusy(false);
    }
  };

  const errorText = error ? ('text' in error ? error.text : say(error)) : null;

  return (
    <main className="counter">
      {errorText && <p className="error" role="alert">{errorText}</p>}
      {camera ? <CameraPanel onScan={onScan} onClose={() => setCamera(false)} /> : <button className="secondary camera-toggle" onClick={() => setCamera(true)}>{t.camera}</button>}
      {!shown ? (
        <section className="scan">
          <h2>{t.scanPrompt}</h2>
          <form onSubmit={(e) => { e.preventDefault(); void showCard(typed); }}>
            <label>{t.cardCode}
              <input name="cardCode" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" inputMode="text" autoFocus />
            </label>
            <button type="submit">{t.lookUp}</button>
          </form>
        </section>
      ) : (
        <div className="work">
          <section className="resident-card" data-testid="resident-card" data-card-code={shown.resident.cardCode}>
            <h2 className="name">{maskName(shown.resident.name)}</h2>
            <p className="code">{shown.resident.cardCode}</p>
            <p className="balance"><span>{t.balance}</span> <strong data-testid="balance">{shown.balance}</strong> {t.points}</p>
            <h3>{t.history}</h3>
            <ul className="history">
              {history.map((h) => (
                <li key={h.id} data-pending={h.pending || undefined}>
                  <span>{formatShanghai(Date.parse(h.at)).slice(5, 10)} {t.kinds[h.kind as keyof typeof t.kinds] ?? h.kind}{h.memo ? ` ${h.memo}` : ''}{h.pending ? ` · ${t.notSynced}` : ''}</span>
                  <b>{h.delta > 0 ? `+${h.delta}` : h.delta}</b>
                </li>
              ))}
            </ul>
            <button className="secondary" onClick={reset}>{t.nextResident}</button>
          </section>

          {stage === 'receipt' && receipt ? (
            <section className="receipt-pane">
              <h2>{t.redeemed}</h2>
              <div className="receipt-paper" data-testid="receipt" dangerouslySetInnerHTML={{ __html: renderReceiptHtml(receipt.model, lang) }} />
              {printer && <PrintStatus printer={printer} jobId={receipt.jobId} receipt={receipt.model} paper={paper} />}
              <div className="actions">
                {!printer && <button className="secondary" onClick={() => window.print()}>{t.print}</button>}
                <button onClick={reset}>{t.done}</button>
              </div>
            </section>
          ) : (
            <>
              <section className="goods">
                <h2>{t.goods}</h2>
                <ul className="goods-grid">
                  {goods.map((g) => (
                    <li key={g.id}>
                      <button data-barcode={g.barcode} disabled={g.stock <= 0} onClick={() => setQuantity(g.id, (basket.get(g.id) ?? 0) + 1)}>
                        <span className="gname">{g.name}</span>
                        <span className="gprice">{g.pointPrice} {t.points}</span>
                        <span className="gstock">{g.stock > 0 ? t.stock(g.stock) : t.soldOut}</span>
                      </button>
                    </li>
                  ))}
                </ul>
              </section>
              <section className="basket" data-testid="basket">
                <h2>{t.basket}</h2>
                {lines.length === 0 ? <p className="hint">{t.basketEmpty}</p> : (
                  <ul>
                    {lines.map((l) => (
                      <li key={l.goods.id}>
                        <span>{l.goods.name}</span>
                        <span className="qty">
                          <button aria-label="−" onClick={() => setQuantity(l.goods.id, l.quantity - 1)}>−</button>
                          <b>{l.quantity}</b>
                          <button aria-label="+" onClick={() => setQuantity(l.goods.id, l.quantity + 1)}>+</button>
                        </span>
                        <span>{l.goods.pointPrice * l.quantity} {t.points}</span>
                      </li>
                    ))}
                  </ul>
                )}
                <p className="total">{t.total} <strong data-testid="total">{total}</strong> {t.points} · {t.after} {shown.balance - total}</p>
                <button className="primary" disabled={lines.length === 0} onClick={() => { setError(null); setStage('confirm'); }}>{t.redeem}</button>
              </section>
            </>
          )}

          {stage === 'confirm' && (
            <div className="overlay">
              <div role="dialog" aria-modal="true" aria-labelledby="confirm-title" className="dialog">
                <h2 id="confirm-title">{t.confirmTitle}</h2>
                <p>{t.confirmBody(total, shown.balance - total)}</p>
                <div className="actions">
                  <button className="secondary" onClick={() => setStage('basket')}>{t.cancel}</button>
                  <button className="primary" disabled={busy} onClick={() => void confirm()}>{t.confirm}</button>
                </div>
              </div>
            </div>
          )}
        </div>
      )}
    </main>
  );
}
