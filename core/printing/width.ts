/**
 * Columns on a thermal printer in Chinese mode (`FS &`), counted as the printer counts them. It
 * reads GB18030 and draws a one-byte character from its 12×24 font, one column, and every
 * character of two or four bytes from its 24×24 font, two columns. So `×`, `·`, `—`, `é`, `“`
 * and full-width punctuation take two, though Unicode's East Asian Width calls most of them
 * narrow. `core/` carries no code tables, but GB18030 is one byte exactly for U+0000–U+007F, so
 * the code point decides: printable ASCII one column, anything else two (a control character
 * never reaches the paper, `printableText` makes it a space, and two is the safe count).
 * A 58 mm roll holds 32 columns, an 80 mm roll 48.
 */
export function charColumns(ch: string): 1 | 2 {
  const c = ch.codePointAt(0) ?? 0;
  return c >= 0x20 && c <= 0x7e ? 1 : 2;
}

/** The columns a text takes. */
export function textColumns(text: string): number {
  let n = 0;
  for (const ch of text) n += charColumns(ch);
  return n;
}

/** A text with its control characters (a line feed, ESC…) as spaces: a name never gives the printer a command. */
export function printableText(text: string): string {
  return text.replace(/\p{Cc}/gu, ' ');
}

/** Punctuation that closes (，。、；：？！）》」』】…), which Chinese typesetting never puts at the start of a line. */
const CLOSING = /^[，。、；：？！）》」』】〕〉〗”’…·～％]$/u;

/**
 * Breaks a text into lines of at most `width` columns, never inside a character. English breaks
 * at spaces (a word longer than a line is cut), Chinese between any two characters, but not
 * before closing punctuation; the spaces at a break are dropped.
 *
 *   wrapColumns('Collect your meal when your number is called', 32)
 *     → ['Collect your meal when your', 'number is called']
 *   wrapColumns('特别长的商品名称', 10) → ['特别长的商', '品名称']
 *   wrapColumns('归还时全额退还。', 14)  → ['归还时全额退', '还。']
 */
export function wrapColumns(text: string, width: number): string[] {
  // A run of spaces, a word of printable ASCII, or any one other character.
  const tokens = text.match(/ +|[\x21-\x7e]+|[^]/gu) ?? [];
  const lines: string[] = [];
  let line = '';
  const breakLine = () => {
    lines.push(line.trimEnd());
    line = '';
  };
  for (const token of tokens) {
    if (token.startsWith(' ')) {
      // Spaces that begin a continued line are the break itself.
      if (line !== '' || lines.length === 0) line += token;
      continue;
    }
    if (textColumns(line) + textColumns(token) > width && line.trim() !== '') {
      // A line never starts with closing punctuation (，。）…): the Chinese character before it goes along.
      const chars = Array.from(line.trimEnd());
      const carry = CLOSING.test(token) && chars.length > 1 && charColumns(chars[chars.length - 1]!) === 2 && !CLOSING.test(chars[chars.length - 1]!) ? chars.pop()! : '';
      line = chars.join('');
      breakLine();
      line = carry;
    }
    if (textColumns(line) + textColumns(token) <= width) {
      line += token;
      continue;
    }
    // A word wider than what is left of the line: cut it where the line is full.
    for (const ch of token) {
      if (textColumns(line) + charColumns(ch) > width && line !== '') breakLine();
      line += ch;
    }
  }
  if (line.trim() !== '' || lines.length === 0) lines.push(line.trimEnd());
  return lines;
}

/**
 * `left` at the start of a line and `right` at its end, at least one space between. When both do
 * not fit, `left` wraps and `right` ends its last line, or goes right-aligned on lines of its own:
 * nothing is cut.
 *
 *   spreadLines('合计', '80', 12)             → ['合计      80']
 *   spreadLines('特别长的商品名称', '× 3', 12) → ['特别长的商品', '名称    × 3']
 */
export function spreadLines(left: string, right: string, width: number): string[] {
  const lefts = wrapColumns(left, width);
  const last = lefts.pop() ?? '';
  const room = width - textColumns(last) - textColumns(right);
  if (room >= 1) return [...lefts, last + ' '.repeat(room) + right];
  const rights = wrapColumns(right, width).map((r) => ' '.repeat(width - textColumns(r)) + r);
  return [...lefts, ...(last === '' ? [] : [last]), ...rights];
}
