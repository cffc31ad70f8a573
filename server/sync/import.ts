import { webcrypto } from 'node:crypto';
import {
  EcPublicJwk, EXPORT_KEY_ALGORITHM, EXPORT_SIGN_ALGORITHM, MAX_PUSH_EVENTS, OutboxExport, SignedExport, type ImportResult,
} from '../../core/index.js';
import type { Db } from '../db/db.js';
import { push, type AuthedDevice } from './push.js';
import { SyncRefusal } from './refusal.js';

/**
 * Imports a device's outbox export file for a centre. The file must parse, name a device of this
 * centre, and carry that device's signature over its exact bytes; then its events go through
 * `push` in batches, so an event the device pushed already (or an earlier import of the same
 * file) answers `duplicate` and changes nothing. A file that fails a check is refused whole.
 */
export async function importExport(db: Db, centreId: string, fileText: string, now: Date): Promise<ImportResult> {
  const refuse = (why: string): never => {
    throw new SyncRefusal('exportInvalid', 400, why);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(fileText);
  } catch {
    return refuse('the file is not whole (truncated or not an export file)');
  }
  const file = SignedExport.safeParse(parsed);
  if (!file.success) return refuse('the file is not a Linli outbox export');
  const [device] = await db.query<{ id: string; code: string; profile: AuthedDevice['profile']; public_key: unknown; revoked: boolean }>(
    'SELECT id, code, profile, public_key, revoked_at IS NOT NULL AS revoked FROM device WHERE centre_id = $1 AND id = $2',
    [centreId, peekDeviceId(file.data.body)],
  );
  if (!device) return refuse('the file is from a device of another centre, or an unknown device');
  const jwk = EcPublicJwk.safeParse(device.public_key);
  if (!jwk.success) return refuse(`device ${device.code} has no signing key on the server`);
  if (!(await verify(jwk.data, file.data.body, file.data.signature))) return refuse(`the signature does not match device ${device.code}: the file was changed`);
  let body: OutboxExport;
  try {
    body = OutboxExport.parse(JSON.parse(file.data.body));
  } catch {
    return refuse('the signed content is not a valid export');
  }
  if (body.deviceId !== device.id || body.centreId !== centreId) return refuse('the file names another device or centre');
  const authed: AuthedDevice = { id: device.id, centreId, code: device.code, profile: device.profile };
  const result: ImportResult = { deviceCode: device.code, events: body.events.length, applied: 0, duplicate: 0, rejected: 0, conflicts: 0, exceptions: 0 };
  const events = [...body.events].sort((a, b) => a.seq - b.seq);
  for (let i = 0; i < events.length; i += MAX_PUSH_EVENTS) {
    const res = await push(db, authed, events.slice(i, i + MAX_PUSH_EVENTS), now);
    for (const o of res.outcomes) {
      if (o.status === 'applied') {
        result.applied += 1;
        if (o.exceptions.length > 0) result.exceptions += 1;
      }
      else if (o.status === 'duplicate') result.duplicate += 1;
      else if (o.status === 'rejected') result.rejected += 1;
      else result.conflicts += 1;
    }
  }
  return result;
}

/** The device id a body names, read before the signature is checked (to find the key). */
function peekDeviceId(body: string): string {
  try {
    const v: unknown = JSON.parse(body);
    return typeof v === 'object' && v !== null && 'deviceId' in v && typeof v.deviceId === 'string' ? v.deviceId : '';
  } catch {
    return '';
  }
}

async function verify(jwk: EcPublicJwk, body: string, signature: string): Promise<boolean> {
  try {
    const key = await webcrypto.subtle.importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, EXPORT_KEY_ALGORITHM, false, ['verify']);
    return await webcrypto.subtle.verify(EXPORT_SIGN_ALGORITHM, key, Buffer.from(signature, 'base64url'), new TextEncoder().encode(body));
  } catch {
    return false;
  }
}
