import type { Decoded } from './decode.js';
import type { FrameAnswer, FrameRequest } from './worker.js';

/**
 * Camera scanning: frames of the video are scaled down to at most 640 px wide and handed to the
 * decoding worker, one at a time and at most about 15 a second. The same code within two seconds
 * is one scan. `stop()` releases the camera (and the worker) when the screen leaves.
 */
export const MAX_FRAME_WIDTH = 640;
export const MIN_FRAME_INTERVAL_MS = 66;
const SAME_CODE_MS = 2_000;

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
    const canvas = new OffscreenCanvas(1, 1);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    this.timer = setInterval(() => {
      if (this.inFlight || !ctx || video.videoWidth === 0) return;
      const scale = Math.min(1, MAX_FRAME_WIDTH / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
      const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const request: FrameRequest = { id: this.nextId++, width, height, rgba: data.buffer };
      this.inFlight = true;
      this.worker?.postMessage(request, [data.buffer]);
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
