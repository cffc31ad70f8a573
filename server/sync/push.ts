import { createHash } from 'node:crypto';
import {
  applyEvent, businessInstant, cleanText, EventBody, EVENT_KINDS, foldEffects, isSelfServiceKind, kindCheck, levelField, levelOutOfRange, missingLevelRows, profileMayPush,
  refsOf, roleMayDo, RowState, TABLE_NAMES, type ArrivingEvent, type DeviceProfile, type EventKind, type LinliEvent, type LookupView,
  type PushOutcome, type PushResponse, type RefusalReason, type Ref, type TableName, type TableRow,
} from '../../core/index.js';
import type { Db, Queryable } from '../db/db.js';
import { insertRows, type Columns, type Row } from '../db/insert.js';
import { SyncRefusal } from './refusal.js';
import { insertTableRows, loadRows, updateLevelRows, updateTableRows } from './rows.js';

/** The device a request was authenticated as. The centre always comes from here, never a payload. */
export type AuthedDevice = { id: string; centreId: string; code: string; profile: DeviceProfile | 'server' };

/**
 * Applies a device's pushed events, exactly once, in one transaction.
 *
 * The batch must be this device's, in seq order without holes. Events at or below the device's
 * `lastSeq` were seen before: the same id, seq and payload answer `duplicate` with the first
 * outcome; the same seq with another payload is a `seqConflict`, kept with both payloads for the
 * admin. The first new event must be `lastSeq + 1`, else the batch is refused as a gap and nothing
 * changes. Each new event is then checked for what makes it invalid in itself (a body this server
 * cannot read, an id the centre used already, a kind the profile or role may not do, a row it names
 * that is not the centre's, its kind's own check, a level taken out of range) and `rejected` with a
 * stored reason, or applied with the next value of the centre clock: its kind's `apply` answers
 * effects and `core/`'s one fold turns them into rows; a business rule broken on the server's
 * state is applied and recorded as an exception, never refused. Every refused event is stored and
 * uses up its seq, so nothing jams a device. This code knows effects and tables, never event kinds.
 * All writes go out as a few set-based statements, and the outcomes are answered only after the commit.
 *
 * Locks: the device row (one push per device at a time), then the centre clock (writes of a
 * centre are serialised, so change sequences become visible in order). Always in that order.
 */
export async function push(db: Db, device: AuthedDevice, events: readonly ArrivingEvent[], now: Date = new Date(), observe?: PushObserver): Promise<PushResponse> {
  checkBatchShape(device, events);
  // Read and hashed before the transaction: the centre's clock is held for the writes alone.
  const reads = events.map(read);
  const hold: { takenAt: number | null } = { takenAt: null };
  const answer = await db.transaction(async (tx) => {
    const [row] = await tx.query<{ last_seq: number; last_business_at: number | null; revoked: boolean }>(
      'SELECT last_seq, last_business_at, revoked_at IS NOT NULL AS revoked FROM device WHERE id = $1 AND centre_id = $2 FOR UPDATE', [device.id, device.centreId], { prepared: true });
    if (!row || row.revoked) throw new SyncRefusal('unauthorised', 401, 'device not found or revoked');
    const lastSeq = row.last_seq;
    const seen = reads.filter((r) => r.raw.seq <= lastSeq);
    const fresh = reads.filter((r) => r.raw.seq > lastSeq);
    if (fresh.length > 0 && fresh[0]!.raw.seq !== lastSeq + 1) {
      throw new SyncRefusal('seqGap', 409, `next seq must be ${lastSeq + 1}, got ${fresh[0]!.raw.seq}`, lastSeq);
    }
    const writes = new Writes();
    const applied = await applyFresh(tx, writes, device, fresh, { now: now.getTime(), lastBusinessAt: row.last_business_at }, () => {
      hold.takenAt = performance.now();
    });
    const outcomes = [...(await replays(tx, writes, device, seen)), ...applied.outcomes];
    const newLast = fresh.length > 0 ? fresh[fresh.length - 1]!.raw.seq : lastSeq;
    if (newLast !== lastSeq) {
      await writes.query('UPDATE device SET last_seq = $2, last_business_at = $3 WHERE id = $1', [device.id, newLast, applied.lastBusinessAt]);
    }
    // Heard by every server process on commit: the centre's other devices are told to pull now.
    await writes.send(tx, applied.changed ? { sql: `SELECT pg_notify($1, current_schema() || ' ' || $2)`, params: [POKE_CHANNEL, `${device.centreId} ${device.id}`] } : undefined);
    return { lastSeq: newLast, outcomes };
  });
  if (hold.takenAt !== null) observe?.clockHeld((performance.now() - hold.takenAt) / 1000);
  return answer;
}

