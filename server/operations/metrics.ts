import type { PoolUse } from '../db/db.js';

/**
 * What one server process counts about itself, told in Prometheus' text format (version 0.0.4) at
 * `GET /api/admin/metrics`: requests by route and status, pushes and their events by outcome, how
 * long pushes held their centre's clock, pull latency (answered from memory or from the
 * database), poke streams, the database pool, and what the process keeps in memory. Counters only
 * grow; a restart starts them at 0 (Prometheus' `rate()` copes). Labels are route patterns and
 * fixed words, never ids or names.
 */

/** Upper bounds (seconds) of the latency histograms' buckets. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] as const;

type Histogram = { counts: number[]; sum: number; n: number };

const histogram = (): Histogram => ({ counts: BUCKETS.map(() => 0), sum: 0, n: 0 });

function observe(h: Histogram, seconds: number): void {
  const i = BUCKETS.findIndex((b) => seconds <= b);
  if (i >= 0) h.counts[i]! += 1;
  h.sum += seconds;
  h.n += 1;
}

/** A histogram's sample lines, its labels (if any) on each. */
function histogramLines(name: string, labels: string, h: Histogram): string[] {
  const lines: string[] = [];
  let cumulative = 0;
  BUCKETS.forEach((b, i) => {
    cumulative += h.counts[i]!;
    lines.push(`${name}_bucket{${labels}${labels ? ',' : ''}le="${b}"} ${cumulative}`);
  });
  const own = labels ? `{${labels}}` : '';
  lines.push(`${name}_bucket{${labels}${labels ? ',' : ''}le="+Inf"} ${h.n}`, `${name}_sum${own} ${h.sum}`, `${name}_count${own} ${h.n}`);
  return lines;
}

/** What the metrics read of the process when asked (not counted). */
export type Gauges = {
  streams: number;
  pool?: PoolUse | undefined;
  listening: boolean;
  heads: { kept: number; hits: number; misses: number };
  devices: { kept: number; hits: number; misses: number };
};

export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly pushEvents = new Map<string, number>();
  private pushes = 0;
  private streamsOpened = 0;
  private readonly pulls = new Map<'memory' | 'database', Histogram>();
  private readonly clock = histogram();
  private readonly started = Date.now();

  /** A request was answered: by its route's pattern (never its URL) and status code. */
  request(method: string, route: string, status: number): void {
    const key = `method="${method}",route="${escape(route)}",code="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  /** A push batch was applied, with its events' outcomes. */
  pushed(outcomes: readonly { status: string }[]): void {
    this.pushes += 1;
    for (const o of outcomes) this.pushEvents.set(o.status, (this.pushEvents.get(o.status) ?? 0) + 1);
  }

  /** A push held its centre's clock for `seconds`, from taking it to the commit. */
  clockHeld(seconds: number): void {
    observe(this.clock, seconds);
  }

  /** A pull was answered after `seconds`, from memory (nothing new) or from the database. */
  pulled(from: 'memory' | 'database', seconds: number): void {
    let h = this.pulls.get(from);
    if (!h) this.pulls.set(from, (h = histogram()));
    observe(h, seconds);
  }

  /** A poke stream was opened. */
  streamOpened(): void {
    this.streamsOpened += 1;
  }

  /** The text Prometheus scrapes. */
  text(g: Gauges): string {
    const out: string[] = [];
    const family = (name: string, type: 'counter' | 'gauge' | 'histogram', help: string, lines: string[]) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...lines);
    };
    family('linli_http_requests_total', 'counter', 'Requests answered, by method, route pattern and status code.',
      [...this.requests].map(([k, v]) => `linli_http_requests_total{${k}} ${v}`));
    family('linli_pushes_total', 'counter', 'Push batches applied.', [`linli_pushes_total ${this.pushes}`]);
    family('linli_push_events_total', 'counter', 'Pushed events, by outcome.',
      [...this.pushEvents].map(([k, v]) => `linli_push_events_total{outcome="${escape(k)}"} ${v}`));
    family('linli_push_clock_held_seconds', 'histogram', 'How long a push held its centre\'s clock, from taking it to the commit: a centre applies at most a batch per that time.',
      histogramLines('linli_push_clock_held_seconds', '', this.clock));
    family('linli_pull_seconds', 'histogram', 'Pull latency, answered from memory (nothing new) or from the database.',
      [...this.pulls].flatMap(([from, h]) => histogramLines('linli_pull_seconds', `answered="${from}"`, h)));
    family('linli_streams', 'gauge', 'Poke streams open on this process.', [`linli_streams ${g.streams}`]);
    family('linli_streams_opened_total', 'counter', 'Poke streams opened.', [`linli_streams_opened_total ${this.streamsOpened}`]);
    if (g.pool) {
      family('linli_db_pool_connections', 'gauge', 'Database pool: connections open, idle, the most it opens, and requests waiting for one.', [
        `linli_db_pool_connections{state="total"} ${g.pool.total}`, `linli_db_pool_connections{state="idle"} ${g.pool.idle}`,
        `linli_db_pool_connections{state="max"} ${g.pool.max}`, `linli_db_pool_connections{state="waiting"} ${g.pool.waiting}`,
      ]);
    }
    family('linli_listening', 'gauge', 'Whether the process hears the database\'s notifications (0: nothing is answered from memory).', [`linli_listening ${g.listening ? 1 : 0}`]);
    family('linli_memory_kept', 'gauge', 'Centre heads and devices kept in memory.', [`linli_memory_kept{of="heads"} ${g.heads.kept}`, `linli_memory_kept{of="devices"} ${g.devices.kept}`]);
    family('linli_memory_answers_total', 'counter', 'Look-ups of heads and devices answered from memory (hit) or the database (miss).', [
      `linli_memory_answers_total{of="heads",from="memory"} ${g.heads.hits}`, `linli_memory_answers_total{of="heads",from="database"} ${g.heads.misses}`,
      `linli_memory_answers_total{of="devices",from="memory"} ${g.devices.hits}`, `linli_memory_answers_total{of="devices",from="database"} ${g.devices.misses}`,
    ]);
    const mem = process.memoryUsage();
    family('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', [`process_resident_memory_bytes ${mem.rss}`]);
    family('nodejs_heap_used_bytes', 'gauge', 'V8 heap used, in bytes.', [`nodejs_heap_used_bytes ${mem.heapUsed}`]);
    family('process_start_time_seconds', 'gauge', 'Start time of the process since the Unix epoch, in seconds.', [`process_start_time_seconds ${Math.floor(this.started / 1000)}`]);
    return `${out.join('\n')}\n`;
  }
}

/** A label value as Prometheus' text format writes it. */
function escape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
