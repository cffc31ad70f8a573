import type { DeviceProfile } from '../../core/index.js';
import type { Db } from '../../server/db/db.js';
import { createPairingCode } from '../../server/devices/enrol.js';
import { LinliDb } from '../../renderer/src/store/db.js';
import { SyncClient } from '../../renderer/src/sync/client.js';

/**
 * A kiosk's store as tests of the sync client use it (Dexie on fake-indexeddb, which the test file
 * imports first): a new database `name`, enrolled with a pairing code the server's `db` made for a
 * device of `profile`, talking to the server through `fetchFn`, and synced once.
 */
export async function syncedStore(name: string, db: Db, fetchFn: typeof fetch, profile: DeviceProfile = 'counter', now = new Date()): Promise<{ db: LinliDb; client: SyncClient }> {
  const store = new LinliDb(name);
  await SyncClient.enrol(store, 'http://linli.test', await createPairingCode(db, 'wzgl', profile, now), fetchFn);
  const client = new SyncClient(store, fetchFn);
  await client.sync();
  return { db: store, client };
}
