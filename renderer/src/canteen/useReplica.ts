import { useLiveQuery } from 'dexie-react-hooks';
import type { LinliDb } from '../store/db.js';

/**
 * A live query of the canteen's screens that also runs again whenever the replica's cursor moves
 * (a pull merged) or the outbox changes (this device wrote or the server took an event). Dexie's
 * own tracking was seen to miss a merge for queries that read through the overlay (a till kept
 * showing a sitting's main till as it was before the pull); following the cursor and the outbox
 * makes every screen show what the store holds after each sync and each write.
 */
export function useReplicaQuery<T, I = undefined>(db: LinliDb, querier: () => Promise<T>, deps: unknown[], initial?: I): T | I {
  const cursor = useLiveQuery(() => db.cursor().then((c) => c.seq), [db], 0);
  const outbox = useLiveQuery(() => db.outbox.toCollection().primaryKeys().then((keys) => keys.join(',')), [db], '');
  return useLiveQuery(querier, [...deps, cursor, outbox], initial as I);
}