/**
 * What a push tells whoever counts it (the server's metrics): how long it held its centre's
 * clock, from taking it to the commit. The centre's batches are applied one after another, so a
 * centre applies at most a batch per that time.
 */
export type PushObserver = { clockHeld(seconds: number): void };

/**
 * Keeps the writes of a batch (each a statement of its own, as insertRows and the table writes
 * make them) and sends them as one statement, each a data-modifying WITH query: a batch's writes
 * cost one round trip. They touch different rows (a row is created or updated, never both), and
 * foreign keys are checked at the end of the statement, so their order does not matter.
 */
class Writes implements Queryable {
  private readonly parts: { sql: string; params: readonly unknown[] }[] = [];

  query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    this.parts.push({ sql, params });
    return Promise.resolve([]);
  }

  /** Sends the writes kept, with `last` (a SELECT) as the statement's own query. */
  async send(tx: Queryable, last?: { sql: string; params: readonly unknown[] }): Promise<void> {
    if (this.parts.length === 0 && !last) return;
    const params: unknown[] = [];
    const renumber = (p: { sql: string; params: readonly unknown[] }) => {
      const offset = params.length;
      params.push(...p.params);
      return p.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
    };
    const ctes = this.parts.map((p, i) => `w${i} AS (${renumber(p)})`);
    const main = last ? renumber(last) : 'SELECT 1';
    await tx.query(ctes.length > 0 ? `WITH ${ctes.join(',\n')}\n${main}` : main, params);
  }
}

/** The notification channel on which a commit that changed a centre's rows names the centre. */
export const POKE_CHANNEL = 'linli_poke';

/**
 * How far a corrected event time may run ahead of the server's clock, or back behind the
 * device's previous event, before it is flagged (DESIGN.md, "Time").
 */
export const CLOCK_TOLERANCE_MS = 5 * 60_000;

function checkBatchShape(device: AuthedDevice, events: readonly ArrivingEvent[]): void {
  const ids = new Set<string>();
  events.forEach((e, i) => {
    if (e.deviceId !== device.id) throw new SyncRefusal('wrongDevice', 403, `event ${e.id} names another device`);
    if (i > 0 && e.seq !== events[i - 1]!.seq + 1) throw new SyncRefusal('malformed', 400, 'events must be in seq order without holes');
    if (ids.has(e.id)) throw new SyncRefusal('malformed', 400, `event id ${e.id} appears twice`);
    ids.add(e.id);
  });
}

/** The hash that tells a replay from a different event under the same seq: of the event as it arrived. */
export function eventHash(e: ArrivingEvent | LinliEvent): string {
  return createHash('sha256').update(canonicalJson(e)).digest('hex');
}

/**
 * JSON with every object's keys in code-unit order and undefined members left out: the same text
 * for the same event however its keys were ordered when it was sent. The hash of it is stored with
 * every event, so its output never changes (test/server/eventHash.test.ts holds it to the first form).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + ((canonicalJson(value[i]) as string | undefined) ?? '');
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  for (const key of Object.keys(record).sort()) {
    const v = record[key];
    if (v === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
}

/**
 * A copy of any JSON value that PostgreSQL can store: every string (and key) cleaned of lone
 * surrogates and NULs. What the server keeps of an event it rejected for its body.
 */
