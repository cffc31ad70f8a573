import {
  EnrolResponse, HelloResponse, MAX_PUSH_EVENTS, PullResponse, PushResponse, SyncError,
  type PullRows, type PushOutcome,
} from '../../../core/index.js';
import type { LinliDb } from '../store/db.js';

/**
 * The sync client: pushes the outbox in seq order and pulls changed rows whenever the server
 * answers. One cycle at a time per kiosk: a Web Lock keeps a second tab from pushing the same
 * outbox. Pulled pages are staged in memory; when the pull reaches the head, one Dexie
 * transaction writes them, moves the cursor and drops the outbox events the replica now
 * reflects. A crash before that loses only staged pages, which the next pull fetches again.
 */
export type SyncState =
  | { kind: 'connecting' }
  | { kind: 'online' }
  | { kind: 'offline' }
  | { kind: 'stopped'; reason: 'seqGap' | 'seqConflict' | 'unauthorised'; detail: string };

export type SyncProgress = { rows: number; head: number; upTo: number };

type Listener = (s: SyncState) => void;

/** Raised when the server cannot be reached or answers 5xx: try again later. */
class Offline extends Error {}
/** Raised when the server refuses in a way staff must see; syncing stops until it is fixed. */
class Stopped extends Error {
  constructor(readonly reason: 'seqGap' | 'seqConflict' | 'unauthorised', detail: string) {
    super(detail);
  }
}

