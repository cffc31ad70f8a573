import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, expect, test, type Browser } from '@playwright/test';
import { makeCardCode } from '../../core/index.js';
import type { ServerProcess } from '../../build/serverProcess.js';
import { HARD_VARIANTS, onFrame, renderCode, toY4m, type Frame } from '../support/barcodeImages.js';
import type { ScratchDb } from '../support/db.js';
import { openPairedKiosk, startLiveCentre } from '../support/kiosk.js';

/**
 * The counter's camera, with Chromium's fake camera playing a video of a resident card: a QR code
 * filling the view (640×480), and a small Code 128 held far from a 1280×720 camera, which only
 * the worker's second look at the middle of the frame reads. The kiosk shows the resident;
 * closing the camera releases it.
 */
let db: ScratchDb;
let server: ServerProcess;
const card = makeCardCode(1, 1);

let stopCentre: () => Promise<void>;

test.beforeAll(async () => {
  ({ db, server, stop: stopCentre } = await startLiveCentre());
});
test.afterAll(async () => {
  await stopCentre();
});

let browser: Browser | null = null;
test.afterEach(async () => {
  await browser?.close();
  browser = null;
});

/** A Chromium whose fake camera plays `frame` over and over. */
async function cameraPlaying(frame: Frame): Promise<Browser> {
  const video = path.join(mkdtempSync(path.join(tmpdir(), 'linli-camera-')), 'card.y4m');
  writeFileSync(video, toY4m(frame));
  const config = test.info().project.use.launchOptions ?? {};
  browser = await chromium.launch({
    ...config,
    args: [...(config.args ?? []), '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
  });
  return browser;
}

test('a QR code held to the camera shows the resident, and closing the camera releases it', async () => {
  const camera = await cameraPlaying(onFrame(await renderCode('qrcode', card)));
  const context = await camera.newContext({ permissions: ['camera'] });
  const page = await openPairedKiosk(context, db, server.url);
  await page.getByRole('button', { name: '摄像头扫码' }).click();
  await expect(page.getByTestId('resident-card')).toHaveAttribute('data-card-code', card, { timeout: 15_000 });

  // The camera is playing (its stream may be handed to the video a moment after the card shows).
  await page.waitForFunction(() => (document.querySelector('video')?.srcObject ?? null) !== null);
  await page.evaluate(() => {
    (window as unknown as { stream: MediaStream }).stream = document.querySelector('video')!.srcObject as MediaStream;
  });
  await page.getByRole('button', { name: '关闭摄像头' }).click();
  await expect(page.getByTestId('camera')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { stream: MediaStream }).stream.getTracks().map((t) => t.readyState))).toEqual(['ended']);
});

test('a small Code 128 card held far from a 1280×720 camera shows the resident', async () => {
  const small = HARD_VARIANTS.find((v) => v.name.startsWith('small (20'))!;
  const camera = await cameraPlaying(small.make(await renderCode('code128', card, { scale: 4, padding: 0 })));
  const context = await camera.newContext({ permissions: ['camera'] });
  const page = await openPairedKiosk(context, db, server.url);
  // The width the camera ran at while it read (the panel may close once the card is read).
  await page.evaluate(() => {
    const w = window as unknown as { seenWidth: number };
    w.seenWidth = 0;
    setInterval(() => { w.seenWidth = Math.max(w.seenWidth, document.querySelector('video')?.videoWidth ?? 0); }, 20);
  });
  await page.getByRole('button', { name: '摄像头扫码' }).click();
  await expect(page.getByTestId('resident-card')).toHaveAttribute('data-card-code', card, { timeout: 15_000 });
  expect(await page.evaluate(() => (window as unknown as { seenWidth: number }).seenWidth)).toBe(1280);
});