function storable(value: unknown): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (Array.isArray(value)) return value.map(storable);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [cleanText(k), storable(v)]));
  return value;
}

type StoredEvent = {
  id: string; seq: number; kind: string; version: number; payload: unknown; staff_id: string | null; at: string; payload_hash: string;
  outcome: 'applied' | 'rejected'; reason: string | null; reason_params: Record<string, string | number> | null; server_seq: number | null;
};

const reasonOf = (s: Pick<StoredEvent, 'reason' | 'reason_params'>): RefusalReason | null => (s.reason === null ? null : { key: s.reason, params: s.reason_params ?? {} });

async function replays(tx: Queryable, writes: Queryable, device: AuthedDevice, seenReads: readonly Read[]): Promise<PushOutcome[]> {
  if (seenReads.length === 0) return [];
  const seen = seenReads.map((r) => r.raw);
  const stored = new Map((await tx.query<StoredEvent>(
    `SELECT id::text AS id, seq, kind, version, payload, staff_id, at, payload_hash, outcome, reason, reason_params, server_seq
     FROM event WHERE device_id = $1 AND seq = ANY($2::int[])`,
    [device.id, seen.map((e) => e.seq)],
  )).map((s) => [s.seq, s]));
  const conflicts: Row[] = [];
  const outcomes = seen.map((e, i): PushOutcome => {
    const first = stored.get(e.seq);
    const hash = seenReads[i]!.hash;
    if (!first || first.id !== e.id || first.payload_hash !== hash) {
      if (first) {
        conflicts.push({
          centre_id: device.centreId, device_id: device.id, seq: e.seq, held_id: first.id,
          held_payload: { id: first.id, kind: first.kind, version: first.version, payload: first.payload, staffId: first.staff_id, at: first.at },
          pushed_id: cleanText(e.id), pushed_hash: hash, pushed_payload: storable({ id: e.id, kind: e.kind, version: e.version, payload: e.payload, staffId: e.staffId, at: e.at }),
        });
      }
      return { status: 'seqConflict', id: e.id, seq: e.seq };
    }
    return { status: 'duplicate', id: e.id, seq: e.seq, serverSeq: first.server_seq, first: first.outcome, reason: reasonOf(first) };
  });
  if (conflicts.length > 0) {
    // Kept once per (device, seq, payload): a kiosk asking again does not pile them up.
    await writes.query(
      `INSERT INTO seq_conflict (centre_id, device_id, seq, held_id, held_payload, pushed_id, pushed_hash, pushed_payload)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::uuid[], $5::jsonb[], $6::text[], $7::text[], $8::jsonb[])
       ON CONFLICT DO NOTHING`,
      ['centre_id', 'device_id', 'seq', 'held_id', 'held_payload', 'pushed_id', 'pushed_hash', 'pushed_payload'].map((c) =>
        conflicts.map((r) => (c.endsWith('_payload') ? JSON.stringify(r[c]) : r[c]))),
    );
  }
  return outcomes;
}

/** An arriving event read: its body checked against every kind and version, or why it could not be. */
type Read = { raw: ArrivingEvent; hash: string; event: LinliEvent | null; bodyError: RefusalReason | null };

function read(raw: ArrivingEvent): Read {
  const hash = eventHash(raw);
  const body = EventBody.safeParse({ kind: raw.kind, version: raw.version, payload: raw.payload });
  if (body.success) return { raw, hash, event: { ...raw, ...body.data } as LinliEvent, bodyError: null };
  const known = (EVENT_KINDS as readonly string[]).includes(raw.kind);
  const issue = body.error.issues[0];
  const versionIssue = known && issue?.path.length === 1 && issue.path[0] === 'version';
  return {
    raw, hash, event: null,
    bodyError: !known || versionIssue
      ? { key: 'refusedUnknownKind', params: { kind: cleanText(raw.kind), version: raw.version } }
      : { key: 'refusedInvalidEvent', params: { detail: cleanText(`${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`).slice(0, 200) } },
  };
}

