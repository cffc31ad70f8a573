import { z } from 'zod';
import { Id, LIMITS } from '../entities.js';
import { balanceOf, type Effect, type StateView } from '../effects/effects.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind } from '../events/kind.js';
import { capTallies, tallyId, type EarningRule } from '../points/earningRules.js';
import { cutText, RequiredText, Text } from '../text/text.js';
import { addDays } from '../canteen/rows.js';

/**
 * Service certification (服务认证): staff confirm the hours volunteers gave to an activity, one by
 * one or a whole roster at once; the points follow the rule (per hour), and hours and points stay
 * linked: correcting the hours corrects the points with a compensating entry.
 *
 * Worked example: 志愿服务 at 10 分/小时, 90 minutes → 15 points (points = rule points × minutes
 * ÷ 60, rounded down). Corrected to 120 minutes → +5 points, the entry now says 120 and 20 — at the
 * rate it was certified at, kept on the entry: the rule changed to 20 分/小时 since changes nothing.
 */
export const ServiceHours = z.object({
  id: Id,
  centreId: Id,
  activityId: Id,
  activity: z.string().min(1).max(50),
  team: z.string().max(30),
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  residentId: Id,
  accountId: Id,
  ruleId: Id,
  minutes: z.number().int().min(0).max(24 * 60),
  points: z.number().int().min(0).max(LIMITS.pointsPerEvent),
  /** The rule's points per hour when certified; null for entries certified before it was kept (their rule's rate then stands in). */
  pointsPerHour: z.number().int().min(1).max(10_000).nullable(),
  changeSeq: z.number().int().nonnegative(),
});
export type ServiceHours = z.infer<typeof ServiceHours>;

/** The points for `minutes` of service under a rule per hour. */
export function pointsForMinutes(pointsPerHour: number, minutes: number): number {
  return Math.floor((pointsPerHour * minutes) / 60);
}

/**
 * An activity is named by its day and its name, so certifying the same activity again (another
 * clerk, another kiosk, offline) names the same entries and is refused for those already done.
 * Worked example: ('2026-11-25', '清理楼道') → `act-20261125-` + FNV-1a of the name in hex.
 */
export function activityIdFor(day: string, name: string): string {
  let h = 0x811c9dc5;
  for (const ch of name.trim()) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `act-${day.replace(/-/g, '')}-${h.toString(16).padStart(8, '0')}`;
}

/** The entry of one volunteer in one activity: one per person, so hours are never certified twice. */
export const serviceEntryId = (activityId: string, residentId: string) => `${activityId}:${residentId}`;

const Entry = z.object({ residentId: Id, accountId: Id, minutes: z.number().int().min(1).max(24 * 60), points: z.number().int().min(0).max(100_000) });

/** Hours certified for an activity: one volunteer or a whole roster. */
export const ServiceCertifiedV1 = z.object({
  kind: z.literal('serviceCertified'),
  version: z.literal(1),
  payload: z.object({
    activityId: Id,
    activity: RequiredText(50),
    team: Text(30),
    day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    ruleId: Id,
    /** The rule's rate the points were priced at (absent from kiosks before it was kept). */
    pointsPerHour: z.number().int().min(1).max(10_000).optional(),
    /** The rule's caps when decided, as an award by rule carries them (absent from kiosks before caps counted here). */
    capPerDay: z.number().int().min(1).max(100_000).nullable().optional(),
    capPerMonth: z.number().int().min(1).max(1_000_000).nullable().optional(),
    entries: z.array(Entry).min(1).max(200),
  }),
});
type Certified = z.infer<typeof ServiceCertifiedV1>['payload'];

/**
 * The tallies a volunteer's certified points count against: the rule's day and month caps for
 * their account, the same tallies an award by rule counts against (so the two share one cap).
 */
function tallies(p: Pick<Certified, 'ruleId' | 'day' | 'capPerDay' | 'capPerMonth'>, accountId: string): { id: string; cap: number }[] {
  return capTallies(p.ruleId, accountId, p.day, p);
}

