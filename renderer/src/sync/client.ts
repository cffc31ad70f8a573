import {
  EnrolResponse, EXPORT_KEY_ALGORITHM, formatShanghai, HelloResponse, MAX_PUSH_EVENTS, PullEdge, PullResponse, pushBatch, PushResponse, SyncError, TABLE_NAMES,
  type PackedTable, type PullRows, type PushOutcome,
} from '../../../core/index.js';
import type { Table } from 'dexie';
import { KEEP_ACKNOWLEDGED_MS, type KioskRow, type LinliDb, type StaffRow } from '../store/db.js';
import { isPacked, packsFor, tablesWaiting, unpack } from '../store/packs.js';
import { browserKeeper, wrapPinHash, type Keeper } from '../staff/keeper.js';
import { keepOnlyWhatTheScreenShows } from '../selfService/replica.js';

/** Pulled rows as the kiosk keeps them: staff PIN hashes wrapped with the device secret. */
export type KioskRows = Omit<PullRows, 'staff'> & { staff: StaffRow[] };

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
  /** `seq`: the seq the server holds another event under, for a `seqConflict`. */
  | { kind: 'stopped'; reason: 'seqGap' | 'seqConflict' | 'unauthorised'; detail: string; seq: number | null };

export type SyncProgress = { rows: number; head: number; upTo: number };

type Listener = (s: SyncState) => void;

/** Raised when the server cannot be reached or answers 5xx: try again later. */
class Offline extends Error {}
/** Raised when the server refuses in a way staff must see; syncing stops until it is fixed. */
class Stopped extends Error {
  constructor(readonly reason: 'seqGap' | 'seqConflict' | 'unauthorised', detail: string, readonly seq: number | null = null) {
    super(detail);
  }
}

/** Most time between polls while the poke stream is down and the server cannot be reached. */
const MAX_POLL_BACKOFF_MS = 30_000;
/** Most time between tries to open the poke stream again: a restarted server is seen this soon. */
const MAX_STREAM_BACKOFF_MS = 10_000;
/**
 * How long to wait before trying the poke stream again after `attempt` failed tries (0 right
 * after it dropped): a random share ("full jitter") of a backoff doubling from 1 s to 10 s. When a
 * city's server restarts, its thousands of kiosks lose their streams in the same second; drawn at
 * random, they come back spread over that second rather than all at once. `random` is in [0, 1).
 */
export function reconnectDelay(attempt: number, random: number): number {
  return Math.floor(random * Math.min(MAX_STREAM_BACKOFF_MS, 1_000 * 2 ** Math.min(attempt, 5)));
}
/** Polling while the poke stream is up: only a safety net. */
const POLL_WITH_STREAM_MS = 30_000;
/** Rows asked for per pull page: a first download of a whole centre in a few round trips. */
const PULL_PAGE_ROWS = 20_000;
/** Longest a sync call may take before the server counts as unreachable. */
const CALL_TIMEOUT_MS = 20_000;
/**
 * How long what the last hello said (epoch, the device's last seq, the clock) is taken as still
 * true: a cycle within it skips the hello, one round trip less between a call at a till and the
 * calling screens (each poke is a cycle). Anything it could have missed is caught anyway: a push
 * whose seq does not follow, or a pull of another epoch, says hello again before going on.
 */
const HELLO_FRESH_MS = 30_000;

export class SyncClient {
  private state: SyncState = { kind: 'connecting' };
  private listeners = new Set<Listener>();
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  private streamUp = false;
  private failures = 0;
  private baseMs = 3_000;
  private streamAbort: AbortController | null = null;
  private wake: (() => void) | null = null;
  /** What the last hello said, when: the server's epoch and this device's last seq there. */
  private known: { at: number; epoch: string; lastSeq: number } | null = null;

  constructor(
    private readonly db: LinliDb,
    private readonly fetchFn: typeof fetch = (...a) => fetch(...a),
    private readonly onProgress: (p: SyncProgress) => void = () => {},
    private readonly keeper: Keeper = browserKeeper(db),
  ) {}

