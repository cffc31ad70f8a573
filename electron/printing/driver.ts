import { z } from 'zod';
import { PrintDocSchema } from '../../core/index.js';
import type { PrinterStatus, SendResult, Transport } from './transport.js';

/**
 * Printers that only have a system driver (some USB printers on Windows): the job is the print
 * page's document (the same model, as HTML) and a hidden window prints it with
 * `webContents.print({ silent: true })`. `printPage` is that window, injected so this is tested
 * without Electron. A driver reports no paper or cover state, so the status always says "ready";
 * a print the driver refused (nothing reached the spooler) waits and is tried again.
 */
export type PrintPage = (pageUrl: string, deviceName: string) => Promise<{ ok: true } | { ok: false; reason: string }>;

const Job = z.object({ kind: z.literal('doc'), doc: PrintDocSchema });

/** The bytes a driver job is queued as: its print-page payload, UTF-8 JSON. */
export function driverJobBytes(doc: z.infer<typeof PrintDocSchema>): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ kind: 'doc', doc }));
}

export function driverTransport(printPage: PrintPage, printPageUrl: string, deviceName: string): Transport {
  const ready: PrinterStatus = { answered: true, refused: false, offline: false, coverOpen: false, paperOut: false, paperNearEnd: false, error: false };
  return {
    async send(_address, bytes): Promise<SendResult> {
      const job = Job.parse(JSON.parse(new TextDecoder().decode(bytes)));
      const printed = await printPage(`${printPageUrl}#${encodeURIComponent(JSON.stringify(job))}`, deviceName);
      return printed.ok ? { ok: true } : { ok: false, sentAny: false, problem: 'printerOffline' };
    },
    status: async () => ready,
  };
}