export const serviceCertified = defineKind({
  versions: [ServiceCertifiedV1],
  refs: ({ payload: p }) => [
    { table: 'rules', id: p.ruleId, is: 'existing' },
    ...p.entries.flatMap((e) => [
      { table: 'residents', id: e.residentId, is: 'existing' } as const,
      { table: 'accounts', id: e.accountId, is: 'existing' } as const,
      { table: 'serviceHours', id: serviceEntryId(p.activityId, e.residentId), is: 'new' } as const,
      ...tallies(p, e.accountId).map((t) => ({ table: 'resources', id: t.id, is: 'any' }) as const),
    ]),
  ],
  roles: ['clerk'],
  profiles: ['counter'],
  selfService: false,
  check: ({ payload: p }, view) => {
    const bad = p.entries.find((e) => view.row('residents', e.residentId)!.accountId !== e.accountId);
    return bad ? { key: 'refusedAccountMismatch', params: { accountId: bad.accountId, residentId: bad.residentId } } : null;
  },
  apply: (_view, { payload: p }) => ({
    effects: p.entries.flatMap((e): Effect[] => [
      // The entry names its rule when its points were counted against the rule's caps (a kiosk that
      // carried them, a rule that has them), so its reversal gives back what it took, and nothing it did not.
      ...(e.points > 0 ? [{ type: 'ledger', accountId: e.accountId, delta: e.points, memo: cutText(`${p.activity} ${hours(e.minutes)}`, 60), category: 'volunteering', ...(tallies(p, e.accountId).length > 0 ? { ruleId: p.ruleId } : {}) } as const] : []),
      // Two kiosks certifying past a cap offline: both applied, the second flagged capExceeded.
      ...(e.points > 0 ? tallies(p, e.accountId).map((t): Effect => ({ type: 'use', resourceId: t.id, amount: e.points, create: { capacity: t.cap }, raises: 'capExceeded' })) : []),
      {
        type: 'record', table: 'serviceHours', create: {
          id: serviceEntryId(p.activityId, e.residentId), activityId: p.activityId, activity: p.activity, team: p.team, day: p.day,
          residentId: e.residentId, accountId: e.accountId, ruleId: p.ruleId, minutes: e.minutes, points: e.points, pointsPerHour: p.pointsPerHour ?? null,
        },
      },
    ]),
  }),
});

/** A certified entry's hours corrected: the points follow, by the difference. */
export const ServiceCorrectedV1 = z.object({
  kind: z.literal('serviceCorrected'),
  version: z.literal(1),
  payload: z.object({
    entryId: z.string().min(1).max(140), minutes: z.number().int().min(0).max(24 * 60), points: z.number().int().min(0).max(100_000), reason: RequiredText(200),
    /**
     * The rule's cap tallies for the entry's day and month, with their caps, as the kiosk decided:
     * the difference counts against them, so corrections one after another stay within the caps
     * (absent on corrections made before, which moved none).
     */
    tallies: z.array(z.object({ id: z.string().min(1).max(120).regex(/^tally:[A-Za-z0-9_:-]+$/), cap: z.number().int().min(1).max(LIMITS.pointsPerEvent) })).max(2).optional(),
  }),
});

export const serviceCorrected = defineKind({
  versions: [ServiceCorrectedV1],
  refs: ({ payload: p }) => [
    { table: 'serviceHours', id: p.entryId, is: 'existing' },
    ...(p.tallies ?? []).map((t) => ({ table: 'resources', id: t.id, is: 'any' }) as const),
  ],
  roles: ['clerk'],
  profiles: ['counter'],
  selfService: false,
  // Only the entry's own rule's tallies, of its account, day and month, may move.
  check: ({ payload: p }, view) => {
    const entry = view.row('serviceHours', p.entryId)!;
    const own = new Set([tallyId(entry.ruleId, entry.accountId, entry.day), tallyId(entry.ruleId, entry.accountId, entry.day.slice(0, 7))]);
    return (p.tallies ?? []).every((t) => own.has(t.id)) ? null : { key: 'refusedInvalidEvent', params: { detail: 'tallies' } };
  },
  apply: (view, { payload: p }) => {
    const entry = view.row('serviceHours', p.entryId);
    if (!entry) return { effects: [] };
    const delta = p.points - entry.points;
    return {
      effects: [
        ...(delta !== 0 ? [{ type: 'ledger', accountId: entry.accountId, delta, memo: cutText(`更正 ${entry.activity} ${hours(p.minutes)}`, 60), category: 'correction' } as const] : []),
        // Within the caps, as the certification was: two kiosks correcting past one offline are flagged.
        ...(delta !== 0 ? (p.tallies ?? []).map((t): Effect => ({ type: 'use', resourceId: t.id, amount: delta, create: { capacity: t.cap }, raises: 'capExceeded' })) : []),
        { type: 'record', table: 'serviceHours', id: entry.id, patch: { minutes: p.minutes, points: p.points } },
      ],
    };
  },
});

/** `1.5小时` */
function hours(minutes: number): string {
  return `${Math.round((minutes / 60) * 10) / 10}小时`;
}

