import { createHash } from 'node:crypto';
import { uuidv7, type LinliEvent, type ServiceSetting } from '../../core/index.js';
import type { Db } from '../db/db.js';
import { push } from '../sync/push.js';

/**
 * The demo centre's week of services, as the articles tell it (DOMAIN.md): free haircuts, health
 * checks and tutoring every Tuesday (红色星期二), haircuts on the first Monday of each month.
 * Entered as an admin enters them: `serviceScheduled` events of the centre's import device.
 */
export const DEMO_SERVICES: readonly ServiceSetting[] = [
  { serviceId: 'sv-haircut-tue', name: '义务理发', team: '志愿服务队', weekday: 2, nthWeek: null, startTime: '09:00', endTime: '11:30', place: '一楼活动室', note: '红色星期二', active: true },
  { serviceId: 'sv-health-tue', name: '健康检查（量血压、测血糖）', team: '健康服务队', weekday: 2, nthWeek: null, startTime: '08:30', endTime: '11:00', place: '卫生服务站', note: '红色星期二', active: true },
  { serviceId: 'sv-tutoring-tue', name: '课业辅导', team: '大学生志愿者', weekday: 2, nthWeek: null, startTime: '15:00', endTime: '17:00', place: '自习室', note: '红色星期二', active: true },
  { serviceId: 'sv-haircut-mon1', name: '义务理发', team: '志愿服务队', weekday: 1, nthWeek: 1, startTime: '09:00', endTime: '11:30', place: '一楼活动室', note: '每月第一个星期一', active: true },
];

/** Puts the demo services on a centre's timetable, once: nothing when it has any service already. */
export async function ensureDemoServices(db: Db, centreId: string, now: Date): Promise<number> {
  const [has] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM scheduled_service WHERE centre_id = $1', [centreId]);
  if ((has?.n ?? 0) > 0) return 0;
  const deviceId = `${centreId}-import`;
  const [device] = await db.query<{ last_seq: number }>('SELECT last_seq FROM device WHERE id = $1', [deviceId]);
  if (!device) return 0;
  // Ids from the centre and the service, so the demo is the same on every machine.
  const idBytes = (text: string) => new Uint8Array(createHash('sha256').update(text).digest().subarray(0, 16));
  const events = DEMO_SERVICES.map((payload, i): LinliEvent => ({
    id: uuidv7(now.getTime(), idBytes(`${centreId}/${payload.serviceId}`)), deviceId, seq: device.last_seq + 1 + i, staffId: `${centreId}-s1`,
    at: now.toISOString(), clockOffset: 0, basis: 0, kind: 'serviceScheduled', version: 1, payload,
  }));
  await push(db, { id: deviceId, centreId, code: 'IMPORT', profile: 'server' }, events, now);
  return events.length;
}
