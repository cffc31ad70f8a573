import bwipjs from 'bwip-js/node';
import { PNG } from 'pngjs';

/**
 * Test images of barcodes, rendered by an independent generator (bwip-js, not zxing) and placed on
 * a 640×480 camera frame, then spoiled the ways a counter's camera spoils them: turned, tilted,
 * blurred, noisy, washed out. Everything is seeded, so the same images come out every run.
 */
export type Frame = { rgba: Uint8ClampedArray; width: number; height: number };
export type Symbology = 'qrcode' | 'code128' | 'ean13' | 'ean8';

export const FRAME_W = 640;
export const FRAME_H = 480;

/** Renders a code to RGBA, on a white quiet zone. */
export async function renderCode(bcid: Symbology, text: string): Promise<Frame> {
  const png = await bwipjs.toBuffer({ bcid, text: bcid.startsWith('ean') ? text.slice(0, -1) : text, scale: bcid === 'qrcode' ? 5 : 3, ...(bcid === 'qrcode' ? {} : { height: 14 }), paddingwidth: 10, paddingheight: 10, backgroundcolor: 'FFFFFF' });
  const img = PNG.sync.read(png);
  return { rgba: new Uint8ClampedArray(img.data), width: img.width, height: img.height };
}

/** The code in the middle of a grey-white camera frame. */
export function onFrame(code: Frame): Frame {
  const rgba = new Uint8ClampedArray(FRAME_W * FRAME_H * 4).fill(235);
  const ox = Math.floor((FRAME_W - code.width) / 2);
  const oy = Math.floor((FRAME_H - code.height) / 2);
  for (let y = 0; y < code.height; y++) {
    for (let x = 0; x < code.width; x++) {
      const fx = ox + x;
      const fy = oy + y;
      if (fx < 0 || fy < 0 || fx >= FRAME_W || fy >= FRAME_H) continue;
      const s = (y * code.width + x) * 4;
      const d = (fy * FRAME_W + fx) * 4;
      for (let c = 0; c < 4; c++) rgba[d + c] = code.rgba[s + c]!;
    }
  }
  return { rgba, width: FRAME_W, height: FRAME_H };
}

/** Turns a frame by `degrees` about its centre (nearest neighbour; the corners fill with paper). */
export function rotate(f: Frame, degrees: number): Frame {
  const out = new Uint8ClampedArray(f.rgba.length).fill(235);
  const a = (degrees * Math.PI) / 180;
  const [cos, sin, cx, cy] = [Math.cos(a), Math.sin(a), f.width / 2, f.height / 2];
  for (let y = 0; y < f.height; y++) {
    for (let x = 0; x < f.width; x++) {
      const sx = Math.round(cos * (x - cx) + sin * (y - cy) + cx);
      const sy = Math.round(-sin * (x - cx) + cos * (y - cy) + cy);
      if (sx < 0 || sy < 0 || sx >= f.width || sy >= f.height) continue;
      const s = (sy * f.width + sx) * 4;
      const d = (y * f.width + x) * 4;
      for (let c = 0; c < 4; c++) out[d + c] = f.rgba[s + c]!;
    }
  }
  return { ...f, rgba: out };
}

/** A box blur of the given radius, as an out-of-focus camera gives. */
export function blur(f: Frame, radius: number): Frame {
  const pass = (src: Uint8ClampedArray, dx: number, dy: number) => {
    const out = new Uint8ClampedArray(src.length);
    for (let y = 0; y < f.height; y++) {
      for (let x = 0; x < f.width; x++) {
        for (let c = 0; c < 3; c++) {
          let sum = 0;
          let n = 0;
          for (let k = -radius; k <= radius; k++) {
            const sx = x + k * dx;
            const sy = y + k * dy;
            if (sx < 0 || sy < 0 || sx >= f.width || sy >= f.height) continue;
            sum += src[(sy * f.width + sx) * 4 + c]!;
            n++;
          }
          out[(y * f.width + x) * 4 + c] = sum / n;
        }
        out[(y * f.width + x) * 4 + 3] = 255;
      }
    }
    return out;
  };
  return { ...f, rgba: pass(pass(f.rgba, 1, 0), 0, 1) };
}

/** Seeded noise of up to ±`amount` grey levels on every pixel. */
export function noise(f: Frame, amount: number, seed: number): Frame {
  let s = seed >>> 0;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const out = new Uint8ClampedArray(f.rgba);
  for (let p = 0; p < out.length; p += 4) {
    const n = (rnd() * 2 - 1) * amount;
    for (let c = 0; c < 3; c++) out[p + c] = out[p + c]! + n;
  }
  return { ...f, rgba: out };
}

/** Squeezes the grey levels into [low, high]: a dim room, a washed-out phone screen. */
export function lowContrast(f: Frame, low: number, high: number): Frame {
  const out = new Uint8ClampedArray(f.rgba);
  for (let p = 0; p < out.length; p += 4) for (let c = 0; c < 3; c++) out[p + c] = low + (out[p + c]! * (high - low)) / 255;
  return { ...f, rgba: out };
}

/** The variants every code is tried in. */
export const VARIANTS: readonly { name: string; spoil(f: Frame): Frame }[] = [
  { name: 'clean', spoil: (f) => f },
  { name: 'turned 90°', spoil: (f) => rotate(f, 90) },
  { name: 'upside down', spoil: (f) => rotate(f, 180) },
  { name: 'tilted 7°', spoil: (f) => rotate(f, 7) },
  { name: 'blurred', spoil: (f) => blur(f, 1) },
  { name: 'noisy', spoil: (f) => noise(f, 30, 7) },
  { name: 'low contrast', spoil: (f) => lowContrast(f, 90, 170) },
];

/**
 * A Y4M video of a frame, for Chromium's fake camera (`--use-file-for-fake-video-capture`):
 * grey only (the chroma planes flat), `count` frames at 15 a second.
 */
export function toY4m(f: Frame, count = 15): Buffer {
  const header = Buffer.from(`YUV4MPEG2 W${f.width} H${f.height} F15:1 Ip A1:1 C420jpeg\n`);
  const y = Buffer.alloc(f.width * f.height);
  for (let i = 0, p = 0; i < y.length; i++, p += 4) y[i] = (f.rgba[p]! * 77 + f.rgba[p + 1]! * 150 + f.rgba[p + 2]! * 29) >> 8;
  const chroma = Buffer.alloc((f.width / 2) * (f.height / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma]);
  return Buffer.concat([header, ...Array.from({ length: count }, () => frame)]);
}
