import type { CDPSession, Page } from 'playwright-core';

/**
 * A keyboard-wedge scanner for tests: real key events sent through the DevTools protocol, each
 * stamped `gapMs` after the last as a USB scanner's keys are stamped when they arrive, whatever
 * the page is busy with. `ime` sends them as a Chinese input method does (`Process`, 229).
 * `terminator: 'CRLF'` ends the code with two Enter keys, as a scanner set to CR LF does.
 * `capsLock` sends the keys as they reach the page with Caps Lock on: the scanner still presses
 * Shift for capitals, so every letter comes out turned. (The DevTools protocol cannot set the
 * lock's state, so the helper turns Shift instead: the page sees the same keys and case.)
 */
export type ScanOptions = { gapMs?: number; ime?: boolean; prefix?: string; controlFirst?: boolean; terminator?: 'Enter' | 'Tab' | 'CRLF'; capsLock?: boolean };

const sessions = new WeakMap<Page, Promise<CDPSession>>();

const codeOf = (ch: string) => (/\d/.test(ch) ? `Digit${ch}` : /[A-Za-z]/.test(ch) ? `Key${ch.toUpperCase()}` : ({ ']': 'BracketRight', '-': 'Minus', '_': 'Minus', '.': 'Period', '/': 'Slash' } as Record<string, string>)[ch] ?? 'Unidentified');
/** Shift for capitals and `_`, as a scanner on a US layout sends them (CDP modifier bit 8). */
const shiftOf = (ch: string) => (/[A-Z_]/.test(ch) ? 8 : 0);
/** A letter in the other case, as Caps Lock turns it. */
const turned = (ch: string) => (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase());

export async function scanKeys(page: Page, code: string, o: ScanOptions = {}): Promise<void> {
  const session = sessions.get(page) ?? page.context().newCDPSession(page);
  sessions.set(page, session);
  const cdp = await session;
  const gap = (o.gapMs ?? 4) / 1000;
  let at = Date.now() / 1000;
  const sends: Promise<unknown>[] = [];
  const key = (k: { key: string; code: string; vk: number; text?: string; modifiers?: number }) => {
    sends.push(cdp.send('Input.dispatchKeyEvent', { type: k.text ? 'keyDown' : 'rawKeyDown', key: k.key, code: k.code, windowsVirtualKeyCode: k.vk, text: k.text, modifiers: k.modifiers ?? 0, timestamp: at }));
    sends.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: k.key, code: k.code, windowsVirtualKeyCode: k.vk, modifiers: k.modifiers ?? 0, timestamp: at + gap / 4 }));
    at += gap;
  };
  if (o.controlFirst) key({ key: 'b', code: 'KeyB', vk: 66, modifiers: 2 }); // Ctrl+B, as STX
  for (const sent of (o.prefix ?? '') + code) {
    const ch = o.capsLock && /[A-Za-z]/.test(sent) ? turned(sent) : sent;
    if (o.ime) key({ key: 'Process', code: codeOf(ch), vk: 229, modifiers: shiftOf(ch) });
    else key({ key: ch, code: codeOf(ch), vk: ch.toUpperCase().charCodeAt(0), text: ch, modifiers: shiftOf(ch) });
  }
  if (o.terminator === 'Tab') key({ key: 'Tab', code: 'Tab', vk: 9 });
  else key({ key: 'Enter', code: 'Enter', vk: 13, text: '\r' });
  if (o.terminator === 'CRLF') key({ key: 'Enter', code: 'Enter', vk: 13, text: '\r' });
  await Promise.all(sends);
}
