import type { Lang } from '../../../core/index.js';
import type { Clock } from '../store/actions.js';
import type { LinliDb } from '../store/db.js';
import type { SelfServiceWords } from './words.js';

/** The week's services (filled from the services staff enter). */
export function Timetable({ w }: { db: LinliDb; clock: Clock; w: SelfServiceWords; lang: Lang }) {
  return <p className="ss-lead">{w.noServices}</p>;
}
