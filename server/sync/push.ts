import { createHash } from 'node:crypto';
import {
  apply, businessInstant, missingCase, profileMayPush, referencedIds, roleMayDo, SELF_SERVICE_KINDS,
  type DeviceProfile, type Effect, type LinliEvent, type PushOutcome, type PushResponse, type RuleException, type StaffRole,
} from '../../core/index.js';
import type { Db, Queryable } from '../db/db.js';
import { insertRows, type Columns, type Row } from '../db/insert.js';
import { SyncRefusal } from './refusal.js';

/** The device a request was authenticated as. The centre always comes from here, never a payload. */
export type AuthedDevice = { id: string; centreId: string; code: string; profile: DeviceProfile | 'server' };

/**
 * Applies a device's pushed events, exactly once, in one transaction.
 *
 * The batch must be this device's, in seq order without holes. Events at or below the device's
 * `lastSeq` were seen before: the same id, seq and payload answer `duplicate` with the first
 * outcome; the same seq with another payload is a `seqConflict`. The first new event must be
 * `lastSeq + 1`, else the batch is refused as a gap and nothing changes. Each new event is then
 * checked for what makes it invalid in itself (kind not allowed, an entity not of this centre,
 * a reused id) and `rejected` with a stored reason, or applied through `core/`'s `apply` with the
 * next value of the centre clock; a business rule broken on the server's state is applied and
 * recorded as an exception, never refused. All writes go out as a few set-based statements and
 * the outcomes are answered only after the commit.
 *
 * Locks: the device row (one push per device at a time), then the centre clock (writes of a
 * centre are serialised, so change sequences become visible in order). Always in that order.
 */
export async function push(db: Db, device: AuthedDevice, events: readonly LinliEvent[], now: Date = new Date()): Promise<PushResponse> {
  checkBatchShape(device, events);
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ last_seq: number; last_business_at: number | null; revoked: boolean }>(
      'SELECT last_seq, last_business_at, revoked_at IS NOT NULL AS revoked FROM device WHERE id = $1 AND centre_id = $2 FOR UPDATE', [device.id, device.centreId]);
    if (!row || row.revoked) throw new SyncRefusal('unauthorised', 401, 'device not found or revoked');
    const lastSeq = row.last_seq;
    const seen = events.filter((e) => e.seq <= lastSeq);
    const fresh = events.filter((e) => e.seq > lastSeq);
    if (fresh.length > 0 && fresh[0]!.seq !== lastSeq + 1) {
      throw new SyncRefusal('seqGap', 409, `next seq must be ${lastSeq + 1}, got ${fresh[0]!.seq}`, lastSeq);
    }
    const applied = await applyFresh(tx, device, fresh, { now: now.getTime(), lastBusinessAt: row.last_business_at });
    const outcomes = [...(await replays(tx, device, seen)), ...applied.outcomes];
    const newLast = fresh.length > 0 ? fresh[fresh.length - 1]!.seq : lastSeq;
    if (newLast !== lastSeq) {
      await tx.query('UPDATE device SET last_seq = $2, last_business_at = $3 WHERE id = $1', [device.id, newLast, applied.lastBusinessAt]);
    }
    // Heard by every server process on commit: the centre's other devices are told to pull now.
    if (applied.changed) await tx.query('SELECT pg_notify($1, $2)', [POKE_CHANNEL, `${device.centreId} ${device.id}`]);
    return { lastSeq: newLast, outcomes };
  });
}

/** The notification channel on which a commit that changed a centre's rows names the centre. */
export const POKE_CHANNEL = 'linli_poke';

/**
 * How far a corrected event time may run ahead of the server's clock, or back behind the
 * device's previous event, before it is flagged (DESIGN.md, "Time").
 */
export const CLOCK_TOLERANCE_MS = 5 * 60_000;

