import { decideRedemption, redemptionTotal, type Goods } from '../../../../core/index.js';
import { useLocalWords, useWords } from '../../i18n.js';
import { ConfirmDialog } from '../shared/Dialog.js';
import { counterWords } from './words.js';

/** What is picked: goods id → quantity. */
export type BasketLines = ReadonlyMap<string, number>;

type Props = {
  goods: readonly Goods[]; basket: BasketLines; onQuantity(goodsId: string, quantity: number): void;
  /** The goods' photos, by goods id (`shownGoodsPhotos`): shown beside the name where there is one. */
  photos?: ReadonlyMap<string, string>;
  /** The balance of whoever redeems (a resident, or a partner shop). */
  balance: number; busy: boolean; confirming: boolean; onConfirming(open: boolean): void; onConfirm(): void;
  title?: string;
};

/** The basket's lines with their goods, in the order they were picked. */
export function basketLines(goods: readonly Goods[], basket: BasketLines): { goods: Goods; quantity: number }[] {
  const byId = new Map(goods.map((g) => [g.id, g]));
  return [...basket].flatMap(([id, quantity]) => {
    const g = byId.get(id);
    return g ? [{ goods: g, quantity }] : [];
  });
}

/**
 * The goods to pick from and the basket. The basket is checked by `core/`'s `decideRedemption`
 * as it is filled, so too few points or too little stock shows on the basket before 确认, and the
 * button stays off with the reason beside it; the commit decides again on what is stored.
 */
export function Basket({ goods, basket, onQuantity, photos, balance, busy, confirming, onConfirming, onConfirm, title }: Props) {
  const { t, say } = useWords();
  const w = useLocalWords(counterWords);
  const lines = basketLines(goods, basket);
  const total = redemptionTotal(lines.map((l) => ({ goodsId: l.goods.id, quantity: l.quantity, pointPrice: l.goods.pointPrice })));
  const check = lines.length > 0 ? decideRedemption(balance, lines) : null;
  const reason = check && !check.ok ? say(check.error) : null;
  return (
    <>
      <section className="goods">
        <h2>{title ?? t.goods}</h2>
        <ul className="goods-grid">
          {goods.map((g) => (
            <li key={g.id}>
              <button data-barcode={g.barcode} disabled={g.stock <= 0} onClick={() => onQuantity(g.id, (basket.get(g.id) ?? 0) + 1)}>
                {photos?.has(g.id) && <img className="gphoto" src={photos.get(g.id)} alt="" />}
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
              <li key={l.goods.id} data-over={l.quantity > l.goods.stock || undefined}>
                <span>{l.goods.name}</span>
                <span className="qty">
                  <button aria-label="−" onClick={() => onQuantity(l.goods.id, l.quantity - 1)}>−</button>
                  <b>{l.quantity}</b>
                  <button aria-label="+" onClick={() => onQuantity(l.goods.id, l.quantity + 1)}>+</button>
                </span>
                <span>{l.goods.pointPrice * l.quantity} {t.points}</span>
              </li>
            ))}
          </ul>
        )}
        <p className="total">{t.total} <strong data-testid="total">{total}</strong> {t.points} · {t.after} {balance - total}</p>
        {reason && <p className="basket-reason" role="status" data-testid="basket-reason">{w.cannotRedeem}{reason}</p>}
        <button className="primary" disabled={lines.length === 0 || reason !== null} onClick={() => onConfirming(true)}>{t.redeem}</button>
      </section>
      {confirming && (
        <ConfirmDialog title={t.confirmTitle} busy={busy} onCancel={() => onConfirming(false)} onConfirm={onConfirm}>
          <p>{t.confirmBody(total, balance - total)}</p>
        </ConfirmDialog>
      )}
    </>
  );
}
