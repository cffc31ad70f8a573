import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds used so far by each process named `comm`, or by the process `pid` (Linux, /proc). */
export function cpuByPid(match: { comm: string } | { pid: number }): Map<number, number> {
  const out = new Map<number, number>();
  const pids = 'pid' in match ? [String(match.pid)] : readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  for (const pid of pids) {
    try {
      if ('comm' in match && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== match.comm) continue;
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      out.set(Number(pid), (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // Gone.
    }
  }
  return out;
}

/** CPU seconds the processes used between two readings (a process that ended meanwhile is not counted). */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let s = 0;
  for (const [pid, t] of after) s += t - (before.get(pid) ?? 0);
  return s;
}
