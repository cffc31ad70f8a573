import { EXPORT_FORMAT, EXPORT_KEY_ALGORITHM, EXPORT_SIGN_ALGORITHM, type OutboxExport } from '../../core/index.js';
import { eventMaker, NOW } from '../support/centre.js';

/** A signed outbox export as a kiosk page makes it (renderer/src/sync/exportOutbox.ts), for main's backup tests. */
export async function signedExport(deviceId = 'wzgl-d-test', deviceCode = 'K09'): Promise<string> {
  const next = eventMaker(deviceId);
  const events = [1, 2, 3].map((n) => next({ kind: 'pointsAwarded', version: 1, payload: { accountId: 'wzgl-a1', points: n * 10, category: 'volunteering', note: '' } }));
  const body: OutboxExport = { format: EXPORT_FORMAT, deviceId, deviceCode, centreId: 'wzgl', exportedAt: NOW.toISOString(), events };
  const text = JSON.stringify(body);
  const pair = await crypto.subtle.generateKey(EXPORT_KEY_ALGORITHM, false, ['sign', 'verify']);
  const signature = new Uint8Array(await crypto.subtle.sign(EXPORT_SIGN_ALGORITHM, pair.privateKey, new TextEncoder().encode(text)));
  return JSON.stringify({ body: text, signature: Buffer.from(signature).toString('base64url') });
}
