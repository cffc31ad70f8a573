import { LIMITS, type RuleExceptionKind } from '../entities.js';
import { missingCase } from '../missingCase.js';
import type { TableName, TableRow } from '../sync/tables.js';

/**
 * Effects: what an event does to a centre's rows, as a small closed union. Every kind's `apply`
 * answers effects; one fold (`foldEffects`) turns them into rows, for the kiosk's view of its
 * pending events, for the property tests and for the server's push. Those three know effects and
 * never event kinds.
 *
 * - `ledger`: points onto or off an account (a ledger entry, and the account's balance).
 * - `stock`: goods onto or off the shelf (a stock movement, and the goods' stock).
 * - `use`: places of a limited resource taken or given back (a sitting's places, the nap room's beds).
 * - `record`: a row written (`create`) or its state changed (`patch`): a resident registered, a
 *   booking cancelled, an exception resolved.
 *
 * The fold raises the exceptions an effect can meet on the state it lands on: a balance taken
 * below zero is an `overdraft`, a stock below zero `oversold`, places used past capacity
 * `overbooked`. Only an effect that takes away can raise one: an award that leaves an earlier
 * deficit standing does not raise it again.
 */

/** Fields of a row that an effect writes: the centre and change sequence are the fold's. */
export type RecordFields<T extends TableName> = Omit<TableRow<T>, 'centreId' | 'changeSeq'>;

/** A row written or changed. */
export type RecordEffect = {
  [T in TableName]:
    | { type: 'record'; table: T; create: RecordFields<T> }
    | { type: 'record'; table: T; id: string; patch: Partial<Omit<RecordFields<T>, 'id'>> };
}[TableName];

export type Effect =
  | { type: 'ledger'; accountId: string; delta: number; memo: string; category: string | null; ruleId?: string }
  | { type: 'stock'; goodsId: string; delta: number }
  | UseEffect
  | RecordEffect;

/**
 * Places of a limited resource taken (or given back). A counter that comes into being with its
 * first use (a resident's points under a rule's cap this day) says so with `create`, with the cap
 * the use was decided under: a tally whose capacity differs (the admin changed the rule's cap
 * since) takes it, so the use is measured against that cap. A cap is flagged `capExceeded` rather
 * than `overbooked`.
 */
export type UseEffect = { type: 'use'; resourceId: string; amount: number; create?: { capacity: number }; raises?: Extract<RuleExceptionKind, 'overbooked' | 'capExceeded'> };

/** The levels effects move: which table and field each level effect changes, and the exception it can raise. */
export const LEVELS = {
  ledger: { table: 'accounts', field: 'balance', raises: 'overdraft', limit: LIMITS.balance },
  stock: { table: 'goods', field: 'stock', raises: 'oversold', limit: LIMITS.stock },
  use: { table: 'resources', field: 'used', raises: 'overbooked', limit: LIMITS.places },
} as const satisfies Record<Exclude<Effect['type'], 'record'>, { table: TableName; field: string; raises: RuleExceptionKind; limit: number }>;

/** The field of `table` that level effects move (an account's balance), or null for a table without a level. */
export function levelField(table: TableName): string | null {
  return Object.values(LEVELS).find((l) => l.table === table)?.field ?? null;
}

/** A read-only view of a centre's rows: the replica, the server's rows, or either with events laid over. */
export type StateView = {
  row<T extends TableName>(table: T, id: string): TableRow<T> | undefined;
};

/** A view that can also find a row by a unique field (a card code), for the rows an event's refs loaded. */
export type LookupView = StateView & {
  rowWhere<T extends TableName>(table: T, field: string, value: string): TableRow<T> | undefined;
};

/** A balance as a view shows it; an unknown account reads as 0. */
export const balanceOf = (view: StateView, accountId: string): number => view.row('accounts', accountId)?.balance ?? 0;
/** A stock as a view shows it; unknown goods read as 0. */
export const stockOf = (view: StateView, goodsId: string): number => view.row('goods', goodsId)?.stock ?? 0;
/** Places left of a resource as a view shows it (capacity − used), or null for an unknown one. */
export const placesLeft = (view: StateView, resourceId: string): number | null => {
  const r = view.row('resources', resourceId);
  return r ? r.capacity - r.used : null;
};

/** How a row was touched by the fold. */
export type Touch = 'created' | 'patched' | 'level';

/** A created row stays created when it is patched or its level moves; a patched row stays patched. */
const TOUCH_RANK: Record<Touch, number> = { level: 0, patched: 1, created: 2 };

/** A stock movement: kept on the server only, for the stock's history. */
export type StockMovement = { id: string; goodsId: string; eventId: string; delta: number; changeSeq: number };

/**
 * A centre's rows with events folded over a base view. Rows the fold wrote are kept here; the
 * base is never changed. `touched` says which rows changed and how, for the server's writes and
 * the kiosk's lists (a resident registered offline shows in a search before it is synced).
 */