export class SyncClient {
  private state: SyncState = { kind: 'connecting' };
  private listeners = new Set<Listener>();
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly db: LinliDb,
    private readonly fetchFn: typeof fetch = (...a) => fetch(...a),
    private readonly onProgress: (p: SyncProgress) => void = () => {},
  ) {}

  /** Enrols this kiosk with a pairing code from an admin. */
  static async enrol(db: LinliDb, serverUrl: string, pairingCode: string, fetchFn: typeof fetch = (...a) => fetch(...a)): Promise<void> {
    const res = await fetchFn(`${serverUrl}/api/devices/enrol`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pairingCode }) });
    if (!res.ok) throw new Error(SyncError.safeParse(await res.json().catch(() => null)).data?.error ?? `HTTP ${res.status}`);
    const e = EnrolResponse.parse(await res.json());
    const hello = HelloResponse.parse(await (await fetchFn(`${serverUrl}/api/sync/hello`, { headers: { authorization: `Bearer ${e.token}` } })).json());
    await db.transaction('rw', db.meta, async () => {
      await db.meta.put({ key: 'device', deviceId: e.deviceId, deviceCode: e.deviceCode, token: e.token, centreId: e.centreId, centreName: hello.centre.name, serverUrl });
      await db.meta.put({ key: 'seq', next: 1 });
    });
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  /** Syncs every `intervalMs`, when the browser comes back online, and after each `nudge()`. */
  start(intervalMs = 3_000): void {
    this.timer = setInterval(() => void this.sync(), intervalMs);
    addEventListener('online', this.onOnline);
    void this.sync();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    removeEventListener('online', this.onOnline);
  }

  private onOnline = () => void this.sync();

  /** Runs a sync cycle now (or once more after the running one). Resolves when done. */
  sync(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.cycleLocked();
      } while (this.again);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async cycleLocked(): Promise<void> {
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    if (!locks) return this.cycle();
    await locks.request('linli-sync', { ifAvailable: true }, async (lock) => {
      if (lock) await this.cycle();
    });
  }

  private async cycle(): Promise<void> {
    try {
      const device = await this.db.device();
      if (!device) return;
      const auth = { authorization: `Bearer ${device.token}` };
      const before = Date.now();
      const hello = HelloResponse.parse(await this.call(`${device.serverUrl}/api/sync/hello`, { headers: auth }));
      const offset = Math.round((before + Date.now()) / 2 - Date.parse(hello.serverTime));
      await this.db.meta.put({ key: 'clock', offset });
      await this.pushAll(device.serverUrl, auth, hello.lastSeq);
      await this.pullAll(device.serverUrl, auth);
      this.set({ kind: 'online' });
    } catch (err) {
      if (err instanceof Stopped) this.set({ kind: 'stopped', reason: err.reason, detail: err.message });
      else this.set({ kind: 'offline' });
      if (!(err instanceof Offline) && !(err instanceof Stopped)) console.error('sync failed', err);
    }
  }

  private async call(url: string, init: RequestInit): Promise<unknown> {
    let res: Response;
    try {
      res = await this.fetchFn(url, init);
    } catch {
      throw new Offline('network');
    }
    if (res.status >= 500) throw new Offline(`HTTP ${res.status}`);
    const body: unknown = await res.json().catch(() => null);
    if (res.ok) return body;
    const err = SyncError.safeParse(body);
    if (res.status === 401) throw new Stopped('unauthorised', 'this kiosk is not known to the server (revoked?)');
    if (err.success && err.data.error === 'seqGap') throw new Stopped('seqGap', err.data.message);
    if (err.success && err.data.error === 'epochMismatch') throw new EpochMismatch();
    throw new Error(`sync refused: HTTP ${res.status} ${err.success ? err.data.error : ''}`);
  }

  private async pushAll(serverUrl: string, auth: Record<string, string>, lastSeq: number): Promise<void> {
    for (;;) {
      const batch = await this.db.outbox.where('status').equals('pending').limit(MAX_PUSH_EVENTS).sortBy('seq');
      if (batch.length === 0) return;
      if (batch[0]!.seq > lastSeq + 1) {
        throw new Stopped('seqGap', `the server holds up to seq ${lastSeq}, this kiosk's next is ${batch[0]!.seq}`);
      }
      const res = PushResponse.parse(await this.call(`${serverUrl}/api/sync/push`, {
        method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ events: batch.map((r) => r.event) }),
      }));
      await this.recordOutcomes(res.outcomes);
      lastSeq = res.lastSeq;
    }
  }

  /** Marks applied events with their server sequence; moves refused ones out of the outbox. */
  private async recordOutcomes(outcomes: readonly PushOutcome[]): Promise<void> {
    await this.db.transaction('rw', this.db.outbox, this.db.rejections, async () => {
      for (const o of outcomes) {
        const row = await this.db.outbox.get(o.seq);
        if (!row || row.id !== o.id) continue;
        const applied = o.status === 'applied' || (o.status === 'duplicate' && o.first === 'applied');
        if (applied) {
          await this.db.outbox.update(o.seq, { status: 'applied', serverSeq: o.serverSeq });
        } else if (o.status === 'rejected' || o.status === 'duplicate') {
          const reason = o.status === 'rejected' ? o.reason : (o.reason ?? 'rejected');
          await this.db.rejections.put({ id: row.id, seq: row.seq, event: row.event, reason, at: new Date().toISOString() });
          await this.db.outbox.delete(o.seq);
        } else {
          throw new Stopped('seqConflict', `seq ${o.seq} is held by another event on the server`);
        }
      }
    });
  }

  private async pullAll(serverUrl: string, auth: Record<string, string>): Promise<void> {
    let cursor = await this.db.cursor();
    let fresh = false;
    const staged: PullRows[] = [];
    let rows = 0;
    for (;;) {
      let page: PullResponse;
      try {
        page = PullResponse.parse(await this.call(`${serverUrl}/api/sync/pull?since=${cursor.seq}${cursor.epoch ? `&epoch=${cursor.epoch}` : ''}`, { headers: auth }));
      } catch (err) {
        if (!(err instanceof EpochMismatch)) throw err;
        // The server was restored: take a fresh snapshot; the outbox is kept and pushed again.
        cursor = { key: 'cursor', epoch: '', seq: 0 };
        fresh = true;
        staged.length = 0;
        continue;
      }
      staged.push(page.rows);
      rows += Object.values(page.rows).reduce((n, r: unknown[]) => n + r.length, 0);
      this.onProgress({ rows, head: page.head, upTo: page.upTo });
      cursor = { key: 'cursor', epoch: page.epoch, seq: page.upTo };
      if (page.upTo >= page.head) break;
    }
    await mergePulled(this.db, staged, cursor, fresh);
  }

  private set(s: SyncState): void {
    this.state = s;
    for (const l of this.listeners) l(s);
  }
}

class EpochMismatch extends Error {}

/**
 * Merges staged pull pages in one transaction: rows into the replica, the cursor moved, and the
 * outbox events the replica now reflects (applied at or below the cursor) dropped.
 */
export async function mergePulled(db: LinliDb, pages: readonly PullRows[], cursor: { epoch: string; seq: number }, fresh = false): Promise<void> {
  await db.transaction('rw', [db.accounts, db.residents, db.goods, db.ledger, db.outbox, db.meta], async () => {
    if (fresh) await Promise.all([db.accounts.clear(), db.residents.clear(), db.goods.clear(), db.ledger.clear()]);
    await Promise.all([
      db.accounts.bulkPut(pages.flatMap((p) => p.accounts)),
      db.residents.bulkPut(pages.flatMap((p) => p.residents)),
      db.goods.bulkPut(pages.flatMap((p) => p.goods)),
      db.ledger.bulkPut(pages.flatMap((p) => p.ledger)),
    ]);
    await db.meta.put({ key: 'cursor', epoch: cursor.epoch, seq: cursor.seq });
    await db.outbox.where('status').equals('applied').and((r) => r.serverSeq !== null && r.serverSeq <= cursor.seq).delete();
  });
}
