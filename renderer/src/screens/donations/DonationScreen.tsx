import { useCallback, useEffect, useRef, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import {
  DONATION_CATEGORIES, donationValues, parseCardCode, pointsLimits, proposedPoints,
  type DonationCategory, type Goods, type LinliBridge, type Message, type Paper, type Resident,
} from '../../../../core/index.js';
import { useLocalWords, useWords } from '../../i18n.js';
import type { WedgeConfig } from '../../scan/burst.js';
import { listenForScans } from '../../scan/wedge.js';
import type { Clock } from '../../store/actions.js';
import type { LinliDb } from '../../store/db.js';
import { receiveDonation, type DonatedItem } from '../../store/pointsStore.js';
import { missingCardReason, shownGoods, viewOf } from '../../store/view.js';
import { residentByCardShown, shownTable } from '../../store/screensSupport.js';
import { ConfirmDialog } from '../shared/Dialog.js';
import { jobIdFor, LabelsPrint } from '../shared/printing.js';
import { addressOf, ResidentSearch, useSearchableResidents } from '../shared/ResidentSearch.js';
import { sharedWords } from '../shared/words.js';
import { donationWords } from './words.js';

type Props = { db: LinliDb; clock: Clock; scanner: WedgeConfig; paper: Paper; printer: LinliBridge | null; staffId: string; afterCommit(): void };
type ItemForm = { category: DonationCategory; condition: 'good' | 'fair'; quantity: string; goodsId: string; newName: string; newPrice: string };

const num = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

/**
 * A donation taken in (旧物捐赠换积分): the donor, the items (kind, condition, how many, and the
 * goods they go on the shelf as: goods already there or new goods with a name and point price),
 * the points the valuation rule proposes, which the clerk may move within its limits with a reason.
 * Then the new goods' shelf labels print (明码标分).
 */
export function DonationScreen({ db, clock, scanner, paper, printer, staffId, afterCommit }: Props) {
  const w = useLocalWords(donationWords);
  const s = useLocalWords(sharedWords);
  const { lang, say } = useWords();
  const residents = useSearchableResidents(db);
  const goods = useLiveQuery(() => shownGoods(db), [db], [] as Goods[]);
  const [donor, setDonor] = useState<Resident | null>(null);
  const [items, setItems] = useState<ItemForm[]>([]);
  const [points, setPoints] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [asking, setAsking] = useState(false);
  const [result, setResult] = useState<{ error: Message } | { text: string } | { done: string; eventId: string; labels: Goods[] } | null>(null);
  const [busy, setBusy] = useState(false);

  const holdRef = useRef(false);
  holdRef.current = asking;
  const pick = useCallback((r: Resident) => {
    setDonor(r);
    setResult(null);
  }, []);
  useEffect(() => listenForScans(window, (code) => {
    if (holdRef.current) return;
    void (async () => {
      const card = parseCardCode(code);
      if (!card.ok) return setResult({ error: card.error });
      const found = await residentByCardShown(db, card.value.code);
      if (!found) return setResult({ error: await missingCardReason(db, card.value) });
      pick(found.resident);
    })();
  }, scanner), [db, scanner, pick]);

  const values = donationValues(useLiveQuery(() => shownTable(db, 'donationValues'), [db], []));
  const counted = items.map((i) => ({ category: i.category, condition: i.condition, quantity: Number.isInteger(num(i.quantity)) && num(i.quantity) > 0 ? num(i.quantity) : 0, pointsEach: values[i.category][i.condition] }));
  const proposed = proposedPoints(counted);
  const limits = pointsLimits(proposed);
  const shownPoints = points ?? String(proposed);
  const setItem = (i: number, patch: Partial<ItemForm>) => setItems((xs) => xs.map((x, j) => (j === i ? { ...x, ...patch } : x)));

  const submit = async () => {
    if (!donor) return;
    setBusy(true);
    try {
      const cmd: DonatedItem[] = items.map((i) => ({
        category: i.category, condition: i.condition, quantity: num(i.quantity),
        ...(i.goodsId === 'new' ? { newGoods: { name: i.newName, category: '捐赠物品', pointPrice: num(i.newPrice), lowStock: 0 } } : { goodsId: i.goodsId }),
      }));
      const r = await receiveDonation(db, clock, staffId, { residentId: donor.id, items: cmd, points: num(shownPoints), reason });
      setAsking(false);
      if (!r.ok) return setResult({ error: r.error });
      const view = await viewOf(db, { goods: r.value.result.newGoodsIds });
      const labels = r.value.result.newGoodsIds.flatMap((id) => view.row('goods', id) ?? []);
      setResult({ done: w.done(r.value.event.kind === 'donationReceived' ? r.value.event.payload.points : 0), eventId: r.value.event.id, labels });
      setItems([]);
      setPoints(null);
      setReason('');
      afterCommit();
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="donations two-panes">
      <section className="panel">
        <h2>{w.title}</h2>
        <h3>{w.donor}</h3>
        {donor ? (
          <p className="donor" data-testid="donor"><b>{donor.name}</b> {donor.cardCode} {addressOf(donor)} <button type="button" className="secondary small" onClick={() => setDonor(null)}>{w.changeDonor}</button></p>
        ) : (
          <>
            <p className="hint">{w.donorHint}</p>
            <ResidentSearch residents={residents} onPick={pick} />
          </>
        )}
        {result && ('error' in result || 'text' in result ? <p className="error" role="alert">{'error' in result ? say(result.error) : result.text}</p> : (
          <>
            <p className="notice" role="status">{result.done}</p>
            {result.labels.length > 0 && (
              <div className="labels">
                <h3>{w.labels}</h3>
                <LabelsPrint printer={printer} jobId={jobIdFor(result.eventId, 1)} goods={result.labels} paper={paper} lang={lang} />
              </div>
            )}
          </>
        ))}
      </section>
      <section className="panel">
        <h3>{w.items}</h3>
        {items.length === 0 && <p className="hint">{w.noItems}</p>}
        <ul className="donated" data-testid="donated-items">
          {items.map((it, i) => (
            <li key={i}>
              <label>{w.category}
                <select name="category" value={it.category} onChange={(e) => setItem(i, { category: e.target.value as DonationCategory })}>
                  {DONATION_CATEGORIES.map((c) => <option key={c} value={c}>{w.categories[c]}</option>)}
                </select>
              </label>
              <label>{w.condition}
                <select name="condition" value={it.condition} onChange={(e) => setItem(i, { condition: e.target.value as 'good' | 'fair' })}>
                  <option value="good">{w.conditions.good}</option><option value="fair">{w.conditions.fair}</option>
                </select>
              </label>
              <span className="each" data-testid="item-value">{w.each(values[it.category][it.condition])}</span>
              <label>{s.quantity}<input name="itemQuantity" inputMode="numeric" value={it.quantity} onChange={(e) => setItem(i, { quantity: e.target.value.replace(/[^\d-]/g, '') })} /></label>
              <label>{w.goods}
                <select name="goods" value={it.goodsId} onChange={(e) => setItem(i, { goodsId: e.target.value })}>
                  <option value="new">{w.newGoods}</option>
                  {goods.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
                </select>
              </label>
              {it.goodsId === 'new' && (
                <>
                  <label>{w.newName}<input name="newName" value={it.newName} maxLength={100} onChange={(e) => setItem(i, { newName: e.target.value })} /></label>
                  <label>{w.newPrice}<input name="newPrice" inputMode="numeric" value={it.newPrice} onChange={(e) => setItem(i, { newPrice: e.target.value.replace(/[^\d-]/g, '') })} /></label>
                </>
              )}
              <button type="button" className="secondary small" onClick={() => setItems((xs) => xs.filter((_, j) => j !== i))}>{w.remove}</button>
            </li>
          ))}
        </ul>
        <button type="button" className="secondary" onClick={() => setItems((xs) => [...xs, { category: 'books', condition: 'good', quantity: '1', goodsId: 'new', newName: '', newPrice: '' }])}>{w.addItem}</button>
        <p className="proposed" data-testid="proposed">{w.proposed(proposed, limits.low, limits.high)}</p>
        <form className="inline-form" onSubmit={(e) => {
          e.preventDefault();
          if (!donor) return setResult({ text: w.pickDonor });
          // With no items there is nothing to confirm: `core/` says so.
          if (items.length === 0) void submit();
          else setAsking(true);
        }}>
          <label>{w.points}<input name="donationPoints" inputMode="numeric" value={shownPoints} onChange={(e) => setPoints(e.target.value.replace(/[^\d-]/g, ''))} /></label>
          <label className="grow">{w.reason}<input name="donationReason" value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} /></label>
          <button type="submit" className="primary" disabled={busy}>{w.submit}</button>
        </form>
      </section>
      {asking && donor && (
        <ConfirmDialog title={w.confirmTitle} busy={busy} onCancel={() => setAsking(false)} onConfirm={() => void submit()}>
          <p>{w.confirmBody(donor.name, num(shownPoints), counted.reduce((n, c) => n + c.quantity, 0))}</p>
        </ConfirmDialog>
      )}
    </main>
  );
}
