import type { Decoded } from './decode.js';
import type { FrameAnswer, FrameRequest } from './worker.js';

/**
 * Camera scanning: frames of the video are scaled down to at most 640 px wide and handed to the
 * decoding worker, one at a time and at most about 15 a second, each with its middle at the
 * camera's own resolution for the worker to read when the scaled frame reads nothing (a small or
 * distant code). The same code within two seconds is one scan. `stop()` releases the camera (and
 * the worker) when the screen leaves.
 */
export const MAX_FRAME_WIDTH = 640;
export const MIN_FRAME_INTERVAL_MS = 66;
const SAME_CODE_MS = 2_000;

/** The canvases a frame is drawn into, made once and reused. */
export type FrameCanvases = { scaled: OffscreenCanvasRenderingContext2D; centre: OffscreenCanvasRenderingContext2D };

/** Two canvases to grab frames with (read back often, so kept in memory rather than on the GPU). */
export function makeFrameCanvases(): FrameCanvases | null {
  const scaled = new OffscreenCanvas(1, 1).getContext('2d', { willReadFrequently: true });
  const centre = new OffscreenCanvas(1, 1).getContext('2d', { willReadFrequently: true });
  return scaled && centre ? { scaled, centre } : null;
}

/**
 * One frame for the worker, and the buffers to transfer: the frame scaled to at most 640 px wide,
 * and, when the camera gives more, the middle of the frame at full resolution, as large as the
 * scaled frame (so looking at it costs at most as much again): at 1280×720 the middle 640×360,
 * where a card held up to the camera is.
 */
export function grabFrame(source: CanvasImageSource, sourceWidth: number, sourceHeight: number, canvases: FrameCanvases, id: number): { request: FrameRequest; transfer: ArrayBuffer[] } {
  const { scaled, centre } = canvases;
  const scale = Math.min(1, MAX_FRAME_WIDTH / sourceWidth);
  scaled.canvas.width = Math.round(sourceWidth * scale);
  scaled.canvas.height = Math.round(sourceHeight * scale);
  scaled.drawImage(source, 0, 0, scaled.canvas.width, scaled.canvas.height);
  const frame = scaled.getImageData(0, 0, scaled.canvas.width, scaled.canvas.height);
  const request: FrameRequest = { id, width: frame.width, height: frame.height, rgba: frame.data.buffer };
  const transfer = [frame.data.buffer];
  if (scale < 1) {
    const [w, h] = [frame.width, frame.height];
    centre.canvas.width = w;
    centre.canvas.height = h;
    centre.drawImage(source, Math.floor((sourceWidth - w) / 2), Math.floor((sourceHeight - h) / 2), w, h, 0, 0, w, h);
    const middle = centre.getImageData(0, 0, w, h);
    request.centre = { width: w, height: h, rgba: middle.data.buffer };
    transfer.push(middle.data.buffer);
  }
  return { request, transfer };
}

export class CameraScanner {
  private stream: MediaStream | null = null;
  private worker: Worker | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private inFlight = false;
  private nextId = 0;
  private last: { text: string; at: number } | null = null;

  constructor(private readonly onScan: (d: Decoded) => void) {}

  /** Opens the camera into `video` and starts reading. Rejects when there is no camera or no permission. */
  async start(video: HTMLVideoElement): Promise<void> {
    this.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment', width: { ideal: 1280 } }, audio: false });
    video.srcObject = this.stream;
    await video.play();
    this.worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<FrameAnswer>) => this.answered(e.data);
    const canvases = makeFrameCanvases();
    this.timer = setInterval(() => {
      if (this.inFlight || !canvases || video.videoWidth === 0) return;
      const { request, transfer } = grabFrame(video, video.videoWidth, video.videoHeight, canvases, this.nextId++);
      this.inFlight = true;
      this.worker?.postMessage(request, transfer);
    }, MIN_FRAME_INTERVAL_MS);
  }

  /** Releases the camera and stops decoding. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
    this.worker?.terminate();
    this.worker = null;
  }

  private answered(a: FrameAnswer): void {
    this.inFlight = false;
    if (!a.result) return;
    const now = performance.now();
    if (this.last && this.last.text === a.result.text && now - this.last.at < SAME_CODE_MS) return;
    this.last = { text: a.result.text, at: now };
    this.onScan(a.result);
  }
}
