import type { Browser } from 'playwright-core';
import type { ServerProcess } from '../build/serverProcess.js';
import type { Db } from '../server/db/db.js';
import { createPairingCode } from '../server/devices/enrol.js';
import { signInStaff } from '../test/support/kiosk.js';

type Figure = (name: string, value: number, unit: string) => void;
type Say = (text: string) => void;

/**
 * What the kiosk's header tells, and how soon: `first_pairing_download` (s from the 配对 tap to
 * the staff sign-in, the whole centre downloaded and stored) and `offline_detect_p95` (ms from the
 * server's death, SIGKILL, to 离线 in the header). Runs last: it kills the server it is given and
 * starts it again.
 */
export async function statusFigures(browser: Browser, db: Db, server: ServerProcess, figure: Figure, say: Say): Promise<void> {
  say('first download of the whole centre on a new kiosk…');
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  try {
    const page = await context.newPage();
    const code = await createPairingCode(db, 'wzgl', 'counter', new Date());
    const streamUp = () => page.waitForResponse((r) => r.url().includes('/api/sync/stream') && r.status() === 200, { timeout: 300_000 });
    let stream = streamUp();
    await page.goto(`${server.url}/#pair=${code}`);
    // Timed in the page, from the tap's click event to the frame after the sign-in field appears
    // (not from Playwright's call, which spends 0.2–0.3 s on its own checks before it clicks).
    const timed = page.evaluate(() => new Promise<number>((resolve) => {
      addEventListener('click', () => {
        const tapped = performance.now();
        const observer = new MutationObserver(() => {
          if (!document.querySelector('input[name=staffCard]')) return;
          observer.disconnect();
          requestAnimationFrame(() => resolve(performance.now() - tapped));
        });
        observer.observe(document.body, { childList: true, subtree: true });
      }, { capture: true, once: true });
    }));
    await page.getByRole('button', { name: '配对' }).click();
    await page.locator('input[name=staffCard]').waitFor({ state: 'visible', timeout: 300_000 });
    figure('first_pairing_download', (await timed) / 1000, 's');
    await signInStaff(page);
    await stream;

    say('the server killed under a signed-in kiosk, five times…');
    const status = page.getByTestId('sync-status');
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      await status.filter({ hasText: '已同步' }).waitFor({ timeout: 120_000 });
      const killed = Date.now();
      await server.stop('SIGKILL');
      await status.filter({ hasText: '离线' }).waitFor({ timeout: 60_000 });
      samples.push(Date.now() - killed);
      stream = streamUp();
      await server.start();
      await page.evaluate("dispatchEvent(new Event('online'))");
      await stream;
    }
    samples.sort((a, b) => a - b);
    figure('offline_detect_p95', samples[Math.ceil(0.95 * samples.length) - 1]!, 'ms');
  } finally {
    await context.close();
  }
}
