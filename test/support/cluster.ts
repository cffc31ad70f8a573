import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './ports.js';

/**
 * A city's database layout on one machine, for the failover test and benchmark: PostgreSQL with a
 * streaming replica under pg_auto_failover (Debian's `postgresql-15-auto-failover`), and HAProxy
 * (Debian's `haproxy`) in front of server processes. Real programs, each in a process group of its
 * own, so that a node can be killed the way a machine dies: its keeper and its PostgreSQL at once.
 */

const PG_BIN = '/usr/lib/postgresql/15/bin';
type Say = (text: string) => void;

/** Whether pg_auto_failover and HAProxy are installed here. */
export function clusterToolsInstalled(): boolean {
  const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
  return has('pg_autoctl') && has('haproxy') && existsSync(path.join(PG_BIN, 'pg_ctl'));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Asks `check` every `everyMs` until it answers true or `ms` pass (then throws, saying `what`); a check that hangs counts as no. */
async function until(what: string, ms: number, check: () => Promise<boolean>, everyMs = 200): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const hung = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5_000).unref());
    if (await Promise.race([check().catch(() => false), hung])) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

type NodeRow = { name: string; port: number; reported: string; goal: string };

/** Process groups started here, killed if this process exits without stopping them (a test runner dying). */
const groups = new Set<number>();
process.once('exit', () => {
  for (const pid of groups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
});

/**
 * A pg_auto_failover formation on loopback: a monitor and two PostgreSQL nodes (a primary and a
 * synchronous standby), made in a temporary folder and removed by `stop`. Failover is tuned to
 * seconds, not the defaults' half-minute, keeping the order that prevents two primaries: a
 * primary cut off from the monitor demotes itself (`network_partition_timeout`, 3 s) before the
 * monitor may promote its standby (`primary_demote_timeout`, 5 s).
 */
export class AutoFailover {
  private readonly procs = new Map<string, ChildProcess>();
  readonly ports: { monitor: number; nodes: number[] } = { monitor: 0, nodes: [] };
  private constructor(private readonly dir: string, private readonly say: Say) {}

  /** The connection string the server processes take: both nodes, the one that takes writes. */
  get url(): string {
    return `postgres://postgres@${this.ports.nodes.map((p) => `127.0.0.1:${p}`).join(',')}/linli?target_session_attrs=read-write`;
  }

  /** A connection string to one node alone. */
  nodeUrl(port: number): string {
    return `postgres://postgres@127.0.0.1:${port}/linli`;
  }

  static async start(say: Say): Promise<AutoFailover> {
    const dir = mkdtempSync(path.join(tmpdir(), 'linli-failover-'));
    const f = new AutoFailover(dir, say);
    try {
      for (const sub of ['', 'config', 'data', 'run']) {
        mkdirSync(path.join(dir, sub), { recursive: true });
        if (process.getuid?.() === 0) chownSync(path.join(dir, sub), postgresUid(), postgresUid());
      }
      f.ports.monitor = await freePort();
      f.ports.nodes = [await freePort(), await freePort()];
      say('cluster: the monitor…');
      f.run('monitor', ['create', 'monitor', '--pgdata', path.join(dir, 'monitor'), '--pgport', String(f.ports.monitor), '--hostname', '127.0.0.1', '--auth', 'trust', '--no-ssl', '--run']);
      await until('the monitor', 60_000, async () => (await f.monitorQuery<{ n: number }>('SELECT 1 AS n')).length === 1);
      for (const [name, value] of [['health_check_period', 1000], ['health_check_timeout', 1000], ['health_check_max_retries', 1], ['health_check_retry_delay', 500],
        ['node_considered_unhealthy_timeout', 2000], ['primary_demote_timeout', 5000]] as const) {
        await f.monitorQuery(`ALTER SYSTEM SET pgautofailover.${name} = ${value}`);
      }
      await f.monitorQuery('SELECT pg_reload_conf()');
      for (const [i, port] of f.ports.nodes.entries()) {
        say(`cluster: node ${i + 1} (port ${port})…`);
        const pgdata = path.join(dir, `node${i + 1}`);
        f.run(`node${i + 1}`, ['create', 'postgres', '--pgdata', pgdata, '--pgport', String(port), '--hostname', '127.0.0.1', '--name', `node${i + 1}`,
          '--auth', 'trust', '--no-ssl', '--dbname', 'linli', '--monitor', `postgres://autoctl_node@127.0.0.1:${f.ports.monitor}/pg_auto_failover?sslmode=disable`, '--run']);
        const want = i === 0 ? ['single'] : ['primary', 'secondary'];
        await until(`node ${i + 1}`, 120_000, async () => {
          // A standby's base backup waits for a checkpoint, spread over minutes unless one is asked for.
          if (i > 0) await f.sql(f.ports.nodes[0]!, 'CHECKPOINT').catch(() => undefined);
          const nodes = await f.nodes();
          return want.every((state) => nodes.some((n) => n.reported === state && n.goal === state));
        }, 500);
        // Set once the node runs: the keeper reads its configuration file again on SIGHUP.
        f.autoctl(['config', 'set', '--pgdata', pgdata, 'timeout.network_partition_timeout', '3']);
      }
      return f;
    } catch (err) {
      await f.stop();
      throw err;
    }
  }

  /** The nodes as the monitor sees them. */
  async nodes(): Promise<NodeRow[]> {
    return this.monitorQuery<NodeRow>('SELECT nodename AS name, nodeport AS port, reportedstate::text AS reported, goalstate::text AS goal FROM pgautofailover.node ORDER BY nodeid');
  }

  /** The port of the node that takes writes now (asked of the nodes themselves). */
  async primaryPort(): Promise<number | null> {
    for (const port of this.ports.nodes) {
      const rows = await this.sql<{ rw: boolean }>(port, 'SELECT NOT pg_is_in_recovery() AS rw').catch(() => []);
      if (rows[0]?.rw) return port;
    }
    return null;
  }

  /** Kills a node as a machine dies: its keeper and its PostgreSQL, with SIGKILL, at once. */
  killNode(port: number): void {
    const i = this.ports.nodes.indexOf(port);
    const proc = this.procs.get(`node${i + 1}`);
    if (!proc?.pid) throw new Error(`no node on port ${port}`);
    process.kill(-proc.pid, 'SIGKILL');
    groups.delete(proc.pid);
    this.procs.delete(`node${i + 1}`);
  }

  async stop(): Promise<void> {
    for (const proc of this.procs.values()) {
      if (!proc.pid) continue;
      groups.delete(proc.pid);
      try {
        process.kill(-proc.pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
    this.procs.clear();
    // The postmasters go with their keepers' groups; give the kernel a moment before the files go.
    await sleep(200);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private env(): NodeJS.ProcessEnv {
    return {
      ...process.env, PATH: `${PG_BIN}:${process.env.PATH ?? ''}`, HOME: this.dir,
      XDG_CONFIG_HOME: path.join(this.dir, 'config'), XDG_DATA_HOME: path.join(this.dir, 'data'), XDG_RUNTIME_DIR: path.join(this.dir, 'run'),
    };
  }

  /** pg_autoctl as the postgres user (PostgreSQL does not run as root). */
  private command(args: string[]): [string, string[]] {
    return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', 'pg_autoctl', ...args]] : ['pg_autoctl', args];
  }

  private run(name: string, args: string[]): void {
    const [cmd, argv] = this.command(args);
    const proc = spawn(cmd, argv, { env: this.env(), detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    if (proc.pid) groups.add(proc.pid);
    proc.on('error', (err) => this.say(`cluster: ${name} did not start: ${err.message}`));
    let tail = '';
    proc.stderr?.on('data', (d: Buffer) => {
      tail = (tail + d.toString()).slice(-4000);
    });
    proc.on('exit', (code, signal) => {
      if (this.procs.get(name) === proc) this.say(`cluster: ${name} exited (${code ?? signal}): ${tail.slice(-600)}`);
    });
    this.procs.set(name, proc);
  }

  private autoctl(args: string[]): void {
    const [cmd, argv] = this.command(args);
    const r = spawnSync(cmd, argv, { env: this.env(), encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`pg_autoctl ${args.join(' ')}: ${r.stderr}`);
  }

  private monitorQuery<T>(text: string): Promise<T[]> {
    return this.sql<T>(this.ports.monitor, text, 'pg_auto_failover');
  }

  async sql<T>(port: number, text: string, database = 'linli'): Promise<T[]> {
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database, connectionTimeoutMillis: 2_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.query<T & pg.QueryResultRow>(text)).rows;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

function postgresUid(): number {
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error('there is no postgres user to run PostgreSQL as');
  return Number(r.stdout.trim());
}

/**
 * HAProxy in front of server processes: a device's requests go to one process (by its token, so
 * its pull after its push meets the head its process advanced), a process is taken out when
 * `/api/ready` fails twice (its database is not the primary, or it is gone) and back when it
 * answers, and a connection refused is sent to another process.
 */
export class Haproxy {
  private proc: ChildProcess | null = null;
  url = '';
  private constructor(private readonly dir: string) {}

  static async start(servers: readonly string[]): Promise<Haproxy> {
    const dir = mkdtempSync(path.join(tmpdir(), 'linli-haproxy-'));
    const h = new Haproxy(dir);
    const port = await freePort();
    const cfg = path.join(dir, 'haproxy.cfg');
    writeFileSync(cfg, haproxyConfig(port, servers));
    const proc = spawn('haproxy', ['-db', '-f', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
    proc.on('error', () => undefined); // said by the wait below
    let said = '';
    proc.stderr?.on('data', (d: Buffer) => {
      said = (said + d.toString()).slice(-2000);
    });
    h.proc = proc;
    h.url = `http://127.0.0.1:${port}`;
    await until('haproxy', 10_000, async () => (await fetch(`${h.url}/api/health`)).ok, 100).catch(async (err: Error) => {
      await h.stop();
      throw new Error(`${err.message}: ${said}`);
    });
    return h;
  }

  async stop(): Promise<void> {
    this.proc?.kill('SIGKILL');
    this.proc = null;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The HAProxy configuration this layout uses (the README shows the same). */
export function haproxyConfig(port: number, servers: readonly string[]): string {
  return `global
  # Two file descriptors a connection: within the 20,000 a process may open here.
  maxconn 9000

defaults
  mode http
  timeout connect 2s
  timeout client 5m
  timeout server 5m
  option redispatch
  retries 2

frontend linli
  bind 127.0.0.1:${port}
  default_backend linli_servers

backend linli_servers
  balance hdr(authorization)
  option httpchk GET /api/ready
  http-check expect status 200
  default-server inter 500ms fall 2 rise 1
${servers.map((s, i) => `  server s${i + 1} ${new URL(s).host} check`).join('\n')}
`;
}
