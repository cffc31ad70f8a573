import { describe, expect, it } from 'vitest';
import { cleanText, cutText, Text } from './text.js';

describe('text in events', () => {
  it('turns a lone surrogate into U+FFFD and drops NUL, keeping whole emoji and line breaks', () => {
    expect(cleanText('ok\ud800')).toBe('ok\ufffd');
    expect(cleanText('\udc00ok')).toBe('\ufffdok');
    expect(cleanText('a\u0000b')).toBe('ab');
    expect(cleanText('谢谢 👍\n第二行\t!')).toBe('谢谢 👍\n第二行\t!');
  });

  it('cuts a note at 200 units without leaving half an emoji', () => {
    const note = `${'好'.repeat(199)}👍`;
    expect(note.length).toBe(201);
    const cut = cutText(note, 200);
    expect(cut).toBe('好'.repeat(199));
    expect(cleanText(cut)).toBe(cut);
  });

  it('cleans through the schema, so a parsed event is always storable', () => {
    expect(Text(200).parse('ok\ud800\u0000')).toBe('ok\ufffd');
    expect(Text(3).safeParse('abcd').success).toBe(false);
  });
});
