import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { formatShanghai, layoutRedemption, looksLikeTicket, parseCardCode, parseEan, parseTicketCode, type Goods, type LinliBridge, type Message, type Paper, type RedemptionReceipt } from '../../../core/index.js';
import { CameraPanel } from './CameraPanel.js';
import { useLocalWords, useWords } from '../i18n.js';
import type { WedgeConfig } from '../scan/burst.js';
import { listenForScans } from '../scan/wedge.js';
import { redeem, type Clock, type KeyIdNumber } from '../store/actions.js';
import { isQuotaError } from '../sync/exportOutbox.js';
import type { LinliDb } from '../store/db.js';
import { replaceCard } from '../store/pointsStore.js';
import { historyOf, missingCardReason, shownGoods, shownGoodsPhotos } from '../store/view.js';
import { residentByCardShown } from '../store/screensSupport.js';
import { Basket } from './counter/Basket.js';
import { keepBasket, readKeptBasket } from './counter/keptBasket.js';
import { ReceiptPane } from './counter/ReceiptPane.js';
import { counterWords } from './counter/words.js';
import { AwardPanel } from './points/AwardPanel.js';
import { History } from './points/History.js';
import { ShopRedeem } from './points/ShopRedeem.js';
import { CardPrint } from './residents/CardPrint.js';
import { Register } from './residents/Register.js';
import { residentWords } from './residents/words.js';
import { ConfirmDialog } from './shared/Dialog.js';
import { addressOf, ResidentSearch, useSearchableResidents } from './shared/ResidentSearch.js';
import { sharedWords } from './shared/words.js';

type Props = {
  db: LinliDb; clock: Clock; paper: Paper; printer: LinliBridge | null; scanner: WedgeConfig;
  /** Who is signed in: their id goes on each event, their name on the receipt. */
  staff: { staffId: string; name: string };
  afterCommit(): void;
  /** Asks the server to key an ID number given at registration (online only). */
  keyIdNumber?: KeyIdNumber;
  /** Asks the server who has a full phone number (online only; throws when it cannot). */
  askPhone?: (phone: string) => Promise<unknown>;
};
/** What the counter does for the resident shown. */
type Mode = 'basket' | 'award' | 'shop' | 'history';

/**
 * The counter: a resident comes by card (scanned, typed, or found by name, pinyin initials, phone
 * tail or address), or is registered on the spot; then the clerk redeems goods, awards points by
 * rule, moves points to a partner shop, reads the ledger and reverses a mistake, or replaces a lost
 * card. Rules are `core/`'s; this screen only gathers and shows.
 */