  /**
   * Enrols this kiosk with a pairing code from an admin. The kiosk makes its ECDSA key pair here
   * (the private key cannot be read out, even by the page) and sends the public half; it signs
   * the kiosk's outbox export files.
   */
  static async enrol(db: LinliDb, serverUrl: string, pairingCode: string, fetchFn: typeof fetch = (...a) => fetch(...a), keeper: Keeper = browserKeeper(db)): Promise<void> {
    const pair = await crypto.subtle.generateKey(EXPORT_KEY_ALGORITHM, false, ['sign', 'verify']);
    const publicKey = await crypto.subtle.exportKey('jwk', pair.publicKey);
    const res = await fetchFn(`${serverUrl}/api/devices/enrol`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pairingCode, publicKey: { kty: publicKey.kty, crv: publicKey.crv, x: publicKey.x, y: publicKey.y } }),
    });
    if (!res.ok) throw new Error(SyncError.safeParse(await res.json().catch(() => null)).data?.error ?? `HTTP ${res.status}`);
    const e = EnrolResponse.parse(await res.json());
    const hello = HelloResponse.parse(await (await fetchFn(`${serverUrl}/api/sync/hello`, { headers: { authorization: `Bearer ${e.token}` } })).json());
    await keeper.saveToken(e.token);
    const inMain = (await keeper.token()) === e.token;
    await db.transaction('rw', db.meta, async () => {
      await db.meta.put({
        key: 'device', deviceId: e.deviceId, deviceCode: e.deviceCode, token: inMain ? '' : e.token, centreId: e.centreId,
        centreName: hello.centre.name, serverUrl, profile: e.profile,
      });
      await db.meta.put({ key: 'keys', pair });
      await db.meta.put({ key: 'seq', next: 1 });
    });
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  /**
   * Syncs now, whenever the server pokes (a stream of server-sent events read with fetch, so the
   * token goes in a header), when the browser comes back online, and by polling: every
   * `intervalMs` while the stream is down, backing off to 30 s while the server cannot be
   * reached, and only every 30 s as a safety net while the stream is up. The stream is tried again
   * at most 10 s apart, and a stream that opens starts a sync: a restarted server is seen within 10 s.
   */
  start(intervalMs = 3_000): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.baseMs = intervalMs;
    globalThis.addEventListener?.('online', this.onOnline);
    this.schedule(0);
    void this.streamLoop();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.streamAbort?.abort();
    this.wake?.();
    globalThis.removeEventListener?.('online', this.onOnline);
  }

  /** Whether the poke stream is open now. */
  get poked(): boolean {
    return this.streamUp;
  }

  private onOnline = () => {
    this.failures = 0;
    this.wake?.();
    void this.sync();
  };

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.sync().then(() => {
        this.failures = this.state.kind === 'offline' ? this.failures + 1 : 0;
        const next = this.streamUp ? POLL_WITH_STREAM_MS : Math.min(MAX_POLL_BACKOFF_MS, this.baseMs * 2 ** Math.min(this.failures, 5));
        this.schedule(next);
      });
    }, ms);
  }

  /** Keeps the poke stream open, reconnecting with backoff; each poke starts a sync. */
  private async streamLoop(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      try {
        const device = await this.db.device();
        const token = device ? await this.keeper.token() : null;
        if (device && token) {
          this.streamAbort = new AbortController();
          const res = await this.fetchFn(`${device.serverUrl}/api/sync/stream`, { headers: { authorization: `Bearer ${token}` }, signal: this.streamAbort.signal });
          if (res.ok && res.body) {
            this.streamUp = true;
            attempt = 0;
            void this.sync(); // whatever changed while the stream was down
            await this.readPokes(res.body);
          }
        }
      } catch {
        // Down or refused: polling carries on meanwhile.
      } finally {
        const wasUp = this.streamUp;
        this.streamUp = false;
        // A stream that ends is news: the server may be gone. Ask within a second (the header says
        // 离线 within a moment, not at the next 30 s safety poll; kiosks spread over the second,
        // see reconnectDelay) and poll at the base pace again.
        if (wasUp && !this.stopped) {
          this.failures = 0;
          this.schedule(reconnectDelay(0, Math.random()));
        }
      }
      if (this.stopped) return;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, reconnectDelay(attempt++, Math.random()));
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  }

  private async readPokes(body: NonNullable<Response['body']>): Promise<void> {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      const blocks = buffer.split('\n\n');
      buffer = blocks.pop() ?? '';
      if (blocks.some((b) => /^event: poke$/m.test(b))) void this.sync();
    }
  }

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
    // Another tab of this kiosk syncing holds the lock: wait for it, then run a cycle of our own
    // (it finds the outbox pushed and pulls), so this tab's status is right as soon as that one's.
    await locks.request('linli-sync', async () => this.cycle());
  }

  private async cycle(): Promise<void> {
    try {
      const device = await this.db.device();
      if (!device) return;
      const token = await this.keeper.token();
      if (!token) throw new Stopped('unauthorised', 'this kiosk has no device token (re-enrol it)');
      const auth = { authorization: `Bearer ${token}` };
      const fresh = this.known !== null && Date.now() - this.known.at < HELLO_FRESH_MS;
      try {
        await this.exchange(device.serverUrl, auth, fresh ? this.known! : await this.hello(device.serverUrl, auth));
      } catch (err) {
        // What the last hello said no longer holds (another tab of this kiosk pushed, the server
        // was restored): say hello and do the cycle as it would have been done with one.
        if (!fresh || !(err instanceof Stale)) throw err;
        await this.exchange(device.serverUrl, auth, await this.hello(device.serverUrl, auth));
      }
      this.set({ kind: 'online' });
    } catch (err) {
      this.known = null;
      if (err instanceof Stopped) this.set({ kind: 'stopped', reason: err.reason, detail: err.message, seq: err.seq });
      else this.set({ kind: 'offline' });
      if (!(err instanceof Offline) && !(err instanceof Stopped)) console.error('sync failed', err);
    }
  }

  /** Asks the server its epoch, its clock and this device's last seq there; keeps the clock offset. */
  private async hello(serverUrl: string, auth: Record<string, string>): Promise<{ at: number; epoch: string; lastSeq: number; said: true }> {
    const before = Date.now();
    const hello = HelloResponse.parse(await this.call(`${serverUrl}/api/sync/hello`, { headers: auth }));
    const offset = Math.round((before + Date.now()) / 2 - Date.parse(hello.serverTime));
    await this.db.meta.put({ key: 'clock', offset });
    this.known = { at: Date.now(), epoch: hello.epoch, lastSeq: hello.lastSeq };
    return { ...this.known, said: true };
  }

  /** Pushes the outbox and pulls, from what a hello said (now, or lately: then `Stale` when it no longer holds). */
  private async exchange(serverUrl: string, auth: Record<string, string>, known: { epoch: string; lastSeq: number; said?: true }): Promise<void> {
    const cursor = await this.db.cursor();
    if (cursor.epoch !== '' && cursor.epoch !== known.epoch) {
      if (!known.said) throw new Stale();
      // The server was restored from a backup: take its state first, then push again what it
      // lacks (the kiosk keeps acknowledged events 30 days), so nothing is shown twice meanwhile.
      await this.pullAll(serverUrl, auth, known.lastSeq);
    }
    await this.pushAll(serverUrl, auth, known.lastSeq, known.said === true);
    await this.pullAll(serverUrl, auth, undefined, known.said === true);
  }

  /**
   * Asks the server what only it can answer while the kiosk is online (an ID number keyed with the
   * server's key, who has a full phone number). Throws when the server cannot be reached or refuses.
   */
  async ask(path: '/api/residents/id-number' | '/api/residents/phone', body: unknown, timeoutMs = CALL_TIMEOUT_MS): Promise<unknown> {
    const device = await this.db.device();
    const token = await this.keeper.token();
    if (!device || !token) throw new Offline('not enrolled');
    return this.call(`${device.serverUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }, timeoutMs);
  }

  private async call(url: string, init: RequestInit, timeoutMs = CALL_TIMEOUT_MS): Promise<unknown> {
    let res: Response;
    try {
      // A server that takes the connection and never answers is as good as down.
      res = await this.fetchFn(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch {
      throw new Offline('network');
    }
    if (res.status >= 500) throw new Offline(`HTTP ${res.status}`);
    const body: unknown = await res.json().catch(() => undefined);
    // An answer cut off on the way is no answer: whatever it was, the next cycle asks again.
    if (body === undefined) throw new Offline(`HTTP ${res.status}: the answer was cut off`);
    if (res.ok) return body;
    const err = SyncError.safeParse(body);
    if (res.status === 401) throw new Stopped('unauthorised', 'this kiosk is not known to the server (revoked?)');
    if (err.success && err.data.error === 'seqGap') throw new Stopped('seqGap', err.data.message);
    if (err.success && err.data.error === 'epochMismatch') throw new EpochMismatch();
    throw new Error(`sync refused: HTTP ${res.status} ${err.success ? err.data.error : ''}`);
  }

  private async pushAll(serverUrl: string, auth: Record<string, string>, lastSeq: number, said = true): Promise<void> {
    for (;;) {
      const batch = pushBatch(await this.db.outbox.where('status').equals('pending').limit(MAX_PUSH_EVENTS).sortBy('seq'), (r) => r.event);
      if (batch.length === 0) return;
      if (batch[0]!.seq > lastSeq + 1) {
        if (!said) throw new Stale();
        throw new Stopped('seqGap', `the server holds up to seq ${lastSeq}, this kiosk's next is ${batch[0]!.seq}`);
      }
      const res = PushResponse.parse(await this.call(`${serverUrl}/api/sync/push`, {
        method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ events: batch.map((r) => r.event) }),
      }).catch((err: unknown) => {
        // A server restored since the last hello holds fewer of this device's events: say hello.
        throw !said && err instanceof Stopped && err.reason === 'seqGap' ? new Stale() : err;
      }));
      await this.recordOutcomes(res.outcomes);
      lastSeq = res.lastSeq;
      if (this.known) this.known.lastSeq = res.lastSeq;
    }
  }

  /** Marks applied events with their server sequence, refused ones as rejected (kept, with the reason for staff). */
  private async recordOutcomes(outcomes: readonly PushOutcome[]): Promise<void> {
    await this.db.transaction('rw', this.db.outbox, this.db.rejections, this.db.meta, async () => {
      let rejected = false;
      for (const o of outcomes) {
        const row = await this.db.outbox.get(o.seq);
        // Only a waiting event takes its outcome: one a merge marked reflected meanwhile stays so.
        if (!row || row.id !== o.id || row.status !== 'pending') continue;
        const applied = o.status === 'applied' || (o.status === 'duplicate' && o.first === 'applied');
        if (applied) {
          await this.db.outbox.update(o.seq, { status: 'applied', serverSeq: o.serverSeq });
        } else if (o.status === 'rejected' || o.status === 'duplicate') {
          const reason = o.status === 'rejected' ? o.reason : (o.reason ?? { key: 'refusedLegacy', params: { detail: 'rejected' } });
          await this.db.rejections.put({ id: row.id, seq: row.seq, event: row.event, reason, at: new Date().toISOString() });
          await this.db.outbox.update(o.seq, { status: 'rejected', serverSeq: null });
          rejected = true;
        } else {
          throw new Stopped('seqConflict', `seq ${o.seq} is held by another event on the server`, o.seq);
        }
      }
      // A refused event is no longer laid over the replica, and no cursor moved to say so.
      if (rejected) await this.db.outboxChanged();
    });
  }

  /**
   * Pulls to the head and merges. `restoredLastSeq`: the server was restored and holds this
   * device's events up to it; the kept ones after it go back to the outbox in the same merge.
   */
  private async pullAll(serverUrl: string, auth: Record<string, string>, restoredLastSeq?: number, said = true): Promise<void> {
    let cursor = await this.db.cursor();
    let fresh = false;
    const staged: KioskRows[] = [];
    let rows = 0;
    const ask = (c: { epoch: string; seq: number }) => this.call(`${serverUrl}/api/sync/pull?since=${c.seq}&limit=${PULL_PAGE_ROWS}${c.epoch ? `&epoch=${c.epoch}` : ''}`, { headers: auth });
    // The next page is asked for as soon as this one's edge is read, so the server makes it while this one is checked.
    let asked: Promise<unknown> | null = null;
    for (;;) {
      let page: PullResponse;
      try {
        const body = await (asked ?? ask(cursor));
        asked = null;
        const edge = PullEdge.safeParse(body);
        if (edge.success && edge.data.upTo < edge.data.head) {
          asked = ask({ epoch: edge.data.epoch, seq: edge.data.upTo });
          // Not awaited if this page fails its check: the cycle ends on that failure, not on this.
          asked.catch(() => undefined);
        }
        page = PullResponse.parse(body);
      } catch (err) {
        asked = null;
        if (!(err instanceof EpochMismatch)) throw err;
        // Restored since the last hello: the hello's last seq decides what to push again.
        if (!said) throw new Stale();
        // The server was restored: take a fresh snapshot; the outbox is kept and pushed again.
        cursor = { key: 'cursor', epoch: '', seq: 0 };
        fresh = true;
        staged.length = 0;
        continue;
      }
      // PIN hashes are wrapped before they are stored; the clear hash never reaches IndexedDB.
      staged.push({ ...page.rows, staff: await Promise.all(page.rows.staff.map(async (m) => ({ ...m, pin: m.pin ? await wrapPinHash(this.keeper, m.pin) : null }))) });
      rows += Object.values(page.rows).reduce((n, r: unknown[]) => n + r.length, 0);
      this.onProgress({ rows, head: page.head, upTo: page.upTo });
      cursor = { key: 'cursor', epoch: page.epoch, seq: page.upTo };
      if (page.upTo >= page.head) break;
    }
    await mergePulled(this.db, staged, cursor, { fresh, requeueAfterSeq: restoredLastSeq });
    // What landed packed goes into its tables now, a pack at a time (the screens read the packs meanwhile).
    await unpack(this.db);
  }

  private set(s: SyncState): void {
    this.state = s;
    for (const l of this.listeners) l(s);
  }
}

