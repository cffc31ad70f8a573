import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TOKEN_IN_MAIN } from '../core/index.js';
import { DeviceSecrets, keyStoreVerdict, secretsService, SecretsUnreadable, type SafeBox, type SecretFile } from './secrets.js';

const box: SafeBox = { encrypt: (t) => Buffer.from(t).reverse(), decrypt: (b) => Buffer.from(b).reverse().toString() };
function memoryFile(): SecretFile & { data: Buffer | null } {
  const f = { data: null as Buffer | null, read: () => f.data, write: (d: Buffer) => void (f.data = d) };
  return f;
}
const hash = (pin: string) => createHash('sha256').update(pin).digest('base64');
const token = 'Token_abcdefghijklmnopqrstuvwxyz0123456789AB';

describe('device secrets in the main process', () => {
  it('keeps the token and the PIN-wrapping secret sealed across restarts', () => {
    const file = memoryFile();
    const first = DeviceSecrets.create(box, file);
    first.keepEnrolment(token, 'canteen');
    const wrapped = first.wrapPin(hash('246810'));
    expect(file.data!.toString()).not.toContain(token); // sealed by the box, not plain
    const again = DeviceSecrets.open(box, file)!;
    expect(again.token()).toBe(token);
    expect(again.profile()).toBe('canteen');
    expect(again.checkPin(wrapped, hash('246810'))).toBe(true);
    expect(again.checkPin(wrapped, hash('246811'))).toBe(false);
  });

  it("never accepts a hash wrapped by another device's secret, or a wrapped value that was changed", () => {
    const a = DeviceSecrets.create(box, memoryFile());
    const b = DeviceSecrets.create(box, memoryFile());
    const wrapped = a.wrapPin(hash('246810'));
    expect(b.checkPin(wrapped, hash('246810'))).toBe(false);
    const bytes = Buffer.from(wrapped, 'base64');
    bytes[bytes.length - 1]! ^= 1;
    expect(a.checkPin(bytes.toString('base64'), hash('246810'))).toBe(false);
  });

  it('never silently replaces a secrets file it cannot read: the token and the PIN key are not thrown away', () => {
    const file = memoryFile();
    DeviceSecrets.create(box, file).keepEnrolment(token, 'counter');
    const kept = Buffer.from(file.data!);
    // Sealed by another keychain: decrypting fails.
    expect(() => DeviceSecrets.open({ ...box, decrypt: () => { throw new Error('bad key'); } }, file)).toThrow(SecretsUnreadable);
    // Decrypts, but is not what this version wrote.
    file.data = box.encrypt(JSON.stringify({ secret: 'short', token: 1 }));
    expect(() => DeviceSecrets.open(box, file)).toThrow(SecretsUnreadable);
    file.data = box.encrypt('{ cut sho');
    expect(() => DeviceSecrets.open(box, file)).toThrow(SecretsUnreadable);
    // Nothing was written over the file while failing.
    file.data = kept;
    expect(DeviceSecrets.open(box, file)!.token()).toBe(token);
    expect(DeviceSecrets.open(box, memoryFile())).toBeNull();
  });
});

describe('the bridge never hands the page the token', () => {
  it('answers the placeholder once main holds a token, and takes no token from the page', () => {
    const secrets = DeviceSecrets.create(box, memoryFile());
    const bridge = secretsService(secrets);
    expect(bridge.token()).toBeNull();
    secrets.keepEnrolment(token, 'counter');
    expect(bridge.token()).toBe(TOKEN_IN_MAIN);
    expect(() => bridge.saveToken(TOKEN_IN_MAIN)).not.toThrow();
    expect(() => bridge.saveToken('Attacker_token_0123456789abcdef')).toThrow(/keeps the token/);
    expect(secrets.token()).toBe(token);
  });
});

describe('the keychain behind safeStorage', () => {
  const store = (available: boolean, backend: string) => ({ isEncryptionAvailable: () => available, getSelectedStorageBackend: () => backend });

  it('is used when the OS protects it', () => {
    expect(keyStoreVerdict(store(true, 'gnome_libsecret'), 'linux', false)).toEqual({ kind: 'ok' });
    expect(keyStoreVerdict(store(true, 'kwallet6'), 'linux', false)).toEqual({ kind: 'ok' });
    expect(keyStoreVerdict({ isEncryptionAvailable: () => true }, 'win32', false)).toEqual({ kind: 'ok' });
  });

  it("refuses Linux's plain-text fallback, and says in Chinese what it means and what to do", () => {
    const v = keyStoreVerdict(store(true, 'basic_text'), 'linux', false);
    expect(v.kind).toBe('refuse');
    expect(v.kind !== 'ok' && v.message).toMatch(/密钥环.*冒充本柜台[\s\S]*gnome-keyring/);
    expect(keyStoreVerdict(store(false, 'unknown'), 'linux', false).kind).toBe('refuse');
    expect(keyStoreVerdict({ isEncryptionAvailable: () => false }, 'win32', false).kind).toBe('refuse');
  });

  it('warns plainly when the centre chose to accept it', () => {
    const v = keyStoreVerdict(store(true, 'basic_text'), 'linux', true);
    expect(v.kind).toBe('warn');
    expect(v.kind !== 'ok' && v.message).toMatch(/接受这一风险/);
  });
});
