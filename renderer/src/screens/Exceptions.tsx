import { useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { EXCEPTION_KINDS, exceptionWords, formatShanghai, maskName, resolutionsFor, type Message, type Resolution, type RuleExceptionRow } from '../../../core/index.js';
import { useWords } from '../i18n.js';
import { resolveException, type Clock } from '../store/actions.js';
import type { LinliDb } from '../store/db.js';
import { openExceptions } from '../store/view.js';

type Props = { db: LinliDb; clock: Clock; staffId: string; afterCommit(): void };

/** The open exceptions with what each is about, in words: a resident, goods, a device or a staff member. */
async function openWithSubjects(db: LinliDb): Promise<{ row: RuleExceptionRow; subject: string }[]> {
  return Promise.all((await openExceptions(db)).map(async (row) => ({ row, subject: (await subjectWords(db, row)) ?? row.subjectId })));
}

/** What an exception's subject is called: a resident (by the account), goods, a staff member. */
async function subjectWords(db: LinliDb, row: RuleExceptionRow): Promise<string | undefined> {
  const subject = EXCEPTION_KINDS[row.kind].subject;
  switch (subject) {
    case 'accounts': {
      const resident = await db.residents.where('accountId').equals(row.subjectId).first();
      return resident ? `${maskName(resident.name)} ${resident.cardCode}` : undefined;
    }
    case 'goods': return (await db.goods.get(row.subjectId))?.name;
    case 'staff': return (await db.staff.get(row.subjectId))?.name;
    default: return undefined;
  }
}

/**
 * The exception queue: what the server applied although it broke a rule (two kiosks spent the
 * same points offline, sold the last unit twice, a clock ran wrong). Staff resolve each with a
 * compensating event; nothing is deleted. Below, what the server refused outright, with its reason.
 */
export function Exceptions({ db, clock, staffId, afterCommit }: Props) {
  const { t, lang, say, sayReason } = useWords();
  const open = useLiveQuery(() => openWithSubjects(db), [], []);
  const refused = useLiveQuery(() => db.rejections.toArray(), [], []);
  const [chosen, setChosen] = useState<{ row: RuleExceptionRow; resolution: Resolution } | null>(null);
  const [note, setNote] = useState('');
  const [adjustTo, setAdjustTo] = useState('');
  const [error, setError] = useState<Message | null>(null);
  const [done, setDone] = useState(false);

  const confirm = async () => {
    if (!chosen) return;
    const result = await resolveException(db, clock, {
      exceptionId: chosen.row.id, resolution: chosen.resolution, note,
      ...(chosen.resolution === 'adjust' ? { adjustTo: adjustTo.trim() === '' ? Number.NaN : Number(adjustTo) } : {}),
    }, staffId);
    if (!result.ok) return setError(result.error);
    setChosen(null);
    setNote('');
    setAdjustTo('');
    setError(null);
    setDone(true);
    afterCommit();
  };

  return (
    <main className="exceptions">
      <h2>{t.exceptionsTitle}</h2>
      {done && <p className="notice" role="status">{t.resolved}</p>}
      {open.length === 0 ? <p className="hint">{t.exceptionsNone}</p> : (
        <ul className="exception-list">
          {open.map(({ row, subject }) => (
            <li key={row.id} data-testid="exception" data-kind={row.kind}>
              <strong>{exceptionWords(row.kind, lang).name}</strong>
              <span>{subject}</span>
              <span>{exceptionWords(row.kind, lang).amount(row.amount)}</span>
              <span>{row.at ? formatShanghai(Date.parse(row.at)) : ''}</span>
              <span className="actions">
                {resolutionsFor(row.kind).map((r) => (
                  <button key={r} className="secondary" onClick={() => { setDone(false); setError(null); setChosen({ row, resolution: r }); }}>{t.resolutions[r]}</button>
                ))}
              </span>
            </li>
          ))}
        </ul>
      )}

      <h2>{t.refusedTitle}</h2>
      {refused.length === 0 ? <p className="hint">{t.refusedNone}</p> : (
        <ul className="refused-list">
          {refused.map((r) => <li key={r.id} data-testid="refused"><span>{t.kinds[r.event.kind]}</span> <span className="reason">{sayReason(r.reason)}</span></li>)}
        </ul>
      )}

      {chosen && (
        <div className="overlay">
          <div role="dialog" aria-modal="true" aria-labelledby="resolve-title" className="dialog">
            <h2 id="resolve-title">{exceptionWords(chosen.row.kind, lang).name} · {t.resolutions[chosen.resolution]}</h2>
            <p>{t.resolveConfirm}</p>
            {chosen.resolution === 'adjust' && (
              <label>{exceptionWords(chosen.row.kind, lang).adjustTo}
                <input name="adjustTo" inputMode="numeric" value={adjustTo} onChange={(e) => setAdjustTo(e.target.value.replace(/[^\d-]/g, ''))} />
              </label>
            )}
            <label>{t.note}<input name="note" value={note} maxLength={200} onChange={(e) => setNote(e.target.value)} /></label>
            {error && <p className="error" role="alert">{say(error)}</p>}
            <div className="actions">
              <button className="secondary" onClick={() => setChosen(null)}>{t.cancel}</button>
              <button className="primary" onClick={() => void confirm()}>{t.confirm}</button>
            </div>
          </div>
        </div>
      )}
    </main>
  );
}
