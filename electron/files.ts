import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * Main's own files (the sealed secrets, the print queue, the settings) when they cannot be read:
 * the file is never overwritten or dropped. It is kept aside under a name that says when and why,
 * staff are told in Chinese (and English) what happened and what to do, and the kiosk either
 * starts whole or not at all.
 */

/** Which of main's files could not be read. */
export type MainFile = 'secrets' | 'printQueue' | 'settings';

/** The name a file is kept under: `device-secrets.bin.unreadable-20261125-083000`. */
export function asideName(file: string, at: Date): string {
  const stamp = at.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return `${file}.unreadable-${stamp}`;
}

/** Renames the file aside and answers its new path (a second call in the same second gets a suffix). */
export function keepAside(file: string, at: Date): string {
  let target = asideName(file, at);
  for (let n = 2; existsSync(target); n++) target = `${asideName(file, at)}-${n}`;
  renameSync(file, target);
  return target;
}

/** The files kept aside for `file` before, oldest first. */
export function keptAside(file: string): string[] {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.unreadable-`;
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.startsWith(prefix)).sort().map((f) => path.join(dir, f));
}

/** What staff are told when a file could not be read; `keptAs` is where it now is. */
export function unreadableMessage(what: MainFile, keptAs: string): { title: string; message: string } {
  const kept = `原文件已另存为 / The file was kept as:\n${keptAs}`;
  switch (what) {
    case 'secrets':
      return {
        title: '设备密钥无法读取 / Device keys unreadable',
        message: '邻里无法读取本机保存的设备密钥（设备令牌和工作人员密码的密钥）。可能是 Windows 账户或系统密钥环变了，或文件损坏。'
          + '本机的本地数据和待同步记录都还在，没有删除。\n'
          + '怎么办：请联系管理员。若最近改动过本机账户或密钥环，请改回后把文件改回原名再打开邻里；否则由管理员「重新配对本机」（再次打开邻里时可选），'
          + '并用「恢复备份」把本机未同步的记录交给服务器导入。\n\n'
          + 'Linli cannot read this PC\'s device keys (the device token and the key of the staff PINs): the Windows account or the keyring changed, '
          + 'or the file is damaged. The kiosk\'s data and its waiting events are still here, untouched.\n'
          + 'What to do: call an admin. If the account or keyring was changed, change it back, give the file its name again and open Linli; '
          + 'otherwise an admin pairs this PC again (offered at the next start) and uses "restore a backup" to hand its waiting events to the server.\n\n'
          + kept,
      };
    case 'printQueue':
      return {
        title: '打印队列无法读取 / Print queue unreadable',
        message: '邻里无法读取打印队列文件，已把它另存，并以空队列启动。之前排队或正在打印的小票可能没有打印出来。\n'
          + '怎么办：请在柜台核对最近几笔兑换的小票，没有打印的请由工作人员补打。\n\n'
          + 'Linli could not read the print queue file; it kept it aside and starts with an empty queue. Receipts that were queued or '
          + 'printing may not have printed.\nWhat to do: check the receipts of the last few redemptions at the counter, and have staff reprint any missing.\n\n'
          + kept,
      };
    case 'settings':
      return {
        title: '设置文件无法读取 / Settings unreadable',
        message: '邻里无法读取本机的设置文件（服务器地址、打印机等），已把它另存。邻里需要正确的设置才能启动。\n'
          + '怎么办：请管理员参照 README「柜台设置」重新填写设置文件后再打开邻里。\n\n'
          + 'Linli could not read this PC\'s settings file (server address, printer…) and kept it aside. It cannot start without its settings.\n'
          + 'What to do: an admin writes the settings file again (README, "Kiosk settings") and opens Linli.\n\n'
          + kept,
      };
  }
}

/**
 * Writes a file whole or not at all, and durably: a temporary file is written and flushed to the
 * disk, then renamed over the old one, so a power cut leaves the old file or the new one, never an
 * empty or half one. `mode` 0o600 for secrets.
 */
export function writeFileDurably(file: string, data: Uint8Array | string, mode = 0o600): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  // The rename itself is made durable by flushing the folder (not possible on Windows, where it is not needed).
  if (process.platform !== 'win32') {
    const dirFd = openSync(path.dirname(file), 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  }
}

/** The file's bytes, or null when there is none. */
export function readIfThere(file: string): Buffer | null {
  return existsSync(file) ? readFileSync(file) : null;
}