/**
 * The centre's rows the batch names, by id and by the unique fields refs name (a card code), and
 * which of the batch's event ids the centre used already: one plain SELECT for the ids and one
 * per table and field, on the transaction's one connection. (Rows as plain result rows: read as
 * one json_agg per table they cost PostgreSQL twice the time, all of it with the centre's clock held.)
 * Answers a lookup view for the fold to start from, and those ids.
 */
async function loadKnown(tx: Queryable, centreId: string, events: readonly LinliEvent[], freshIds: readonly string[]): Promise<{ known: Known; taken: Set<string> }> {
  const wanted = new Map<string, Set<string>>();
  const want = (table: TableName, field: string, value: string) => {
    const key = `${table}.${field}`;
    let set = wanted.get(key);
    if (!set) wanted.set(key, (set = new Set()));
    set.add(value);
  };
  for (const e of events) {
    if (e.staffId) want('staff', 'id', e.staffId);
    for (const r of refsOf(e)) want(r.table, 'id' in r ? 'id' : r.field, 'id' in r ? r.id : r.value);
  }
  const taken = await tx.query<{ id: string }>('SELECT id::text AS id FROM event WHERE centre_id = $1 AND id = ANY($2::uuid[])', [centreId, freshIds], { prepared: true });
  const lookups: { table: TableName; field: string; rows: Record<string, unknown>[] }[] = [];
  for (const [key, values] of wanted) {
    const [table, field] = key.split('.') as [TableName, string];
    lookups.push({ table, field, rows: await loadRows(tx, centreId, table, field, [...values]) as unknown as Record<string, unknown>[] });
  }
  const byId = new Map<TableName, Map<string, Record<string, unknown>>>();
  const byField = new Map<string, Map<string, Record<string, unknown>>>();
  lookups.forEach(({ table, field, rows }) => {
    for (const row of rows) {
      let t = byId.get(table);
      if (!t) byId.set(table, (t = new Map()));
      t.set(row.id as string, row);
      if (field !== 'id') {
        let f = byField.get(`${table}.${field}`);
        if (!f) byField.set(`${table}.${field}`, (f = new Map()));
        f.set(String(row[field]), row);
      }
    }
  });
  const known: Known = {
    row: <T extends TableName>(table: T, id: string) => byId.get(table)?.get(id) as TableRow<T> | undefined,
    rowWhere: <T extends TableName>(table: T, field: string, value: string) => byField.get(`${table}.${field}`)?.get(value) as TableRow<T> | undefined,
    load: async (more) => {
      for (const table of new Set(more.map((w) => w.table))) {
        const rows = await loadRows(tx, centreId, table, 'id', more.filter((w) => w.table === table).map((w) => w.id)) as unknown as Record<string, unknown>[];
        let t = byId.get(table);
        if (!t) byId.set(table, (t = new Map()));
        for (const row of rows) t.set(row.id as string, row);
      }
    },
  };
  return { known, taken: new Set(taken.map((t) => t.id)) };
}

/** The rows a batch names, and more on demand: rows an event's effects move that its refs did not name. */
type Known = LookupView & { load(wanted: readonly { table: TableName; id: string }[]): Promise<void> };

/** Why a ref does not hold on `view`, or null. */
function refReason(view: LookupView, ref: Ref): RefusalReason | null {
  const [found, named] = 'id' in ref ? [view.row(ref.table, ref.id), ref.id] : [view.rowWhere(ref.table, ref.field, ref.value), ref.value];
  if (ref.is === 'existing' && !found) return { key: 'refusedUnknownRow', params: { table: ref.table, id: named } };
  if (ref.is === 'new' && found) return { key: 'refusedIdTaken', params: { table: ref.table, id: named } };
  return null;
}

