import type { Db } from '../db/db.js';
import { POKE_CHANNEL } from './push.js';

/**
 * The channel on which a revocation names the device (`centreId deviceId`): every server process
 * ends the poke streams it holds for that device (see devices/enrol.ts, revokeDevice).
 */
export const REVOKED_CHANNEL = 'linli_revoked';

/** An open poke stream of one device. */
export type PokeStream = {
  deviceId: string;
  /** A commit by `fromDeviceId` changed the centre's rows. */
  poke(fromDeviceId: string): void;
  /** The device was revoked (or a restore removed it): its stream must end now. */
  revoked(): void;
};

/**
 * Tells the devices of a centre that its rows changed. A push that changed rows NOTIFYs the
 * centre and the device on commit (see push.ts); every server process on the database hears it
 * and passes it to the poke streams it holds for that centre. A revocation is heard the same way
 * and ends the revoked device's streams, so it hears nothing more.
 */
export class PokeHub {
  private readonly byCentre = new Map<string, Set<PokeStream>>();
  private stops: (() => Promise<void>)[] = [];

  async start(db: Db): Promise<void> {
    const each = (payload: string, fn: (s: PokeStream, deviceId: string) => void) => {
      const [centreId = '', deviceId = ''] = payload.split(' ');
      for (const s of [...(this.byCentre.get(centreId) ?? [])]) fn(s, deviceId);
    };
    this.stops.push(await db.listen(POKE_CHANNEL, (payload) => each(payload, (s, from) => s.poke(from))));
    this.stops.push(await db.listen(REVOKED_CHANNEL, (payload) => each(payload, (s, revoked) => {
      if (s.deviceId === revoked) s.revoked();
    })));
  }

  /** Hears every change of the centre's rows and the device's revocation; answers the unsubscribe. */
  subscribe(centreId: string, stream: PokeStream): () => void {
    let set = this.byCentre.get(centreId);
    if (!set) this.byCentre.set(centreId, (set = new Set()));
    set.add(stream);
    return () => {
      set.delete(stream);
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
    for (const stop of this.stops.splice(0)) await stop();
    this.byCentre.clear();
  }
}
