import { useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { layoutRedemption, type LinliBridge, type Message, type Paper, type PartnerShop, type RedemptionReceipt } from '../../../../core/index.js';
import { useLocalWords, useWords } from '../../i18n.js';
import type { Clock } from '../../store/actions.js';
import type { LinliDb } from '../../store/db.js';
import { redeemAtShop } from '../../store/pointsStore.js';
import { shownTable } from '../../store/screensSupport.js';
import { ConfirmDialog } from '../shared/Dialog.js';
import { PrintOut } from '../shared/printing.js';
import { pointsWords } from './words.js';

/** The points an offer names (理发 50分 → 50), to fill the points in. */
const offerPoints = (offer: string) => /(\d+)\s*分/.exec(offer)?.[1] ?? '';

/**
 * A resident spends points at a partner shop (爱心商铺): the shop, what for, how many points;
 * confirmed first, then the points go from the resident's account to the shop's, and the
 * resident's slip prints (the shop, the offer, the points, what is left).
 */
export function ShopRedeem({ db, clock, staffId, staffName, residentId, paper, printer, afterCommit }: {
  db: LinliDb; clock: Clock; staffId: string; staffName: string; residentId: string; paper: Paper; printer: LinliBridge | null; afterCommit(): void;
}) {
  const w = useLocalWords(pointsWords);
  const { say, lang } = useWords();
  const [slip, setSlip] = useState<RedemptionReceipt | null>(null);
  const shops = useLiveQuery(() => shownTable(db, 'partnerShops').then((all) => all.filter((s) => s.active)), [db], [] as PartnerShop[]);
  const [shopId, setShopId] = useState<string | null>(null);
  const [offer, setOffer] = useState('');
  const [points, setPoints] = useState('');
  const [asking, setAsking] = useState(false);
  const [result, setResult] = useState<{ error: Message } | { done: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const shop = shops.find((s) => s.id === shopId) ?? null;

  const go = async () => {
    if (!shop) return;
    setBusy(true);
    try {
      const n = points.trim() === '' ? Number.NaN : Number(points);
      const r = await redeemAtShop(db, clock, staffId, { residentId, shopId: shop.id, points: n, offer }, staffName);
      setAsking(false);
      if (!r.ok) return setResult({ error: r.error });
      setResult({ done: w.shopDone(n, shop.name) });
      setSlip(r.value.slip);
      setPoints('');
      setOffer('');
      afterCommit();
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel wide shop-redeem" data-testid="shop-redeem">
      <h2>{w.shopTitle}</h2>
      {shops.length === 0 ? <p className="hint">{w.noShops}</p> : (
        <fieldset className="shop-choices">
          <legend>{w.shop}</legend>
          {shops.map((s) => (
            <label key={s.id} className="choice">
              <input type="radio" name="shop" checked={shopId === s.id} onChange={() => { setShopId(s.id); setOffer(s.offers[0] ?? ''); setPoints(offerPoints(s.offers[0] ?? '')); setResult(null); }} />
              <b>{s.name}</b> <small>{s.offers.join('；')}</small>
            </label>
          ))}
        </fieldset>
      )}
      {shop && (
        <form className="inline-form" onSubmit={(e) => { e.preventDefault(); setResult(null); setAsking(true); }}>
          <label className="grow">{w.offer}
            <input name="offer" list="shop-offers" value={offer} maxLength={60} onChange={(e) => { setOffer(e.target.value); if (offerPoints(e.target.value)) setPoints(offerPoints(e.target.value)); }} />
            <datalist id="shop-offers">{shop.offers.map((o) => <option key={o} value={o} />)}</datalist>
          </label>
          <label>{w.pointsToShop}<input name="points" inputMode="numeric" value={points} onChange={(e) => setPoints(e.target.value.replace(/[^\d-]/g, ''))} /></label>
          <button type="submit" className="primary">{w.shopGo}</button>
        </form>
      )}
      {result && ('error' in result ? <p className="error" role="alert">{say(result.error)}</p> : <p className="notice" role="status">{result.done}</p>)}
      {slip && result && 'done' in result && (
        <PrintOut printer={printer} jobId={slip.receiptNo} label={slip.receiptNo} doc={layoutRedemption(slip, paper, lang)} preview={{ kind: 'doc', doc: layoutRedemption(slip, paper, lang) }} />
      )}
      {asking && shop && (
        <ConfirmDialog title={w.shopConfirmTitle} busy={busy} onCancel={() => setAsking(false)} onConfirm={() => void go()}>
          <p>{w.shopConfirmBody(Number(points) || 0, shop.name)}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
