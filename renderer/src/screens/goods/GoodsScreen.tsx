import { useEffect, useMemo, useRef, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { parseEan, type Goods, type LinliBridge, type Message, type Paper, type PartnerShop } from '../../../../core/index.js';
import { useLocalWords, useWords } from '../../i18n.js';
import type { WedgeConfig } from '../../scan/burst.js';
import { listenForScans } from '../../scan/wedge.js';
import type { Clock } from '../../store/actions.js';
import type { LinliDb } from '../../store/db.js';
import { addGoods, changeGoods, countStock, receiveStock } from '../../store/pointsStore.js';
import { shownTable } from '../../store/screensSupport.js';
import { shownGoods } from '../../store/view.js';
import { ConfirmDialog } from '../shared/Dialog.js';
import { freshJobId, LabelsPrint } from '../shared/printing.js';
import { sharedWords } from '../shared/words.js';
import { GoodsPhotoPanel } from './GoodsPhotoPanel.js';
import { ShelfCount } from './ShelfCount.js';
import { goodsWords } from './words.js';

type Props = { db: LinliDb; clock: Clock; scanner: WedgeConfig; paper: Paper; printer: LinliBridge | null; staffId: string; afterCommit(): void };
type Action = 'add' | 'change' | 'stockIn' | 'count' | 'photo' | 'label';
type Outcome = { error: Message } | { text: string } | { done: string } | null;

const num = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
const digits = (text: string) => text.replace(/[^\d-]/g, '');
/** Goods at or below their low-stock mark (and a mark above zero, or none left at all). */
export const isLow = (g: Goods) => g.stock <= g.lowStock;

/**
 * The catalogue and its stock: every goods with its category, point price, stock and a low-stock
 * mark; goods added (an EAN scanned, or a code of the store's own), prices and details changed,
 * stock received (bought, donated, from a partner shop), the shelf counted with the reason for a
 * difference, and shelf labels for any goods.
 */
export function GoodsScreen({ db, clock, scanner, paper, printer, staffId, afterCommit }: Props) {
  const w = useLocalWords(goodsWords);
  const s = useLocalWords(sharedWords);
  const { lang, say } = useWords();
  const goods = useLiveQuery(() => shownGoods(db), [db], [] as Goods[]);
  const shops = useLiveQuery(() => shownTable(db, 'partnerShops').then((xs) => xs.filter((x) => x.active)), [db], [] as PartnerShop[]);
  const [filter, setFilter] = useState('');
  const [lowOnly, setLowOnly] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [action, setActionState] = useState<Action>('change');
  // Each time the label pane opens is a print of its own (a label asked for again prints again).
  const [labelJob, setLabelJob] = useState('');
  const setAction = (a: Action) => {
    if (a === 'label') setLabelJob(freshJobId());
    setActionState(a);
  };
  const [ticked, setTicked] = useState<Set<string>>(new Set());
  const [labels, setLabels] = useState<{ jobId: string; goods: Goods[] } | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);
  // Form fields, shared by the forms (one is open at a time).
  const [f, setF] = useState({ name: '', category: '', price: '', lowStock: '5', barcode: '', quantity: '', source: 'purchase' as 'purchase' | 'donation' | 'partnerShop', shopId: '', note: '', counted: '', reason: '' });
  const [countAsk, setCountAsk] = useState(false);
  const [shelfCount, setShelfCount] = useState(false);
  const set = (patch: Partial<typeof f>) => setF((x) => ({ ...x, ...patch }));
  const current = goods.find((g) => g.id === selected) ?? null;
  const shown = useMemo(() => goods.filter((g) => (!lowOnly || isLow(g)) && (filter.trim() === '' || g.name.includes(filter.trim()) || g.barcode.includes(filter.trim()))), [goods, filter, lowOnly]);

  const choose = (g: Goods, next: Action = action === 'add' || action === 'label' ? 'change' : action) => {
    setSelected(g.id);
    setAction(next);
    setOutcome(null);
    setLabels(null);
    set({ name: g.name, category: g.category, price: String(g.pointPrice), lowStock: String(g.lowStock), barcode: g.barcode, quantity: '', counted: '', reason: '', note: '' });
  };
  const chooseRef = useRef(choose);
  chooseRef.current = choose;
  const goodsRef = useRef(goods);
  goodsRef.current = goods;
  const holdRef = useRef(false);
  // A count under way keeps scans out of the catalogue's forms.
  holdRef.current = countAsk || shelfCount;
  const editingRef = useRef(false);
  editingRef.current = action === 'change' && current !== null;
  // A scanned barcode picks its goods, or opens the new-goods form with it; while goods are being
  // changed, a code on no goods goes into their barcode field (the package's code, to correct it).
  useEffect(() => listenForScans(window, (code) => {
    if (holdRef.current) return;
    const parsed = parseEan(code);
    if (!parsed.ok) return setOutcome({ error: parsed.error });
    const g = goodsRef.current.find((x) => x.barcode === parsed.value);
    if (g) return chooseRef.current(g);
    if (editingRef.current) {
      setF((x) => ({ ...x, barcode: parsed.value }));
      return setOutcome(null);
    }
    setSelected(null);
    setAction('add');
    setF((x) => ({ ...x, name: '', category: '', price: '', lowStock: '5', barcode: parsed.value }));
    setOutcome({ text: w.unknownCode(parsed.value) });
  }, scanner), [scanner, w]);

  const run = async (work: () => Promise<Outcome>) => {
    setBusy(true);
    try {
      const o = await work();
      setOutcome(o);
      if (o && 'done' in o) afterCommit();
    } finally {
      setBusy(false);
    }
  };
  const form = () => ({ name: f.name, category: f.category, pointPrice: num(f.price), lowStock: num(f.lowStock) });

  const submit = () => {
    if (action === 'add') {
      return run(async () => {
        const r = await addGoods(db, clock, staffId, { ...form(), barcode: f.barcode });
        if (!r.ok) return { error: r.error };
        setSelected(r.value.result.goodsId);
        setAction('label');
        return { done: w.addDone(f.name.trim(), r.value.result.barcode) };
      });
    }
    if (!current) return;
    if (action === 'change') return run(async () => { const r = await changeGoods(db, clock, staffId, current.id, { ...form(), barcode: f.barcode }); return r.ok ? { done: w.changed } : { error: r.error }; });
    if (action === 'stockIn') {
      return run(async () => {
        const r = await receiveStock(db, clock, staffId, { goodsId: current.id, quantity: num(f.quantity), source: f.source, shopId: f.source === 'partnerShop' ? (f.shopId || shops[0]?.id || null) : null, note: f.note });
        if (!r.ok) return { error: r.error };
        set({ quantity: '', note: '' });
        return { done: w.inDone(num(f.quantity)) };
      });
    }
    if (action === 'count') {
      // A count sets the stock: confirmed first, unless `core/` will refuse it anyway.
      const counted = num(f.counted);
      if (!Number.isInteger(counted) || counted < 0 || (counted !== current.stock && f.reason.trim() === '')) return run(() => doCount());
      setCountAsk(true);
    }
  };
  const doCount = async (): Promise<Outcome> => {
    setCountAsk(false);
    if (!current) return null;
    const r = await countStock(db, clock, staffId, { goodsId: current.id, counted: num(f.counted), reason: f.reason });
    if (!r.ok) return { error: r.error };
    set({ counted: '', reason: '' });
    return { done: w.countDone(r.value.result.difference) };
  };

  const tick = (id: string, on: boolean) => setTicked((t) => {
    const n = new Set(t);
    if (on) n.add(id);
    else n.delete(id);
    return n;
  });

  if (shelfCount) {
    return (
      <main className="goods-screen two-panes">
        <ShelfCount db={db} clock={clock} staffId={staffId} goods={goods} onClose={() => setShelfCount(false)} afterCommit={afterCommit} />
      </main>
    );
  }

  return (
    <main className="goods-screen two-panes">
      <section className="panel catalogue">
        <h2>{w.title}</h2>
        <div className="inline-form">
          <label className="grow">{w.filter}<input name="goodsFilter" value={filter} onChange={(e) => setFilter(e.target.value)} /></label>
          <label className="check"><input type="checkbox" checked={lowOnly} onChange={(e) => setLowOnly(e.target.checked)} />{w.lowOnly}</label>
          <button type="button" className="secondary" onClick={() => { setSelected(null); setAction('add'); setOutcome(null); set({ name: '', category: '', price: '', lowStock: '5', barcode: '' }); }}>{w.add}</button>
        </div>
        <div className="scroll">
          <table className="list" data-testid="catalogue">
            <thead><tr><th>{w.select}</th><th>{w.name}</th><th>{w.category}</th><th className="n">{w.price}</th><th className="n">{w.stock}</th></tr></thead>
            <tbody>
              {shown.map((g) => (
                <tr key={g.id} aria-selected={g.id === selected} data-low={isLow(g) || undefined} onClick={() => choose(g)}>
                  <td><label className="tick" onClick={(e) => e.stopPropagation()}><input type="checkbox" aria-label={`${w.select} ${g.name}`} checked={ticked.has(g.id)} onChange={(e) => tick(g.id, e.target.checked)} /></label></td>
                  <td>{g.name}</td><td>{g.category}</td><td className="n">{g.pointPrice}</td>
                  <td className="n">{g.stock}{isLow(g) && <span className="low-mark"> ⚠ {w.low}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="inline-form">
          <button type="button" className="secondary" disabled={ticked.size === 0} onClick={() => { setOutcome(null); setLabels({ jobId: freshJobId(), goods: goods.filter((g) => ticked.has(g.id)) }); }}>{w.labels(ticked.size)}</button>
          <button type="button" className="secondary" onClick={() => { setOutcome(null); setShelfCount(true); }}>{w.shelfOpen}</button>
        </div>
      </section>

      <section className="panel goods-actions">
        {action !== 'add' && !current ? <p className="hint">{w.pick}</p> : (
          <>
            {current && action !== 'add' && (
              <>
                <h2>{current.name} <small>{current.barcode}</small></h2>
                <nav className="modes">
                  {(['change', 'stockIn', 'count', 'photo', 'label'] as const).map((a) => (
                    <button key={a} type="button" className="secondary" aria-pressed={action === a} onClick={() => { setAction(a); setOutcome(null); }}>{w.actions[a]}</button>
                  ))}
                </nav>
              </>
            )}
            {action === 'add' && <h2>{w.add}</h2>}
            {action === 'photo' && current ? <GoodsPhotoPanel key={current.id} db={db} clock={clock} staffId={staffId} goods={current} afterCommit={afterCommit} /> : action === 'label' && current ? <LabelsPrint printer={printer} jobId={labelJob} goods={[current]} paper={paper} lang={lang} /> : (
              <form className="form-grid" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
                {(action === 'add' || action === 'change') && (
                  <>
                    <label>{w.name}<input name="goodsName" value={f.name} maxLength={100} onChange={(e) => set({ name: e.target.value })} /></label>
                    <label>{w.category}<input name="goodsCategory" value={f.category} maxLength={20} onChange={(e) => set({ category: e.target.value })} /></label>
                    <label>{w.price}<input name="pointPrice" inputMode="numeric" value={f.price} onChange={(e) => set({ price: digits(e.target.value) })} /></label>
                    <label>{w.lowMark}<input name="lowStock" inputMode="numeric" value={f.lowStock} onChange={(e) => set({ lowStock: digits(e.target.value) })} /></label>
                    <label>{w.barcode}<input name="barcode" inputMode="numeric" value={f.barcode} maxLength={13} onChange={(e) => set({ barcode: e.target.value.replace(/\D/g, '') })} /></label>
                    <div className="actions"><button type="submit" className="primary" disabled={busy}>{action === 'add' ? w.add : w.change}</button></div>
                  </>
                )}
                {action === 'stockIn' && (
                  <>
                    <label>{s.quantity}<input name="stockQuantity" inputMode="numeric" value={f.quantity} onChange={(e) => set({ quantity: digits(e.target.value) })} /></label>
                    <fieldset><legend>{w.source}</legend>
                      {(['purchase', 'donation', 'partnerShop'] as const).map((src) => (
                        <label key={src} className="check"><input type="radio" name="source" checked={f.source === src} onChange={() => set({ source: src })} />{w.sources[src]}</label>
                      ))}
                    </fieldset>
                    {f.source === 'partnerShop' && (
                      <label>{w.shop}
                        <select name="shop" value={f.shopId || shops[0]?.id || ''} onChange={(e) => set({ shopId: e.target.value })}>
                          {shops.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
                        </select>
                      </label>
                    )}
                    <label>{s.note}<input name="stockNote" value={f.note} maxLength={200} onChange={(e) => set({ note: e.target.value })} /></label>
                    <div className="actions"><button type="submit" className="primary" disabled={busy}>{w.stockIn}</button></div>
                  </>
                )}
                {action === 'count' && current && (
                  <>
                    <p data-testid="expected">{w.expected(current.stock)}</p>
                    <label>{w.counted}<input name="counted" inputMode="numeric" value={f.counted} onChange={(e) => set({ counted: digits(e.target.value) })} /></label>
                    <label>{w.countReason}<input name="countReason" value={f.reason} maxLength={200} onChange={(e) => set({ reason: e.target.value })} /></label>
                    <div className="actions"><button type="submit" className="primary" disabled={busy}>{w.count}</button></div>
                  </>
                )}
              </form>
            )}
          </>
        )}
        {outcome && ('error' in outcome ? <p className="error" role="alert">{say(outcome.error)}</p> : <p className={'done' in outcome ? 'notice' : 'hint'} role="status">{'done' in outcome ? outcome.done : outcome.text}</p>)}
        {labels && (
          <div className="labels"><h3>{w.labelsTitle}</h3><LabelsPrint printer={printer} jobId={labels.jobId} goods={labels.goods} paper={paper} lang={lang} /></div>
        )}
      </section>
      {countAsk && current && (
        <ConfirmDialog title={w.countTitle} busy={busy} onCancel={() => setCountAsk(false)} onConfirm={() => void run(() => doCount())}>
          <p>{w.countBody(current.stock, num(f.counted))}</p>
        </ConfirmDialog>
      )}
    </main>
  );
}

