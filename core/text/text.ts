import { z } from 'zod';

/**
 * Text people type (notes, names, reasons) as it may travel in an event.
 *
 * JavaScript strings may hold what PostgreSQL's jsonb and text cannot: a lone surrogate (half of an
 * emoji, left when a note is cut at 200 UTF-16 units) or a NUL. An event holding one could never be
 * stored, and a kiosk would push it for ever. So text is cleaned where it enters an event, on the
 * kiosk and again on the server: a lone surrogate becomes U+FFFD (�), NUL and the other control
 * characters but tab and line breaks are dropped. Cleaning, not refusing: a clerk's note is kept,
 * and what the clerk sees is what is stored.
 *
 * Worked example: cleanText('ok\ud800\u0000!') → 'ok�!'.
 */
export function cleanText(text: string): string {
  // toWellFormed (ES2024) is not in every runtime the kiosk meets yet; this is the same rule.
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += text[i]! + text[i + 1]!;
        i += 1;
      } else out += '\ufffd';
    } else if (c >= 0xdc00 && c <= 0xdfff) out += '\ufffd';
    else if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) continue;
    else out += text[i]!;
  }
  return out;
}

/**
 * Cuts a text to at most `max` UTF-16 units without splitting a character: the cut never leaves
 * half of a surrogate pair.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = text.charCodeAt(max - 1) >= 0xd800 && text.charCodeAt(max - 1) <= 0xdbff ? max - 1 : max;
  return text.slice(0, end);
}

/** A text of at most `max` UTF-16 units, cleaned of what a database cannot hold (see `cleanText`). */
export function Text(max: number) {
  return z.string().max(max).transform(cleanText);
}

/** A text that must say something: at least one character once cleaned and trimmed. */
export function RequiredText(max: number) {
  return z.string().max(max).transform((s) => cleanText(s).trim()).pipe(z.string().min(1));
}
