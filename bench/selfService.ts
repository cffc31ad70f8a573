import type { Browser, Page } from 'playwright-core';
import type { Db } from '../server/db/db.js';
import { createPairingCode } from '../server/devices/enrol.js';
import { axeAAA, measureScreen } from '../test/support/a11y.js';
import { scanKeys } from '../test/support/scanner.js';
import { percentile } from './stats.js';

type Figure = (name: string, value: number, unit: string) => void;
type Say = (text: string) => void;

/** How many scans the first-paint figure is taken over. */
const SCANS = 40;

/**
 * The self-service touchscreen's figures (issue 13) on the centre the kiosk server holds (the full
 * demo centre in `npm run bench`): `selfservice_taps_to_balance` (taps between the scan and the
 * balance on screen: the bench taps nothing and waits for the balance), `selfservice_first_paint_p95`
 * (ms from the scan's Enter, as the page receives it, to the frame after the balance is rendered:
 * the page's own `selfservice-balance` measure), `selfservice_axe_violations` (axe at WCAG 2.2 AAA,
 * summed over home, scan, balance, goods, meals and the week's services), and `min_contrast_ratio`
 * and `min_target_px` measured on those rendered screens.
 */
export async function selfServiceFigures(browser: Browser, db: Db, serverUrl: string, figure: Figure, say: Say): Promise<void> {
  say('self-service touchscreen: pairing and the first download…');
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, hasTouch: true });
  try {
    const page = await context.newPage();
    await page.goto(`${serverUrl}/#pair=${await createPairingCode(db, 'wzgl', 'selfService', new Date())}`);
    await page.getByRole('button', { name: '配对' }).tap();
    await page.getByTestId('self-service').waitFor({ timeout: 600_000 });
    const screens: { violations: number; minContrast: number; minTarget: number }[] = [];
    const check = async (label: string) => {
      const [violations, m] = [await axeAAA(page), await measureScreen(page, '[data-testid=self-service]')];
      if (violations.length > 0) say(`${label}: ${violations.join('; ')}`);
      screens.push({ violations: violations.length, minContrast: m.minContrast, minTarget: m.minTarget });
    };
    await check('home');
    for (const [button, ready] of [['看商品', 'ss-goods'], ['订餐', 'ss-sittings'], ['本周服务', 'ss-week']] as const) {
      await page.getByRole('button', { name: new RegExp(button) }).first().tap();
      await page.getByTestId(ready).waitFor({ timeout: 30_000 }).catch(() => undefined);
      await check(button);
      await page.getByRole('button', { name: '回到首页' }).tap();
    }
    await page.getByRole('button', { name: /查积分/ }).tap();
    await check('scan');

    say(`self-service: ${SCANS} scans to the balance…`);
    const residents = await db.query<{ card_code: string; balance: number }>(
      `SELECT r.card_code, a.balance::int AS balance FROM resident r JOIN account a ON a.id = r.account_id AND a.centre_id = r.centre_id
        WHERE r.centre_id = 'wzgl' ORDER BY md5(r.id) LIMIT $1`, [SCANS]);
    const paints: number[] = [];
    for (const r of residents) {
      await page.evaluate(() => performance.clearMeasures('selfservice-balance'));
      await scanKeys(page, r.card_code);
      await page.getByTestId('ss-balance').filter({ hasText: String(r.balance) }).waitFor({ timeout: 30_000 });
      paints.push(await measured(page));
    }
    await check('balance');
    // Nothing was tapped between a scan and its balance: the waits above saw each balance without one.
    figure('selfservice_taps_to_balance', 0, 'taps');
    figure('selfservice_first_paint_p95', percentile(paints, 95), 'ms');
    figure('selfservice_axe_violations', screens.reduce((n, s) => n + s.violations, 0), 'violations');
    figure('min_contrast_ratio', Math.min(...screens.map((s) => s.minContrast)), ':1');
    figure('min_target_px', Math.min(...screens.map((s) => s.minTarget)), 'px');
  } finally {
    await context.close();
  }
}

/** The page's own measure of the last scan: from the scan's Enter to the frame after the balance. */
async function measured(page: Page): Promise<number> {
  return page.waitForFunction(() => performance.getEntriesByName('selfservice-balance', 'measure').at(-1)?.duration ?? null, null, { timeout: 10_000 })
    .then((h) => h.jsonValue() as Promise<number>);
}
