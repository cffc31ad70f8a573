import { useState } from 'react';
import { yuanText, type Message, type ResidentFlag, type SubsidyRule } from '../../../core/index.js';
import type { Clock } from '../store/actions.js';
import { setSubsidyRule } from '../store/canteenMenu.js';
import type { LinliDb } from '../store/db.js';
import { shownRows } from '../store/view.js';
import { blankSubsidyForm, subsidyFormOf, subsidyRuleOf, type SubsidyFormValues } from './forms.js';
import { useReplicaQuery } from './useReplica.js';
import { useCanteenWords } from './words.js';

type Props = { db: LinliDb; clock: Clock; staffId: string; admin: boolean; afterCommit(): void };

const STATUS_FLAGS: readonly { flag: ResidentFlag; zh: string }[] = [
  { flag: 'lowIncome', zh: '低保' }, { flag: 'extremeHardship', zh: '特困' }, { flag: 'disabled', zh: '失能' }, { flag: 'livesAlone', zh: '独居' },
];


/**
 * The subsidy categories (补贴类别) and their rules: who holds each (an age band, or a status staff
 * approve), the subsidy per meal, the cap per person per day, the least bill, the delivery
 * subsidy. Everyone at the canteen sees them; an admin signed in here adds and changes them,
 * after a confirmation. A change prices the meals sold after it, never the ones sold before.
 */
export function SubsidyRules({ db, clock, staffId, admin, afterCommit }: Props) {
  const { w, say } = useCanteenWords();
  const [form, setForm] = useState<SubsidyFormValues | null>(null);
  const [asking, setAsking] = useState(false);
  const [message, setMessage] = useState<Message | { text: string } | null>(null);
  const rules = useReplicaQuery(db, async () => (await shownRows(db, 'subsidyRules', await db.subsidyRules.toArray(), () => true)).sort((a, b) => a.id.localeCompare(b.id)), [db], [] as SubsidyRule[]);

  const save = async () => {
    if (!form) return;
    setAsking(false);
    const r = await setSubsidyRule(db, clock, subsidyRuleOf(form), form.isNew, staffId);
    setMessage(r.ok ? { text: w.ruleSaved } : r.error);
    if (r.ok) {
      afterCommit();
      setForm(null);
    }
  };
  const flagWord = (f: ResidentFlag) => STATUS_FLAGS.find((x) => x.flag === f)?.zh ?? f;

  return (
    <main className="canteen-rules">
      <section>
        <h2>{w.rulesTitle}</h2>
        {message && <p className={'text' in message ? 'notice' : 'error'} role={'text' in message ? 'status' : 'alert'}>{'text' in message ? message.text : say(message)}</p>}
        {!admin && <p className="hint">{w.rulesReadOnly}</p>}
        <table data-testid="subsidy-rules">
          <thead><tr><th>{w.ruleName}</th><th>{w.basis}</th><th>{w.perMeal}</th><th>{w.capPerDay}</th><th>{w.minBill}</th><th>{w.deliverySubsidy}</th><th /></tr></thead>
          <tbody>
            {rules.map((r) => (
              <tr key={r.id} data-rule={r.id}>
                <td>{r.name}{r.active ? '' : `（${w.inactive}）`}</td>
                <td>{r.basis === 'age' ? `${r.minAge ?? ''}–${r.maxAge ?? ''}` : r.flags.map(flagWord).join('、')}</td>
                <td>￥{yuanText(r.subsidyFen)}</td>
                <td>￥{yuanText(r.capPerDayFen)}</td>
                <td>{r.minBillFen === null ? '—' : `￥${yuanText(r.minBillFen)}`}</td>
                <td>￥{yuanText(r.deliverySubsidyFen)}</td>
                <td>{admin && <button className="secondary" onClick={() => { setForm(subsidyFormOf(r)); setMessage(null); }}>{w.editRule}</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {admin && <div className="actions"><button className="secondary" onClick={() => { setForm(blankSubsidyForm); setMessage(null); }}>{w.newRule}</button></div>}
      </section>
      {admin && form && (
        <section>
          <form className="form-grid" onSubmit={(e) => { e.preventDefault(); setAsking(true); }}>
            <h2>{form.isNew ? w.newRule : `${w.editRule} · ${form.name}`}</h2>
            <label>{w.ruleId}<input name="ruleId" value={form.id} disabled={!form.isNew} maxLength={20} onChange={(e) => setForm({ ...form, id: e.target.value })} /></label>
            <label>{w.ruleName}<input name="ruleName" value={form.name} maxLength={30} onChange={(e) => setForm({ ...form, name: e.target.value })} /></label>
            <label>{w.basis}
              <select name="basis" value={form.basis} onChange={(e) => setForm({ ...form, basis: e.target.value === 'status' ? 'status' : 'age' })}>
                <option value="age">{w.basisAge}</option><option value="status">{w.basisStatus}</option>
              </select>
            </label>
            <label className="check"><input type="checkbox" checked={form.active} onChange={(e) => setForm({ ...form, active: e.target.checked })} />{w.active}</label>
            {form.basis === 'age' ? (
              <>
                <label>{w.ageFrom}<input name="minAge" inputMode="numeric" value={form.minAge} onChange={(e) => setForm({ ...form, minAge: e.target.value })} /></label>
                <label>{w.ageTo}<input name="maxAge" inputMode="numeric" value={form.maxAge} onChange={(e) => setForm({ ...form, maxAge: e.target.value })} /></label>
              </>
            ) : (
              <div className="flags-pick" role="group" aria-label={w.statusFlags}>
                {STATUS_FLAGS.map(({ flag, zh }) => (
                  <label key={flag} className="check"><input type="checkbox" checked={form.flags.includes(flag)}
                    onChange={(e) => setForm({ ...form, flags: e.target.checked ? [...form.flags, flag] : form.flags.filter((f) => f !== flag) })} />{zh}</label>
                ))}
              </div>
            )}
            <label>{w.perMeal}<input name="perMeal" inputMode="decimal" value={form.subsidy} onChange={(e) => setForm({ ...form, subsidy: e.target.value })} /></label>
            <label>{w.capPerDay}<input name="capPerDay" inputMode="decimal" value={form.cap} onChange={(e) => setForm({ ...form, cap: e.target.value })} /></label>
            <label>{w.minBill}<input name="minBill" inputMode="decimal" value={form.minBill} onChange={(e) => setForm({ ...form, minBill: e.target.value })} /></label>
            <label>{w.deliverySubsidy}<input name="deliverySubsidy" inputMode="decimal" value={form.delivery} onChange={(e) => setForm({ ...form, delivery: e.target.value })} /></label>
            <div className="actions">
              <button type="button" className="secondary" onClick={() => setForm(null)}>{w.cancel}</button>
              <button type="submit" className="primary">{w.save}</button>
            </div>
          </form>
        </section>
      )}
      {asking && (
        <div className="overlay">
          <div role="dialog" aria-modal="true" aria-labelledby="rule-title" className="dialog">
            <h2 id="rule-title">{w.confirmRuleTitle}</h2>
            <p>{w.confirmRuleBody}</p>
            <div className="actions">
              <button className="secondary" onClick={() => setAsking(false)}>{w.cancel}</button>
              <button className="primary" onClick={() => void save()}>{w.confirm}</button>
            </div>
          </div>
        </div>
      )}
    </main>
  );
}
