import { useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { layoutRedemption, type Goods, type LinliBridge, type Message, type Paper, type RedemptionReceipt } from '../../../../core/index.js';
import { useLocalWords, useWords } from '../../i18n.js';
import type { Clock } from '../../store/actions.js';
import type { LinliDb } from '../../store/db.js';
import { redeemForShop, shopsWithBalance, type ShopWithBalance } from '../../store/screensSupport.js';
import { shownGoods } from '../../store/view.js';
import { Basket } from '../counter/Basket.js';
import { ReceiptPane } from '../counter/ReceiptPane.js';
import { counterWords } from '../counter/words.js';
import { AwardPanel } from '../points/AwardPanel.js';
import { History } from '../points/History.js';
import { shopWords } from './words.js';

type Props = { db: LinliDb; clock: Clock; paper: Paper; printer: LinliBridge | null; staff: { staffId: string; name: string }; afterCommit(): void };

/**
 * The alliance of partner shops (爱心商铺联盟): each with its offers and its points. A shop earns
 * points for its service hours or times by the same earning rules as a resident (an award to the
 * shop's own account), and redeems goods at the store itself, with the same basket and checks.
 */
export function ShopsScreen({ db, clock, paper, printer, staff, afterCommit }: Props) {
  const w = useLocalWords(shopWords);
  const c = useLocalWords(counterWords);
  const { lang, say } = useWords();
  const shops = useLiveQuery(() => shopsWithBalance(db), [db], [] as ShopWithBalance[]);
  const goods = useLiveQuery(() => shownGoods(db), [db], [] as Goods[]);
  const [shopId, setShopId] = useState<string | null>(null);
  /** What the clerk does for the shop opened: redeem goods for it, award it points, or read (and reverse) its ledger. */
  const [shopMode, setShopMode] = useState<'redeem' | 'award' | 'history'>('redeem');
  const [basket, setBasket] = useState<Map<string, number>>(new Map());
  const [confirming, setConfirming] = useState(false);
  const [receipt, setReceipt] = useState<{ jobId: string; model: RedemptionReceipt } | null>(null);
  const [error, setError] = useState<Message | null>(null);
  const [busy, setBusy] = useState(false);
  const shop = shops.find((s) => s.id === shopId) ?? null;

  const close = () => {
    setShopId(null);
    setBasket(new Map());
    setReceipt(null);
    setError(null);
  };
  const confirm = async () => {
    if (!shop) return;
    setBusy(true);
    try {
      const r = await redeemForShop(db, clock, staff.staffId, { shopId: shop.id, picks: [...basket].map(([goodsId, quantity]) => ({ goodsId, quantity })) }, staff.name);
      setConfirming(false);
      if (!r.ok) return setError(r.error);
      setReceipt({ jobId: r.value.event.id, model: r.value.receipt });
      setBasket(new Map());
      setError(null);
      afterCommit();
      void printer?.print({ jobId: r.value.event.id, label: r.value.receipt.receiptNo, doc: layoutRedemption(r.value.receipt, paper, lang) });
    } finally {
      setBusy(false);
    }
  };

  if (shop) {
    return (
      <main className="counter shop-basket">
        {error && <p className="error" role="alert">{say(error)}</p>}
        <div className="work">
          <section className="resident-card" data-testid="shop-card">
            <h2 className="name">{shop.name}</h2>
            <p className="balance"><span>{w.balance}</span> <strong data-testid="balance">{shop.balance}</strong></p>
            <button type="button" className="secondary" onClick={close}>{w.back}</button>
          </section>
          {shopMode === 'history' ? <History key={shop.id} db={db} clock={clock} staffId={staff.staffId} accountId={shop.accountId} afterCommit={afterCommit} />
            : shopMode === 'award' ? <AwardPanel key={shop.id} db={db} clock={clock} staffId={staff.staffId} accountId={shop.accountId} afterCommit={afterCommit} />
            : receipt ? <ReceiptPane jobId={receipt.jobId} model={receipt.model} paper={paper} printer={printer} onDone={close} /> : (
            <Basket goods={goods} basket={basket} balance={shop.balance} busy={busy} confirming={confirming} onConfirming={setConfirming} onConfirm={() => void confirm()}
              title={c.basketTitleShop(shop.name)}
              onQuantity={(id, q) => setBasket((b) => {
                const n = new Map(b);
                if (q <= 0) n.delete(id);
                else n.set(id, q);
                return n;
              })} />
          )}
        </div>
      </main>
    );
  }

  return (
    <main className="shops">
      <h2>{w.title}</h2>
      <p className="hint">{w.residentHint}</p>
      {shops.length === 0 ? <p className="hint">{w.none}</p> : (
        <table className="list" data-testid="shops">
          <thead><tr><th>{w.title}</th><th>{w.offers}</th><th className="n">{w.balance}</th><th /></tr></thead>
          <tbody>
            {shops.map((s) => (
              <tr key={s.id} data-inactive={!s.active || undefined}>
                <td>{s.name}{!s.active && <small> · {w.inactive}</small>}</td>
                <td>{s.offers.join('；')}</td>
                <td className="n">{s.balance}</td>
                <td>
                  <span className="row-actions">
                    {s.active && <button type="button" className="secondary small" onClick={() => { setShopId(s.id); setShopMode('award'); setError(null); }}>{w.awardHere}</button>}
                    {s.active && <button type="button" className="secondary small" onClick={() => { setShopId(s.id); setShopMode('redeem'); setError(null); }}>{w.redeemHere}</button>}
                    <button type="button" className="secondary small" onClick={() => { setShopId(s.id); setShopMode('history'); setError(null); }}>{w.historyHere}</button>
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
