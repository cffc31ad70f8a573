import type { Db } from '../db/db.js';
import { POKE_CHANNEL } from './push.js';

type Listener = (fromDeviceId: string) => void;

/**
 * Tells the devices of a centre that its rows changed. A push that changed rows NOTIFYs the
 * centre and the device on commit (see push.ts); every server process on the database hears it
 * and passes it to the poke streams it holds for that centre.
 */
export class PokeHub {
  private readonly byCentre = new Map<string, Set<Listener>>();
  private stop: (() => Promise<void>) | null = null;

  async start(db: Db): Promise<void> {
    this.stop = await db.listen(POKE_CHANNEL, (payload) => {
      const [centreId = '', deviceId = ''] = payload.split(' ');
      for (const l of this.byCentre.get(centreId) ?? []) l(deviceId);
    });
  }

  /** Calls `listener` on every change of the centre's rows; answers the unsubscribe. */
  subscribe(centreId: string, listener: Listener): () => void {
    let set = this.byCentre.get(centreId);
    if (!set) this.byCentre.set(centreId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.byCentre.delete(centreId);
    };
  }

  /** How many streams are open (for the health route and tests). */
  get streams(): number {
    let n = 0;
    for (const s of this.byCentre.values()) n += s.size;
    return n;
  }

  async close(): Promise<void> {
    await this.stop?.();
    this.byCentre.clear();
  }
}
