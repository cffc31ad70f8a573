/// <reference lib="webworker" />
import { decodeFrame, makeReader, type Decoded } from './decode.js';

/**
 * The camera worker: decodes frames off the page's thread, so the screen stays smooth while the
 * camera runs. Every other frame is read turned a quarter (see decode.ts).
 */
export type FrameRequest = { id: number; width: number; height: number; rgba: ArrayBuffer };
export type FrameAnswer = { id: number; result: Decoded | null; ms: number };

const reader = makeReader();
let turned = false;

self.onmessage = (e: MessageEvent<FrameRequest>) => {
  const started = performance.now();
  const { id, width, height, rgba } = e.data;
  const result = decodeFrame(reader, new Uint8ClampedArray(rgba), width, height, turned);
  turned = !turned;
  const answer: FrameAnswer = { id, result, ms: performance.now() - started };
  self.postMessage(answer);
};
