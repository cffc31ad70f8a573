import { randomBytes } from 'node:crypto';
import { argon2id, argon2Verify } from 'hash-wasm';

/**
 * Admin passwords: Argon2id through hash-wasm (WebAssembly, so it installs on Windows without a
 * native build and runs the same everywhere Node runs), with OWASP's minimum parameters for
 * Argon2id: 19 MiB of memory, 2 passes, 1 lane. Kept as the PHC string
 * (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`), so parameters raised later still verify
 * the old hashes. About 60 ms a hash on a centre's PC: a sign-in, not something a loop may call.
 *
 * Separate from the counter PIN: the PIN's hash is on the kiosks where the member works (a
 * six-digit PIN is a million guesses), the password's only on the server.
 */
export const ARGON2 = { memorySize: 19_456, iterations: 2, parallelism: 1, hashLength: 32, saltBytes: 16 } as const;

/** A password is 10 to 200 characters: long enough that the try limits are not its only guard. */
export function passwordShapeProblem(password: string): string | null {
  if ([...password].length < 10) return '密码至少 10 个字符 / a password is at least 10 characters';
  if (password.length > 200) return '密码最多 200 个字符 / a password is at most 200 characters';
  if (password.includes('\0')) return '密码不能含空字符 / a password may not hold a NUL character';
  return null;
}

/** Hashes a password (Argon2id, a random 16-byte salt unless one is given: the demo's is fixed). */
export async function hashPassword(password: string, salt: Uint8Array = randomBytes(ARGON2.saltBytes)): Promise<string> {
  return argon2id({
    password, salt, memorySize: ARGON2.memorySize, iterations: ARGON2.iterations, parallelism: ARGON2.parallelism,
    hashLength: ARGON2.hashLength, outputType: 'encoded',
  });
}

/** A hash no password matches, checked when no member was found, so a wrong card takes as long as a wrong password. */
let decoy: Promise<string> | null = null;

/** Whether `password` matches a stored PHC string (or, with null, spends the same time and answers false). */
export async function passwordMatches(password: string, stored: string | null): Promise<boolean> {
  if (stored === null) {
    decoy ??= hashPassword(randomBytes(24).toString('base64'));
    await argon2Verify({ password, hash: await decoy }).catch(() => false);
    return false;
  }
  return argon2Verify({ password, hash: stored }).catch(() => false);
}