export class RowState implements LookupView {
  private readonly rows = new Map<TableName, Map<string, { row: Record<string, unknown>; touch: Touch }>>();
  readonly movements: StockMovement[] = [];

  constructor(private readonly base: StateView, readonly centreId: string) {}

  row<T extends TableName>(table: T, id: string): TableRow<T> | undefined {
    const own = this.rows.get(table)?.get(id);
    return own ? (own.row as TableRow<T>) : this.base.row(table, id);
  }

  rowWhere<T extends TableName>(table: T, field: string, value: string): TableRow<T> | undefined {
    const own = this.rows.get(table);
    for (const { row } of own?.values() ?? []) if (row[field] === value) return row as TableRow<T>;
    const found = (this.base as Partial<LookupView>).rowWhere?.(table, field, value);
    // A base row the fold has changed since is answered above, or no longer matches.
    return found && !own?.has((found as { id: string }).id) ? found : undefined;
  }

  /** The rows of `table` the fold wrote, with how each was touched. */
  touched<T extends TableName>(table: T): { row: TableRow<T>; touch: Touch }[] {
    return [...(this.rows.get(table)?.values() ?? [])] as { row: TableRow<T>; touch: Touch }[];
  }

  /** Tables the fold wrote rows of. */
  tables(): TableName[] {
    return [...this.rows.keys()];
  }

  /**
   * A state of its own that starts where this one stands, over the same base: what is folded into
   * it leaves this one as it was (rows are never changed in place: `put` replaces them).
   */
  fork(): RowState {
    const copy = new RowState(this.base, this.centreId);
    for (const [table, rows] of this.rows) copy.rows.set(table, new Map(rows));
    copy.movements.push(...this.movements);
    return copy;
  }

  /** Writes a row; a row once created or patched stays so when a level moves it later. */
  put(table: TableName, row: Record<string, unknown> & { id: string }, touch: Touch): void {
    let t = this.rows.get(table);
    if (!t) this.rows.set(table, (t = new Map()));
    const prev = t.get(row.id)?.touch;
    t.set(row.id, { row, touch: prev !== undefined && TOUCH_RANK[prev] > TOUCH_RANK[touch] ? prev : touch });
  }
}

/** What the fold needs of the event it folds. */
export type FoldContext = {
  eventId: string;
  kind: string;
  /** Business time (server clock), ISO. */
  at: string;
  /** The server change sequence of the event; on a kiosk, `PENDING_SEQ` for what is not synced. */
  changeSeq: number;
};

/** The change sequence the kiosk gives rows its pending events wrote: after every synced row. */
export const PENDING_SEQ = Number.MAX_SAFE_INTEGER;

/** An exception the fold or a kind raised, before it becomes a row. */
export type RaisedException = { kind: RuleExceptionKind; subjectId: string; amount: number };

/** A level an effect would take past its bound (see `LIMITS`): the event is invalid in itself. */
export type OutOfRange = { table: TableName; id: string; level: number };

/**
 * Checks the levels `effects` would reach on `view` without changing anything: the first that
 * would pass its bound, or null.
 */
export function levelOutOfRange(view: StateView, effects: readonly Effect[]): OutOfRange | null {
  const reached = new Map<string, number>();
  for (const fx of effects) {
    if (fx.type === 'record') continue;
    const spec = LEVELS[fx.type];
    const id = levelSubject(fx);
    const key = `${spec.table}:${id}`;
    const row = view.row(spec.table, id) as Record<string, unknown> | undefined;
    const level = (reached.get(key) ?? Number(row?.[spec.field] ?? 0)) + levelDelta(fx);
    reached.set(key, level);
    if (Math.abs(level) > spec.limit) return { table: spec.table, id, level };
  }
  return null;
}

const levelSubject = (fx: Exclude<Effect, RecordEffect>): string =>
  fx.type === 'ledger' ? fx.accountId : fx.type === 'stock' ? fx.goodsId : fx.resourceId;
const levelDelta = (fx: Exclude<Effect, RecordEffect>): number => (fx.type === 'use' ? fx.amount : fx.delta);

/**
 * Folds one event's effects into `state`, in order, and answers the exceptions they raise.
 * Ledger entries get the ids `<event id>:<effect index>` and exceptions `<event id>:x<n>`, on the
 * kiosk and the server alike. A level effect on a row the state does not hold changes nothing
 * (the server has refused such an event before; a kiosk simply has nothing to show).
 */
