import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DeviceSecrets, type SafeBox, type SecretFile } from './secrets.js';

const box: SafeBox = { encrypt: (t) => Buffer.from(t).reverse(), decrypt: (b) => Buffer.from(b).reverse().toString() };
function memoryFile(): SecretFile & { data: Buffer | null } {
  const f = { data: null as Buffer | null, read: () => f.data, write: (d: Buffer) => void (f.data = d) };
  return f;
}
const hash = (pin: string) => createHash('sha256').update(pin).digest('base64');

describe('device secrets in the main process', () => {
  it('keeps the token and the PIN-wrapping secret sealed across restarts', () => {
    const file = memoryFile();
    const first = new DeviceSecrets(box, file);
    const token = 'Token_abcdefghijklmnopqrstuvwxyz0123456789AB';
    first.saveToken(token);
    const wrapped = first.wrapPin(hash('246810'));
    expect(file.data!.toString()).not.toContain(token); // sealed by the box, not plain
    const again = new DeviceSecrets(box, file);
    expect(again.token()).toBe(token);
    expect(again.checkPin(wrapped, hash('246810'))).toBe(true);
    expect(again.checkPin(wrapped, hash('246811'))).toBe(false);
  });

  it("never accepts a hash wrapped by another device's secret, or a wrapped value that was changed", () => {
    const a = new DeviceSecrets(box, memoryFile());
    const b = new DeviceSecrets(box, memoryFile());
    const wrapped = a.wrapPin(hash('246810'));
    expect(b.checkPin(wrapped, hash('246810'))).toBe(false);
    const bytes = Buffer.from(wrapped, 'base64');
    bytes[bytes.length - 1]! ^= 1;
    expect(a.checkPin(bytes.toString('base64'), hash('246810'))).toBe(false);
  });
});
