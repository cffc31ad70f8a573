import net from 'node:net';
import type { MessageKey } from '../../core/index.js';

/**
 * Raw printing over TCP port 9100 (Epson-compatible network printers), and the DLE EOT status
 * query. Each call opens its own connection and gives up after `timeoutMs`.
 */
export type PrinterAddress = { host: string; port: number };

/** What a print job's bytes met. `sentAny` tells "nothing went out" from "it may have printed". */
export type SendResult = { ok: true } | { ok: false; sentAny: boolean; problem: Extract<MessageKey, 'printerRefused' | 'printerNoAnswer' | 'printerOffline'> };

/** The printer's state as DLE EOT reports it. */
export type PrinterStatus = { answered: boolean; refused: boolean; offline: boolean; coverOpen: boolean; paperOut: boolean; paperNearEnd: boolean; error: boolean };

export type Transport = {
  send(address: PrinterAddress, bytes: Uint8Array, timeoutMs: number): Promise<SendResult>;
  status(address: PrinterAddress, timeoutMs: number): Promise<PrinterStatus>;
};

/** DLE EOT 1 (printer), 2 (offline cause), 4 (paper sensor): one status byte back for each. */
export const STATUS_QUERY = Uint8Array.from([0x10, 0x04, 0x01, 0x10, 0x04, 0x02, 0x10, 0x04, 0x04]);

/**
 * Reads the three status bytes. Byte 1 bit 3: offline. Byte 2 bit 2: cover open; bit 5: stopped
 * for paper end; bit 6: error. Byte 3 bits 2–3: paper near its end; bits 5–6: paper end.
 */
export function parseStatus(bytes: Uint8Array, refused = false): PrinterStatus {
  const [printer = 0, offline = 0, paper = 0] = bytes;
  return {
    answered: bytes.length >= 3,
    refused,
    offline: (printer & 0x08) !== 0,
    coverOpen: (offline & 0x04) !== 0,
    paperOut: (offline & 0x20) !== 0 || (paper & 0x60) !== 0,
    paperNearEnd: (paper & 0x0c) !== 0,
    error: (offline & 0x40) !== 0,
  };
}

/** What staff should be told about a printer in this state, or null when it can print. */
export function statusProblem(s: PrinterStatus): Extract<MessageKey, 'printerPaperOut' | 'printerCoverOpen' | 'printerOffline' | 'printerNoAnswer' | 'printerRefused'> | null {
  if (s.refused) return 'printerRefused';
  if (!s.answered) return 'printerNoAnswer';
  if (s.paperOut) return 'printerPaperOut';
  if (s.coverOpen) return 'printerCoverOpen';
  if (s.offline || s.error) return 'printerOffline';
  return null;
}

/** The transport over real sockets. */
export const tcpTransport: Transport = {
  send: (address, bytes, timeoutMs) => new Promise((resolve) => {
    let connected = false;
    let flushed = false;
    let settled = false;
    const socket = net.connect({ host: address.host, port: address.port });
    const done = (r: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    // A printer that took every byte but keeps the connection open has the job all the same.
    const timer = setTimeout(() => done(flushed ? { ok: true } : { ok: false, sentAny: connected, problem: 'printerNoAnswer' }), timeoutMs);
    socket.once('connect', () => {
      connected = true;
      socket.end(bytes, () => {
        flushed = true;
      });
    });
    // The printer closes its side once it has read the job; a reset on the way means it may not have.
    socket.once('close', (hadError) => {
      if (!hadError && flushed) done({ ok: true });
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      done({ ok: false, sentAny: connected, problem: err.code === 'ECONNREFUSED' ? 'printerRefused' : 'printerNoAnswer' });
    });
  }),

  status: (address, timeoutMs) => new Promise((resolve) => {
    const got: number[] = [];
    let settled = false;
    let refused = false;
    const socket = net.connect({ host: address.host, port: address.port });
    const done = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parseStatus(Uint8Array.from(got), refused));
    };
    const timer = setTimeout(done, timeoutMs);
    socket.once('connect', () => socket.write(STATUS_QUERY));
    socket.on('data', (chunk: Buffer) => {
      got.push(...chunk);
      if (got.length >= 3) done();
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      refused = err.code === 'ECONNREFUSED';
      done();
    });
    socket.once('close', done);
  }),
};
