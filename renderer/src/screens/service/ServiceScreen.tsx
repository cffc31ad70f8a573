import { useCallback, useEffect, useRef, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { addDays, CERTIFY_DAYS_BACK, parseCardCode, pointsForMinutes, type EarningRule, type Message, type Resident, type ServiceHours } from '../../../../core/index.js';
import { useLocalWords, useWords } from '../../i18n.js';
import type { WedgeConfig } from '../../scan/burst.js';
import { listenForScans } from '../../scan/wedge.js';
import type { Clock } from '../../store/actions.js';
import type { LinliDb } from '../../store/db.js';
import { certifyService, correctService } from '../../store/pointsStore.js';
import { recentServiceHours, residentByCardShown, shanghaiDay, shownTable } from '../../store/screensSupport.js';
import { missingCardReason } from '../../store/view.js';
import { RuleLabel } from '../points/AwardPanel.js';
import { ConfirmDialog } from '../shared/Dialog.js';
import { addressOf, ResidentSearch, useSearchableResidents } from '../shared/ResidentSearch.js';
import { sharedWords } from '../shared/words.js';
import { serviceWords } from './words.js';

type Props = { db: LinliDb; clock: Clock; scanner: WedgeConfig; staffId: string; afterCommit(): void };
type Line = { resident: Resident; minutes: string };

/**
 * Service certification (服务认证): an hourly rule, the activity and its team, the volunteers (by
 * card scan or search) with their minutes, then all certified at once. Each certified entry of the
 * last week can be corrected with a reason; its points follow the rule.
 */
export function ServiceScreen({ db, clock, scanner, staffId, afterCommit }: Props) {
  const w = useLocalWords(serviceWords);
  const s = useLocalWords(sharedWords);
  const { say } = useWords();
  const rules = useLiveQuery(() => shownTable(db, 'rules'), [db], [] as EarningRule[]);
  const hourly = rules.filter((r) => r.active && r.unit === 'hour');
  const residents = useSearchableResidents(db);
  const offset = useLiveQuery(() => db.clockOffset(), [db], 0);
  const today = shanghaiDay(clock.now() - offset);
  const since = shanghaiDay(clock.now() - 6 * 86_400_000);
  const recent = useLiveQuery(() => recentServiceHours(db, since), [db, since], [] as ServiceHours[]);
  const [ruleId, setRuleId] = useState('');
  const [activity, setActivity] = useState('');
  // The day of the activity: today, or one of the six days before (a roster certified the day after).
  const [day, setDay] = useState<string | null>(null);
  const [team, setTeam] = useState('');
  const [roster, setRoster] = useState<Line[]>([]);
  const [asking, setAsking] = useState(false);
  const [result, setResult] = useState<{ error: Message } | { done: string } | null>(null);
  const [correcting, setCorrecting] = useState<ServiceHours | null>(null);
  const [minutes, setMinutes] = useState('');
  const [reason, setReason] = useState('');
  const [correctError, setCorrectError] = useState<Message | null>(null);
  const [busy, setBusy] = useState(false);
  const rule = hourly.find((r) => r.id === ruleId) ?? hourly[0] ?? null;

  const add = useCallback((r: Resident) => {
    setResult(null);
    setRoster((lines) => (lines.some((l) => l.resident.id === r.id) ? lines : [...lines, { resident: r, minutes: '60' }]));
  }, []);
  const holdRef = useRef(false);
  holdRef.current = asking || correcting !== null;
  useEffect(() => listenForScans(window, (code) => {
    if (holdRef.current) return;
    void (async () => {
      const card = parseCardCode(code);
      if (!card.ok) return setResult({ error: card.error });
      const found = await residentByCardShown(db, card.value.code);
      if (!found) return setResult({ error: await missingCardReason(db, card.value) });
      add(found.resident);
    })();
  }, scanner), [db, scanner, add]);

  const lines = roster.map((l) => ({ residentId: l.resident.id, accountId: l.resident.accountId, minutes: l.minutes.trim() === '' ? Number.NaN : Number(l.minutes) }));
  const total = rule ? lines.reduce((n, l) => n + (Number.isInteger(l.minutes) && l.minutes > 0 ? pointsForMinutes(rule.points, l.minutes) : 0), 0) : 0;

  const certify = async () => {
    if (!rule) return;
    setBusy(true);
    try {
      const r = await certifyService(db, clock, staffId, { ruleId: rule.id, activity, team, roster: lines, day: day ?? today });
      setAsking(false);
      if (!r.ok) return setResult({ error: r.error });
      setResult({ done: w.certified(lines.length, r.value.result.points) });
      setRoster([]);
      afterCommit();
    } finally {
      setBusy(false);
    }
  };

  const correct = async () => {
    if (!correcting) return;
    setBusy(true);
    try {
      const r = await correctService(db, clock, staffId, { entryId: correcting.id, minutes: minutes.trim() === '' ? Number.NaN : Number(minutes), reason });
      if (!r.ok) return setCorrectError(r.error);
      setCorrecting(null);
      setResult({ done: w.corrected });
      afterCommit();
    } finally {
      setBusy(false);
    }
  };

  const nameOf = (id: string) => residents.find((r) => r.id === id)?.name ?? id;
  return (
    <main className="service two-panes">
      <section className="panel">
        <h2>{w.title}</h2>
        {hourly.length === 0 ? <p className="hint">{w.noHourRules}</p> : (
          <form className="form-grid" onSubmit={(e) => {
            e.preventDefault();
            setResult(null);
            // Nothing to confirm without volunteers or an activity: `core/` says what is missing.
            if (roster.length === 0 || activity.trim() === '') void certify();
            else setAsking(true);
          }}>
            <label>{w.rule}
              <select name="rule" value={rule?.id ?? ''} onChange={(e) => setRuleId(e.target.value)}>
                {hourly.map((r) => <option key={r.id} value={r.id}>{r.name} · {r.points} {s.points}/h</option>)}
              </select>
            </label>
            <label>{w.team}<input name="team" value={team} maxLength={30} onChange={(e) => setTeam(e.target.value)} /></label>
            {rule && <p className="hint"><RuleLabel rule={rule} /></p>}
            <label>{w.activity}<input name="activity" value={activity} maxLength={50} onChange={(e) => setActivity(e.target.value)} /></label>
            <label>{w.day}
              <select name="activityDay" value={day ?? today} onChange={(e) => setDay(e.target.value === today ? null : e.target.value)}>
                {Array.from({ length: CERTIFY_DAYS_BACK + 1 }, (_, i) => addDays(today, -i)).map((d, i) => (
                  <option key={d} value={d}>{i === 0 ? `${w.today} ${d.slice(5)}` : i === 1 ? `${w.yesterday} ${d.slice(5)}` : d.slice(5)}</option>
                ))}
              </select>
            </label>
            <h3>{w.roster}</h3>
            {roster.length === 0 ? <p className="hint">{w.addHint} {w.empty}</p> : (
              <ul className="roster" data-testid="roster">
                {roster.map((l, i) => (
                  <li key={l.resident.id}>
                    <span><b>{l.resident.name}</b> <small>{l.resident.phoneTail ? s.phoneTail(l.resident.phoneTail) : ''} {addressOf(l.resident)}</small></span>
                    <label>{w.minutes}<input name="minutes" inputMode="numeric" value={l.minutes} onChange={(e) => setRoster((rs) => rs.map((x, j) => (j === i ? { ...x, minutes: e.target.value.replace(/[^\d-]/g, '') } : x)))} /></label>
                    <span>{rule && Number(l.minutes) > 0 ? w.points(pointsForMinutes(rule.points, Number(l.minutes))) : ''}</span>
                    <button type="button" className="secondary small" onClick={() => setRoster((rs) => rs.filter((_, j) => j !== i))}>{w.remove}</button>
                  </li>
                ))}
              </ul>
            )}
            <div className="actions"><button type="submit" className="primary" disabled={busy}>{w.certify}</button></div>
          </form>
        )}
        {result && ('error' in result ? <p className="error" role="alert">{say(result.error)}</p> : <p className="notice" role="status">{result.done}</p>)}
      </section>
      {/* The search beside the roster, so a long roster keeps 认证全部 and the search in sight at 1366×768. */}
      <section className="panel scroll">
        <h3>{w.findVolunteer}</h3>
        <ResidentSearch residents={residents} onPick={add} exclude={roster.map((l) => l.resident.id)} />
        <h2>{w.recent}</h2>
        {recent.length === 0 ? <p className="hint">{w.none}</p> : (
          <table className="list" data-testid="certified">
            <tbody>
              {recent.map((h) => (
                <tr key={h.id}>
                  <td>{h.day.slice(5)}</td><td>{h.activity}</td><td>{nameOf(h.residentId)}</td><td className="n">{h.minutes} min</td><td className="n">{h.points} {s.points}</td>
                  <td><button type="button" className="secondary small" onClick={() => { setCorrecting(h); setMinutes(String(h.minutes)); setReason(''); setCorrectError(null); }}>{w.correct}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {asking && rule && (
        <ConfirmDialog title={w.confirmTitle} busy={busy} onCancel={() => setAsking(false)} onConfirm={() => void certify()}>
          <p>{w.confirmBody(lines.length, activity.trim(), total)}{day !== null && day !== today ? w.onDay(day) : ''}</p>
        </ConfirmDialog>
      )}
      {correcting && (
        <ConfirmDialog title={`${w.correctTitle}：${nameOf(correcting.residentId)} · ${correcting.activity}`} busy={busy} onCancel={() => setCorrecting(null)} onConfirm={() => void correct()}>
          <p>{w.correctBody}</p>
          <label>{w.newMinutes}<input name="newMinutes" inputMode="numeric" value={minutes} onChange={(e) => setMinutes(e.target.value.replace(/[^\d-]/g, ''))} /></label>
          <label>{s.reason}<input name="reason" value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} /></label>
          {correctError && <p className="error" role="alert">{say(correctError)}</p>}
        </ConfirmDialog>
      )}
    </main>
  );
}