/** Why an event is invalid in itself on this centre, or null when it may be applied. */
function invalidReason(device: AuthedDevice, view: LookupView, taken: ReadonlySet<string>, e: LinliEvent): RefusalReason | null {
  if (taken.has(e.id)) return { key: 'refusedDuplicateId', params: {} };
  const kind: EventKind = e.kind;
  if (device.profile !== 'server' && !profileMayPush(device.profile, kind)) return { key: 'refusedKind', params: { kind, profile: device.profile } };
  if (e.staffId === null) {
    if (device.profile !== 'server' && !isSelfServiceKind(kind)) return { key: 'refusedStaffRequired', params: { kind } };
  } else {
    const staff = view.row('staff', e.staffId);
    if (staff === undefined) return { key: 'refusedUnknownStaff', params: {} };
    if (!roleMayDo(staff.role, kind)) return { key: 'refusedRole', params: { role: staff.role, kind } };
  }
  for (const ref of refsOf(e)) {
    const why = refReason(view, ref);
    if (why) return why;
  }
  return kindCheck(e, view);
}

const EVENT_COLUMNS: Columns = [['id', 'uuid'], ['centre_id', 'text'], ['device_id', 'text'], ['seq', 'int'], ['kind', 'text'], ['version', 'int'], ['payload', 'jsonb'],
  ['staff_id', 'text'], ['at', 'text'], ['clock_offset', 'bigint'], ['basis', 'bigint'], ['payload_hash', 'text'], ['outcome', 'text'], ['reason', 'text'],
  ['reason_params', 'jsonb'], ['server_seq', 'bigint']];
const MOVEMENT_COLUMNS: Columns = [['id', 'text'], ['centre_id', 'text'], ['goods_id', 'text'], ['event_id', 'uuid'], ['delta', 'int'], ['change_seq', 'bigint']];

type Clocks = { now: number; lastBusinessAt: number | null };
type FreshResult = { outcomes: PushOutcome[]; changed: boolean; lastBusinessAt: number | null };

