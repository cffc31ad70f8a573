/**
 * Columns on a thermal printer: a Chinese character (East Asian Wide or Fullwidth) takes two
 * columns, everything else one. A 58 mm roll holds 32 columns, an 80 mm roll 48.
 */
export function charColumns(ch: string): 1 | 2 {
  const c = ch.codePointAt(0) ?? 0;
  const wide =
    (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0x303e) || (c >= 0x3041 && c <= 0x33ff) ||
    (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xa000 && c <= 0xa4cf) ||
    (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x20000 && c <= 0x3fffd);
  return wide ? 2 : 1;
}

/** The columns a text takes. */
export function textColumns(text: string): number {
  let n = 0;
  for (const ch of text) n += charColumns(ch);
  return n;
}

/** Breaks a text into lines of at most `width` columns, never inside a character. */
export function wrapColumns(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const ch of text) {
    const w = charColumns(ch);
    if (used + w > width) {
      lines.push(line);
      line = '';
      used = 0;
    }
    line += ch;
    used += w;
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/** One line with `left` at the start and `right` at the end; `left` is cut short if both do not fit. */
export function spreadColumns(left: string, right: string, width: number): string {
  const room = width - textColumns(right) - 1;
  const cut = wrapColumns(left, Math.max(1, room))[0] ?? '';
  return cut + ' '.repeat(Math.max(1, width - textColumns(cut) - textColumns(right))) + right;
}
