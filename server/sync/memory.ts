import type { Queryable } from '../db/db.js';
import { authenticate, sha256 } from '../devices/enrol.js';
import type { AuthedDevice } from './push.js';

/**
 * What each server process keeps of the database in memory, so that the question kiosks ask most
 * ("anything new?") is answered without a round trip: each centre's head, and the devices whose
 * tokens it has seen.
 *
 * Both are only copies, kept right by hearing every change (server/db/migrations/030: triggers on
 * the centre clock, the centre and the device NOTIFY on commit; the poke and the revocation say so
 * too, see poke.ts). A change makes the process forget its copy; the next request reads it again.
 * Two races are closed:
 *
 * - A read that started before a change and ends after it would keep the old value for good. So a
 *   read keeps its answer only when no change was heard while it ran (a token per read, for heads;
 *   a version, for devices, which change seldom).
 * - Notifications missed while the listening connection is down would leave copies stale for good.
 *   So while it is down nothing is kept or trusted (every request reads the database), and when
 *   it is back everything is read afresh.
 *
 * Worked example: kiosk K01 pulls with `since=120` and the centre's head is known to be 120, so
 * the answer is "nothing new" from memory. K02 pushes; its commit moves the clock to 121 and the
 * trigger NOTIFYs `linli_head wzgl`, then the poke `linli_poke wzgl K02`. Every process, in that
 * order, forgets wzgl's head and then pokes wzgl's streams: K01's pull (poked) reads the head again
 * (121) and the rows after 120 in one statement.
 */

/** A centre's head: its clock (every change sequence up to it is committed) and its epoch. */
export type CentreHead = { head: number; epoch: string };

/** Each centre's head, as far as this process has been asked for it. */
export class CentreHeads {
  private readonly known = new Map<string, CentreHead>();
  private readonly reading = new Map<string, object>();
  private live = false;
  /** Answers from memory and reads of the database, since the start (for the metrics). */
  hits = 0;
  misses = 0;

  constructor(private readonly db: Queryable) {}

  /** The centre's head and epoch, or null for a centre that is not there. */
  async get(centreId: string): Promise<CentreHead | null> {
    const kept = this.live ? this.known.get(centreId) : undefined;
    if (kept) {
      this.hits += 1;
      return kept;
    }
    this.misses += 1;
    const read = {};
    this.reading.set(centreId, read);
    const [row] = await this.db.query<CentreHead>(
      'SELECT k.seq AS head, c.epoch FROM centre c JOIN centre_clock k ON k.centre_id = c.id WHERE c.id = $1', [centreId], { prepared: true });
    // Kept only when nothing about the centre was heard while the read ran.
    if (this.reading.get(centreId) === read) {
      this.reading.delete(centreId);
      if (row && this.live) this.known.set(centreId, row);
    }
    return row ?? null;
  }

  /** The centre's clock or epoch changed (heard from the database): read it again when asked. */
  changed(centreId: string): void {
    this.known.delete(centreId);
    this.reading.delete(centreId);
  }

  /**
   * This process committed writes of the centre up to `head`: kiosks asking it next (the pusher
   * pulls right after its push) see them at once, before the notification comes back round.
   */
  advance(centreId: string, head: number): void {
    const kept = this.known.get(centreId);
    if (kept && head > kept.head) this.known.set(centreId, { ...kept, head });
  }

  /** Whether changes are being heard; while not, nothing is kept. */
  listening(up: boolean): void {
    this.live = up;
    this.known.clear();
    this.reading.clear();
  }

  /** Centres whose head is kept. */
  get size(): number {
    return this.known.size;
  }
}

/** The devices whose tokens this process has seen, by the token's hash; revoked ones never. */
export class DeviceTokens {
  private readonly byHash = new Map<string, AuthedDevice>();
  private readonly hashOf = new Map<string, string>();
  private version = 0;
  private live = false;
  hits = 0;
  misses = 0;

  /** `max`: the most devices kept (the oldest is dropped first); a city has a few thousand. */
  constructor(private readonly db: Queryable, private readonly max = 100_000) {}

  /** The device a bearer token belongs to, or null for an unknown or revoked token. */
  async authenticate(token: string): Promise<AuthedDevice | null> {
    const hash = sha256(token);
    const kept = this.live ? this.byHash.get(hash) : undefined;
    if (kept) {
      this.hits += 1;
      return kept;
    }
    this.misses += 1;
    const version = this.version;
    const device = await authenticate(this.db, token);
    // An unknown token is not kept: anyone could fill memory with them.
    if (device && this.live && version === this.version) {
      if (this.byHash.size >= this.max) {
        const [oldest] = this.byHash;
        if (oldest) this.drop(oldest[1].id);
      }
      this.byHash.set(hash, device);
      this.hashOf.set(device.id, hash);
    }
    return device;
  }

  /** The device was revoked, removed or changed (heard from the database): forget it. */
  changed(deviceId: string): void {
    this.version += 1;
    this.drop(deviceId);
  }

  /** This process revoked a centre's device by its code: forget it now, before the notification. */
  revokedHere(centreId: string, code: string): void {
    this.version += 1;
    for (const d of this.byHash.values()) if (d.centreId === centreId && d.code === code) this.drop(d.id);
  }

  /** Whether changes are being heard; while not, nothing is kept. */
  listening(up: boolean): void {
    this.version += 1;
    this.live = up;
    this.byHash.clear();
    this.hashOf.clear();
  }

  /** Devices kept. */
  get size(): number {
    return this.byHash.size;
  }

  private drop(deviceId: string): void {
    const hash = this.hashOf.get(deviceId);
    if (hash === undefined) return;
    this.byHash.delete(hash);
    this.hashOf.delete(deviceId);
  }
}
