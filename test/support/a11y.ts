import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import type { TestInfo } from '@playwright/test';

/**
 * What the accessibility tests and the bench measure on a rendered screen: axe at WCAG 2.2 AAA
 * (with the enhanced contrast rule, 7:1), the lowest text contrast and the smallest target as
 * drawn, screenshots kept as artifacts, and what the page asked the speech synthesis to say.
 */

/** The axe tags of WCAG 2.0–2.2 A, AA and AAA. */
export const AAA_TAGS = ['wcag2a', 'wcag2aa', 'wcag2aaa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** axe's violations of the page at AAA, as `rule: where` lines (empty when none). */
export async function axeAAA(page: Page, { inPageOnly = false } = {}): Promise<string[]> {
  // By default axe finishes its run in a blank page it opens and closes in the same context; with
  // the context's clock driven by the test, `inPageOnly` keeps it to this page (`runFor` would
  // otherwise reach the blank page as it closes).
  const result = await new AxeBuilder({ page })
    .setLegacyMode(inPageOnly)
    .options({ runOnly: { type: 'tag', values: AAA_TAGS }, rules: { 'color-contrast-enhanced': { enabled: true } } })
    .analyze();
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`));
}

/**
 * The lowest contrast of visible text against the background drawn behind it, and the smallest
 * side of a visible control (button, link, field; a checkbox or radio button by the label that
 * holds it), on the screen inside `root`; `controls` says which controls count.
 */
export async function measureScreen(page: Page, root = 'body', controls = 'button, a[href], input, select, textarea, [role=button]'): Promise<{ minContrast: number; minTarget: number; lowest: string; smallest: string }> {
  // Under tsx (the bench) esbuild names the functions below with a `__name` helper the page lacks.
  await page.evaluate('globalThis.__name ??= (f) => f');
  return page.evaluate(([rootSelector, controlSelector]) => {
    const parse = (c: string) => {
      const m = /rgba?\(([^)]+)\)/.exec(c);
      const [r = 0, g = 0, b = 0, a = 1] = m ? m[1]!.split(/[ ,/]+/).filter(Boolean).map(Number) : [0, 0, 0, 0];
      return { r, g, b, a };
    };
    const lum = ({ r, g, b }: { r: number; g: number; b: number }) => {
      const f = (v: number) => {
        const s = v / 255;
        return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el: Element | null): { r: number; g: number; b: number } => {
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c.a > 0.5) return c;
      }
      return { r: 255, g: 255, b: 255 };
    };
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' && Number(s.opacity) > 0;
    };
    const rootEl = document.querySelector(rootSelector) ?? document.body;
    let minContrast = Infinity;
    let lowest = '';
    const walker = document.createTreeWalker(rootEl, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || !n.textContent?.trim() || !visible(el)) continue;
      const fg = lum(parse(getComputedStyle(el).color));
      const bg = lum(background(el));
      const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
      if (ratio < minContrast) {
        minContrast = ratio;
        lowest = `${el.tagName.toLowerCase()}.${el.className} «${n.textContent.trim().slice(0, 20)}»`;
      }
    }
    let minTarget = Infinity;
    let smallest = '';
    for (const el of rootEl.querySelectorAll(controlSelector)) {
      if (!visible(el)) continue;
      // A checkbox or radio button is tapped by its label (the whole line), which holds it.
      const tapped = el.matches('input[type=checkbox], input[type=radio]') ? (el.closest('label') ?? el) : el;
      const r = tapped.getBoundingClientRect();
      const side = Math.min(r.width, r.height);
      if (side < minTarget) {
        minTarget = side;
        smallest = `${el.tagName.toLowerCase()} «${(el.textContent ?? '').trim().slice(0, 20)}»`;
      }
    }
    return { minContrast: Math.round(minContrast * 100) / 100, minTarget: Math.round(minTarget), lowest, smallest };
  }, [root, controls] as const);
}

/** Saves a screenshot of the page as a test artifact (`test-results/…/NAME.png`) and attaches it to the report. */
export async function keepScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/**
 * A page-level stand-in for speech synthesis (there is no audio hardware here): it reports a zh-CN
 * and an en-US voice, or none, and records what the page asked to say and each cancel, in order,
 * in `window.__speech`. Added before the page loads (`context.addInitScript`).
 */
export async function installSpeechSpy(context: BrowserContext, voices: boolean): Promise<void> {
  await context.addInitScript((withVoices: boolean) => {
    const log: string[] = [];
    const list = withVoices ? [{ lang: 'zh-CN', name: 'test zh', default: true, localService: true, voiceURI: 'zh' }, { lang: 'en-US', name: 'test en', default: false, localService: true, voiceURI: 'en' }] : [];
    class Utterance {
      lang = '';
      voice: unknown = null;
      rate = 1;
      onend: (() => void) | null = null;
      onerror: (() => void) | null = null;
      constructor(public text: string) {}
    }
    const synth = {
      getVoices: () => list,
      speak: (u: Utterance) => log.push(`say[${u.lang}] ${u.text}`),
      cancel: () => log.push('cancel'),
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      speaking: false, pending: false, paused: false,
    };
    Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
    Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: Utterance, configurable: true });
    Object.defineProperty(window, '__speech', { value: log, configurable: true });
  }, voices);
}

/** What the page asked to say so far (`say[zh-CN] …`) and its cancels, in order. */
export async function spoken(page: Page): Promise<string[]> {
  return page.evaluate(() => [...((window as unknown as { __speech?: string[] }).__speech ?? [])]);
}