/** One volunteer on a roster as the clerk entered them. */
export type RosterLine = { residentId: string; accountId: string; minutes: number };

/** How many days back an activity may be certified: the week the screen lists, today included. */
export const CERTIFY_DAYS_BACK = 6;

/**
 * Decides a certification: an hourly rule that is active, an activity of today or the six days
 * before it (a roster is often certified the day after), its name, minutes above zero for each
 * volunteer, nobody twice, and nobody already certified for this activity.
 */
export function decideCertification(view: StateView, rule: EarningRule, activity: { name: string; team: string; day: string }, roster: readonly RosterLine[], today: string = activity.day): Decision<Certified> {
  if (!rule.active) return refuse('ruleInactive', { name: rule.name });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(activity.day) || activity.day > today || activity.day < addDays(today, -CERTIFY_DAYS_BACK)) return refuse('activityDayInvalid', { day: activity.day.slice(0, 10) });
  if (rule.unit !== 'hour') return refuse('ruleNotHourly', { name: rule.name });
  const name = cutText(activity.name.trim(), 50);
  if (name.length === 0) return refuse('activityMissing', {});
  const activityId = activityIdFor(activity.day, name);
  if (roster.length === 0) return refuse('rosterEmpty', {});
  const caps = { ruleId: rule.id, day: activity.day, capPerDay: rule.capPerDay, capPerMonth: rule.capPerMonth };
  const seen = new Set<string>();
  for (const line of roster) {
    if (!Number.isInteger(line.minutes) || line.minutes < 1 || line.minutes > 24 * 60) return refuse('invalidMinutes', { minutes: line.minutes });
    if (seen.has(line.residentId) || view.row('serviceHours', serviceEntryId(activityId, line.residentId))) return refuse('alreadyCertified', {});
    seen.add(line.residentId);
    // Within the rule's caps, as an award by rule (what `view` shows, pending events included).
    const points = pointsForMinutes(rule.points, line.minutes);
    for (const t of tallies(caps, line.accountId)) {
      const used = view.row('resources', t.id)?.used ?? 0;
      if (points > 0 && used + points > t.cap) {
        return refuse('rosterCapReached', { resident: view.row('residents', line.residentId)?.name ?? line.residentId, name: rule.name, cap: t.cap, used, points, period: t.id.endsWith(activity.day) ? 'day' : 'month' });
      }
    }
  }
  return accept({
    activityId, activity: name, team: cutText(activity.team.trim(), 30), day: activity.day, ruleId: rule.id, pointsPerHour: rule.points,
    capPerDay: rule.capPerDay, capPerMonth: rule.capPerMonth,
    entries: roster.map((l) => ({ ...l, points: pointsForMinutes(rule.points, l.minutes) })),
  });
}

/**
 * Decides a correction: new minutes, and the points they give at the rate the entry was certified
 * at (a rule changed since never reprices it; an entry from before the rate was kept takes its
 * rule's rate now, as corrections always did). Held as a certification is, on what `view` shows:
 * more points stay within the rule's caps for the activity's day and month (the difference moves
 * the caps' tallies, so corrections one after another are held too), and fewer points are taken
 * back only from points still there (none are spent twice).
 */
export function decideCorrection(view: StateView, entry: ServiceHours, rule: Pick<EarningRule, 'id' | 'name' | 'points' | 'capPerDay' | 'capPerMonth'>, minutes: number, reason: string): Decision<z.infer<typeof ServiceCorrectedV1>['payload']> {
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > 24 * 60) return refuse('invalidMinutes', { minutes });
  if (reason.trim().length === 0) return refuse('reversalReasonMissing', {});
  const points = pointsForMinutes(entry.pointsPerHour ?? rule.points, minutes);
  const delta = points - entry.points;
  const caps = capTallies(entry.ruleId, entry.accountId, entry.day, rule);
  if (delta > 0) {
    for (const t of caps) {
      const used = view.row('resources', t.id)?.used ?? 0;
      if (used + delta > t.cap) {
        return refuse('rosterCapReached', { resident: view.row('residents', entry.residentId)?.name ?? entry.residentId, name: rule.name, cap: t.cap, used, points: delta, period: t.id.endsWith(entry.day) ? 'day' : 'month' });
      }
    }
  }
  const balance = balanceOf(view, entry.accountId);
  if (delta < 0 && balance < -delta) return refuse('insufficientPoints', { needed: -delta, balance: Math.max(0, balance) });
  return accept({ entryId: entry.id, minutes, points, reason: cutText(reason.trim(), 200), ...(caps.length > 0 ? { tallies: caps } : {}) });
}
