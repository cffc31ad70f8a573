/**
 * Keyboard-wedge scanning, first cut: a scanner types a burst of keys a few milliseconds apart
 * and ends it with Enter. A capture-phase listener collects keys that arrive faster than
 * `maxGapMs`; an Enter that ends a burst of at least `minLength` keys is a scan. Keys go by
 * `KeyboardEvent.code` (Digit1, KeyL), so a Chinese input method (which reports `Process`) or
 * another layout does not change what is read. A burst typed into a text field is taken out of
 * it again, so a scan never lands in a field as typing.
 */
export type WedgeOptions = { maxGapMs: number; minLength: number; now?: () => number };

const CODE_CHARS: Record<string, string> = Object.fromEntries([
  ...Array.from({ length: 10 }, (_, d) => [`Digit${d}`, String(d)]),
  ...Array.from({ length: 10 }, (_, d) => [`Numpad${d}`, String(d)]),
  ...Array.from({ length: 26 }, (_, i) => [`Key${String.fromCharCode(65 + i)}`, String.fromCharCode(65 + i)]),
  ['Minus', '-'],
]);

export function listenForScans(target: Window, onScan: (code: string) => void, o: WedgeOptions = { maxGapMs: 35, minLength: 6 }): () => void {
  const now = o.now ?? (() => performance.now());
  let burst = '';
  let last = -Infinity;
  let field: HTMLInputElement | null = null;
  let fieldBefore = '';

  const onKey = (e: KeyboardEvent) => {
    const t = now();
    if (e.code === 'Enter' || e.code === 'NumpadEnter') {
      const isScan = burst.length >= o.minLength && t - last <= o.maxGapMs * 3;
      if (isScan) {
        e.preventDefault();
        e.stopPropagation();
        if (field) restoreField(field, fieldBefore);
        onScan(burst);
      }
      burst = '';
      field = null;
      return;
    }
    const ch = CODE_CHARS[e.code];
    if (!ch) {
      if (e.key !== 'Shift') burst = '';
      return;
    }
    if (t - last > o.maxGapMs) {
      burst = '';
      field = e.target instanceof HTMLInputElement ? e.target : null;
      fieldBefore = field?.value ?? '';
    }
    burst += ch;
    last = t;
  };
  target.addEventListener('keydown', onKey, { capture: true });
  return () => target.removeEventListener('keydown', onKey, { capture: true });
}

/** Puts a field's text back the way a person left it, telling React through an input event. */
function restoreField(field: HTMLInputElement, value: string): void {
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(field, value);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}
