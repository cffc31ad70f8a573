import { BurstClassifier, DEFAULT_WEDGE, type WedgeConfig } from './burst.js';

/**
 * Keyboard-wedge scanning in the page. A capture-phase listener sees every key first and holds
 * printable keys until their burst is classified (burst.ts): a scan goes to `onScan` and never
 * stays in a text field; typing is put into the focused field where the caret is. The first key
 * of a burst goes in as it is pressed and is taken back when the scanner's next key follows; the
 * keys after it wait until the burst is known.
 *
 * The scan is read from `KeyboardEvent.code` (KeyL, Digit1), not `key`: a Chinese input method
 * turns keys into `Process`/229 and another keyboard layout changes `key`, but `code` is the
 * physical key the scanner pressed; a letter's case comes from Shift (and Caps Lock), which a
 * scanner presses for capitals as a keyboard does, and so does punctuation (Shift+Minus is `_`, as
 * in a sitting id). Digits ignore Shift: a scanner set to a French layout presses Shift for them,
 * and no Linli code holds `!@#…`. What a person types is replayed from `key`.
 * Keys an input method processes cannot be held back; they are read all the same, and the field
 * is put back as it was if they turn out to be a scan. Keys with Ctrl, Alt or Meta (control
 * characters some scanners send first) are left out of the code. A second terminator right after
 * a scan's (the LF of CR LF) is swallowed, so it never presses the focused button.
 */
const DIGITS: Record<string, string> = Object.fromEntries([
  ...Array.from({ length: 10 }, (_, d) => [`Digit${d}`, String(d)]),
  ...Array.from({ length: 10 }, (_, d) => [`Numpad${d}`, String(d)]),
]);
/** Punctuation keys as a US keyboard, which scanners emulate, types them: [plain, with Shift]. */
const PUNCTUATION: Record<string, readonly [string, string]> = {
  Minus: ['-', '_'], NumpadSubtract: ['-', '-'], Period: ['.', '>'], NumpadDecimal: ['.', '.'], Slash: ['/', '?'],
  BracketRight: [']', '}'], Space: [' ', ' '],
};

/** The character a scanner's key stands for, or undefined for a key no code holds. */
function codeChar(e: KeyboardEvent): string | undefined {
  const letter = /^Key([A-Z])$/.exec(e.code)?.[1];
  if (letter) return e.shiftKey !== e.getModifierState('CapsLock') ? letter : letter.toLowerCase();
  return DIGITS[e.code] ?? PUNCTUATION[e.code]?.[e.shiftKey ? 1 : 0];
}

/** Keys that end a code: Enter or Tab, and CR or LF sent as Ctrl+M or Ctrl+J. */
const isTerminatorKey = (e: KeyboardEvent) =>
  ['Enter', 'NumpadEnter', 'Tab'].includes(e.code) || (e.ctrlKey && (e.code === 'KeyJ' || e.code === 'KeyM'));

type TextField = HTMLInputElement | HTMLTextAreaElement;
/** A held key: its character for the code, what a person meant to type (null when not held back), when it was pressed. */
type Held = { ch: string; typed: string | null; at: number };
/**
 * Keys released as typing, and the field as it was before (its text and where the caret or the
 * selection was), in case they were a scan after all.
 */
type Released = { keys: Held[]; field: TextField | null; before: string; caret: [number, number] | null; after: string };

/** A field held-back keys can be typed into (setRangeText works on these). */
const isTextField = (el: EventTarget | null): el is TextField =>
  (el instanceof HTMLInputElement && ['text', 'search', 'tel', 'url', 'password'].includes(el.type)) || el instanceof HTMLTextAreaElement;

/** Another place that takes typing, where held-back keys could not be put back: keys are not held there. */
const isOtherEditable = (el: EventTarget | null) =>
  el instanceof HTMLInputElement || el instanceof HTMLSelectElement || (el instanceof HTMLElement && el.isContentEditable);

