import { fileURLToPath } from 'node:url';
import { clusterToolsInstalled } from '../test/support/cluster.js';
import { failoverRun } from '../test/support/failover.js';
import { chaosWrongs } from './chaos.js';

type Say = (text: string) => void;
type Figure = (name: string, value: number, unit: string) => void;

/**
 * `failover_lost` (events a kiosk was told were applied that the new primary lacks, after every
 * kiosk has synced: 0) and `failover_s`. Skipped, saying so, where pg_auto_failover or HAProxy is
 * not installed (`apt-get install postgresql-15-auto-failover haproxy`).
 */
export async function failoverFigures(figure: Figure, say: Say): Promise<void> {
  if (!clusterToolsInstalled()) {
    say('failover: skipped (apt-get install postgresql-15-auto-failover haproxy)');
    return;
  }
  const run = await failoverRun(say, { events: 3_000, killServerRound: 2, killPrimaryRound: 8 });
  const r = run.result;
  const wrongs = [...chaosWrongs(r), ...(r.appliedTwice > 0 ? [`${r.appliedTwice} events applied twice`] : []), ...(r.balanceMismatches > 0 ? [`${r.balanceMismatches} wrong balances`] : []),
    ...(r.kioskMismatches > 0 ? [`${r.kioskMismatches} kiosks disagree`] : [])];
  say(`failover: ${r.events} events, ${r.appliedOnce} applied once, ${r.lost} lost; ${run.serverKilled ? 'a server process killed' : 'no server process killed'}; settled in ${r.syncRounds + 1} rounds${wrongs.length > 0 ? `; WRONG: ${wrongs.join(', ')}` : ''}`);
  if (r.syncRounds >= 50) say('failover: WRONG: the kiosks did not settle (events still waiting count as lost)');
  figure('failover_lost', r.lost + r.appliedPartly, 'events');
  figure('failover_s', run.failoverSeconds, 's');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { round } = await import('./stats.js');
  await failoverFigures((name, value, unit) => process.stdout.write(`${JSON.stringify({ name, value: round(value), unit })}\n`), (t) => process.stderr.write(`bench: ${t}\n`));
}
