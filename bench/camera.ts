import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import {
  CAMERA_CODES, FOREIGN_CODES, HARD_CODES, HARD_VARIANTS, LONG_CODES, middle, onFrame, renderCode, scaleDown, VARIANTS, type Frame,
} from '../test/support/barcodeImages.js';
import { percentile, round } from './stats.js';

/**
 * The camera figures, in Chromium: the kiosk's own frame grabbing (`grabFrame` in camera.ts:
 * scaled to 640 px, the middle at full resolution) and its decoding worker, on three sets of
 * frames made by bwip-js in Node:
 *   - standard: six codes on a 640×480 frame, each clean, turned, tilted, blurred, noisy, washed out;
 *   - hard: Linli's Code 128s small on a 1280×720 frame, blurred, seen at an angle, turned;
 *   - foreign: someone else's codes (an 18-character Code 128 small and large, a QR address),
 *     which the camera must never hand to the page;
 *   - long (in the page, decode.ts's `readFrame`): 18-character Code 128s under the hard set's spoiling,
 *     read by a reader told to accept any code: what the decoding itself can read of codes
 *     longer than any Linli prints (`camera_decode_success_long`, `camera_decode_misreads_long`).
 * Each frame is grabbed twice in a row, as the camera loop sees two frames (as seen, then turned
 * a quarter); a frame is read when either answer is its code, and a misread is any answer that
 * is not. The page is served from memory (page.route), the worker bundled by esbuild.
 *
 * `npx tsx bench/camera.ts` runs this part alone.
 */
type Say = (text: string) => void;
type Figure = (name: string, value: number, unit: string) => void;
type Sample = { grey: string; width: number; height: number; text: string | null };
type Answered = { ms: number[]; texts: (string | null)[] };

const root = fileURLToPath(new URL('../', import.meta.url));
const ORIGIN = 'http://camera.bench.linli';

/** The page's side: the real grabFrame into the worker, two frames a sample. */
const PAGE = `
import { grabFrame, makeFrameCanvases } from './renderer/src/scan/camera/camera.ts';
import { makeReader, readFrame } from './renderer/src/scan/camera/decode.ts';
const worker = new Worker('/worker.js');
const canvases = makeFrameCanvases();
let id = 0;
const ask = (request, transfer) => new Promise((resolve) => {
  worker.onmessage = (e) => resolve(e.data);
  worker.postMessage(request, transfer);
});
window.cameraSample = async ({ grey, width, height }) => {
  const bytes = Uint8Array.from(atob(grey), (ch) => ch.charCodeAt(0));
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < bytes.length; i++) { rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = bytes[i]; rgba[i * 4 + 3] = 255; }
  const bitmap = await createImageBitmap(new ImageData(rgba, width, height));
  const out = { ms: [], texts: [] };
  for (let pass = 0; pass < 2; pass++) {
    const { request, transfer } = grabFrame(bitmap, width, height, canvases, id++);
    const answer = await ask(request, transfer);
    if (answer.failed) throw new Error(answer.failed);
    out.ms.push(answer.ms);
    out.texts.push(answer.result ? answer.result.text : null);
  }
  return out;
};
// The decoding alone, with a reader that takes any code: the scaled frame and its middle, as grabbed.
const anyCode = makeReader(() => true);
const pixels = ({ grey, width, height }) => {
  const bytes = Uint8Array.from(atob(grey), (ch) => ch.charCodeAt(0));
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < bytes.length; i++) { rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = bytes[i]; rgba[i * 4 + 3] = 255; }
  return { rgba, width, height };
};
window.decodeAny = ({ scaled, centre }) => {
  const s = pixels(scaled);
  const c = pixels(centre);
  return [false, true].map((turned) => readFrame(anyCode, s, c, turned)?.text ?? null);
};
document.body.dataset.ready = 'yes';
`;

async function bundle(entry: { file: string } | { contents: string }): Promise<string> {
  const result = await build({
    ...('file' in entry ? { entryPoints: [entry.file] } : { stdin: { contents: entry.contents, resolveDir: root, loader: 'ts' } }),
    bundle: true, write: false, format: 'esm', target: 'chrome120', logLevel: 'error',
  });
  return result.outputFiles[0]!.text;
}

/** A frame's grey levels, base64: a third of the RGBA, and the frames are grey. */
const greyOf = (f: Frame, text: string | null): Sample => {
  const grey = Buffer.alloc(f.width * f.height);
  for (let i = 0; i < grey.length; i++) grey[i] = f.rgba[i * 4]!;
  return { grey: grey.toString('base64'), width: f.width, height: f.height, text };
};

