import { readFile, rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import type { JobStore, PrintJob } from './queue.js';

const Job = z.object({
  id: z.string(), label: z.string(), bytes: z.string(), state: z.enum(['queued', 'printing', 'printed', 'unknown']),
  attempts: z.number().int(), problem: z.object({ key: z.string(), params: z.record(z.string(), z.unknown()) }).nullable(),
  reprintOf: z.string().nullable(), createdAt: z.number(), updatedAt: z.number(),
});

/** Printed jobs older than this are dropped from the file; the event keeps the record. */
const KEEP_PRINTED_MS = 7 * 86_400_000;

/** The queue's file is there but cannot be read: main keeps it aside and tells staff (files.ts). */
export class QueueFileUnreadable extends Error {}

/**
 * The print queue in a JSON file, written whole to a temporary file and renamed over the old one,
 * so a crash leaves either the old queue or the new one, never half of one. Writes go one after
 * another (a job queued while another prints saves twice at once), so the last state stands.
 */
export function fileJobStore(path: string, now: () => number = () => Date.now()): JobStore {
  let writing: Promise<void> = Promise.resolve();
  const write = async (jobs: readonly PrintJob[]) => {
    const kept = jobs.filter((j) => j.state !== 'printed' || now() - j.updatedAt < KEEP_PRINTED_MS);
    const tmp = `${path}.tmp`;
    await writeFile(tmp, JSON.stringify(kept), { flush: true });
    await rename(tmp, path);
  };
  return {
    async load() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (err) {
        // No file yet is an empty queue; a file that is there and cannot be read is not.
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw new QueueFileUnreadable(`the print queue cannot be read: ${(err as Error).message}`);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new QueueFileUnreadable('the print queue file is not JSON (cut short or damaged)');
      }
      const jobs = z.array(Job).safeParse(parsed);
      if (!jobs.success) throw new QueueFileUnreadable(`the print queue file is not what this version wrote: ${jobs.error.issues[0]?.message ?? ''}`);
      return jobs.data as PrintJob[];
    },
    save(jobs) {
      // The jobs are copied now: they are what this save stands for, whatever changes next.
      const snapshot = jobs.map((j) => ({ ...j }));
      writing = writing.catch(() => undefined).then(() => write(snapshot));
      return writing;
    },
  };
}
