import { SyncRefusal } from '../sync/refusal.js';

/**
 * A report's period: a month (`2026-11`) or a year (`2026`), in Asia/Shanghai (business time,
 * UTC+8 all year). `from` and `to` are the UTC instants of its first and past-its-last midnight,
 * as ISO text (ledger entries' `at` compares as text); `fromDay`/`toDay` the same as calendar
 * days (service hours' `day`); `buckets` the days of a month or the months of a year, for series.
 */
export type Period = { kind: 'month' | 'year'; label: string; from: string; to: string; fromDay: string; toDay: string; buckets: string[] };

const SHANGHAI_MS = 8 * 3_600_000;
const iso = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d) - SHANGHAI_MS).toISOString();
const day = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);

/** Reads `2026-11` or `2026`; refuses anything else. */
export function parsePeriod(text: string): Period {
  const m = /^(\d{4})(?:-(0[1-9]|1[0-2]))?$/.exec(text);
  if (!m || Number(m[1]) < 2000 || Number(m[1]) > 2100) throw new SyncRefusal('malformed', 400, 'period=YYYY-MM (a month) or YYYY (a year) / 期间：YYYY-MM（月）或 YYYY（年）');
  const y = Number(m[1]);
  if (m[2]) {
    const mo = Number(m[2]);
    const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
    return { kind: 'month', label: text, from: iso(y, mo, 1), to: iso(y, mo + 1, 1), fromDay: day(y, mo, 1), toDay: day(y, mo + 1, 1), buckets: Array.from({ length: days }, (_, i) => day(y, mo, i + 1)) };
  }
  return { kind: 'year', label: text, from: iso(y, 1, 1), to: iso(y + 1, 1, 1), fromDay: day(y, 1, 1), toDay: day(y + 1, 1, 1), buckets: Array.from({ length: 12 }, (_, i) => `${y}-${String(i + 1).padStart(2, '0')}`) };
}

/**
 * The SQL that gives the bucket of a UTC ISO time column: its Shanghai day (a month's report) or
 * month (a year's). `timestamp` drops the `Z`, so no time-zone data is needed.
 */
export function bucketSql(period: Period, column: string): string {
  return `to_char(${column}::timestamp + interval '8 hours', '${period.kind === 'month' ? 'YYYY-MM-DD' : 'YYYY-MM'}')`;
}
