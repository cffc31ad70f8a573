import { addDays, formatShanghai, weekdayOf, weekOfServices, type Lang, type ScheduledService } from '../../../core/index.js';
import { useReplicaQuery } from '../canteen/useReplica.js';
import type { Clock } from '../store/actions.js';
import type { LinliDb } from '../store/db.js';
import { sayDay, type SelfServiceWords } from './words.js';

/** This week, Monday to Sunday, each day with the services staff put on the timetable (core/services/). */
export function Timetable({ db, clock, w, lang }: { db: LinliDb; clock: Clock; w: SelfServiceWords; lang: Lang }) {
  const services = useReplicaQuery(db, () => db.services.toArray(), [db], [] as ScheduledService[]);
  const today = formatShanghai(clock.now()).slice(0, 10);
  const week = weekOfServices(services, addDays(today, 1 - weekdayOf(today)));
  if (!week.some((d) => d.services.length > 0)) return <p className="ss-lead">{w.noServices}</p>;
  return (
    <ol className="ss-week" data-testid="ss-week" tabIndex={0} aria-label={w.servicesTitle}>
      {week.map(({ day, services: todays }, i) => (
        <li key={day} className={day === today ? 'ss-today' : undefined} aria-current={day === today ? 'date' : undefined}>
          <h3>{w.weekdays[i]}<br />{sayDay(day, lang)}{day === today ? ` · ${w.today}` : ''}</h3>
          <ul>
            {todays.map((s) => <li key={s.id}><strong>{s.name}</strong><br />{s.startTime}–{s.endTime}<br />{s.place}</li>)}
          </ul>
        </li>
      ))}
    </ol>
  );
}
