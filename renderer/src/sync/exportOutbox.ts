import { EXPORT_FORMAT, EXPORT_SIGN_ALGORITHM, formatShanghai, type OutboxExport } from '../../../core/index.js';
import type { KeysMeta, LinliDb } from '../store/db.js';

/**
 * Writes the kiosk's waiting events to an export file (see core/sync/exportFile.ts), signed with
 * the device's private key. The outbox is left as it is: the events are pushed again when the
 * network is back, and the server answers `duplicate` for those the import applied. `kept`: every
 * event the kiosk still keeps, acknowledged ones too (the Electron kiosk's daily backup).
 */
export async function exportOutbox(db: LinliDb, now: number, which: 'pending' | 'kept' = 'pending'): Promise<{ text: string; fileName: string; count: number } | null> {
  const device = await db.device();
  const keys = (await db.meta.get('keys')) as KeysMeta | undefined;
  if (!device || !keys) throw new Error('this kiosk is not enrolled with a signing key');
  const rows = which === 'pending' ? db.outbox.where('status').equals('pending') : db.outbox.toCollection();
  const events = (await rows.sortBy('seq')).map((r) => r.event);
  if (events.length === 0) return null;
  const body: OutboxExport = {
    format: EXPORT_FORMAT, deviceId: device.deviceId, deviceCode: device.deviceCode, centreId: device.centreId,
    exportedAt: new Date(now).toISOString(), events,
  };
  const bodyText = JSON.stringify(body);
  const signature = new Uint8Array(await crypto.subtle.sign(EXPORT_SIGN_ALGORITHM, keys.pair.privateKey, new TextEncoder().encode(bodyText)));
  const stamp = formatShanghai(now).replace(/[-: ]/g, '').slice(0, 12);
  return {
    text: JSON.stringify({ body: bodyText, signature: base64url(signature) }),
    fileName: `linli-${device.deviceCode}-${stamp}-${events[0]!.seq}-${events[events.length - 1]!.seq}.json`,
    count: events.length,
  };
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Whether an error is the browser's storage quota (or a full disk) refusing a write. */
export function isQuotaError(err: unknown): boolean {
  const names = [err, (err as { inner?: unknown } | null)?.inner].map((e) => (e as { name?: unknown } | null)?.name);
  return names.includes('QuotaExceededError');
}