class EpochMismatch extends Error {}
/** What the last hello said no longer holds: the cycle says hello again. */
class Stale extends Error {}

/** How a merge treats the kiosk's copy: a fresh snapshot replaces it; after a restore, events the server lost go back to the outbox. */
export type MergeOptions = { fresh?: boolean; requeueAfterSeq?: number | undefined; now?: number };

/**
 * Merges staged pull pages in one transaction: rows into the replica, the cursor moved, and the
 * outbox events the replica now reflects (applied at or below the cursor) marked reflected; those
 * acknowledged more than 30 days ago are let go. After a restore, this kiosk's events the
 * restored server lacks (seq above what it holds) become pending again, to be pushed once more.
 */
export async function mergePulled(db: LinliDb, pages: readonly KioskRows[], cursor: { epoch: string; seq: number }, options: MergeOptions = {}): Promise<void> {
  const { fresh = false, requeueAfterSeq, now = Date.now() } = options;
  const replica = TABLE_NAMES.map((t) => db.replica(t));
  await db.transaction('rw', [...replica, db.outbox, db.rejections, db.meta, db.packs], async () => {
    if (fresh) await Promise.all([...replica.map((t) => t.clear()), db.packs.clear()]);
    const selfService = (await db.device())?.profile === 'selfService';
    const waiting = await tablesWaiting(db);
    await Promise.all(TABLE_NAMES.map((t) => {
      const rows = pages.flatMap((p): unknown[] => p[t]);
      // Many rows of a packed table land packed (a self-service device keeps few: its merge trims them below).
      const packs = isPacked(t) && !selfService ? packsFor(t, rows as KioskRow<PackedTable>[], cursor.seq, waiting.has(t)) : null;
      return packs ? db.packs.bulkPut(packs) : (db.replica(t) as Table<unknown, string>).bulkPut(rows);
    }));
    if (await db.packs.count() > 0) await db.meta.put({ key: 'packs', waiting: true });
    else await db.meta.delete('packs');
    await db.meta.put({ key: 'cursor', epoch: cursor.epoch, seq: cursor.seq });
    // A self-service device keeps only what its screens show (issue 13): older entries and past orders go.
    if (selfService) await keepOnlyWhatTheScreenShows(db, pages.flatMap((p) => p.ledger.map((e) => e.accountId)), formatShanghai(now).slice(0, 10));
    let requeued = 0;
    if (requeueAfterSeq !== undefined) {
      const lost = await db.outbox.where('seq').above(requeueAfterSeq).and((r) => r.status !== 'pending').toArray();
      await db.outbox.bulkPut(lost.map((r) => ({ ...r, status: 'pending' as const, serverSeq: null })));
      await db.rejections.bulkDelete(lost.map((r) => r.id));
      requeued = lost.length;
    }
    const reflected = await db.outbox.where('status').equals('applied').and((r) => r.serverSeq !== null && r.serverSeq <= cursor.seq).modify({ status: 'reflected' });
    await db.outbox.where('status').anyOf('reflected', 'rejected').and((r) => Date.parse(r.event.at) < now - KEEP_ACKNOWLEDGED_MS).delete();
    // Events marked reflected (or pending again) are said even when the cursor stood still; a merge that changed no status keeps the views.
    if (reflected + requeued > 0) await db.outboxChanged();
  });
}
