import bwipjs from 'bwip-js/node';
import { PNG } from 'pngjs';
import { makeCardCode, makeEan, makeStaffCardCode, makeTicketCode, receiptNumber } from '../../core/index.js';

/**
 * Test images of barcodes, rendered by an independent generator (bwip-js, not zxing) and placed on
 * a 640×480 camera frame, then spoiled the ways a counter's camera spoils them: turned, tilted,
 * blurred, noisy, washed out. A harder set (`HARD_VARIANTS`) puts small Code 128 on a 1280×720
 * frame, the camera's own resolution, blurred and seen at an angle. Everything is seeded, so the
 * same images come out every run.
 */
export type Frame = { rgba: Uint8ClampedArray; width: number; height: number };
export type Symbology = 'qrcode' | 'code128' | 'ean13' | 'ean8';

export const FRAME_W = 640;
export const FRAME_H = 480;

/** Renders a code to RGBA, on a white quiet zone (`padding` px of it at `scale` px a module). */
export async function renderCode(bcid: Symbology, text: string, o: { scale?: number; padding?: number } = {}): Promise<Frame> {
  const scale = o.scale ?? (bcid === 'qrcode' ? 5 : 3);
  const padding = o.padding ?? 10;
  const png = await bwipjs.toBuffer({ bcid, text: bcid.startsWith('ean') ? text.slice(0, -1) : text, scale, ...(bcid === 'qrcode' ? {} : { height: 14 }), paddingwidth: padding, paddingheight: padding, backgroundcolor: 'FFFFFF' });
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

/** Six codes Linli reads, one of each kind the camera meets, for the 640×480 set. */
export const CAMERA_CODES: readonly { bcid: Symbology; text: string }[] = [
  { bcid: 'qrcode', text: makeCardCode(123, 1) },
  { bcid: 'qrcode', text: makeTicketCode({ centreId: 'wzgl', day: '2026-11-25', sittingId: 'lunch', number: '10' }) },
  { bcid: 'code128', text: makeCardCode(8507, 2) },
  { bcid: 'code128', text: receiptNumber('K01', 42) },
  { bcid: 'ean13', text: makeEan('690100100000') },
  { bcid: 'ean8', text: makeEan('9638507') },
];

/** Linli's Code 128s for the harder set: resident cards, a receipt, a tool-loan stub, a staff card. */
export const HARD_CODES: readonly string[] = [makeCardCode(8507, 2), makeCardCode(4, 1), receiptNumber('K12', 123456), 'T-K01-000007', makeStaffCardCode(42)];

/**
 * 18-character Code 128s (a courier's waybill, an ID number, a retailer's order number): longer
 * than any Linli prints, for the decoding itself (a reader told to accept them), small and blurred
 * as in the harder set.
 */
export const LONG_CODES: readonly string[] = ['YT7512345678901234', '11010519491231002X', 'JD0087654321098765'];

/** Codes that are not Linli's (a courier's 18-character waybill, a web address): never a read. */
export const FOREIGN_CODES: readonly { bcid: Symbology; text: string }[] = [
  { bcid: 'code128', text: 'YT7512345678901234' },
  { bcid: 'qrcode', text: 'https://example.com/wzgl' },
];

/** The camera's own resolution in the harder set: what the kiosk asks for (1280 wide). */
export const CAMERA_W = 1280;
export const CAMERA_H = 720;

type Point = readonly [number, number];

/**
 * The projective map taking the four corners `from` to `to` (a homography, h33 = 1), found by
 * solving the 8×8 linear system of the four correspondences.
 */
function homography(from: readonly Point[], to: readonly Point[]): number[] {
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i]!;
    const [u, v] = to[i]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u], [0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  for (let c = 0; c < 8; c++) {
    let p = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    for (let r = 0; r < 8; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k < 9; k++) a[r]![k] = a[r]![k]! - f * a[c]![k]!;
    }
  }
  return [...a.map((row, i) => row[8]! / row[i]!), 1];
}

/**
 * A code seen by a 1280×720 camera: its image mapped onto the quadrilateral `corners` (top left,
 * top right, bottom right, bottom left) on grey paper, each pixel the mean of 3×3 samples, as a
 * camera's pixel integrates the light that falls on it.
 */
