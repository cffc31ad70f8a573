import net, { type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgres, type Db } from '../../server/db/db.js';
import { findHost, hostLost, hostsOf, HostsUnavailable, type HostState } from '../../server/db/hosts.js';
import { TEST_PG_URL } from '../support/db.js';
import { freePort } from '../support/ports.js';

/** A host that is the test database seen through a port of its own, which can die like a machine. */
class Forwarder {
  private server = net.createServer();
  private sockets = new Set<Socket>();
  port = 0;

  async start(port = 0): Promise<this> {
    const target = new URL(TEST_PG_URL);
    this.server.on('connection', (client) => {
      const upstream = net.connect(Number(target.port || 5432), target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Every connection cut and the port closed: what the clients of a dead host see. */
  async kill(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** The test database's connection string with `hosts` in place of its host. */
function withHosts(hosts: string, query = 'target_session_attrs=read-write'): string {
  const u = new URL(TEST_PG_URL);
  return `postgres://${u.username}:${u.password}@${hosts}${u.pathname}?${query}`;
}

describe('a database named by several hosts', () => {
  const opened: Db[] = [];
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.close();
  });

  it('reads a connection string with several hosts the way libpq does, and an ordinary one as it is', () => {
    expect(hostsOf('postgres://u:p@db1:5432,db2:5433/linli?target_session_attrs=read-write&sslmode=disable')).toEqual({
      urls: ['postgres://u:p@db1:5432/linli?sslmode=disable', 'postgres://u:p@db2:5433/linli?sslmode=disable'], readWrite: true,
    });
    expect(hostsOf(TEST_PG_URL)).toEqual({ urls: [TEST_PG_URL], readWrite: false });
    expect(() => hostsOf('postgres://db1,db2/linli?target_session_attrs=standby')).toThrow(/standby is not supported/);
  });

  it('takes the first host that answers and takes writes, passing over one that is down and a replica', async () => {
    const states: Record<string, HostState | 'down'> = { 'db1:5432': 'down', 'db2:5432': 'read-only', 'db3:5432': 'read-write' };
    const probe = async (url: string) => {
      const state = states[new URL(url.replace(/^postgres:/, 'http:')).host]!;
      if (state === 'down') throw new Error('connect ECONNREFUSED');
      return state;
    };
    expect(await findHost(hostsOf('postgres://u@db1:5432,db2:5432,db3:5432/linli?target_session_attrs=read-write'), probe)).toBe('postgres://u@db3:5432/linli');
    // Without read-write, a replica that answers will do.
    expect(await findHost(hostsOf('postgres://u@db1:5432,db2:5432,db3:5432/linli'), probe)).toBe('postgres://u@db2:5432/linli');
    states['db3:5432'] = 'read-only';
    await expect(findHost(hostsOf('postgres://u@db1:5432,db2:5432,db3:5432/linli?target_session_attrs=read-write'), probe))
      .rejects.toThrow(new HostsUnavailable('no database host takes writes (db1:5432: connect ECONNREFUSED; db2:5432: read-only; db3:5432: read-only)'));
  });

  it('opens on the host that answers when the first is down', async () => {
    const db = await openPostgres(withHosts(`127.0.0.1:${await freePort()},${new URL(TEST_PG_URL).host}`));
    opened.push(db);
    expect(await db.query<{ n: number }>('SELECT 1 AS n')).toEqual([{ n: 1 }]);
  });

  it('moves to the next host when the one in use dies: the query under way fails, the next is answered', async () => {
    const first = await new Forwarder().start();
    const db = await openPostgres(withHosts(`127.0.0.1:${first.port},${new URL(TEST_PG_URL).host}`));
    opened.push(db);
    expect(await db.query<{ n: number }>('SELECT 1 AS n')).toEqual([{ n: 1 }]);
    await first.kill();
    const failed = await db.query('SELECT 1').then(() => null, (err: unknown) => err);
    expect(hostLost(failed)).toBe(true);
    expect(await db.query<{ n: number }>('SELECT 2 AS n')).toEqual([{ n: 2 }]);
    // A transaction works there too.
    expect(await db.transaction((tx) => tx.query<{ n: number }>('SELECT 3 AS n'))).toEqual([{ n: 3 }]);
  });
});

describe('a database whose every host is down for a while', () => {
  it('fails while none answers, and works again once one does, without a restart', async () => {
    const first = await new Forwarder().start();
    const second = await freePort();
    const db = await openPostgres(withHosts(`127.0.0.1:${first.port},127.0.0.1:${second}`));
    try {
      await first.kill();
      for (let i = 0; i < 3; i++) {
        const err = await db.query('SELECT 1').then(() => null, (e: unknown) => e);
        expect(hostLost(err)).toBe(true);
      }
      const back = await new Forwarder().start(second);
      try {
        // The query that finds the pool's host dead sends it looking; the one after it is answered there.
        let answered: unknown = null;
        for (let i = 0; i < 3 && answered === null; i++) answered = await db.query<{ n: number }>('SELECT 5 AS n').catch(() => null);
        expect(answered).toEqual([{ n: 5 }]);
      } finally {
        await back.kill();
      }
    } finally {
      await db.close();
    }
  });
});

describe('a connection lost in the middle of a transaction', () => {
  it('fails that transaction and leaves the process and the pool working', async () => {
    const db = await openPostgres(TEST_PG_URL, 2);
    const other = await openPostgres(TEST_PG_URL, 1);
    try {
      const outcome = db.transaction(async (tx) => {
        const [me] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        // Between two statements (the push's fold runs here), the backend is terminated.
        await other.query('SELECT pg_terminate_backend($1)', [me!.pid]);
        for (let i = 0; i < 100; i++) {
          const [gone] = await other.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1', [me!.pid]);
          if (gone!.n === 0) break;
        }
        await new Promise((resolve) => setImmediate(resolve));
        return tx.query('SELECT 1');
      });
      await expect(outcome).rejects.toThrow();
      expect(await db.query<{ n: number }>('SELECT 4 AS n')).toEqual([{ n: 4 }]);
    } finally {
      await db.close();
      await other.close();
    }
  });
});
