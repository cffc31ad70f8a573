import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TOKEN_IN_MAIN } from '../core/index.js';
import { DeviceSecrets, keyStoreVerdict, secretsService, SecretsUnreadable, type SafeBox, type SecretFile } from './secrets.js';

/** A stand-in for safeStorage's async box: reverses the bytes (so the text is not there plain). */
const box: SafeBox = {
  encrypt: (t) => Promise.resolve(Buffer.from(t).reverse()),
  decrypt: (b) => Promise.resolve({ result: Buffer.from(b).reverse().toString(), shouldReEncrypt: false }),
};
const sealed = (t: string) => Buffer.from(t).reverse();
function memoryFile(): SecretFile & { data: Buffer | null } {
  const f = { data: null as Buffer | null, read: () => f.data, write: (d: Buffer) => void (f.data = d) };
  return f;
}
const hash = (pin: string) => createHash('sha256').update(pin).digest('base64');
const token = 'Token_abcdefghijklmnopqrstuvwxyz0123456789AB';

describe('device secrets in the main process', () => {
  it('keeps the token and the PIN-wrapping secret sealed across restarts', async () => {
    const file = memoryFile();
    const first = await DeviceSecrets.create(box, file);
    await first.keepEnrolment(token, 'canteen');
    const wrapped = first.wrapPin(hash('246810'));
    expect(file.data!.toString()).not.toContain(token); // sealed by the box, not plain
    const again = (await DeviceSecrets.open(box, file))!;
    expect(again.token()).toBe(token);
    expect(again.profile()).toBe('canteen');
    expect(again.checkPin(wrapped, hash('246810'))).toBe(true);
    expect(again.checkPin(wrapped, hash('246811'))).toBe(false);
  });

  it("never accepts a hash wrapped by another device's secret, or a wrapped value that was changed", async () => {
    const a = await DeviceSecrets.create(box, memoryFile());
    const b = await DeviceSecrets.create(box, memoryFile());
    const wrapped = a.wrapPin(hash('246810'));
    expect(b.checkPin(wrapped, hash('246810'))).toBe(false);
    const bytes = Buffer.from(wrapped, 'base64');
    bytes[bytes.length - 1]! ^= 1;
    expect(a.checkPin(bytes.toString('base64'), hash('246810'))).toBe(false);
  });

  it('never silently replaces a secrets file it cannot read: the token and the PIN key are not thrown away', async () => {
    const file = memoryFile();
    await (await DeviceSecrets.create(box, file)).keepEnrolment(token, 'counter');
    const kept = Buffer.from(file.data!);
    const writes: Buffer[] = [];
    const watched: SecretFile = { read: () => file.read(), write: (d) => void writes.push(d) };
    // Sealed by another keychain: decrypting fails (at once, or later).
    await expect(DeviceSecrets.open({ ...box, decrypt: () => Promise.reject(new Error('bad key')) }, watched)).rejects.toThrow(SecretsUnreadable);
    await expect(DeviceSecrets.open({ ...box, decrypt: () => { throw new Error('bad key'); } }, watched)).rejects.toThrow(SecretsUnreadable);
    // Decrypts (and the keychain even asks for a new seal), but is not what this version wrote.
    const reseal: SafeBox = { ...box, decrypt: async (b) => ({ ...(await box.decrypt(b)), shouldReEncrypt: true }) };
    file.data = sealed(JSON.stringify({ secret: 'short', token: 1 }));
    await expect(DeviceSecrets.open(reseal, watched)).rejects.toThrow(SecretsUnreadable);
    file.data = sealed('{ cut sho');
    await expect(DeviceSecrets.open(reseal, watched)).rejects.toThrow(SecretsUnreadable);
    // Nothing was written over the file while failing.
    expect(writes).toEqual([]);
    file.data = kept;
    expect((await DeviceSecrets.open(box, file))!.token()).toBe(token);
    expect(await DeviceSecrets.open(box, memoryFile())).toBeNull();
  });

  it("seals the same secrets again when the keychain's key was rotated, and they still open", async () => {
    const file = memoryFile();
    const first = await DeviceSecrets.create(box, file);
    await first.keepEnrolment(token, 'counter');
    const wrapped = first.wrapPin(hash('246810'));
    // The old seal: another "key" (a prefix); the keychain opens it and asks for a new seal.
    file.data = Buffer.concat([Buffer.from('old:'), file.data!]);
    const rotated: SafeBox = {
      encrypt: box.encrypt,
      decrypt: async (b) => b.subarray(0, 4).toString() === 'old:'
        ? { result: (await box.decrypt(b.subarray(4))).result, shouldReEncrypt: true }
        : box.decrypt(b),
    };
    const opened = (await DeviceSecrets.open(rotated, file))!;
    expect(opened.token()).toBe(token);
    expect(file.data.subarray(0, 4).toString()).not.toBe('old:'); // written again, with the new seal
    const again = (await DeviceSecrets.open(box, file))!;
    expect(again.token()).toBe(token);
    expect(again.checkPin(wrapped, hash('246810'))).toBe(true);
  });

  it('writes the secrets in the order they changed, however long sealing takes', async () => {
    const file = memoryFile();
    const delays = [30, 0]; // the first seal takes longer than the second
    const uneven: SafeBox = { ...box, encrypt: (t) => new Promise((resolve) => setTimeout(() => resolve(Buffer.from(t).reverse()), delays.shift() ?? 0)) };
    await DeviceSecrets.create(box, file);
    const secrets = (await DeviceSecrets.open(uneven, file))!;
    await Promise.all([secrets.keepEnrolment('Token_first_abcdefghijklmnopqrstuvwxyz0123', 'counter'), secrets.keepEnrolment(token, 'canteen')]);
    expect((await DeviceSecrets.open(box, file))!.token()).toBe(token);
  });
});