export function foldEffects(state: RowState, ctx: FoldContext, effects: readonly Effect[], raised: readonly RaisedException[] = []): RaisedException[] {
  const seq = ctx.changeSeq;
  const centreId = state.centreId;
  // Per subject: whether the event took away from it, and where it ended.
  const ends = new Map<string, { kind: RuleExceptionKind; subjectId: string; took: boolean; level: number; limit: number | null }>();
  effects.forEach((fx, i) => {
    switch (fx.type) {
      case 'ledger':
      case 'stock':
      case 'use': {
        const spec = LEVELS[fx.type];
        const id = levelSubject(fx);
        const delta = levelDelta(fx);
        if (fx.type === 'ledger') {
          state.put('ledger', {
            id: `${ctx.eventId}:${i}`, centreId, accountId: fx.accountId, eventId: ctx.eventId, delta, kind: ctx.kind, memo: fx.memo, category: fx.category,
            at: ctx.at, reversedBy: null, ruleId: fx.ruleId ?? null, changeSeq: seq,
          }, 'created');
        }
        if (fx.type === 'stock') state.movements.push({ id: `${ctx.eventId}:${i}`, goodsId: id, eventId: ctx.eventId, delta, changeSeq: seq });
        let row = state.row(spec.table, id) as (Record<string, unknown> & { id: string }) | undefined;
        if (!row && fx.type === 'use' && fx.create) {
          row = { id, centreId, capacity: fx.create.capacity, used: 0, changeSeq: seq };
          state.put('resources', row, 'created');
        } else if (row && fx.type === 'use' && fx.create && row.capacity !== fx.create.capacity) {
          // A cap the admin changed since the tally began: each use is measured against the cap it was decided under.
          row = { ...row, capacity: fx.create.capacity, changeSeq: seq };
          state.put('resources', row, 'patched');
        }
        if (!row) return;
        const level = Number(row[spec.field]) + delta;
        state.put(spec.table, { ...row, [spec.field]: level, changeSeq: seq }, 'level');
        const key = `${spec.table}:${id}`;
        const prev = ends.get(key);
        const capacity = fx.type === 'use' ? (row as unknown as TableRow<'resources'>).capacity : null;
        const kind = fx.type === 'use' ? (fx.raises ?? spec.raises) : spec.raises;
        ends.set(key, { kind, subjectId: id, took: (prev?.took ?? false) || (fx.type === 'use' ? delta > 0 : delta < 0), level, limit: capacity });
        return;
      }
      case 'record': {
        if ('create' in fx) {
          state.put(fx.table, { ...fx.create, centreId, changeSeq: seq }, 'created');
        } else {
          const row = state.row(fx.table, fx.id);
          if (row) state.put(fx.table, { ...row, ...fx.patch, changeSeq: seq }, 'patched');
        }
        return;
      }
      default:
        return missingCase(fx);
    }
  });
  const exceptions: RaisedException[] = [...raised];
  for (const end of ends.values()) {
    if (!end.took) continue;
    // A balance or a stock below zero; places used past capacity (amount: places left, below zero).
    if (end.limit === null ? end.level < 0 : end.level > end.limit) {
      exceptions.push({ kind: end.kind, subjectId: end.subjectId, amount: end.limit === null ? end.level : end.limit - end.level });
    }
  }
  exceptions.forEach((x, n) => {
    state.put('exceptions', {
      id: `${ctx.eventId}:x${n}`, centreId, eventId: ctx.eventId, kind: x.kind, subjectId: x.subjectId, amount: x.amount, at: ctx.at,
      resolvedBy: null, resolution: null, changeSeq: seq,
    }, 'created');
  });
  return exceptions;
}

/** A view over plain rows by table (tests, benchmarks): an unknown id reads as absent. */
export function rowsView(rows: { [T in TableName]?: readonly TableRow<T>[] }): StateView {
  const byTable = new Map<string, Map<string, unknown>>();
  for (const [table, list] of Object.entries(rows)) byTable.set(table, new Map((list as readonly { id: string }[]).map((r) => [r.id, r])));
  return { row: <T extends TableName>(table: T, id: string) => byTable.get(table)?.get(id) as TableRow<T> | undefined };
}

/**
 * The rows level effects would move that `view` does not hold (and that a `use` would not
 * create): a kind may name in its refs only the rows its payload names, while its effects move
 * rows those name (a reversal moves the account its redemption named). Whoever folds loads these
 * first, so a ledger entry is never written without its balance moving.
 */
export function missingLevelRows(view: StateView, effects: readonly Effect[]): { table: TableName; id: string }[] {
  const missing: { table: TableName; id: string }[] = [];
  const created = new Set<string>();
  for (const fx of effects) {
    if (fx.type === 'record') {
      if ('create' in fx) created.add(`${fx.table}:${fx.create.id}`);
      continue;
    }
    if (fx.type === 'use' && fx.create) continue;
    const table = LEVELS[fx.type].table;
    const id = levelSubject(fx);
    if (!view.row(table, id) && !created.has(`${table}:${id}`) && !missing.some((m) => m.table === table && m.id === id)) missing.push({ table, id });
  }
  return missing;
}
