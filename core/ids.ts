/**
 * UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits, so ids sort by creation
 * time and index well. `core/` has no clock and no randomness: both are passed in.
 *
 * Example: uuidv7(0x017f22e279b0, sixteenRandomBytes) → "017f22e2-79b0-7xxx-yxxx-xxxxxxxxxxxx".
 */
export function uuidv7(nowMs: number, random: Uint8Array): string {
  if (random.length < 16) throw new Error('uuidv7 needs 16 random bytes');
  const b = new Uint8Array(16);
  let t = Math.floor(nowMs);
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  for (let i = 6; i < 16; i++) b[i] = random[i] ?? 0;
  b[6] = 0x70 | ((b[6] ?? 0) & 0x0f);
  b[8] = 0x80 | ((b[8] ?? 0) & 0x3f);
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
