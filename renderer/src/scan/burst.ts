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
  /** Prefixes a scanner may be set to send first (AIM ids such as ]C1, ]E0, ]Q1), stripped. */
  prefixes: readonly string[];
};

export const DEFAULT_WEDGE: WedgeConfig = { maxGapMs: 40, minLength: 6, terminator: 'Enter', prefixes: [']C0', ']C1', ']E0', ']E4', ']Q1', ']Q3'] };

/** What the terminator key means. */
export type Terminated = { kind: 'scan'; code: string } | { kind: 'typing'; held: string };

export class BurstClassifier {
  private held = '';
  private last = -Infinity;

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
    const prefix = this.config.prefixes.find((p) => held.startsWith(p));
    return { kind: 'scan', code: prefix ? held.slice(prefix.length) : held };
  }

  /** No key came for a while: whatever is held was typing. */
  release(): string {
    const held = this.held;
    this.held = '';
    this.last = -Infinity;
    return held;
  }
}
