import { useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { EarningCategory, type EarningRule, type Message } from '../../../../core/index.js';
import { useLocalWords, useWords } from '../../i18n.js';
import type { Clock } from '../../store/actions.js';
import type { LinliDb } from '../../store/db.js';
import { awardByRule } from '../../store/pointsStore.js';
import { shownTable } from '../../store/screensSupport.js';
import { sharedWords } from '../shared/words.js';
import { pointsWords } from './words.js';

/** A rule as the clerk reads it: 清理楼道 10 分/次 · 每日上限 20. */
export function RuleLabel({ rule }: { rule: EarningRule }) {
  const w = useLocalWords(pointsWords);
  return (
    <span className="rule-label">
      <b>{rule.name}</b> {rule.points} {rule.unit === 'act' ? w.perAct : w.perHour}
      {rule.capPerDay !== null && <small> · {w.capDay(rule.capPerDay)}</small>}
      {rule.capPerMonth !== null && <small> · {w.capMonth(rule.capPerMonth)}</small>}
    </span>
  );
}

/** The active rules of each category, in the order of the scoring rules (小区治理, 文明帮创, 废旧利用, 志愿服务, 其他). */
export function rulesByCategory(rules: readonly EarningRule[], keep: (r: EarningRule) => boolean) {
  return EarningCategory.options
    .map((category) => ({ category, rules: rules.filter((r) => r.category === category && keep(r)).sort((a, b) => a.name.localeCompare(b.name, 'zh')) }))
    .filter((g) => g.rules.length > 0);
}

/**
 * Points by an earning rule (评分细则): the clerk picks a rule, how many times (or hours) and a
 * note. A cap reached is refused by `core/` with the rule's words, and nothing is written.
 */
export function AwardPanel({ db, clock, staffId, accountId, afterCommit }: { db: LinliDb; clock: Clock; staffId: string; accountId: string; afterCommit(): void }) {
  const w = useLocalWords(pointsWords);
  const s = useLocalWords(sharedWords);
  const { say } = useWords();
  const rules = useLiveQuery(() => shownTable(db, 'rules'), [db], [] as EarningRule[]);
  const [ruleId, setRuleId] = useState<string | null>(null);
  const [quantity, setQuantity] = useState('1');
  const [note, setNote] = useState('');
  const [result, setResult] = useState<{ error: Message } | { done: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const rule = rules.find((r) => r.id === ruleId) ?? null;
  const n = Number(quantity);

  const award = async () => {
    if (!rule) return setResult({ done: '' });
    setBusy(true);
    try {
      const r = await awardByRule(db, clock, staffId, { accountId, ruleId: rule.id, quantity: quantity.trim() === '' ? Number.NaN : n, note });
      if (!r.ok) return setResult({ error: r.error });
      setResult({ done: w.awarded(r.value.result.points, n > 1 ? `${rule.name}×${n}` : rule.name) });
      setQuantity('1');
      setNote('');
      afterCommit();
    } finally {
      setBusy(false);
    }
  };

  const groups = rulesByCategory(rules, (r) => r.active);
  return (
    <section className="panel wide award" data-testid="award">
      <h2>{w.awardTitle}</h2>
      {groups.length === 0 ? <p className="hint">{w.noRules}</p> : (
        <div className="rule-groups">
          {groups.map((g) => (
            <fieldset key={g.category}>
              <legend>{s.categories[g.category]}</legend>
              {g.rules.map((r) => (
                <label key={r.id} className="choice">
                  <input type="radio" name="rule" checked={ruleId === r.id} onChange={() => { setRuleId(r.id); setResult(null); }} />
                  <RuleLabel rule={r} />
                </label>
              ))}
            </fieldset>
          ))}
        </div>
      )}
      <form className="inline-form" onSubmit={(e) => { e.preventDefault(); void award(); }}>
        <label>{rule?.unit === 'hour' ? w.quantityHour : w.quantityAct}
          <input name="quantity" inputMode="numeric" value={quantity} onChange={(e) => setQuantity(e.target.value.replace(/[^\d-]/g, ''))} />
        </label>
        <label className="grow">{s.note}<input name="note" value={note} maxLength={200} onChange={(e) => setNote(e.target.value)} /></label>
        <span className="will">{rule && Number.isInteger(n) && n > 0 ? w.awardWill(rule.points * n) : ''}</span>
        <button type="submit" className="primary" disabled={busy}>{w.award}</button>
      </form>
      {result && ('error' in result
        ? <p className="error" role="alert">{say(result.error)}</p>
        : <p className={result.done ? 'notice' : 'error'} role={result.done ? 'status' : 'alert'}>{result.done || w.pickRule}</p>)}
    </section>
  );
}
