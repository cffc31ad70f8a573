import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/**
 * The real server as a child process (`tsx server/main.ts`), for `npm start`, the end-to-end tests
 * and the benchmarks: started, stopped and restarted on the same port and database, as a
 * centre's PC would be.
 */
export class ServerProcess {
  private child: ChildProcess | null = null;
  port = 0;
  url = '';
  pairingCode: string | null = null;
  pairingCodes: string[] = [];
  /** What the server said to people on stderr (progress, the certificate's fingerprint, errors). */
  messages = '';

  /** `echo` passes the server's messages (seeding progress, errors) through to this stderr. */
  constructor(private readonly env: Record<string, string>, private readonly echo = false) {}

  async start(): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, LINLI_LOG: 'silent', LINLI_DEMO: 'small', ...this.env, LINLI_PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      this.messages += d.toString();
      if (this.echo) process.stderr.write(d);
    });
    const lines = createInterface({ input: child.stdout! });
    const ready = new Promise<{ listening: string; pairingCode: string | null; pairingCodes: string[] }>((resolve, reject) => {
      lines.on('line', (line) => {
        try {
          resolve(JSON.parse(line) as { listening: string; pairingCode: string | null; pairingCodes: string[] });
        } catch {
          // Not the ready line.
        }
      });
      child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr.slice(-2000)}`)));
    });
    const info = await ready;
    this.url = info.listening;
    this.port = Number(new URL(info.listening).port);
    this.pairingCode = info.pairingCode;
    this.pairingCodes = info.pairingCodes;
  }

  /** Stops the server; SIGTERM closes it cleanly, SIGKILL does not. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    this.child = null;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  }
}
