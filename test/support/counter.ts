import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { makeStaffCardCode } from '../../core/index.js';
import { DEMO_ADMIN_PIN } from '../../server/demo/generate.js';
import type { Db } from '../../server/db/db.js';
import { openPairedKiosk, signInStaff, signOut } from './kiosk.js';
import { scanKeys } from './scanner.js';

/** A clerk redeems one pack of tissues for a card at the counter and closes the receipt. */
export async function redeemTissues(page: Page, cardCode: string): Promise<void> {
  await scanKeys(page, cardCode);
  await expect(page.getByTestId('resident-card')).toHaveAttribute('data-card-code', cardCode);
  await page.getByRole('button', { name: /抽纸/ }).click();
  await page.getByRole('button', { name: '确认兑换' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '确认', exact: true }).click();
  await expect(page.getByTestId('receipt')).toContainText('积分兑换小票');
  await page.getByRole('button', { name: '完成' }).click();
}

/** The counter PC's screen: every action must be reachable on it without scrolling. */
export const COUNTER_SCREEN = { width: 1366, height: 768 } as const;

/** The demo admin (王秀英), who alone sees the 积分规则 tab. */
export const ADMIN = { cardCode: makeStaffCardCode(1), pin: DEMO_ADMIN_PIN };

/** A fresh kiosk at 1366×768 (its own IndexedDB), paired, the clerk signed in; closed by `closeAll`. */
export async function counterKiosk(browser: Browser, db: Db, serverUrl: string, opened: BrowserContext[]): Promise<Page> {
  const context = await browser.newContext({ viewport: COUNTER_SCREEN });
  opened.push(context);
  return openPairedKiosk(context, db, serverUrl);
}

/** Signs whoever is signed in out, and `who` in. */
export async function signInAs(page: Page, who: { cardCode: string; pin: string }): Promise<void> {
  await signOut(page);
  await signInStaff(page, who);
}

/** How many events wait in the kiosk's outbox (read past Dexie). */
export function outboxCount(page: Page): Promise<number> {
  return page.evaluate(async () => new Promise<number>((resolve) => {
    const open = indexedDB.open('linli');
    open.onsuccess = () => {
      const req = open.result.transaction('outbox').objectStore('outbox').count();
      req.onsuccess = () => resolve(req.result);
    };
  }));
}

/**
 * The buttons and fields on screen that a clerk cannot reach without scrolling, or that something
 * else covers (what is at the middle of each is not it): described by their text.
 */
export function unreachable(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    // A modal dialog is all a clerk can reach while it is open (it rightly covers the rest).
    const modal = document.querySelector('[role=dialog][aria-modal=true]');
    const controls = modal ? modal.querySelectorAll<HTMLElement>('button, input, select') : document.querySelectorAll<HTMLElement>('main button, main input, main select, header button, nav button');
    for (const el of Array.from(controls)) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      const name = (el.textContent || el.getAttribute('name') || el.getAttribute('aria-label') || el.tagName).trim().slice(0, 30);
      // An item of a list that scrolls on its own (a long catalogue, a ledger), past the list's
      // edge: reached by scrolling that list. Any other control must be in sight.
      let list = el.closest('li, tr') ? el.parentElement : null;
      while (list && list !== document.body && !(/(auto|scroll)/.test(getComputedStyle(list).overflowY) && list.scrollHeight > list.clientHeight)) list = list.parentElement;
      if (list && list !== document.body) {
        const edge = list.getBoundingClientRect();
        if (box.top < edge.top || box.bottom > edge.bottom) continue;
      }
      if (box.top < 0 || box.left < 0 || box.bottom > innerHeight || box.right > innerWidth) {
        out.push(`off screen: ${name}`);
        continue;
      }
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      if (hit && hit !== el && !el.contains(hit) && !hit.contains(el) && !(el instanceof HTMLInputElement && hit instanceof HTMLLabelElement)) out.push(`covered: ${name} by ${hit.textContent?.trim().slice(0, 30) ?? hit.tagName}`);
    }
    return out;
  });
}

/** Whether the page itself scrolls (it must not: the screen's actions stay in sight). */
export function pageScrolls(page: Page): Promise<boolean> {
  return page.evaluate(() => document.scrollingElement!.scrollHeight > innerHeight + 1 || document.scrollingElement!.scrollWidth > innerWidth + 1);
}