export function Counter({ db, clock, paper, printer, scanner, staff, afterCommit, keyIdNumber, askPhone }: Props) {
  const { t, lang, say } = useWords();
  const c = useLocalWords(counterWords);
  const rw = useLocalWords(residentWords);
  const s = useLocalWords(sharedWords);
  const kept = useMemo(() => readKeptBasket(), []);
  const [cardCode, setCardCode] = useState<string | null>(kept?.cardCode ?? null);
  const [typed, setTyped] = useState('');
  const [basket, setBasket] = useState<Map<string, number>>(kept?.lines ?? new Map());
  const [restored, setRestored] = useState(kept !== null);
  const [mode, setMode] = useState<Mode>('basket');
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<Message | { text: string } | null>(null);
  const [receipt, setReceipt] = useState<{ jobId: string; model: RedemptionReceipt } | null>(null);
  const [busy, setBusy] = useState(false);
  const [camera, setCamera] = useState(false);
  const [registering, setRegistering] = useState(false);
  /** A card scanned while another resident's basket holds goods: asked about first. */
  const [switchTo, setSwitchTo] = useState<string | null>(null);
  const [replacing, setReplacing] = useState<'ask' | { eventId: string; cardCode: string } | null>(null);

  const shown = useLiveQuery(() => (cardCode ? residentByCardShown(db, cardCode) : undefined), [cardCode]);
  const goods = useLiveQuery(() => shownGoods(db), [], [] as Goods[]);
  const photos = useLiveQuery(() => shownGoodsPhotos(db), [], new Map<string, string>());
  const residents = useSearchableResidents(db);
  // The ledger with this kiosk's pending entries on top, as the balance counts them.
  const history = useLiveQuery(() => (shown ? historyOf(db, shown.resident.accountId, 5) : []), [shown?.resident.accountId], []);

  useEffect(() => keepBasket(cardCode, basket), [cardCode, basket]);

  /** Shows a resident (or none), with a fresh basket and nothing left of the last one. */
  const open = useCallback((code: string | null) => {
    setError(null);
    setBasket(new Map());
    setMode('basket');
    setReceipt(null);
    setTyped('');
    setRegistering(false);
    setReplacing(null);
    setSwitchTo(null);
    setRestored(false);
    setCardCode(code);
  }, []);
  const reset = () => open(null);

  const basketRef = useRef(basket);
  basketRef.current = basket;
  const cardRef = useRef(cardCode);
  cardRef.current = cardCode;
  const receiptRef = useRef(receipt);
  receiptRef.current = receipt;

  const showCard = useCallback(async (raw: string) => {
    const parsed = parseCardCode(raw);
    if (!parsed.ok) return setError(parsed.error);
    const found = await residentByCardShown(db, parsed.value.code);
    if (!found) return setError(await missingCardReason(db, parsed.value));
    // The same card again keeps what is picked; another resident over goods picked and not
    // redeemed is asked about first, never dropped silently.
    if (!receiptRef.current && cardRef.current === parsed.value.code) return setError(null);
    if (basketRef.current.size > 0 && !receiptRef.current && cardRef.current) return setSwitchTo(parsed.value.code);
    open(parsed.value.code);
  }, [db, open]);

  const addGoods = useCallback(async (raw: string) => {
    const parsed = parseEan(raw);
    if (!parsed.ok) return setError(parsed.error);
    const g = await db.goods.where('barcode').equals(parsed.value).first();
    if (!g) return setError({ key: 'unknownGoods', params: { code: parsed.value } });
    setError(null);
    setMode('basket');
    setBasket((b) => new Map(b).set(g.id, (b.get(g.id) ?? 0) + 1));
  }, [db]);

  // A meal ticket is for the canteen window: say so, checked for this centre and today.
  const showTicket = useCallback(async (raw: string) => {
    const device = await db.device();
    const today = formatShanghai(clock.now() - (await db.clockOffset())).slice(0, 10);
    const ticket = parseTicketCode(raw, { centreId: device?.centreId ?? '', day: today });
    setError(ticket.ok ? { key: 'ticketAtCounter', params: { number: ticket.value.number, sitting: ticket.value.sittingId } } : ticket.error);
  }, [db, clock]);

  // A scan is a card when it looks like one, else goods (only once a resident is shown). Nothing
  // is taken while a confirmation is open.
  const holdRef = useRef(false);
  holdRef.current = confirming || switchTo !== null || replacing === 'ask';
  const onScan = useCallback((code: string) => {
    if (holdRef.current) return;
    if (looksLikeTicket(code)) void showTicket(code);
    else if (/^LL/i.test(code) || !cardRef.current || receiptRef.current) void showCard(code);
    else void addGoods(code);
  }, [showCard, addGoods, showTicket]);
  useEffect(() => listenForScans(window, onScan, scanner), [onScan, scanner]);

  const setQuantity = (id: string, quantity: number) => {
    setRestored(false);
    setBasket((b) => {
      const n = new Map(b);
      if (quantity <= 0) n.delete(id);
      else n.set(id, quantity);
      return n;
    });
  };

  const confirm = async () => {
    if (!shown || busy) return;
    setBusy(true);
    try {
      const result = await redeem(db, clock, { residentId: shown.resident.id, picks: [...basket].map(([goodsId, quantity]) => ({ goodsId, quantity })) }, staff.staffId);
      setConfirming(false);
      if (!result.ok) return setError(result.error);
      const { event } = result.value;
      const model = { ...result.value.receipt, staffName: staff.name };
      setReceipt({ jobId: event.id, model });
      setBasket(new Map());
      setError(null);
      afterCommit();
      // Queued only now that the event is committed; keyed by it, so it prints at most once.
      void printer?.print({ jobId: event.id, label: model.receiptNo, doc: layoutRedemption(model, paper, lang) });
    } catch (err) {
      setConfirming(false);
      setError(isQuotaError(err) ? { key: 'storageFull', params: {} } : { text: `保存失败，未扣积分：${String(err)} / Not saved, nothing was taken.` });
    } finally {
      setBusy(false);
    }
  };

  const replace = async () => {
    if (!shown) return;
    setBusy(true);
    try {
      const r = await replaceCard(db, clock, staff.staffId, shown.resident.id);
      if (!r.ok) {
        setReplacing(null);
        return setError(r.error);
      }
      afterCommit();
      setReplacing({ eventId: r.value.event.id, cardCode: r.value.result.cardCode });
      setCardCode(r.value.result.cardCode);
    } finally {
      setBusy(false);
    }
  };

  const errorText = error ? ('text' in error ? error.text : say(error)) : null;
  const cameraToggle = camera ? <CameraPanel onScan={onScan} onClose={() => setCamera(false)} /> : <button className="secondary camera-toggle" onClick={() => setCamera(true)}>{t.camera}</button>;
  const switchCount = [...basket.values()].reduce((n, q) => n + q, 0);

  return (
    <main className="counter">
      {errorText && <p className="error" role="alert">{errorText}</p>}
      {!shown ? (
        registering ? (
          <Register db={db} clock={clock} staffId={staff.staffId} printer={printer} paper={paper} residents={residents} keyIdNumber={keyIdNumber} askPhone={askPhone} afterCommit={afterCommit}
            onOpen={(code) => open(code)} onBack={() => setRegistering(false)} />
        ) : (
          <div className="scan-screen">
            <section className="scan">
              <h2>{t.scanPrompt}</h2>
              <form onSubmit={(e) => { e.preventDefault(); void showCard(typed); }}>
                <label>{t.cardCode}
                  <input name="cardCode" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" inputMode="text" autoFocus />
                </label>
                <button type="submit">{t.lookUp}</button>
              </form>
              {cameraToggle}
            </section>
            <section className="find">
              <h2>{c.orSearch}</h2>
              <ResidentSearch residents={residents} onPick={(r) => void showCard(r.cardCode)} />
              <button type="button" className="secondary" onClick={() => { setError(null); setRegistering(true); }}>{c.register}</button>
            </section>
          </div>
        )
      ) : (
        <div className="work" data-mode={receipt ? 'receipt' : mode}>
          <section className="resident-card" data-testid="resident-card" data-card-code={shown.resident.cardCode}>
            <h2 className="name">{shown.resident.name}</h2>
            <p className="code">{shown.resident.cardCode}</p>
            <p className="who">
              {shown.resident.phoneTail && <span>{s.phoneTail(shown.resident.phoneTail)}</span>} <span>{addressOf(shown.resident)}</span>
              {shown.resident.flags.map((f) => <span key={f} className="flag">{s.flags[f]}</span>)}
            </p>
            <p className="balance"><span>{t.balance}</span> <strong data-testid="balance">{shown.balance}</strong> {t.points}</p>
            <nav className="modes" aria-label={c.modes.basket}>
              {(['basket', 'award', 'shop', 'history'] as const).map((m) => (
                <button key={m} type="button" className="secondary" aria-pressed={!receipt && mode === m} onClick={() => { setReceipt(null); setError(null); setReplacing(null); setMode(m); }}>{c.modes[m]}</button>
              ))}
              <button type="button" className="secondary" onClick={() => { setError(null); setReplacing('ask'); }}>{c.replaceCard}</button>
              <button type="button" className="secondary" onClick={reset}>{t.nextResident}</button>
            </nav>
            {camera ? cameraToggle : mode !== 'history' && (
              <>
                <h3>{t.history}</h3>
                <ul className="history">
                  {history.map((h) => (
                    <li key={h.id} data-pending={h.pending || undefined}>
                      <span>{formatShanghai(Date.parse(h.at)).slice(5, 10)} {t.kinds[h.kind as keyof typeof t.kinds] ?? h.kind}{h.memo ? ` ${h.memo}` : ''}{h.pending ? ` · ${t.notSynced}` : ''}</span>
                      <b>{h.delta > 0 ? `+${h.delta}` : h.delta}</b>
                    </li>
                  ))}
                </ul>
              </>
            )}
            {!camera && cameraToggle}
          </section>

          {typeof replacing === 'object' && replacing !== null ? (
            <section className="panel wide" data-testid="card-replaced">
              <p className="notice" role="status">{rw.replaced(replacing.cardCode)}</p>
              <CardPrint db={db} printer={printer} paper={paper} eventId={replacing.eventId} name={shown.resident.name} cardCode={replacing.cardCode} />
            </section>
          ) : receipt ? (
            <ReceiptPane jobId={receipt.jobId} model={receipt.model} paper={paper} printer={printer} onDone={reset} />
          ) : mode === 'basket' ? (
            <>
              {restored && <p className="notice restored" role="status">{c.restored}</p>}
              <Basket goods={goods} basket={basket} onQuantity={setQuantity} photos={photos} balance={shown.balance} busy={busy}
                confirming={confirming} onConfirming={(o) => { setError(null); setConfirming(o); }} onConfirm={() => void confirm()} />
            </>
          ) : mode === 'award' ? (
            <AwardPanel db={db} clock={clock} staffId={staff.staffId} accountId={shown.resident.accountId} afterCommit={afterCommit} />
          ) : mode === 'shop' ? (
            <ShopRedeem db={db} clock={clock} staffId={staff.staffId} staffName={staff.name} residentId={shown.resident.id} paper={paper} printer={printer} afterCommit={afterCommit} />
          ) : (
            <History db={db} clock={clock} staffId={staff.staffId} accountId={shown.resident.accountId} afterCommit={afterCommit} />
          )}

          {replacing === 'ask' && (
            <ConfirmDialog title={rw.replaceTitle} busy={busy} onCancel={() => setReplacing(null)} onConfirm={() => void replace()}>
              <p>{rw.replaceBody(shown.resident.cardCode)}</p>
            </ConfirmDialog>
          )}
        </div>
      )}
      {switchTo && (
        <ConfirmDialog title={c.switchTitle} confirmLabel={c.switchGo} onCancel={() => setSwitchTo(null)} onConfirm={() => open(switchTo)}>
          <p>{c.switchBody(switchCount)}</p>
        </ConfirmDialog>
      )}
    </main>
  );
}