function checkBatchShape(device: AuthedDevice, events: readonly LinliEvent[]): void {
  const ids = new Set<string>();
  events.forEach((e, i) => {
    if (e.deviceId !== device.id) throw new SyncRefusal('wrongDevice', 403, `event ${e.id} names another device`);
    if (i > 0 && e.seq !== events[i - 1]!.seq + 1) throw new SyncRefusal('malformed', 400, 'events must be in seq order without holes');
    if (ids.has(e.id)) throw new SyncRefusal('malformed', 400, `event id ${e.id} appears twice`);
    ids.add(e.id);
  });
}

/** The hash that tells a replay from a different event under the same seq. */
export function eventHash(e: LinliEvent): string {
  return createHash('sha256').update(canonicalJson(e)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

type StoredEvent = { id: string; seq: number; payload_hash: string; outcome: 'applied' | 'rejected'; reason: string | null; server_seq: number | null };

async function replays(tx: Queryable, device: AuthedDevice, seen: readonly LinliEvent[]): Promise<PushOutcome[]> {
  if (seen.length === 0) return [];
  const stored = new Map((await tx.query<StoredEvent>(
    'SELECT id::text AS id, seq, payload_hash, outcome, reason, server_seq FROM event WHERE device_id = $1 AND seq = ANY($2::int[])',
    [device.id, seen.map((e) => e.seq)],
  )).map((s) => [s.seq, s]));
  return seen.map((e): PushOutcome => {
    const first = stored.get(e.seq);
    if (!first || first.id !== e.id || first.payload_hash !== eventHash(e)) return { status: 'seqConflict', id: e.id, seq: e.seq };
    return { status: 'duplicate', id: e.id, seq: e.seq, serverSeq: first.server_seq, first: first.outcome, reason: first.reason };
  });
}

/** What the centre's rows look like while a batch is applied. */
type Known = {
  balances: Map<string, number>;
  stocks: Map<string, number>;
  residentAccounts: Map<string, string>;
  staff: Map<string, { role: StaffRole; active: boolean }>;
  takenIds: Set<string>;
  /** Exceptions named by resolutions: their kind, subject and whether one is resolved already. */
  exceptions: Map<string, { kind: string; subjectId: string; resolved: boolean }>;
};

async function loadKnown(tx: Queryable, centreId: string, events: readonly LinliEvent[]): Promise<Known> {
  const accountIds = new Set<string>();
  const residentIds = new Set<string>();
  const goodsIds = new Set<string>();
  const staffIds = new Set<string>();
  const exceptionIds = new Set<string>();
  for (const e of events) {
    if (e.staffId) staffIds.add(e.staffId);
    if (e.kind === 'exceptionResolved') exceptionIds.add(e.payload.exceptionId);
    const refs = referencedIds(e);
    for (const id of refs.accountIds) accountIds.add(id);
    for (const id of refs.residentIds) residentIds.add(id);
    for (const id of refs.goodsIds) goodsIds.add(id);
  }
  // One statement at a time: a transaction has one connection, and nothing is asked for nothing.
  const rowsOf = async <T>(sql: string, ids: Set<string>): Promise<T[]> => (ids.size === 0 ? [] : tx.query<T>(sql, [centreId, [...ids]]));
  const accounts = await rowsOf<{ id: string; balance: number }>('SELECT id, balance FROM account WHERE centre_id = $1 AND id = ANY($2::text[])', accountIds);
  const residents = await rowsOf<{ id: string; account_id: string }>('SELECT id, account_id FROM resident WHERE centre_id = $1 AND id = ANY($2::text[])', residentIds);
  const goods = await rowsOf<{ id: string; stock: number }>('SELECT id, stock FROM goods WHERE centre_id = $1 AND id = ANY($2::text[])', goodsIds);
  const staff = await rowsOf<{ id: string; role: StaffRole; active: boolean }>('SELECT id, role, active FROM staff WHERE centre_id = $1 AND id = ANY($2::text[])', staffIds);
  const exceptions = await rowsOf<{ id: string; kind: string; subject_id: string; resolved: boolean }>(
    'SELECT id, kind, subject_id, resolved_by IS NOT NULL AS resolved FROM rule_exception WHERE centre_id = $1 AND id = ANY($2::text[])', exceptionIds);
  const taken = await tx.query<{ id: string }>('SELECT id::text AS id FROM event WHERE id = ANY($1::uuid[])', [events.map((e) => e.id)]);
  return {
    balances: new Map(accounts.map((a) => [a.id, a.balance])),
    stocks: new Map(goods.map((g) => [g.id, g.stock])),
    residentAccounts: new Map(residents.map((r) => [r.id, r.account_id])),
    staff: new Map(staff.map((s) => [s.id, { role: s.role, active: s.active }])),
    takenIds: new Set(taken.map((t) => t.id)),
    exceptions: new Map(exceptions.map((x) => [x.id, { kind: x.kind, subjectId: x.subject_id, resolved: x.resolved }])),
  };
}

/** Why an event is invalid in itself on this centre, or null when it may be applied. */
function invalidReason(device: AuthedDevice, known: Known, e: LinliEvent): string | null {
  if (known.takenIds.has(e.id)) return 'duplicateId: the event id was used by another event';
  if (device.profile !== 'server' && !profileMayPush(device.profile, e.kind)) return `kindNotAllowed: a ${device.profile} device may not push ${e.kind}`;
  if (e.staffId === null) {
    if (device.profile !== 'server' && !SELF_SERVICE_KINDS.includes(e.kind)) return `staffRequired: ${e.kind} must name the staff member who did it`;
  } else {
    const staff = known.staff.get(e.staffId);
    if (staff === undefined) return `unknownStaff: ${e.staffId} is not staff of this centre`;
    if (!roleMayDo(staff.role, e.kind)) return `roleForbidden: a ${staff.role} may not do ${e.kind}`;
  }
  const account = (id: string) => (known.balances.has(id) ? null : `unknownAccount: ${id}`);
  const goods = (id: string) => (known.stocks.has(id) ? null : `unknownGoods: ${id}`);
  switch (e.kind) {
    case 'pointsAwarded':
      return account(e.payload.accountId);
    case 'goodsRedeemed': {
      const p = e.payload;
      const holder = known.residentAccounts.get(p.residentId);
      if (holder === undefined) return `unknownResident: ${p.residentId}`;
      if (holder !== p.accountId) return `accountMismatch: account ${p.accountId} is not resident ${p.residentId}'s`;
      return account(p.accountId) ?? p.lines.map((l) => goods(l.goodsId)).find((r) => r !== null) ?? null;
    }
    case 'stockReceived':
      return goods(e.payload.goodsId);
    case 'exceptionResolved': {
      const p = e.payload;
      const x = known.exceptions.get(p.exceptionId);
      if (!x) return `unknownException: ${p.exceptionId}`;
      // Two kiosks resolving the same exception offline: the second would compensate twice.
      if (x.resolved) return `alreadyResolved: exception ${p.exceptionId} was resolved by an earlier event`;
      const expectedAccount = x.kind === 'overdraft' ? x.subjectId : null;
      const expectedGoods = x.kind === 'oversold' ? x.subjectId : null;
      if (p.accountId !== expectedAccount || p.goodsId !== expectedGoods) return `exceptionMismatch: the resolution names other accounts or goods than exception ${p.exceptionId}`;
      return (p.accountId ? account(p.accountId) : null) ?? (p.goodsId ? goods(p.goodsId) : null);
    }
    default:
      return missingCase(e);
  }
}

const EVENT_COLUMNS: Columns = [['id', 'uuid'], ['centre_id', 'text'], ['device_id', 'text'], ['seq', 'int'], ['kind', 'text'], ['version', 'int'], ['payload', 'jsonb'],
  ['staff_id', 'text'], ['at', 'text'], ['clock_offset', 'bigint'], ['basis', 'bigint'], ['payload_hash', 'text'], ['outcome', 'text'], ['reason', 'text'], ['server_seq', 'bigint']];
const LEDGER_COLUMNS: Columns = [['id', 'text'], ['centre_id', 'text'], ['account_id', 'text'], ['event_id', 'uuid'], ['delta', 'bigint'], ['kind', 'text'], ['at', 'text'], ['change_seq', 'bigint']];
const MOVEMENT_COLUMNS: Columns = [['id', 'text'], ['centre_id', 'text'], ['goods_id', 'text'], ['event_id', 'uuid'], ['delta', 'int'], ['change_seq', 'bigint']];
const EXCEPTION_COLUMNS: Columns = [['id', 'text'], ['centre_id', 'text'], ['event_id', 'uuid'], ['kind', 'text'], ['subject_id', 'text'], ['amount', 'bigint'], ['at', 'text'], ['change_seq', 'bigint']];

/**
 * Sets the balance of accounts (or the stock of goods) to the levels reached, each with the
 * change sequence of the last event that touched it.
 */
async function setLevels(tx: Queryable, table: 'account' | 'goods', column: 'balance' | 'stock', centreId: string, touched: ReadonlyMap<string, number>, levels: ReadonlyMap<string, number>): Promise<void> {
  if (touched.size === 0) return;
  const ids = [...touched.keys()];
  await tx.query(
    `UPDATE ${table} t SET ${column} = x.level, change_seq = x.change_seq
     FROM unnest($2::text[], $3::bigint[], $4::bigint[]) AS x(id, level, change_seq)
     WHERE t.id = x.id AND t.centre_id = $1`,
    [centreId, ids, ids.map((id) => levels.get(id)), ids.map((id) => touched.get(id))],
  );
}

type EventRow = {
  id: string; centre_id: string; device_id: string; seq: number; kind: string; version: number; payload: unknown;
  staff_id: string | null; at: string; clock_offset: number; basis: number; payload_hash: string;
  outcome: 'applied' | 'rejected'; reason: string | null; server_seq: number | null;
};

type Clocks = { now: number; lastBusinessAt: number | null };
type FreshResult = { outcomes: PushOutcome[]; changed: boolean; lastBusinessAt: number | null };

async function applyFresh(tx: Queryable, device: AuthedDevice, fresh: readonly LinliEvent[], clocks: Clocks): Promise<FreshResult> {
  if (fresh.length === 0) return { outcomes: [], changed: false, lastBusinessAt: clocks.lastBusinessAt };
  let lastBusinessAt = clocks.lastBusinessAt;
  const centreId = device.centreId;
  const [clock] = await tx.query<{ seq: number }>('SELECT seq FROM centre_clock WHERE centre_id = $1 FOR UPDATE', [centreId]);
  if (!clock) throw new Error(`centre ${centreId} has no clock row`);
  let serverSeq = clock.seq;
  const known = await loadKnown(tx, centreId, fresh);
  const view = { balance: (id: string) => known.balances.get(id) ?? 0, stock: (id: string) => known.stocks.get(id) ?? 0 };

  const events: EventRow[] = [];
  const ledger: Row[] = [];
  const movements: Row[] = [];
  const exceptions: Row[] = [];
  const touchedAccounts = new Map<string, number>();
  const touchedGoods = new Map<string, number>();
  const outcomes: PushOutcome[] = [];
  const resolved: Row[] = [];

  for (const e of fresh) {
    const base = {
      id: e.id, centre_id: centreId, device_id: device.id, seq: e.seq, kind: e.kind, version: e.version, payload: e.payload,
      staff_id: e.staffId, at: e.at, clock_offset: e.clockOffset, basis: e.basis, payload_hash: eventHash(e),
    };
    const reason = invalidReason(device, known, e);
    known.takenIds.add(e.id);
    if (reason !== null) {
      events.push({ ...base, outcome: 'rejected', reason, server_seq: null });
      outcomes.push({ status: 'rejected', id: e.id, seq: e.seq, reason });
      continue;
    }
    serverSeq += 1;
    const result = apply(view, e);
    const instant = businessInstant(e.at, e.clockOffset);
    const at = new Date(instant).toISOString();
    const clockFlag = device.profile === 'server' ? null : clockSkew(instant, clocks.now, lastBusinessAt);
    // A time flagged as ahead is known wrong: later events are not measured against it.
    if (clockFlag === null || clockFlag < 0) lastBusinessAt = Math.max(lastBusinessAt ?? instant, instant);
    result.effects.forEach((fx: Effect, i) => {
      if (fx.type === 'ledger') {
        known.balances.set(fx.accountId, view.balance(fx.accountId) + fx.delta);
        touchedAccounts.set(fx.accountId, serverSeq);
        ledger.push({ id: `${e.id}:${i}`, centre_id: centreId, account_id: fx.accountId, event_id: e.id, delta: fx.delta, kind: e.kind, at, change_seq: serverSeq });
      } else {
        known.stocks.set(fx.goodsId, view.stock(fx.goodsId) + fx.delta);
        touchedGoods.set(fx.goodsId, serverSeq);
        movements.push({ id: `${e.id}:${i}`, centre_id: centreId, goods_id: fx.goodsId, event_id: e.id, delta: fx.delta, change_seq: serverSeq });
      }
    });
    result.exceptions.forEach((x: RuleException, i) => {
      const [subject, amount] = x.kind === 'overdraft' ? [x.accountId, x.balanceAfter] : [x.goodsId, x.stockAfter];
      exceptions.push({ id: `${e.id}:x${i}`, centre_id: centreId, event_id: e.id, kind: x.kind, subject_id: subject, amount, at, change_seq: serverSeq });
    });
    if (clockFlag !== null) {
      exceptions.push({ id: `${e.id}:clock`, centre_id: centreId, event_id: e.id, kind: 'clockSkew', subject_id: device.id, amount: clockFlag, at, change_seq: serverSeq });
    }
    // A card disabled since the kiosk last pulled: the work was done, so it is kept and flagged.
    const revokedStaff = e.staffId !== null && known.staff.get(e.staffId)?.active === false ? e.staffId : null;
    if (revokedStaff !== null) {
      exceptions.push({ id: `${e.id}:staff`, centre_id: centreId, event_id: e.id, kind: 'staffRevoked', subject_id: revokedStaff, amount: 0, at, change_seq: serverSeq });
    }
    if (e.kind === 'exceptionResolved') {
      known.exceptions.get(e.payload.exceptionId)!.resolved = true;
      resolved.push({ id: e.payload.exceptionId, resolved_by: e.id, resolution: e.payload.resolution, change_seq: serverSeq });
    }
    events.push({ ...base, outcome: 'applied', reason: null, server_seq: serverSeq });
    const flagged = [...result.exceptions.map((x) => x.kind), ...(clockFlag !== null ? ['clockSkew'] : []), ...(revokedStaff !== null ? ['staffRevoked'] : [])];
    outcomes.push({ status: 'applied', id: e.id, seq: e.seq, serverSeq, exceptions: flagged });
  }

  await insertRows(tx, 'event', EVENT_COLUMNS, events);
  await insertRows(tx, 'ledger_entry', LEDGER_COLUMNS, ledger);
  await insertRows(tx, 'stock_movement', MOVEMENT_COLUMNS, movements);
  await insertRows(tx, 'rule_exception', EXCEPTION_COLUMNS, exceptions);
  await setLevels(tx, 'account', 'balance', centreId, touchedAccounts, known.balances);
  await setLevels(tx, 'goods', 'stock', centreId, touchedGoods, known.stocks);
  if (resolved.length > 0) {
    await tx.query(
      `UPDATE rule_exception x SET resolved_by = r.resolved_by, resolution = r.resolution, change_seq = r.change_seq
       FROM unnest($2::text[], $3::uuid[], $4::text[], $5::bigint[]) AS r(id, resolved_by, resolution, change_seq)
       WHERE x.id = r.id AND x.centre_id = $1`,
      [centreId, resolved.map((r) => r.id), resolved.map((r) => r.resolved_by), resolved.map((r) => r.resolution), resolved.map((r) => r.change_seq)],
    );
  }
  if (serverSeq !== clock.seq) await tx.query('UPDATE centre_clock SET seq = $2 WHERE centre_id = $1', [centreId, serverSeq]);
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
