import pg from 'pg';

/**
 * A connection string that names several hosts, as libpq takes it
 * (`postgres://u:p@db1:5432,db2:5432/linli?target_session_attrs=read-write`): a primary and its
 * replicas, one of which may be promoted when the primary dies. node-postgres takes one host, so
 * the server finds the host that takes writes itself, and finds it again when it is lost.
 */
export type Hosts = {
  /** One single-host connection string per host, in the order given. */
  urls: string[];
  /** `target_session_attrs=read-write`: only a host that takes writes will do. */
  readWrite: boolean;
};

const URL_PARTS = /^(postgres(?:ql)?:\/\/)([^/]*@)?([^/?#@]*)(.*)$/;

/** The hosts a connection string names (one for an ordinary string). */
export function hostsOf(url: string): Hosts {
  const m = URL_PARTS.exec(url);
  if (!m) return { urls: [url], readWrite: false };
  const [, scheme, auth = '', hostList, rest = ''] = m as unknown as [string, string, string | undefined, string, string | undefined];
  const at = rest.indexOf('?');
  const pathPart = at < 0 ? rest : rest.slice(0, at);
  const params = new URLSearchParams(at < 0 ? '' : rest.slice(at + 1));
  const attrs = params.get('target_session_attrs');
  const hosts = hostList.split(',').filter((h) => h.length > 0);
  // One host: the string as it was given (node-postgres ignores the setting, as it always did here).
  if (hosts.length <= 1) return { urls: [url], readWrite: attrs === 'read-write' || attrs === 'primary' };
  if (attrs !== null && !['any', 'read-write', 'primary'].includes(attrs)) throw new Error(`target_session_attrs=${attrs} is not supported with several hosts (read-write, primary or any)`);
  params.delete('target_session_attrs');
  const tail = `${pathPart}${[...params].length > 0 ? `?${params.toString()}` : ''}`;
  return { urls: hosts.map((h) => `${scheme}${auth}${h}${tail}`), readWrite: attrs === 'read-write' || attrs === 'primary' };
}

/** What a host answered: it takes writes, or it is a replica (or in a read-only state). */
export type HostState = 'read-write' | 'read-only';

/** Asks one host whether it takes writes; throws when it cannot be reached within `timeoutMs`. */
export async function probeHost(url: string, timeoutMs = 2_000): Promise<HostState> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    // What libpq asks for read-write: a replica (or a primary told to refuse writes) says on.
    const { rows } = await client.query<{ transaction_read_only: string }>('SHOW transaction_read_only');
    return rows[0]?.transaction_read_only === 'off' ? 'read-write' : 'read-only';
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The first host that will do: that answers, and takes writes when `readWrite` asks it. Throws,
 * saying what each host answered, when none will.
 */
export async function findHost(hosts: Hosts, probe: (url: string) => Promise<HostState> = probeHost): Promise<string> {
  if (hosts.urls.length === 1 && !hosts.readWrite) return hosts.urls[0]!;
  const said: string[] = [];
  for (const url of hosts.urls) {
    try {
      const state = await probe(url);
      if (!hosts.readWrite || state === 'read-write') return url;
      said.push(`${hostName(url)}: ${state}`);
    } catch (err) {
      said.push(`${hostName(url)}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new HostsUnavailable(`no database host takes writes (${said.join('; ')})`);
}

/** No host answered as needed: the database is unavailable for now (a failover under way). */
export class HostsUnavailable extends Error {}

/** The host and port of a single-host connection string, without its password. */
export const hostName = (url: string): string => URL_PARTS.exec(url)?.[3] ?? '?';

/**
 * Whether an error says the connection's host is gone or no longer takes writes, so another host
 * should be looked for: the connection refused, reset or cut; the server shutting down or starting
 * (57P01–57P03); a connection exception (08…); a write refused as read-only (25006), which a
 * primary demoted to a replica answers.
 */
export function hostLost(err: unknown): boolean {
  if (err instanceof HostsUnavailable) return true;
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code === '25006' || code.startsWith('57P') || code.startsWith('08')) return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) return true;
  }
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(err.message);
}
