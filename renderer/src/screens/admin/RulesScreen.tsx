import { useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { DONATION_CATEGORIES, donationValues, EarningCategory, type DonationCategory, type DonationValue, type EarningRule, type Message, type PartnerShop, type RuleForm } from '../../../../core/index.js';
import { useLocalWords, useWords } from '../../i18n.js';
import type { Clock } from '../../store/actions.js';
import type { LinliDb } from '../../store/db.js';
import { setDonationValue, setPartnerShop, setRule } from '../../store/pointsStore.js';
import { shownTable } from '../../store/screensSupport.js';
import { rulesByCategory } from '../points/AwardPanel.js';
import { donationWords } from '../donations/words.js';
import { sharedWords } from '../shared/words.js';
import { adminWords } from './words.js';

type Props = { db: LinliDb; clock: Clock; staffId: string; afterCommit(): void };
type RuleText = { name: string; category: EarningCategory; unit: 'act' | 'hour'; points: string; capPerDay: string; capPerMonth: string; active: boolean };
type Outcome = { error: Message } | { done: string } | null;

const EMPTY_RULE: RuleText = { name: '', category: 'governance', unit: 'act', points: '', capPerDay: '', capPerMonth: '', active: true };
const num = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
const cap = (text: string) => (text.trim() === '' ? null : Number(text));
const digits = (text: string) => text.replace(/[^\d-]/g, '');

/**
 * For admins: the centre's earning rules (评分细则), each added, changed, or stopped (a rule is never
 * deleted: awards name it), and the partner shops with their offers. `core/` refuses a rule with
 * points below one or absurdly high, or caps below one act's worth.
 */
export function RulesScreen({ db, clock, staffId, afterCommit }: Props) {
  const w = useLocalWords(adminWords);
  const s = useLocalWords(sharedWords);
  const { say } = useWords();
  const rules = useLiveQuery(() => shownTable(db, 'rules'), [db], [] as EarningRule[]);
  const shops = useLiveQuery(() => shownTable(db, 'partnerShops'), [db], [] as PartnerShop[]);
  const [ruleId, setRuleId] = useState<string | null>(null);
  const [rule, setRuleText] = useState<RuleText>(EMPTY_RULE);
  const [shopId, setShopId] = useState<string | null>(null);
  const [shop, setShop] = useState({ name: '', offers: '', active: true });
  const [ruleOutcome, setRuleOutcome] = useState<Outcome>(null);
  const [shopOutcome, setShopOutcome] = useState<Outcome>(null);
  const d = useLocalWords(donationWords);
  const values = donationValues(useLiveQuery(() => shownTable(db, 'donationValues'), [db], [] as DonationValue[]));
  // What the admin is typing, by category: the values shown until then.
  const [typed, setTyped] = useState<Partial<Record<DonationCategory, { good: string; fair: string }>>>({});
  const [valueOutcome, setValueOutcome] = useState<Outcome>(null);
  const shownValue = (c: DonationCategory) => typed[c] ?? { good: String(values[c].good), fair: String(values[c].fair) };
  const saveValue = async (c: DonationCategory) => {
    const v = shownValue(c);
    const r = await setDonationValue(db, clock, staffId, { category: c, good: num(v.good), fair: num(v.fair) });
    if (!r.ok) return setValueOutcome({ error: r.error });
    setValueOutcome({ done: w.valueSaved(d.categories[c], num(v.good), num(v.fair)) });
    setTyped((t) => Object.fromEntries(Object.entries(t).filter(([k]) => k !== c)));
    afterCommit();
  };
  const setR = (patch: Partial<RuleText>) => setRuleText((r) => ({ ...r, ...patch }));

  const edit = (r: EarningRule) => {
    setRuleId(r.id);
    setRuleOutcome(null);
    setRuleText({ name: r.name, category: r.category, unit: r.unit, points: String(r.points), capPerDay: r.capPerDay === null ? '' : String(r.capPerDay), capPerMonth: r.capPerMonth === null ? '' : String(r.capPerMonth), active: r.active });
  };
  const saveRule = async (id: string | null, form: RuleForm) => {
    const r = await setRule(db, clock, staffId, id, form);
    if (!r.ok) return setRuleOutcome({ error: r.error });
    setRuleOutcome({ done: w.ruleSaved(form.name.trim()) });
    setRuleId(r.value.result.ruleId);
    afterCommit();
  };
  const toForm = (r: RuleText): RuleForm => ({ name: r.name, category: r.category, unit: r.unit, points: num(r.points), capPerDay: cap(r.capPerDay), capPerMonth: cap(r.capPerMonth), active: r.active });
  const fromRule = (r: EarningRule, active: boolean): RuleForm => ({ name: r.name, category: r.category, unit: r.unit, points: r.points, capPerDay: r.capPerDay, capPerMonth: r.capPerMonth, active });

  const saveShop = async () => {
    const r = await setPartnerShop(db, clock, staffId, shopId, { name: shop.name, offers: shop.offers.split('\n'), active: shop.active });
    if (!r.ok) return setShopOutcome({ error: r.error });
    setShopOutcome({ done: w.shopSaved(shop.name.trim()) });
    setShopId(r.value.result.shopId);
    afterCommit();
  };
  const said = (o: Outcome) => o && ('error' in o ? <p className="error" role="alert">{say(o.error)}</p> : <p className="notice" role="status">{o.done}</p>);

  return (
    <main className="rules two-panes">
      <section className="panel">
        <h2>{w.rulesTitle}</h2>
        <div className="scroll">
          <table className="list" data-testid="rules">
            <tbody>
              {rulesByCategory(rules, () => true).flatMap((g) => g.rules.map((r) => (
                <tr key={r.id} data-inactive={!r.active || undefined} aria-selected={r.id === ruleId}>
                  <td>{s.categories[g.category]}</td>
                  <td>{r.name}{!r.active && <small> · {w.inactive}</small>}</td>
                  <td className="n">{r.points} {w.units[r.unit]}</td>
                  <td className="n">{r.capPerDay ?? '—'} / {r.capPerMonth ?? '—'}</td>
                  <td>
                    <button type="button" className="secondary small" onClick={() => edit(r)}>{w.edit}</button>
                    <button type="button" className="secondary small" onClick={() => void saveRule(r.id, fromRule(r, !r.active))}>{r.active ? w.deactivate : w.activate}</button>
                  </td>
                </tr>
              )))}
            </tbody>
          </table>
        </div>
        <form className="form-grid compact" onSubmit={(e) => { e.preventDefault(); void saveRule(ruleId, toForm(rule)); }}>
          <h3>{ruleId ? `${w.edit}：${rule.name}` : w.newRule} {ruleId && <button type="button" className="secondary small" onClick={() => { setRuleId(null); setRuleText(EMPTY_RULE); setRuleOutcome(null); }}>{w.newRule}</button>}</h3>
          <label>{w.name}<input name="ruleName" value={rule.name} maxLength={30} onChange={(e) => setR({ name: e.target.value })} /></label>
          <label>{w.category}
            <select name="ruleCategory" value={rule.category} onChange={(e) => setR({ category: e.target.value as EarningCategory })}>
              {EarningCategory.options.map((c) => <option key={c} value={c}>{s.categories[c]}</option>)}
            </select>
          </label>
          <label>{w.unit}
            <select name="ruleUnit" value={rule.unit} onChange={(e) => setR({ unit: e.target.value as 'act' | 'hour' })}>
              <option value="act">{w.units.act}</option><option value="hour">{w.units.hour}</option>
            </select>
          </label>
          <label>{w.points}<input name="rulePoints" inputMode="numeric" value={rule.points} onChange={(e) => setR({ points: digits(e.target.value) })} /></label>
          <label>{w.capDay}<input name="capPerDay" inputMode="numeric" value={rule.capPerDay} onChange={(e) => setR({ capPerDay: digits(e.target.value) })} /></label>
          <label>{w.capMonth}<input name="capPerMonth" inputMode="numeric" value={rule.capPerMonth} onChange={(e) => setR({ capPerMonth: digits(e.target.value) })} /></label>
          <label className="check"><input type="checkbox" checked={rule.active} onChange={(e) => setR({ active: e.target.checked })} />{w.active}</label>
          <div className="actions"><button type="submit" className="primary">{w.saveRule}</button></div>
        </form>
        {said(ruleOutcome)}
      </section>
      <section className="panel">
        <h2>{w.shopsTitle}</h2>
        <ul className="shop-list">
          {shops.map((x) => (
            <li key={x.id} data-inactive={!x.active || undefined}>
              <button type="button" className="secondary small" aria-pressed={x.id === shopId} onClick={() => { setShopId(x.id); setShop({ name: x.name, offers: x.offers.join('\n'), active: x.active }); setShopOutcome(null); }}>{x.name}{!x.active && ` · ${w.inactive}`}</button>
            </li>
          ))}
          <li><button type="button" className="secondary small" onClick={() => { setShopId(null); setShop({ name: '', offers: '', active: true }); setShopOutcome(null); }}>{w.newShop}</button></li>
        </ul>
        <form className="form-grid compact" onSubmit={(e) => { e.preventDefault(); void saveShop(); }}>
          <label>{w.shopName}<input name="shopName" value={shop.name} maxLength={50} onChange={(e) => setShop((x) => ({ ...x, name: e.target.value }))} /></label>
          <label>{w.offers}<textarea name="offers" rows={4} value={shop.offers} onChange={(e) => setShop((x) => ({ ...x, offers: e.target.value }))} /></label>
          <label className="check"><input type="checkbox" checked={shop.active} onChange={(e) => setShop((x) => ({ ...x, active: e.target.checked }))} />{w.active}</label>
          <div className="actions"><button type="submit" className="primary">{w.saveShop}</button></div>
        </form>
        {said(shopOutcome)}
        <h2>{w.valuesTitle}</h2>
        <p className="hint">{w.valuesHint}</p>
        <table className="list" data-testid="donation-values">
          <thead><tr><th>{d.category}</th><th>{w.good}</th><th>{w.fair}</th><th /></tr></thead>
          <tbody>
            {DONATION_CATEGORIES.map((c) => (
              <tr key={c}>
                <td>{d.categories[c]}</td>
                {(['good', 'fair'] as const).map((k) => (
                  <td key={k}><input name={`${c}-${k}`} aria-label={`${d.categories[c]} ${w[k]}`} inputMode="numeric" size={4} value={shownValue(c)[k]}
                    onChange={(e) => setTyped((t) => ({ ...t, [c]: { ...shownValue(c), [k]: digits(e.target.value) } }))} /></td>
                ))}
                <td><button type="button" className="secondary small" disabled={!typed[c]} onClick={() => void saveValue(c)}>{w.saveValue}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
        {said(valueOutcome)}
      </section>
    </main>
  );
}
