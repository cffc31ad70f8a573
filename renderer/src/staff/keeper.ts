import type { LinliBridge, PinHash } from '../../../core/index.js';
import type { LinliDb } from '../store/db.js';

/**
 * Where the kiosk keeps what must not sit readable in its database: the device token, and the
 * secret that wraps the staff PIN hashes it replicates.
 *
 * In Electron both stay in the main process (sealed with the OS keychain; see
 * electron/secrets.ts): the page hands a hash over to be wrapped or checked and never sees the
 * secret. In a plain browser there is no main process: the secret is a non-extractable AES-GCM
 * key in IndexedDB (the page cannot read its bytes, but a copy of the browser profile carries
 * it), and the token sits in the device row. That is the weaker of the two, and why a centre's
 * kiosks run Electron.
 */
export type Keeper = {
  token(): Promise<string | null>;
  saveToken(token: string): Promise<void>;
  wrapPin(hash: Uint8Array<ArrayBuffer>): Promise<string>;
  checkPin(wrapped: string, candidate: Uint8Array<ArrayBuffer>): Promise<boolean>;
};

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const unb64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** The keeper of an Electron kiosk: main does the work. */
export function bridgeKeeper(bridge: LinliBridge): Keeper {
  return {
    token: () => bridge.token(),
    saveToken: (token) => bridge.saveToken(token),
    wrapPin: (hash) => bridge.wrapPin(b64(hash)),
    checkPin: (wrapped, candidate) => bridge.checkPin(wrapped, b64(candidate)),
  };
}

/** The keeper of a kiosk in a plain browser. */
export function browserKeeper(db: LinliDb): Keeper {
  // One key per database, even when several wraps (or two tabs) ask for it at once: a key is
  // made outside the transaction (WebCrypto would end it), and the first one stored wins.
  let key: Promise<CryptoKey> | null = null;
  const vaultKey = (): Promise<CryptoKey> => (key ??= (async () => {
    const made = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    return db.transaction('rw', db.meta, async () => {
      const row = await db.meta.get('vault');
      if (row?.key === 'vault') return row.secret;
      await db.meta.put({ key: 'vault', secret: made });
      return made;
    });
  })());
  return {
    token: async () => (await db.device())?.token ?? null,
    saveToken: async () => {
      // The token is written with the device row at enrolment.
    },
    wrapPin: async (hash) => {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const data = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await vaultKey(), hash));
      const out = new Uint8Array(12 + data.length);
      out.set(iv);
      out.set(data, 12);
      return b64(out);
    },
    checkPin: async (wrapped, candidate) => {
      try {
        const raw = unb64(wrapped);
        const hash = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: raw.subarray(0, 12) }, await vaultKey(), raw.subarray(12)));
        return sameBytes(hash, candidate);
      } catch {
        return false;
      }
    },
  };
}

/** Compares without stopping at the first difference. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** The PIN's hash with a staff member's salt and rounds (PBKDF2-SHA256, as the server made it). */
export async function pinHashOf(pin: string, salt: string, iterations: number): Promise<Uint8Array<ArrayBuffer>> {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: unb64(salt), iterations }, material, 256));
}

/** A replicated PIN hash as the kiosk keeps it: the hash itself wrapped, never in the clear. */
export type WrappedPin = Omit<PinHash, 'hash'> & { wrapped: string };

export async function wrapPinHash(keeper: Keeper, pin: PinHash): Promise<WrappedPin> {
  return { salt: pin.salt, iterations: pin.iterations, wrapped: await keeper.wrapPin(unb64(pin.hash)) };
}