describe('the bridge never hands the page the token', () => {
  it('answers the placeholder once main holds a token, and takes no token from the page', async () => {
    const secrets = await DeviceSecrets.create(box, memoryFile());
    const bridge = secretsService(secrets);
    expect(bridge.token()).toBeNull();
    await secrets.keepEnrolment(token, 'counter');
    expect(bridge.token()).toBe(TOKEN_IN_MAIN);
    expect(() => bridge.saveToken(TOKEN_IN_MAIN)).not.toThrow();
    expect(() => bridge.saveToken('Attacker_token_0123456789abcdef')).toThrow(/keeps the token/);
    expect(secrets.token()).toBe(token);
  });
});

describe('the keychain behind safeStorage', () => {
  /** A keychain whose backend is known only once the async encryptor was started (as Electron's). */
  const store = (available: boolean, backend: string) => {
    let started = false;
    return {
      isAsyncEncryptionAvailable: () => {
        started = true;
        return Promise.resolve(available);
      },
      getSelectedStorageBackend: () => (started ? backend : 'unknown'),
    };
  };
  const windows = (available: boolean) => ({ isAsyncEncryptionAvailable: () => Promise.resolve(available) });

  it('is used when the OS protects it', async () => {
    expect(await keyStoreVerdict(store(true, 'gnome_libsecret'), 'linux', false)).toEqual({ kind: 'ok' });
    expect(await keyStoreVerdict(store(true, 'kwallet6'), 'linux', false)).toEqual({ kind: 'ok' });
    expect(await keyStoreVerdict(windows(true), 'win32', false)).toEqual({ kind: 'ok' });
  });

  it("refuses Linux's plain-text fallback, and says in Chinese what it means and what to do", async () => {
    const v = await keyStoreVerdict(store(true, 'basic_text'), 'linux', false);
    expect(v.kind).toBe('refuse');
    expect(v.kind !== 'ok' && v.message).toMatch(/密钥环.*冒充本柜台[\s\S]*gnome-keyring/);
    expect((await keyStoreVerdict(store(false, 'unknown'), 'linux', false)).kind).toBe('refuse');
    expect((await keyStoreVerdict(windows(false), 'win32', false)).kind).toBe('refuse');
  });

  it('warns plainly when the centre chose to accept it', async () => {
    const v = await keyStoreVerdict(store(true, 'basic_text'), 'linux', true);
    expect(v.kind).toBe('warn');
    expect(v.kind !== 'ok' && v.message).toMatch(/接受这一风险/);
  });
});
