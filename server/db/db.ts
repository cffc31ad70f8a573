import { createHash } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { findHost, hostLost, hostsOf, type Hosts } from './hosts.js';

/**
 * The one small database interface the server uses, over PGlite (embedded, the default) or a
 * real PostgreSQL (when `DATABASE_URL` is set). SQL is plain PostgreSQL and runs on both.
 * bigint columns come back as JS numbers (change sequences stay far below 2^53).
 */
export type Queryable = {
  /**
   * `prepared`: a statement asked again and again with the same text (a pull page), prepared once
   * per connection, so that PostgreSQL plans it once rather than at every call (a pull page of
   * twenty tables took three times as long to plan as to run). PGlite runs it as any other.
   */
  query<T>(sql: string, params?: readonly unknown[], options?: { prepared?: boolean }): Promise<T[]>;
  /** The database queries run on, where it changes how best to ask (a transaction says it too). */
  readonly kind?: 'pglite' | 'postgres';
};

export type Db = Queryable & {
  readonly kind: 'pglite' | 'postgres';
  /** PGlite only: the whole data directory as a tarball (tests start new databases from one). */
  dumpDataDir?(): Promise<Blob>;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Hears `NOTIFY`s on the channels, from this process and every other one on the same database,
   * over one connection, so they arrive in the order they were committed. `onState(false)` says
   * the connection was lost: notifications may be missed until `onState(true)` says it is back
   * (called once listening has begun). Answers the function that stops listening.
   */
  listen(channels: readonly string[], onNotify: (channel: string, payload: string) => void, onState?: (up: boolean) => void): Promise<() => Promise<void>>;
  /**
   * PostgreSQL with several hosts only: the host in use answered as a replica (a primary demoted in
   * a failover and back), so the pool moves to the host that takes writes now.
   */
  seekPrimary?(): void;
  /** PostgreSQL only: the pool's connections now (for the metrics). */
  poolUse?(): PoolUse;
  close(): Promise<void>;
};

/** How a pool's connections are used: open, idle, requests waiting for one, and the most it opens. */
export type PoolUse = { total: number; idle: number; waiting: number; max: number };

const INT8 = 20;
const NUMERIC = 1700;

/**
 * Opens PGlite with its data in `dataDir` (or in memory when it is undefined), starting from a
 * data directory dumped before when `loadDataDir` is given.
 */
export async function openPglite(dataDir?: string, loadDataDir?: Blob): Promise<Db> {
  // The options as the only argument: with a data directory of undefined as the first, PGlite
  // ignores `loadDataDir` and starts an empty cluster.
  const lite = new PGlite({ ...(dataDir !== undefined ? { dataDir } : {}), parsers: { [INT8]: Number, [NUMERIC]: Number }, ...(loadDataDir ? { loadDataDir } : {}) });
  await lite.waitReady;
  const q = (runner: Pick<PGlite, 'query'>) => async <T>(sql: string, params?: readonly unknown[]) =>
    (await runner.query<T>(sql, params ? [...params] : undefined)).rows;
  return {
    kind: 'pglite',
    query: q(lite),
    transaction: (fn) => lite.transaction((tx) => fn({ kind: 'pglite', query: q(tx) })),
    exec: async (sql) => {
      await lite.exec(sql);
    },
    listen: async (channels, onNotify, onState) => {
      const own = ownNotices(await schemaOf({ query: q(lite) }), onNotify);
      const stops = await Promise.all(channels.map((channel) => lite.listen(channel, (payload) => own(channel, payload))));
      onState?.(true);
      return async () => {
        for (const stop of stops) await stop();
      };
    },
    close: () => lite.close(),
    dumpDataDir: async () => lite.dumpDataDir('none'),
  };
}

/**
 * Opens a pool on a real PostgreSQL. A connection string naming several hosts with
 * `target_session_attrs=read-write` (a primary and its replicas) opens the pool on the host that
 * takes writes; when a query finds that host gone or read-only (a failover), the query fails (the
 * kiosk asks again) and the pool moves to the host that takes writes now.
 */
