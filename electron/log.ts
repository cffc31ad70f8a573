import { appendFileSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Main's log: one line per thing staff or support may want to know later (a page that crashed and
 * was brought back, a refused navigation, an update, a backup), in userData/logs/kiosk.log, kept to
 * two files of 1 MB. No token, PIN or personal data is ever written here.
 */
const MAX_BYTES = 1_048_576;

export function fileLog(dir: string, now: () => Date = () => new Date()): (line: string) => void {
  const file = path.join(dir, 'kiosk.log');
  return (line) => {
    try {
      mkdirSync(dir, { recursive: true });
      if (existsSync(file) && statSync(file).size > MAX_BYTES) renameSync(file, `${file}.1`);
      appendFileSync(file, `${now().toISOString()} ${line}\n`);
    } catch {
      // A full disk must not take the kiosk down with its log.
    }
  };
}
