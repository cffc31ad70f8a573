/**
 * Telling a keyboard-wedge scanner from a person, by timing. A scanner types a whole code in a
 * burst, a few milliseconds a key, and ends it with its terminator (Enter, or Tab); a person
 * types a key every 100 ms or more. Keys are held until their burst is classified:
 *
 *   keys 2–10 ms apart … Enter  → a scan: the held keys never reach a text field
 *   a gap longer than maxGapMs → the keys held so far were typing: they go to the field
 *
 * Worked example (maxGapMs 40, minLength 6): L@0 L@5 0@9 … 7@52 Enter@55 → scan "LL…7";
 * 1@0 2@180 → "1" is released as typing when 2 arrives 180 ms later (or when the timer fires).
 * A scanner set to end with CR LF sends a second terminator key right after the first
 * (Enter@55 Enter@58): that key belongs to the scan too (`trailsScan`), so the page swallows it.
 *
 * Scanners are set up differently per counter, so everything here is per device (WedgeConfig).
 */
export type WedgeConfig = {
  /** Longest gap between two keys of one scan. */
  maxGapMs: number;
  /** Shortest scan; shorter fast bursts are typing. */
  minLength: number;
  /** The key a scanner ends a code with. */
  terminator: 'Enter' | 'Tab';
  /**
   * Other prefixes this counter's scanner is set to send first, stripped. AIM symbology
   * identifiers (]C0, ]Q2…) need no entry: any of them is stripped (see `stripPrefixes`).
   */
  prefixes: readonly string[];
};

export const DEFAULT_WEDGE: WedgeConfig = { maxGapMs: 40, minLength: 6, terminator: 'Enter', prefixes: [] };

/**
 * An AIM symbology identifier (ISO/IEC 15424) that a scanner may be set to send before the code:
 * `]`, a letter naming the symbology and one modifier character. ]C0 (Code 128), ]E0 (EAN-13),
 * ]E4 (EAN-8), ]Q1 and ]Q2 (QR), ]d2 (Data Matrix), ]e0 (GS1 DataBar). Upper or lower case, as Caps Lock
 * may turn it. No Linli code starts with `]`, so one is never mistaken for the code.
 */
const AIM_ID = /^\][A-Za-z][0-9A-Za-z]/;

/** The code without a configured prefix or an AIM identifier in front, in either order. */
export function stripPrefixes(held: string, prefixes: readonly string[]): string {
  let code = held;
  for (let pass = 0; pass < 2; pass++) {
    const prefix = prefixes.find((p) => p && code.startsWith(p));
    if (prefix) code = code.slice(prefix.length);
    code = code.replace(AIM_ID, '');
  }
  return code;
}

/** What the terminator key means. */
export type Terminated = { kind: 'scan'; code: string } | { kind: 'typing'; held: string };

export class BurstClassifier {
  private held = '';
  private last = -Infinity;
  private scanEnded = -Infinity;

  constructor(private readonly config: WedgeConfig) {}

  /** Whether keys are held, waiting to be classified. */
  get holding(): boolean {
    return this.held.length > 0;
  }

  /**
   * A character key at `at` ms. Answers the keys held before it that turned out to be typing
   * (a gap too long to be one scan), or '' when they may still be a scan.
   */
  key(ch: string, at: number): string {
    const released = at - this.last > this.config.maxGapMs ? this.release() : '';
    this.held += ch;
    this.last = at;
    return released;
  }

  /** The terminator at `at` ms: a scan, or the held keys as typing. */
  terminate(at: number): Terminated {
    const fast = at - this.last <= this.config.maxGapMs;
    const held = this.release();
    if (!fast || held.length < this.config.minLength) return { kind: 'typing', held };
    this.scanEnded = at;
    return { kind: 'scan', code: stripPrefixes(held, this.config.prefixes) };
  }

  /**
   * Whether a terminator key at `at` ms, with no key held, is the second half of the last scan's
   * terminator (the LF of CR LF, or a Tab after Enter): it comes within a scanner's key gap.
   */
  trailsScan(at: number): boolean {
    return !this.holding && at - this.scanEnded <= this.config.maxGapMs;
  }

  /** No key came for a while: whatever is held was typing. */
  release(): string {
    const held = this.held;
    this.held = '';
    this.last = -Infinity;
    return held;
  }
}
