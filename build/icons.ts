import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

/**
 * Draws the installers' icons (`npx tsx build/icons.ts`; the results are committed): 邻 in white
 * on the kiosk's green, in Chromium with a CJK font, at every size Windows and Linux ask for, and
 * the Windows .ico that holds them (PNG entries, as Windows Vista and later read them).
 */
const out = fileURLToPath(new URL('./resources/', import.meta.url));
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512] as const;
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
const pngs = new Map<number, Buffer>();
try {
  for (const size of SIZES) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    await page.setContent(`<html><body style="margin:0;background:transparent">
      <div style="width:${size}px;height:${size}px;border-radius:${Math.round(size * 0.2)}px;background:#2f6b4f;display:flex;align-items:center;justify-content:center;
        color:#fff;font:700 ${Math.round(size * 0.66)}px 'Noto Sans CJK SC','Noto Sans SC',sans-serif;line-height:1">邻</div></body></html>`);
    pngs.set(size, await page.screenshot({ omitBackground: true, type: 'png' }));
    await page.close();
  }
} finally {
  await browser.close();
}
mkdirSync(`${out}icons`, { recursive: true });
for (const [size, png] of pngs) writeFileSync(`${out}icons/${size}x${size}.png`, png);
writeFileSync(`${out}icon.png`, pngs.get(512)!);

// ICONDIR, then one ICONDIRENTRY per image (a width or height of 256 is written as 0), then the PNGs.
const header = Buffer.alloc(6 + 16 * ICO_SIZES.length);
header.writeUInt16LE(0, 0);
header.writeUInt16LE(1, 2);
header.writeUInt16LE(ICO_SIZES.length, 4);
let offset = header.length;
ICO_SIZES.forEach((size, i) => {
  const png = pngs.get(size)!;
  const e = 6 + 16 * i;
  header.writeUInt8(size >= 256 ? 0 : size, e);
  header.writeUInt8(size >= 256 ? 0 : size, e + 1);
  header.writeUInt16LE(1, e + 4);
  header.writeUInt16LE(32, e + 6);
  header.writeUInt32LE(png.length, e + 8);
  header.writeUInt32LE(offset, e + 12);
  offset += png.length;
});
writeFileSync(`${out}icon.ico`, Buffer.concat([header, ...ICO_SIZES.map((s) => pngs.get(s)!)]));
process.stderr.write(`icons written to ${out}\n`);