export async function openPostgres(url: string, max = 10): Promise<Db> {
  const hosts = hostsOf(url);
  const types = { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === INT8 || oid === NUMERIC ? Number : pg.types.getTypeParser(oid, format)) };
  const q = (runner: pg.Pool | pg.PoolClient) => async <T>(sql: string, params?: readonly unknown[], options?: { prepared?: boolean }) =>
    (await runner.query<T & pg.QueryResultRow>({ text: sql, values: params ? [...params] : undefined, types, ...(options?.prepared ? { name: statementName(sql) } : {}) })).rows;
  const openPool = (hostUrl: string) => {
    const pool = new pg.Pool({ connectionString: hostUrl, max, ...(hosts.urls.length > 1 ? { connectionTimeoutMillis: 5_000, keepAlive: true } : {}) });
    pool.on('error', () => {
      // An idle client lost its connection; the pool replaces it on the next checkout.
    });
    return { pool, url: hostUrl };
  };
  let current = openPool(await findHost(hosts));
  let moving: Promise<void> | null = null;
  let closed = false;
  const seekPrimary = () => {
    if (hosts.urls.length === 1 || moving || closed) return;
    moving = findHost(hosts).then((found) => {
      // Still the host in use (its connection was cut, the host is fine): the pool stays.
      if (found === current.url) return;
      const old = current;
      current = openPool(found);
      void old.pool.end().catch(() => undefined);
    }, () => undefined).finally(() => {
      moving = null;
    });
  };
  /** After an error of the pool in use that says its host is lost: the pool moves to the host that takes writes now. */
  const lost = (from: pg.Pool) => (err: unknown): never => {
    if (from === current.pool && hostLost(err)) seekPrimary();
    throw err;
  };
  const poolNow = async () => {
    if (moving) await moving;
    return current.pool;
  };
  return {
    kind: 'postgres',
    query: async <T,>(sql: string, params?: readonly unknown[], options?: { prepared?: boolean }) => {
      const pool = await poolNow();
      return q(pool)<T>(sql, params, options).catch(lost(pool));
    },
    transaction: async (fn) => {
      const pool = await poolNow();
      const client = await pool.connect().catch(lost(pool));
      // The pool listens for the errors of idle connections only: a connection lost between two
      // statements of a transaction would be an unhandled 'error' event that ends the process.
      let cut: Error | undefined;
      const onError = (err: Error) => {
        cut = err;
      };
      client.on('error', onError);
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await fn({ kind: 'postgres', query: q(client) });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        const why = cut ?? err;
        broken = hostLost(why) && why instanceof Error ? why : undefined;
        await client.query('ROLLBACK').catch(() => undefined);
        return lost(pool)(why);
      } finally {
        client.removeListener('error', onError);
        // A connection that was lost is not given back to the pool.
        client.release(broken ?? cut);
      }
    },
    exec: async (sql) => {
      const pool = await poolNow();
      await pool.query(sql).catch(lost(pool));
    },
    seekPrimary,
    listen: (channels, onNotify, onState) => listenPostgres(hosts, channels, onNotify, onState),
    poolUse: () => ({ total: current.pool.totalCount, idle: current.pool.idleCount, waiting: current.pool.waitingCount, max }),
    close: async () => {
      closed = true;
      if (moving) await moving;
      await current.pool.end();
    },
  };
}

const statementNames = new Map<string, string>();

/** A prepared statement's name: the same for the same text on every connection. */
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) statementNames.set(sql, (name = `linli_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`));
  return name;
}

/**
 * A connection of its own that LISTENs on `channels`, and connects again, every second until it
 * can, when it is lost. A notification missed meanwhile only delays a pull (kiosks also poll), and
 * `onState(false)` tells what keeps copies of the database in memory to stop trusting them.
 */
async function listenPostgres(hosts: Hosts, channels: readonly string[], onNotify: (channel: string, payload: string) => void, onState?: (up: boolean) => void): Promise<() => Promise<void>> {
  for (const channel of channels) if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`bad channel name ${channel}`);
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | null = null;
  const again = () => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = null;
      connect().catch(again);
    }, 1_000);
  };
  const lost = (c: pg.Client) => {
    if (client !== c) return;
    client = null;
    onState?.(false);
    c.end().catch(() => undefined);
    again();
  };
  const connect = async (): Promise<void> => {
    // Notices are heard on the primary only: a replica hears none.
    const c = new pg.Client({ connectionString: await findHost(hosts), connectionTimeoutMillis: 5_000, keepAlive: true });
    let own: ((channel: string, payload: string) => void) | null = null;
    c.on('notification', (n) => {
      if (channels.includes(n.channel)) own?.(n.channel, n.payload ?? '');
    });
    c.on('error', () => lost(c));
    c.on('end', () => lost(c));
    try {
      await c.connect();
      own = ownNotices(await schemaOf({ query: async <T,>(sql: string) => (await c.query(sql)).rows as T[] }), onNotify);
      for (const channel of channels) await c.query(`LISTEN ${channel}`);
    } catch (err) {
      await c.end().catch(() => undefined);
      throw err;
    }
    if (stopped) {
      await c.end().catch(() => undefined);
      return;
    }
    client = c;
    onState?.(true);
  };
  await connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const c = client;
    client = null;
    await c?.end().catch(() => undefined);
  };
}

/** The schema a connection's unqualified names (and its notices, see migration 052) are in. */
async function schemaOf(db: { query<T>(sql: string): Promise<T[]> }): Promise<string> {
  const [row] = await db.query<{ s: string }>('SELECT current_schema() AS s');
  return row?.s ?? 'public';
}

/**
 * Passes on the notices of one schema, without the schema: every notice begins with the schema it
 * comes from (`public wzgl`), and a database's connections hear every schema's.
 */
function ownNotices(schema: string, onNotify: (channel: string, payload: string) => void): (channel: string, payload: string) => void {
  const prefix = `${schema} `;
  return (channel, payload) => {
    if (payload.startsWith(prefix)) onNotify(channel, payload.slice(prefix.length));
  };
}

/** Opens the database the environment names: `DATABASE_URL`, else PGlite in `dataDir`. */
export function openDb(env: { DATABASE_URL?: string | undefined }, dataDir?: string): Promise<Db> {
  return env.DATABASE_URL ? openPostgres(env.DATABASE_URL) : openPglite(dataDir);
}
