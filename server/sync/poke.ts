import type { Db } from '../db/db.js';
import { POKE_CHANNEL } from './push.js';

/**
 * The channel on which a revocation names the device (`centreId deviceId`): every server process
 * ends the poke streams it holds for that device (see devices/enrol.ts, revokeDevice).
 */
export const REVOKED_CHANNEL = 'linli_revoked';
/** Named by the centre clock's and the centre's triggers (migration 040): a centre's head or epoch changed. */
export const HEAD_CHANNEL = 'linli_head';
/** Named by the device's trigger (migration 040): a device was revoked, removed or changed. */
export const DEVICE_CHANNEL = 'linli_device';

/** What else hears the database's changes (the copies in memory.ts), before any stream is told. */
export type Heard = {
  centreChanged(centreId: string): void;
  deviceChanged(deviceId: string): void;
  /** Whether notifications are heard; while not, some may be missed. */
  listening(up: boolean): void;
};

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

  /**
   * Listens on one connection, so the notifications of a commit arrive in their order; `heard`
   * learns of each change before the streams are poked, so a poked kiosk's pull finds it.
   */
  async start(db: Db, heard?: Heard): Promise<void> {
    const each = (payload: string, fn: (s: PokeStream, deviceId: string) => void) => {
      const [centreId = '', deviceId = ''] = payload.split(' ');
      for (const s of [...(this.byCentre.get(centreId) ?? [])]) fn(s, deviceId);
    };
    this.stops.push(await db.listen([POKE_CHANNEL, REVOKED_CHANNEL, HEAD_CHANNEL, DEVICE_CHANNEL], (channel, payload) => {
      switch (channel) {
        case POKE_CHANNEL:
          heard?.centreChanged(payload.split(' ')[0] ?? '');
          each(payload, (s, from) => s.poke(from));
          return;
        case REVOKED_CHANNEL:
          heard?.deviceChanged(payload.split(' ')[1] ?? '');
          each(payload, (s, revoked) => {
            if (s.deviceId === revoked) s.revoked();
          });
          return;
        case HEAD_CHANNEL:
          heard?.centreChanged(payload);
          return;
        case DEVICE_CHANNEL:
          heard?.deviceChanged(payload);
          return;
      }
    }, (up) => heard?.listening(up)));
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
