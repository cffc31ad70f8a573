import type { Queryable } from '../db/db.js';
import type { ReportTable } from './export.js';
import type { Period } from './period.js';

/**
 * Volunteer hours (服务时长) for a month or a year by team (志愿服务小分队), from the certified
 * service entries: how many volunteers, activities, hours and points, and a series by day or
 * month. An entry counts on the day of its activity; a corrected entry counts as corrected.
 */
export type TeamLine = { team: string; volunteers: number; activities: number; minutes: number; points: number };
export type VolunteeringReport = { period: string; teams: TeamLine[]; totals: TeamLine; series: { bucket: string; minutes: number }[] };

export async function volunteeringReport(db: Queryable, centreId: string, period: Period): Promise<VolunteeringReport> {
  const range = [centreId, period.fromDay, period.toDay];
  const teams = await db.query<TeamLine>(
    `SELECT team, count(DISTINCT resident_id)::int AS volunteers, count(DISTINCT activity_id)::int AS activities, coalesce(sum(minutes), 0)::int AS minutes, coalesce(sum(points), 0)::int AS points
     FROM service_hours WHERE centre_id = $1 AND day >= $2 AND day < $3 GROUP BY team ORDER BY minutes DESC, team`, range);
  const [totals] = await db.query<TeamLine>(
    `SELECT '' AS team, count(DISTINCT resident_id)::int AS volunteers, count(DISTINCT activity_id)::int AS activities, coalesce(sum(minutes), 0)::int AS minutes, coalesce(sum(points), 0)::int AS points
     FROM service_hours WHERE centre_id = $1 AND day >= $2 AND day < $3`, range);
  const series = await db.query<{ bucket: string; minutes: number }>(
    `SELECT ${period.kind === 'month' ? 'day' : 'left(day, 7)'} AS bucket, sum(minutes)::int AS minutes FROM service_hours WHERE centre_id = $1 AND day >= $2 AND day < $3 GROUP BY 1`, range);
  const by = new Map(series.map((s) => [s.bucket, s.minutes]));
  return { period: period.label, teams, totals: totals!, series: period.buckets.map((bucket) => ({ bucket, minutes: by.get(bucket) ?? 0 })) };
}

const hours = (minutes: number) => Math.round((minutes / 60) * 10) / 10;

export function volunteeringTables(r: VolunteeringReport): ReportTable[] {
  const row = (t: TeamLine) => [t.team || '（未分队）', t.volunteers, t.activities, hours(t.minutes), t.points];
  return [{
    name: `志愿服务 Volunteering ${r.period}`, columns: ['队伍 Team', '志愿者 Volunteers', '活动 Activities', '时长(小时) Hours', '积分 Points'],
    rows: [...r.teams.map(row), ['合计 Total', r.totals.volunteers, r.totals.activities, hours(r.totals.minutes), r.totals.points]],
  }];
}