async function* standardSet(): AsyncGenerator<Sample> {
  for (const c of CAMERA_CODES) {
    const frame = onFrame(await renderCode(c.bcid, c.text));
    for (const v of VARIANTS) yield greyOf(v.spoil(frame), c.text);
  }
}

async function* hardSet(): AsyncGenerator<Sample> {
  for (const text of HARD_CODES) {
    const render = await renderCode('code128', text, { scale: 4, padding: 0 });
    for (const v of HARD_VARIANTS) yield greyOf(v.make(render), text);
  }
}

async function* foreignSet(): AsyncGenerator<Sample> {
  for (const c of FOREIGN_CODES) {
    const frame = onFrame(await renderCode(c.bcid, c.text));
    for (const v of VARIANTS) yield greyOf(v.spoil(frame), null);
    if (c.bcid !== 'code128') continue;
    const render = await renderCode(c.bcid, c.text, { scale: 4, padding: 0 });
    for (const v of HARD_VARIANTS) yield greyOf(v.make(render), null);
  }
}

/** Prints camera_decode_p95, camera_decode_success, camera_decode_success_standard, camera_decode_misreads and the two _long figures. */
export async function cameraFigures(browser: Browser, figure: Figure, say: Say): Promise<void> {
  say('camera frames through the kiosk\'s frame grabbing and decoding worker…');
  const [page, worker] = await Promise.all([bundle({ contents: PAGE }), bundle({ file: `${root}renderer/src/scan/camera/worker.ts` })]);
  const tab = await browser.newPage();
  const files: Record<string, [string, string]> = {
    '/': ['text/html', '<!doctype html><meta charset="utf-8"><body><script type="module" src="/page.js"></script></body>'],
    '/page.js': ['text/javascript', page],
    '/worker.js': ['text/javascript', worker],
  };
  await tab.route(`${ORIGIN}/**`, (route) => {
    const file = files[new URL(route.request().url()).pathname];
    return file ? route.fulfill({ contentType: file[0], body: file[1] }) : route.fulfill({ status: 404 });
  });
  try {
    await tab.goto(`${ORIGIN}/`);
    await tab.waitForSelector('body[data-ready=yes]', { state: 'attached' });
    const ms: number[] = [];
    let misreads = 0;
    const run = async (set: AsyncGenerator<Sample>) => {
      const read: boolean[] = [];
      for await (const sample of set) {
        const a = await tab.evaluate((s) => (window as unknown as { cameraSample(s: Sample): Promise<Answered> }).cameraSample(s), sample);
        ms.push(...a.ms);
        misreads += a.texts.filter((t) => t !== null && t !== sample.text).length;
        read.push(a.texts.includes(sample.text));
      }
      return (100 * read.filter(Boolean).length) / read.length;
    };
    const standard = await run(standardSet());
    const hard = await run(hardSet());
    await run(foreignSet());
    figure('camera_decode_p95', percentile(ms, 95), 'ms');
    figure('camera_decode_success', hard, '%');
    figure('camera_decode_success_standard', standard, '%');
    figure('camera_decode_misreads', misreads, 'frames');

    say('18-character Code 128s, small, blurred and slanted, through the decoder alone…');
    let longRead = 0;
    let longTried = 0;
    let longMisreads = 0;
    for (const text of LONG_CODES) {
      const render = await renderCode('code128', text, { scale: 4, padding: 0 });
      for (const v of HARD_VARIANTS) {
        const camera = v.make(render);
        const scaled = scaleDown(camera);
        const frames = { scaled: greyOf(scaled, text), centre: greyOf(middle(camera, scaled.width, scaled.height), text) };
        const texts = await tab.evaluate((f) => (window as unknown as { decodeAny(f: { scaled: Sample; centre: Sample }): (string | null)[] }).decodeAny(f), frames);
        longTried++;
        if (texts.includes(text)) longRead++;
        longMisreads += texts.filter((t) => t !== null && t !== text).length;
      }
    }
    figure('camera_decode_success_long', (100 * longRead) / longTried, '%');
    figure('camera_decode_misreads_long', longMisreads, 'frames');
  } finally {
    await tab.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const figure: Figure = (name, value, unit) => process.stdout.write(`${JSON.stringify({ name, value: round(value), unit })}\n`);
    const say: Say = (text) => process.stderr.write(`bench: ${text}\n`);
    await cameraFigures(browser, figure, say);
  } finally {
    await browser.close();
  }
}
