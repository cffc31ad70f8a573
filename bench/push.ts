import { uuidv7, type LinliEvent } from '../core/index.js';
import { EnrolResponse, PushResponse } from '../core/index.js';
import { DEMO_GOODS } from '../server/demo/generate.js';

/**
 * Pushes `total` redemptions from `devices` kiosks of the demo centre to a running server over
 * HTTP, each kiosk in batches of 500 one after another (as the sync client does), the kiosks at
 * once. Answers events per second from the first request to the last answer.
 *
 * The redemptions are what kiosks really send: volunteers (who hold points) taking everyday
 * goods (40 points or less). A kiosk refuses an overdraft itself, so few of them overdraw.
 */
/** The demo centre's everyday goods (40 points or less), what the pushing kiosks redeem. */
export const EVERYDAY_GOODS = DEMO_GOODS.flatMap(([, price], i) => (price <= 40 ? [{ goodsId: `wzgl-g${i + 1}`, pointPrice: price }] : []));

export async function pushRate(serverUrl: string, pairingCodes: readonly string[], total: number, volunteers: number): Promise<number> {
  const everyday = EVERYDAY_GOODS;
  const devices = await Promise.all(pairingCodes.map(async (pairingCode) => {
    const res = await fetch(`${serverUrl}/api/devices/enrol`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pairingCode }) });
    const body: unknown = await res.json();
    if (!res.ok) throw new Error(`enrolment refused: ${JSON.stringify(body)}`);
    return EnrolResponse.parse(body);
  }));
  const perDevice = Math.ceil(total / devices.length);
  const batches = devices.map((d, k) => {
    const events: LinliEvent[] = [];
    for (let i = 0; i < perDevice && k * perDevice + i < total; i++) {
      const n = k * perDevice + i;
      const r = 1 + ((n * 7919) % volunteers);
      const goods = everyday[n % everyday.length]!;
      const bytes = new Uint8Array(16);
      new DataView(bytes.buffer).setUint32(10, n);
      events.push({
        id: uuidv7(Date.UTC(2026, 10, 25) + n, bytes), deviceId: d.deviceId, seq: i + 1, staffId: 'wzgl-s2',
        at: new Date(Date.UTC(2026, 10, 25, 3) + n * 1000).toISOString(), clockOffset: 0, basis: 0,
        kind: 'goodsRedeemed', version: 1,
        payload: { accountId: `wzgl-a${r}`, residentId: `wzgl-r${r}`, lines: [{ ...goods, quantity: 1 }] },
      });
    }
    return { token: d.token, events };
  });
  const started = performance.now();
  await Promise.all(batches.map(async ({ token, events }) => {
    for (let i = 0; i < events.length; i += 500) {
      const res = await fetch(`${serverUrl}/api/sync/push`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ events: events.slice(i, i + 500) }),
      });
      const body = PushResponse.parse(await res.json());
      if (body.outcomes.some((o) => o.status !== 'applied')) throw new Error(`push not applied: ${JSON.stringify(body.outcomes.find((o) => o.status !== 'applied'))}`);
    }
  }));
  return total / ((performance.now() - started) / 1000);
}
