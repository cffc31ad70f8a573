import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { formatShanghai, OutboxExport, SignedExport } from '../core/index.js';
import { writeFileDurably } from './files.js';
import type { SafeBox } from './secrets.js';

/**
 * The kiosk's daily backup of its own events. The local database lives in the page (IndexedDB),
 * so the page makes the backup: once a day it asks `backupDue` and hands over its signed outbox
 * export with every event it still keeps, waiting or already acknowledged (`saveBackup`). Main
 * encrypts it (AES-256-GCM, a key of its own sealed with `safeStorage`, apart from the device
 * secrets so a damaged secrets file does not take the backups with it) and keeps the last seven
 * days in userData/backups.
 *
 * What the replica holds is the server's and comes back from it at the next pairing; what only
 * the kiosk has is its events, so those are what a backup keeps. A restore (`restoreTo`) decrypts a
 * day's backup back into the signed export file, which an admin imports on the server
 * (`npm run admin -- import FILE`): every event applied exactly once, those the server already
 * has answered as duplicates. A wiped or damaged kiosk is then paired again as a new device
 * (DESIGN: a restored database never reuses a seq), and pulls the centre.
 *
 * Backups protect against a damaged local database, not against losing the PC or its keychain:
 * they open only on this PC, for this user. For that, the outbox export to a USB stick is the tool.
 */
export const KEEP_BACKUPS = 7;
const MAGIC = Buffer.from('LINLIBK1');
const NAME = /^linli-backup-(\d{4}-\d{2}-\d{2})\.bin$/;

/** A kept backup: its day (Beijing time) and size. */
export type BackupFile = { file: string; day: string; bytes: number };

export class Backups {
  private keyCache: Buffer | null = null;

  constructor(private readonly dir: string, private readonly keyFile: string, private readonly box: SafeBox, private readonly now: () => number = () => Date.now()) {}

  private key(): Buffer {
    if (this.keyCache) return this.keyCache;
    if (existsSync(this.keyFile)) {
      this.keyCache = Buffer.from(this.box.decrypt(readFileSync(this.keyFile)), 'base64');
    } else {
      const key = randomBytes(32);
      writeFileDurably(this.keyFile, this.box.encrypt(key.toString('base64')));
      this.keyCache = key;
    }
    return this.keyCache;
  }

  private today(): string {
    return formatShanghai(this.now()).slice(0, 10);
  }

  /** The backups kept, newest first. */
  list(): BackupFile[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir).flatMap((f) => {
      const day = NAME.exec(f)?.[1];
      return day ? [{ file: path.join(this.dir, f), day, bytes: statSync(path.join(this.dir, f)).size }] : [];
    }).sort((a, b) => b.day.localeCompare(a.day));
  }

  /** Whether today's backup is still to be made. */
  due(): boolean {
    return !this.list().some((b) => b.day === this.today());
  }

  /** Keeps today's backup (a signed export, checked), and lets go of all but the last seven days. */
  save(exportText: string): BackupFile {
    checkExport(exportText);
    mkdirSync(this.dir, { recursive: true });
    const day = this.today();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key(), iv);
    cipher.setAAD(Buffer.from(day));
    const data = Buffer.concat([cipher.update(exportText, 'utf8'), cipher.final()]);
    const file = path.join(this.dir, `linli-backup-${day}.bin`);
    writeFileDurably(file, Buffer.concat([MAGIC, iv, cipher.getAuthTag(), data]));
    for (const old of this.list().slice(KEEP_BACKUPS)) rmSync(old.file);
    return { file, day, bytes: statSync(file).size };
  }

  /** The signed export a backup holds, decrypted and checked. */
  open(backup: BackupFile): string {
    const raw = readFileSync(backup.file);
    if (!raw.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error(`${backup.file} is not a Linli backup`);
    const iv = raw.subarray(8, 20);
    const decipher = createDecipheriv('aes-256-gcm', this.key(), iv);
    decipher.setAAD(Buffer.from(backup.day));
    decipher.setAuthTag(raw.subarray(20, 36));
    const text = Buffer.concat([decipher.update(raw.subarray(36)), decipher.final()]).toString('utf8');
    checkExport(text);
    return text;
  }

  /** Writes a backup's export file where staff chose (a USB stick), for the server's import; answers its summary. */
  restoreTo(backup: BackupFile, dest: string): { deviceCode: string; events: number } {
    const text = this.open(backup);
    writeFileDurably(dest, text, 0o600);
    const body = OutboxExport.parse(JSON.parse(SignedExport.parse(JSON.parse(text)).body));
    return { deviceCode: body.deviceCode, events: body.events.length };
  }
}

/** A backup is the page's signed export, nothing else: checked before it is kept and after it is opened. */
function checkExport(text: string): void {
  const signed = SignedExport.parse(JSON.parse(text));
  OutboxExport.parse(JSON.parse(signed.body));
}

/** The name a restored export is offered under: what the server's import expects to see. */
export function restoredFileName(backup: BackupFile, deviceCode: string): string {
  return `linli-${deviceCode}-backup-${backup.day}.json`;
}
