import type { Message } from '../../core/index.js';
import { statusProblem, type PrinterAddress, type SendResult, type Transport } from './transport.js';

/**
 * The print queue of the main process. A job is keyed by the event it prints (its id), queued
 * after the event committed, and printed automatically at most once:
 *
 *   queued ──(printer ready, bytes sent)──▶ printed
 *     │  ▲
 *     │  └─(refused, or no answer before any byte went out: safe to try again)
 *     └──(connection broke after bytes went out, the paper ran out during the job, or the app
 *         died while printing)──▶ unknown
 *
 * Draining stops at the first job the printer cannot take (a problem, or a break-off), so the
 * jobs behind it are not thrown at a printer in trouble.
 *
 * An `unknown` job is never retried by itself: the screen says it may not have printed, and only
 * staff reprint it, as a new job marked 补打. The queue lives in a store that survives a restart.
 */
export type JobState = 'queued' | 'printing' | 'printed' | 'unknown';

export type PrintJob = {
  id: string;
  /** The receipt number people read, for messages. */
  label: string;
  /** The bytes, base64. */
  bytes: string;
  state: JobState;
  attempts: number;
  /** Why the job waits or may not have printed, for the screen. */
  problem: Message | null;
  reprintOf: string | null;
  createdAt: number;
  updatedAt: number;
};

/** Where the queue is kept between runs. */
export type JobStore = { load(): Promise<PrintJob[]>; save(jobs: readonly PrintJob[]): Promise<void> };

export type QueueOptions = { address: PrinterAddress; timeoutMs: number; now(): number; onChange?(jobs: readonly PrintJob[]): void };

export class PrintQueue {
  private jobs: PrintJob[] = [];
  private draining: Promise<void> | null = null;

  private constructor(private readonly store: JobStore, private readonly transport: Transport, private readonly o: QueueOptions) {}

  /** Opens the queue. A job that was printing when the app stopped may or may not have printed. */
  static async open(store: JobStore, transport: Transport, o: QueueOptions): Promise<PrintQueue> {
    const q = new PrintQueue(store, transport, o);
    q.jobs = await store.load();
    let changed = false;
    for (const j of q.jobs) {
      if (j.state === 'printing') {
        Object.assign(j, { state: 'unknown', problem: { key: 'printMayNotHavePrinted', params: { receiptNo: j.label } }, updatedAt: o.now() });
        changed = true;
      }
    }
    if (changed) await q.save();
    return q;
  }

  list(): readonly PrintJob[] {
    return this.jobs;
  }

  /** Queues the job of an event. A second call for the same event changes nothing. */
  async enqueue(id: string, label: string, bytes: Uint8Array): Promise<PrintJob> {
    const existing = this.jobs.find((j) => j.id === id);
    if (existing) return existing;
    return this.add(id, label, bytes, null);
  }

  /** Staff reprint a job (bytes already marked 补打): a new job of its own. */
  async reprint(id: string, bytes: Uint8Array): Promise<PrintJob> {
    const original = this.jobs.find((j) => j.id === id);
    if (!original) throw new Error(`no print job ${id}`);
    const n = this.jobs.filter((j) => j.reprintOf === id).length + 1;
    return this.add(`${id}~reprint${n}`, original.label, bytes, id);
  }

  /** Prints what is queued, in order; stops at the first job the printer cannot take now. */
  drain(): Promise<void> {
    this.draining ??= this.drainAll().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  private async drainAll(): Promise<void> {
    for (const job of this.jobs.filter((j) => j.state === 'queued')) {
      const status = await this.transport.status(this.o.address, this.o.timeoutMs);
      const problem = statusProblem(status);
      if (problem) {
        await this.update(job, { problem: { key: problem, params: {} } });
        return;
      }
      await this.update(job, { state: 'printing', attempts: job.attempts + 1 });
      // A transport that throws (it could not even start the job) sent nothing: the job waits.
      const sent = await this.transport.send(this.o.address, Buffer.from(job.bytes, 'base64'), this.o.timeoutMs)
        .catch((): SendResult => ({ ok: false, sentAny: false, problem: 'printerOffline' }));
      // The printer took the bytes; if its paper ran out meanwhile, the receipt may be cut short.
      const after = sent.ok ? await this.transport.status(this.o.address, this.o.timeoutMs) : null;
      if (sent.ok && after?.paperOut) {
        await this.update(job, { state: 'unknown', problem: { key: 'printMayNotHavePrinted', params: { receiptNo: job.label } } });
        return;
      } else if (sent.ok) {
        // Printed, its bytes go: nothing sends them again (a reprint is drawn anew, marked 补打),
        // and the file every change rewrites keeps a week of printed jobs (a canteen's 2,000 tickets).
        await this.update(job, { state: 'printed', problem: null, bytes: '' });
      } else if (!sent.sentAny) {
        await this.update(job, { state: 'queued', problem: { key: sent.problem, params: {} } });
        return;
      } else {
        // The printer broke off in the middle: stop here, so the jobs behind stay safely queued.
        await this.update(job, { state: 'unknown', problem: { key: 'printMayNotHavePrinted', params: { receiptNo: job.label } } });
        return;
      }
    }
  }

  private async add(id: string, label: string, bytes: Uint8Array, reprintOf: string | null): Promise<PrintJob> {
    const now = this.o.now();
    const job: PrintJob = { id, label, bytes: Buffer.from(bytes).toString('base64'), state: 'queued', attempts: 0, problem: null, reprintOf, createdAt: now, updatedAt: now };
    this.jobs.push(job);
    await this.save();
    return job;
  }

  private async update(job: PrintJob, patch: Partial<PrintJob>): Promise<void> {
    Object.assign(job, patch, { updatedAt: this.o.now() });
    await this.save();
  }

  private async save(): Promise<void> {
    await this.store.save(this.jobs);
    this.o.onChange?.(this.jobs);
  }
}
