import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { CARD_HASH_BYTES, CARD_KEY_LABEL, TOKEN_IN_MAIN } from '../core/index.js';

/**
 * What the main process keeps for the kiosk and never gives the page or the sync: the device
 * token, and a 32-byte device secret that wraps the staff PIN hashes the kiosk replicates. Both
 * are stored encrypted with the OS's keychain (`safeStorage`, injected here as `SafeBox`), so a
 * copy of the kiosk's IndexedDB alone gives neither the token nor the PIN hashes up.
 *
 * A secrets file that is there but cannot be opened (another keychain, a changed file, a disk
 * fault) is never silently replaced: `open` throws `SecretsUnreadable`, and main keeps the file
 * aside and tells staff (see files.ts). Replacing it would lose the token and kill every wrapped PIN.
 */
export type SafeBox = {
  encrypt(plain: string): Promise<Buffer>;
  /** `shouldReEncrypt`: the keychain's key was rotated (or a stronger one is there): seal the text again and write it back. */
  decrypt(sealed: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
};
/** Where the sealed secrets live (a file in userData); injected for tests. */
export type SecretFile = { read(): Buffer | null; write(data: Buffer): void };

/** The kiosk page's session when nothing else was chosen; a kiosk paired again gets a new one. */
export const FIRST_PARTITION = 'persist:kiosk';

const Stored = z.object({
  secret: z.string().length(44),
  token: z.string().nullable(),
  /** The profile the server enrolled this kiosk as (the calling screen is a canteen's). */
  profile: z.enum(['selfService', 'counter', 'canteen']).nullable().default(null),
  /** The session partition of the kiosk page whose database these secrets belong to. */
  partition: z.string().regex(/^persist:kiosk[a-z0-9-]*$/).default(FIRST_PARTITION),
});
type State = z.infer<typeof Stored>;
/** A kiosk's profile, as its enrolment answered. */
export type DeviceProfile = NonNullable<State['profile']>;

/** The secrets file is there but cannot be opened: it was sealed by another keychain, or changed. */
export class SecretsUnreadable extends Error {}

export class DeviceSecrets {
  /** The last write, so writes land in the order they were asked for (sealing is async). */
  private saving: Promise<void> = Promise.resolve();

  private constructor(private readonly box: SafeBox, private readonly file: SecretFile, private state: State) {}

  /**
   * Opens the sealed secrets; null when there is no file; rejects with `SecretsUnreadable` when there
   * is one that cannot be read (and leaves it as it is). A file the keychain asks to seal again (its
   * key rotated) is written again with the same secrets.
   */
  static async open(box: SafeBox, file: SecretFile): Promise<DeviceSecrets | null> {
    const sealed = file.read();
    if (!sealed) return null;
    let opened: { result: string; shouldReEncrypt: boolean };
    let parsed: z.ZodSafeParseResult<State>;
    try {
      opened = await box.decrypt(sealed);
      parsed = Stored.safeParse(JSON.parse(opened.result));
    } catch (err) {
      throw new SecretsUnreadable(`the secrets file cannot be decrypted: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!parsed.success) throw new SecretsUnreadable(`the secrets file is not what this version wrote: ${parsed.error.issues[0]?.message ?? ''}`);
    const secrets = new DeviceSecrets(box, file, parsed.data);
    if (opened.shouldReEncrypt) await secrets.save();
    return secrets;
  }

  /** New secrets for a kiosk not paired yet, its page in `partition`; written before they are answered. */
  static async create(box: SafeBox, file: SecretFile, partition = FIRST_PARTITION): Promise<DeviceSecrets> {
    const s = new DeviceSecrets(box, file, { secret: randomBytes(32).toString('base64'), token: null, profile: null, partition });
    await s.save();
    return s;
  }

  /** Seals the state as it is now and writes it, after any write asked for before. */
  private save(): Promise<void> {
    const state = this.state;
    const write = this.saving.catch(() => undefined).then(async () => this.file.write(await this.box.encrypt(JSON.stringify(state))));
    this.saving = write;
    return write;
  }

  /** Keeps what the server's enrolment answered: the token (for main only) and the profile; resolves once written. */
  keepEnrolment(token: string, profile: DeviceProfile): Promise<void> {
    this.state = { ...this.state, token, profile };
    return this.save();
  }

  /** The device token, for main's own calls to the server; never handed to the page. */
  token(): string | null {
    return this.state.token;
  }

  profile(): DeviceProfile | null {
    return this.state.profile;
  }

  partition(): string {
    return this.state.partition;
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

/**
 * The bridge's secret calls. The page holds `TOKEN_IN_MAIN` in place of the token: `token` answers
 * it once main holds a token, and `saveToken` takes nothing else (main took the real token from
 * the enrolment answer itself, in proxy.ts), so a page cannot put a token of its choosing here.
 */
export function secretsService(secrets: Pick<DeviceSecrets, 'token' | 'wrapPin' | 'checkPin'>) {
  // The self-service card key (core/selfService/cardLookup.ts), derived from the token as the
  // server derives it from the token's hash; it stays in main like the token.
  const cardKey = (token: string) => createHmac('sha256', createHash('sha256').update(token).digest()).update(CARD_KEY_LABEL).digest();
  return {
    saveToken: (token: string) => {
      if (token !== TOKEN_IN_MAIN) throw new Error('linli:saveToken: main keeps the token it enrolled with; the page has none to give');
    },
    token: () => (secrets.token() === null ? null : TOKEN_IN_MAIN),
    wrapPin: (hashB64: string) => secrets.wrapPin(hashB64),
    checkPin: (wrapped: string, candidateB64: string) => secrets.checkPin(wrapped, candidateB64),
    cardHash: (serialText: string) => {
      const token = secrets.token();
      return token === null ? null : createHmac('sha256', cardKey(token)).update(serialText).digest().subarray(0, CARD_HASH_BYTES).toString('base64url');
    },
  };
}

/** What `safeStorage` says of the keychain behind it (main passes the real one). */
export type KeyStore = { isAsyncEncryptionAvailable(): Promise<boolean>; getSelectedStorageBackend?: () => string };

/** Whether the keychain behind `safeStorage` really protects the secrets, and what staff are told when not. */
export type KeyStoreVerdict = { kind: 'ok' } | { kind: 'refuse' | 'warn'; title: string; message: string };

/**
 * On Linux without a keyring (GNOME Keyring, KWallet) `safeStorage` falls back to `basic_text`:
 * its "encryption" key is a password written in Chromium's source, so the secrets file is as good
 * as plain text to anyone who copies it. That is refused unless the centre chose to accept it
 * (`allowPlainTextKeyStore` in the kiosk's settings), and then staff are told at every start.
 */
export async function keyStoreVerdict(store: KeyStore, platform: string, allowPlainText: boolean): Promise<KeyStoreVerdict> {
  // Asked first: it starts the async encryptor, after which the backend is known (not 'unknown').
  const available = await store.isAsyncEncryptionAvailable();
  const backend = platform === 'linux' && store.getSelectedStorageBackend ? store.getSelectedStorageBackend() : 'os';
  const plain = !available || backend === 'basic_text' || backend === 'unknown';
  if (!plain) return { kind: 'ok' };
  const what = '本机没有可用的系统密钥环（如 GNOME 密钥环、KWallet），邻里无法加密保存设备令牌和工作人员密码密钥：拿到本机文件的人可以冒充本柜台。\n'
    + 'This PC has no working keyring (GNOME Keyring, KWallet): Linli cannot encrypt the device token and the key of the staff PINs, so anyone who copies its files can act as this kiosk.';
  if (!allowPlainText) {
    return {
      kind: 'refuse', title: '无法安全保存密钥 / No keyring',
      message: `${what}\n\n请安装并解锁密钥环（Debian：sudo apt install gnome-keyring，并在登录时解锁）后重新打开邻里；若中心决定接受这一风险，管理员可在设置文件中写入 "allowPlainTextKeyStore": true。\n`
        + 'Install and unlock a keyring (Debian: sudo apt install gnome-keyring, unlocked at login), then open Linli again; if the centre accepts the risk, an admin may set "allowPlainTextKeyStore": true in the settings file.',
    };
  }
  return {
    kind: 'warn', title: '密钥未受保护 / Keys not protected',
    message: `${what}\n\n中心已选择接受这一风险（allowPlainTextKeyStore）。请确保本机只有工作人员能接触其硬盘。\nThe centre chose to accept this (allowPlainTextKeyStore). Make sure only staff can reach this PC's disk.`,
  };
}
