import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * What the main process keeps for the kiosk and never gives the page or the sync: the device
 * token, and a 32-byte device secret that wraps the staff PIN hashes the kiosk replicates. Both
 * are stored encrypted with the OS's keychain (`safeStorage`, injected here as `SafeBox`), so a
 * copy of the kiosk's IndexedDB alone gives neither the token nor the PIN hashes up.
 */
export type SafeBox = { encrypt(plain: string): Buffer; decrypt(sealed: Buffer): string };
/** Where the sealed secrets live (a file in userData); injected for tests. */
export type SecretFile = { read(): Buffer | null; write(data: Buffer): void };

const Stored = z.object({ secret: z.string().length(44), token: z.string().nullable() });

export class DeviceSecrets {
  private state: z.infer<typeof Stored>;

  constructor(private readonly box: SafeBox, private readonly file: SecretFile) {
    const sealed = file.read();
    const loaded = sealed ? Stored.safeParse(JSON.parse(box.decrypt(sealed))) : null;
    this.state = loaded?.success ? loaded.data : { secret: randomBytes(32).toString('base64'), token: null };
    if (!loaded?.success) this.save();
  }

  private save(): void {
    this.file.write(this.box.encrypt(JSON.stringify(this.state)));
  }

  saveToken(token: string): void {
    this.state = { ...this.state, token };
    this.save();
  }

  token(): string | null {
    return this.state.token;
  }

  /** Wraps a PIN hash (base64) with the device secret: AES-256-GCM, answered as base64(iv‖tag‖data). */
  wrapPin(hashB64: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(this.state.secret, 'base64'), iv);
    const data = Buffer.concat([cipher.update(Buffer.from(hashB64, 'base64')), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64');
  }

  /** Whether a candidate hash (base64) is the wrapped one; a wrapped value of another device never is. */
  checkPin(wrapped: string, candidateB64: string): boolean {
    try {
      const raw = Buffer.from(wrapped, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', Buffer.from(this.state.secret, 'base64'), raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      const hash = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
      const candidate = Buffer.from(candidateB64, 'base64');
      return hash.length === candidate.length && timingSafeEqual(hash, candidate);
    } catch {
      return false;
    }
  }
}

/** The bridge's secret calls over the device secrets. */
export function secretsService(secrets: Pick<DeviceSecrets, 'saveToken' | 'token' | 'wrapPin' | 'checkPin'>) {
  return {
    saveToken: (token: string) => secrets.saveToken(token),
    token: () => secrets.token(),
    wrapPin: (hashB64: string) => secrets.wrapPin(hashB64),
    checkPin: (wrapped: string, candidateB64: string) => secrets.checkPin(wrapped, candidateB64),
  };
}
