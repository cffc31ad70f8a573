/// <reference lib="webworker" />
import { makeReader, readFrame, type Decoded } from './decode.js';

/**
 * The camera worker: decodes frames off the page's thread, so the screen stays smooth while the
 * camera runs. Every other frame is read turned a quarter (see decode.ts). A frame comes scaled
 * down to at most 640 px wide, with its middle at the camera's resolution (`centre`) when the
 * camera gives more than that; the middle is read only when the scaled frame reads nothing.
 * Every frame is answered, even one zxing fails on, so the camera loop (one frame in flight)
 * never waits for an answer that does not come.
 */
export type FrameRequest = { id: number; width: number; height: number; rgba: ArrayBuffer; centre?: { width: number; height: number; rgba: ArrayBuffer } };
export type FrameAnswer = { id: number; result: Decoded | null; ms: number; failed?: string };

const reader = makeReader();
let turned = false;

self.onmessage = (e: MessageEvent<FrameRequest>) => {
  const started = performance.now();
  const { id, width, height, rgba, centre } = e.data;
  const answer: FrameAnswer = { id, result: null, ms: 0 };
  try {
    answer.result = readFrame(reader, { rgba: new Uint8ClampedArray(rgba), width, height }, centre && { ...centre, rgba: new Uint8ClampedArray(centre.rgba) }, turned);
  } catch (err) {
    answer.failed = String(err);
  }
  turned = !turned;
  answer.ms = performance.now() - started;
  self.postMessage(answer);
};