export function listenForScans(target: Window, onScan: (code: string) => void, config: WedgeConfig = DEFAULT_WEDGE): () => void {
  const burst = new BurstClassifier(config);
  let held: Held[] = [];
  let field: TextField | null = null;
  let fieldBefore = '';
  let released: Released | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  /** The first `count` held keys were typing: put the ones held back into the field. */
  const releaseAsTyping = (count: number): Released => {
    const keys = held.slice(0, count);
    held = held.slice(count);
    const text = keys.map((h) => h.typed ?? '').join('');
    const into = field?.isConnected ? field : null;
    const before = into?.value ?? '';
    const caret: [number, number] | null = into && into.selectionStart !== null ? [into.selectionStart, into.selectionEnd ?? into.selectionStart] : null;
    if (text && into) insertText(into, text);
    return { keys, field: into, before, caret, after: into?.value ?? '' };
  };

  /**
   * Keys go to the field before their burst is known (the first at once, the rest when the timer
   * fires), so typing does not lag; and the page may get a scanner's keys late (while it starts,
   * say). A key whose own time stamp shows it belongs to the released burst takes the release back,
   * as long as the field still holds what it held once they were put in (a field that upper-cases
   * what is typed has done so by then: React answers the input event at once).
   */
  const takeBack = (at: number) => {
    const r = released;
    released = null;
    const last = r?.keys[r.keys.length - 1];
    if (!r || !last || at - last.at > config.maxGapMs || (r.field && r.field.value !== r.after)) return;
    if (r.field) {
      restoreField(r.field, r.before);
      // Setting the text puts the caret at its end: back where the keys went in, so what follows goes there too.
      if (r.caret) r.field.setSelectionRange(r.caret[0], r.caret[1]);
    }
    for (const k of r.keys) burst.key(k.ch, k.at);
    held = [...r.keys, ...held];
  };

  const onKey = (e: KeyboardEvent) => {
    if (isTerminatorKey(e) && burst.trailsScan(e.timeStamp)) {
      e.preventDefault();
      e.stopPropagation();
      return;
    }
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    if (e.code === config.terminator || (config.terminator === 'Enter' && e.code === 'NumpadEnter')) {
      takeBack(e.timeStamp);
      if (!burst.holding) return;
      clearTimeout(timer);
      const r = burst.terminate(e.timeStamp);
      if (r.kind === 'typing') {
        releaseAsTyping(r.held.length);
        return;
      }
      e.preventDefault();
      e.stopPropagation();
      const imeTouchedField = held.some((h) => h.typed === null);
      held = [];
      if (field && imeTouchedField) restoreField(field, fieldBefore);
      onScan(r.code);
      return;
    }
    const ch = codeChar(e);
    if (ch === undefined) return;
    takeBack(e.timeStamp);
    if (!burst.holding) {
      field = isTextField(e.target) ? e.target : null;
      fieldBefore = field?.value ?? '';
    }
    const processed = e.key === 'Process' || e.isComposing || (!isTextField(e.target) && isOtherEditable(e.target));
    if (!processed) e.preventDefault();
    releaseAsTyping(burst.key(ch, e.timeStamp).length);
    held.push({ ch, typed: processed ? null : e.key, at: e.timeStamp });
    clearTimeout(timer);
    // The first key of a burst in a text field is typed at once: a person sees it as pressed (a
    // search answers without waiting out the scanner's gap); a scanner's next key, a few ms later,
    // takes it back (takeBack) and the burst is held from there.
    if (held.length === 1 && field && !processed) {
      released = releaseAsTyping(burst.release().length);
      return;
    }
    timer = setTimeout(() => {
      released = releaseAsTyping(burst.release().length);
    }, config.maxGapMs + 10);
  };
  target.addEventListener('keydown', onKey, { capture: true });
  return () => {
    clearTimeout(timer);
    target.removeEventListener('keydown', onKey, { capture: true });
  };
}

/** Types text into a field at its caret, as the keys would have, telling React through an input event. */
function insertText(field: TextField, text: string): void {
  const start = field.selectionStart ?? field.value.length;
  const end = field.selectionEnd ?? start;
  field.setRangeText(text, start, end, 'end');
  field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }));
}

/** Puts a field's text back the way a person left it, telling React through an input event. */
function restoreField(field: TextField, value: string): void {
  Object.getOwnPropertyDescriptor(Object.getPrototypeOf(field) as object, 'value')?.set?.call(field, value);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}