export function onCamera(code: Frame, corners: readonly Point[], paper = 225): Frame {
  const rgba = new Uint8ClampedArray(CAMERA_W * CAMERA_H * 4);
  for (let p = 0; p < rgba.length; p += 4) {
    rgba[p] = rgba[p + 1] = rgba[p + 2] = paper;
    rgba[p + 3] = 255;
  }
  const m = homography(corners, [[0, 0], [code.width, 0], [code.width, code.height], [0, code.height]]);
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  const ss = 3;
  for (let y = Math.max(0, Math.floor(Math.min(...ys))); y < Math.min(CAMERA_H, Math.ceil(Math.max(...ys))); y++) {
    for (let x = Math.max(0, Math.floor(Math.min(...xs))); x < Math.min(CAMERA_W, Math.ceil(Math.max(...xs))); x++) {
      let sum = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const fx = x + (sx + 0.5) / ss;
          const fy = y + (sy + 0.5) / ss;
          const w = m[6]! * fx + m[7]! * fy + m[8]!;
          const u = Math.floor((m[0]! * fx + m[1]! * fy + m[2]!) / w);
          const v = Math.floor((m[3]! * fx + m[4]! * fy + m[5]!) / w);
          sum += u < 0 || v < 0 || u >= code.width || v >= code.height ? paper : (code.rgba[(v * code.width + u) * 4]! * paper) / 255;
        }
      }
      const d = (y * CAMERA_W + x) * 4;
      rgba[d] = rgba[d + 1] = rgba[d + 2] = sum / (ss * ss);
    }
  }
  return { rgba, width: CAMERA_W, height: CAMERA_H };
}

/**
 * The corners of a code `widthPx` wide in the middle of the camera frame, turned by `degrees`,
 * and seen at an angle when `keystone` is set: the right edge that much shorter than the left
 * and the top leaning, as when a card is held turned away from the camera.
 */
export function placement(code: Frame, widthPx: number, o: { degrees?: number; keystone?: number; dx?: number } = {}): Point[] {
  const h = (widthPx * code.height) / code.width;
  const k = o.keystone ?? 0;
  const box: Point[] = [[-widthPx / 2, -h / 2], [widthPx / 2, (-h / 2) * (1 - k) + h * k * 0.3], [widthPx / 2, (h / 2) * (1 - k) + h * k * 0.3], [-widthPx / 2, h / 2]];
  const a = ((o.degrees ?? 0) * Math.PI) / 180;
  const [cx, cy] = [CAMERA_W / 2 + (o.dx ?? 0), CAMERA_H / 2];
  return box.map(([x, y]) => [cx + x * Math.cos(a) - y * Math.sin(a), cy + x * Math.sin(a) + y * Math.cos(a)] as const);
}

/**
 * A frame scaled down to at most `maxWidth`, each pixel the mean of the block it covers: what
 * the kiosk's canvas hands the worker (for 1280 → 640, Chromium's bilinear drawImage samples
 * between four pixels, the same mean).
 */
export function scaleDown(f: Frame, maxWidth = FRAME_W): Frame {
  const k = Math.ceil(f.width / maxWidth);
  if (k <= 1) return f;
  const [width, height] = [Math.floor(f.width / k), Math.floor(f.height / k)];
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 4; c++) {
        let sum = 0;
        for (let dy = 0; dy < k; dy++) for (let dx = 0; dx < k; dx++) sum += f.rgba[((y * k + dy) * f.width + x * k + dx) * 4 + c]!;
        rgba[(y * width + x) * 4 + c] = sum / (k * k);
      }
    }
  }
  return { rgba, width, height };
}

/** The middle `width`×`height` of a frame at its own resolution, as the kiosk cuts it (camera.ts). */
export function middle(f: Frame, width: number, height: number): Frame {
  const [x0, y0] = [Math.floor((f.width - width) / 2), Math.floor((f.height - height) / 2)];
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) rgba.set(f.rgba.subarray(((y0 + y) * f.width + x0) * 4, ((y0 + y) * f.width + x0 + width) * 4), y * width * 4);
  return { rgba, width, height };
}

/**
 * The harder set: a Code 128 held far from a 1280×720 camera, its bars about a fifth of the
 * frame's width (a card code's 123 modules at about 2 px each: 1 px once scaled to 640), then
 * blurred, seen at an angle, turned. Every variant has a little sensor noise. `render` is the
 * code at 4 px a module, which `onCamera` shrinks.
 */
export const HARD_VARIANTS: readonly { name: string; make(render: Frame): Frame }[] = [
  { name: 'small (20 % of the width)', make: (r) => noise(onCamera(r, placement(r, 256)), 8, 11) },
  { name: 'smaller (16 %)', make: (r) => noise(onCamera(r, placement(r, 205)), 8, 12) },
  { name: 'small, blurred', make: (r) => noise(blur(onCamera(r, placement(r, 256)), 1), 8, 13) },
  { name: 'small, at an angle', make: (r) => noise(onCamera(r, placement(r, 256, { keystone: 0.25 })), 8, 14) },
  { name: 'small, at an angle, blurred', make: (r) => noise(blur(onCamera(r, placement(r, 300, { keystone: 0.2 })), 1), 8, 15) },
  { name: 'small, tilted 6°', make: (r) => noise(onCamera(r, placement(r, 256, { degrees: 6 })), 8, 16) },
  { name: 'small, upside down', make: (r) => noise(onCamera(r, placement(r, 256, { degrees: 180 })), 8, 17) },
  { name: 'small, sideways', make: (r) => noise(onCamera(r, placement(r, 256, { degrees: 90 })), 8, 18) },
  { name: 'small, off the middle', make: (r) => noise(onCamera(r, placement(r, 256, { dx: 150 })), 8, 19) },
];
