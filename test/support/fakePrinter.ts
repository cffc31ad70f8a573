import net from 'node:net';
import { once } from 'node:events';

/**
 * A network thermal printer on loopback, for tests: it records the bytes of each job and answers
 * DLE EOT status queries. Its `mode` says how it behaves:
 * - `ready`: takes jobs, answers "all well";
 * - `paperOut`, `coverOpen`: answers the status query with that problem (and would take a job);
 * - `silent`: accepts connections and never answers or closes;
 * - `cutAfter`: takes `cutAfterBytes` bytes of a job, then resets the connection;
 * - `paperRunsOut`: takes one job, then reports its paper out (it ran out printing it).
 * `stop()` closes the port, so connections are refused.
 */
export type PrinterMode = 'ready' | 'paperOut' | 'coverOpen' | 'silent' | 'cutAfter' | 'paperRunsOut';

export class FakePrinter {
  mode: PrinterMode = 'ready';
  cutAfterBytes = 16;
  /** The bytes of each job, in the order they arrived. */
  readonly jobs: Uint8Array[] = [];
  /** When the last byte of each job arrived (performance.now()). */
  readonly jobDoneAt: number[] = [];
  private server: net.Server | null = null;
  private sockets = new Set<net.Socket>();
  port = 0;

  async start(port = 0): Promise<void> {
    const server = net.createServer((socket) => this.serve(socket));
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise((r) => server.close(r));
  }

  get address() {
    return { host: '127.0.0.1', port: this.port };
  }

  private serve(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    const got: number[] = [];
    socket.on('data', (chunk: Buffer) => {
      if (this.mode === 'silent') return;
      got.push(...chunk);
      if (got[0] === 0x10 && got[1] === 0x04) {
        if (got.length >= 9) socket.write(Buffer.from(this.statusBytes()));
        return;
      }
      if (this.mode === 'cutAfter' && got.length >= this.cutAfterBytes) socket.resetAndDestroy();
    });
    socket.on('end', () => {
      if (this.mode === 'silent' || got.length === 0 || got[0] === 0x10) return;
      this.jobs.push(Uint8Array.from(got));
      this.jobDoneAt.push(performance.now());
      socket.end();
    });
  }

  private statusBytes(): number[] {
    // Fixed bits as real printers send them: 0x16, 0x12, 0x12 mean "all well".
    if (this.mode === 'paperOut' || (this.mode === 'paperRunsOut' && this.jobs.length > 0)) return [0x16, 0x12 | 0x20, 0x12 | 0x60];
    if (this.mode === 'coverOpen') return [0x16, 0x12 | 0x04, 0x12];
    return [0x16, 0x12, 0x12];
  }
}