async function applyFresh(tx: Queryable, writes: Queryable, device: AuthedDevice, reads: readonly Read[], clocks: Clocks, clockTaken: () => void): Promise<FreshResult> {
  if (reads.length === 0) return { outcomes: [], changed: false, lastBusinessAt: clocks.lastBusinessAt };
  let lastBusinessAt = clocks.lastBusinessAt;
  const centreId = device.centreId;
  const [clock] = await tx.query<{ seq: number }>('SELECT seq FROM centre_clock WHERE centre_id = $1 FOR UPDATE', [centreId], { prepared: true });
  if (!clock) throw new Error(`centre ${centreId} has no clock row`);
  clockTaken();
  let serverSeq = clock.seq;
  const readable = reads.flatMap((r) => (r.event ? [r.event] : []));
  // Ids are the centre's own: another centre's events say nothing here, and nothing of them is told.
  const { known, taken } = await loadKnown(tx, centreId, readable, reads.map((r) => r.raw.id));
  const state = new RowState(known, centreId);

  const events: Row[] = [];
  const outcomes: PushOutcome[] = [];
  for (const { raw, hash, event: e, bodyError } of reads) {
    const base = {
      id: raw.id, centre_id: centreId, device_id: device.id, seq: raw.seq, kind: cleanText(raw.kind), version: raw.version, staff_id: raw.staffId,
      at: raw.at, clock_offset: raw.clockOffset, basis: raw.basis, payload_hash: hash,
    };
    let reason = bodyError ?? invalidReason(device, state, taken, e!);
    const instant = businessInstant(raw.at, raw.clockOffset);
    const at = new Date(instant).toISOString();
    let applied = reason === null ? applyEvent(state, e!, { eventId: raw.id, at: instant, staffId: raw.staffId }) : null;
    const missing = applied ? missingLevelRows(state, applied.effects) : [];
    if (missing.length > 0) {
      await known.load(missing);
      const still = missingLevelRows(state, applied!.effects)[0];
      if (still) reason = { key: 'refusedUnknownRow', params: { table: still.table, id: still.id } };
      else applied = applyEvent(state, e!, { eventId: raw.id, at: instant, staffId: raw.staffId });
    }
    const outOfRange = applied && reason === null ? levelOutOfRange(state, applied.effects) : null;
    if (outOfRange) reason = { key: 'refusedOutOfRange', params: { table: outOfRange.table, id: outOfRange.id } };
    taken.add(raw.id);
    if (reason !== null || !applied || !e) {
      const why = reason ?? { key: 'refusedInvalidEvent', params: { detail: '' } };
      events.push({ ...base, payload: storable(raw.payload ?? null), outcome: 'rejected', reason: why.key, reason_params: why.params, server_seq: null });
      outcomes.push({ status: 'rejected', id: raw.id, seq: raw.seq, reason: why });
      continue;
    }
    serverSeq += 1;
    const flagged = foldEffects(state, { eventId: e.id, kind: e.kind, at, changeSeq: serverSeq }, applied.effects, applied.exceptions).map((x) => x.kind as string);
    const clockFlag = device.profile === 'server' ? null : clockSkew(instant, clocks.now, lastBusinessAt);
    // A time flagged as ahead is known wrong: later events are not measured against it.
    if (clockFlag === null || clockFlag < 0) lastBusinessAt = Math.max(lastBusinessAt ?? instant, instant);
    const flag = (suffix: string, kind: 'clockSkew' | 'staffRevoked', subjectId: string, amount: number) => {
      state.put('exceptions', { id: `${e.id}:${suffix}`, centreId, eventId: e.id, kind, subjectId, amount, at, resolvedBy: null, resolution: null, changeSeq: serverSeq }, 'created');
      flagged.push(kind);
    };
    if (clockFlag !== null) flag('clock', 'clockSkew', device.id, clockFlag);
    // A card disabled since the kiosk last pulled: the work was done, so it is kept and flagged.
    if (e.staffId !== null && state.row('staff', e.staffId)?.active === false) flag('staff', 'staffRevoked', e.staffId, 0);
    events.push({ ...base, payload: e.payload, outcome: 'applied', reason: null, reason_params: null, server_seq: serverSeq });
    outcomes.push({ status: 'applied', id: e.id, seq: e.seq, serverSeq, exceptions: flagged });
  }

  await insertRows(writes, 'event', EVENT_COLUMNS, events);
  await insertRows(writes, 'stock_movement', MOVEMENT_COLUMNS, state.movements.map((m) => ({
    id: m.id, centre_id: centreId, goods_id: m.goodsId, event_id: m.eventId, delta: m.delta, change_seq: m.changeSeq,
  })));
  // In the order of the list: a row is written before rows that name it.
  for (const table of TABLE_NAMES.filter((t) => state.tables().includes(t))) {
    const touched = state.touched(table);
    await insertTableRows(writes, table, touched.filter((t) => t.touch === 'created').map((t) => t.row));
    // A row whose level alone moved (a balance, a stock) sends only that and its change sequence.
    const level = levelField(table);
    await updateTableRows(writes, table, centreId, touched.filter((t) => t.touch === 'patched' || (t.touch === 'level' && !level)).map((t) => t.row));
    if (level) await updateLevelRows(writes, table, level, centreId, touched.filter((t) => t.touch === 'level').map((t) => t.row));
  }
  if (serverSeq !== clock.seq) await writes.query('UPDATE centre_clock SET seq = $2 WHERE centre_id = $1', [centreId, serverSeq]);
  return { outcomes, changed: serverSeq !== clock.seq, lastBusinessAt };
}

/**
 * Minutes by which an event's corrected time is off, or null when it is plausible: ahead of the
 * server's clock (positive), or back behind the device's previous event (negative). An event
 * days old is plausible: the device was offline.
 */
function clockSkew(instant: number, now: number, lastBusinessAt: number | null): number | null {
  if (instant > now + CLOCK_TOLERANCE_MS) return Math.round((instant - now) / 60_000);
  if (lastBusinessAt !== null && instant < lastBusinessAt - CLOCK_TOLERANCE_MS) return -Math.round((lastBusinessAt - instant) / 60_000);
  return null;
}
