import { z } from 'zod';
import { Id } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind } from '../events/kind.js';
import { RequiredText, Text } from '../text/text.js';
import { weekdayOf } from '../canteen/rows.js';

/**
 * The week's services (服务时间表): what the centre offers on a timetable, such as free haircuts,
 * health checks and tutoring every Tuesday (红色星期二) and haircuts on the first Monday of the
 * month. An admin sets them; every device receives them (the self-service touchscreen shows the
 * week). A service is never deleted: it is made inactive.
 *
 * A service falls on `weekday` (1 Monday … 7 Sunday) of every week, or, with `nthWeek`, on the
 * nth such weekday of each month only. Worked example: weekday 1, nthWeek 1 in December 2026 →
 * Monday 2026-12-07 (the 1st is a Tuesday); weekday 2, nthWeek null → every Tuesday.
 */
export const ScheduledService = z.object({
  id: Id,
  centreId: Id,
  name: z.string().min(1).max(30),
  team: z.string().max(30),
  weekday: z.number().int().min(1).max(7),
  nthWeek: z.number().int().min(1).max(5).nullable(),
  startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
  endTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
  place: z.string().max(30),
  note: z.string().max(100),
  active: z.boolean(),
  changeSeq: z.number().int().nonnegative(),
});
export type ScheduledService = z.infer<typeof ScheduledService>;

const Fields = z.object({
  serviceId: Id,
  name: RequiredText(30),
  team: Text(30),
  weekday: z.number().int().min(1).max(7),
  nthWeek: z.number().int().min(1).max(5).nullable(),
  startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
  endTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
  place: Text(30),
  note: Text(100),
  active: z.boolean(),
});
export type ServiceSetting = z.infer<typeof Fields>;

/** A service put on the timetable or changed by an admin. */
export const ServiceScheduledV1 = z.object({ kind: z.literal('serviceScheduled'), version: z.literal(1), payload: Fields });

export const serviceScheduled = defineKind({
  versions: [ServiceScheduledV1],
  refs: ({ payload: p }) => [{ table: 'services', id: p.serviceId, is: 'any' }],
  roles: [],
  profiles: [],
  selfService: false,
  apply: (view, { payload: { serviceId, ...fields } }) => ({
    effects: [view.row('services', serviceId)
      ? { type: 'record', table: 'services', id: serviceId, patch: fields }
      : { type: 'record', table: 'services', create: { id: serviceId, ...fields } }],
  }),
});

/** What an admin typed for a service. */
export type ServiceForm = Omit<ServiceSetting, 'serviceId'>;

/** Decides a service: a name, a weekday, a start before its end. */
export function decideService(serviceId: string, form: ServiceForm): Decision<ServiceSetting> {
  const name = form.name.trim();
  if (name.length === 0 || name.length > 30) return refuse('serviceNameMissing', {});
  const parsed = Fields.safeParse({ ...form, serviceId, name, team: form.team.trim(), place: form.place.trim(), note: form.note.trim() });
  if (!parsed.success || parsed.data.startTime >= parsed.data.endTime) return refuse('serviceTimeInvalid', { start: String(form.startTime).slice(0, 5), end: String(form.endTime).slice(0, 5) });
  return accept(parsed.data);
}

/** Whether a service falls on a day (YYYY-MM-DD). */
export function fallsOn(service: Pick<ScheduledService, 'weekday' | 'nthWeek' | 'active'>, day: string): boolean {
  if (!service.active || weekdayOf(day) !== service.weekday) return false;
  return service.nthWeek === null || Math.ceil(Number(day.slice(8, 10)) / 7) === service.nthWeek;
}

/** The days of the week that starts on `monday` (YYYY-MM-DD), each with its services by start time. */
export function weekOfServices<S extends Pick<ScheduledService, 'weekday' | 'nthWeek' | 'active' | 'startTime' | 'name'>>(services: readonly S[], monday: string): { day: string; services: S[] }[] {
  const [y, m, d] = monday.split('-').map(Number) as [number, number, number];
  return Array.from({ length: 7 }, (_, i) => {
    const day = new Date(Date.UTC(y, m - 1, d + i)).toISOString().slice(0, 10);
    return { day, services: services.filter((s) => fallsOn(s, day)).sort((a, b) => a.startTime.localeCompare(b.startTime) || a.name.localeCompare(b.name, 'zh')) };
  });
}
