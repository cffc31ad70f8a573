import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, expect, test, type Browser } from '@playwright/test';
import { makeCardCode } from '../../core/index.js';
import type { ServerProcess } from '../../build/serverProcess.js';
import { onFrame, renderCode, toY4m } from '../support/barcodeImages.js';
import type { ScratchDb } from '../support/db.js';
import { openPairedKiosk, startLiveCentre } from '../support/kiosk.js';

/**
 * The counter's camera, with Chromium's fake camera playing a video of a resident card's QR code:
 * the kiosk reads it in its worker and shows the resident; closing the camera releases it.
 */
let db: ScratchDb;
let server: ServerProcess;
let browser: Browser;
const card = makeCardCode(1, 1);

let stopCentre: () => Promise<void>;

test.beforeAll(async () => {
  ({ db, server, stop: stopCentre } = await startLiveCentre());
  const video = path.join(mkdtempSync(path.join(tmpdir(), 'linli-camera-')), 'card.y4m');
  writeFileSync(video, toY4m(onFrame(await renderCode('qrcode', card))));
  const config = test.info().project.use.launchOptions ?? {};
  browser = await chromium.launch({
    ...config,
    args: [...(config.args ?? []), '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
  });
});
test.afterAll(async () => {
  await browser.close();
  await stopCentre();
});

test('a QR code held to the camera shows the resident, and closing the camera releases it', async () => {
  const context = await browser.newContext({ permissions: ['camera'] });
  const page = await openPairedKiosk(context, db, server.url);
  await page.getByRole('button', { name: '摄像头扫码' }).click();
  await expect(page.getByTestId('resident-card')).toHaveAttribute('data-card-code', card, { timeout: 15_000 });

  await page.evaluate(() => {
    (window as unknown as { stream: MediaStream }).stream = document.querySelector('video')!.srcObject as MediaStream;
  });
  await page.getByRole('button', { name: '关闭摄像头' }).click();
  await expect(page.getByTestId('camera')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { stream: MediaStream }).stream.getTracks().map((t) => t.readyState))).toEqual(['ended']);
  await context.close();
});
